package fr.aisne.hub.core.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.commons.dbcp2.DataSourceConnectionFactory;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.dbcp2.PoolingDataSource;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's database: embedded Derby under data/ by default. Schemas are applied as numbered SQL scripts
 * per module (fr.aisne.hub.api.SchemaMigrations, hub_schema_history records what was applied), so another
 * DataSource (PostgreSQL) can be used for a multi-node setup.
 */
public final class HubDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubDatabase.class);

    /** Connections kept open: the HTTP listener's busiest moments plus the queue consumers. */
    static final int POOL_MAX = 64;

    private final DataSource dataSource;
    private final String derbyDirectory;
    private final GenericObjectPool<PoolableConnection> pool;

    private HubDatabase(DataSource dataSource, String derbyDirectory, GenericObjectPool<PoolableConnection> pool) {
        this.dataSource = dataSource;
        this.derbyDirectory = derbyDirectory;
        this.pool = pool;
    }

    /** Opens (and creates if needed) an embedded Derby database in the given directory. */
    public static HubDatabase embeddedDerby(String directory) {
        // Derby writes derby.log in the working directory unless told otherwise.
        System.setProperty("derby.stream.error.field", HubDatabase.class.getName() + ".DERBY_LOG");
        // Identity columns (journal states, registry history, event feed) take their values from a sequence
        // that Derby persists, with a log flush, every 100 values by default: 3,600 disk syncs for a 16,000-
        // household import. Taking 5,000 at a time makes that noise; a crash only leaves a gap in the numbers.
        defaultProperty("derby.language.sequence.preallocator", "5000");
        // Bulk imports write hundreds of MB of log: a 1 MB log buffer (32 KB by default, each switch a
        // synchronous write), 32 MB log files and a checkpoint every 128 MB instead of every 10 MB. The
        // price: up to 128 MB of log to replay after a crash, a few seconds.
        defaultProperty("derby.storage.logBufferSize", "1048576");
        defaultProperty("derby.storage.logSwitchInterval", "33554432");
        defaultProperty("derby.storage.checkpointInterval", "134217728");
        // The journal's tables and indexes are read and written by every message: 4,000 cached pages (16 MB of
        // heap for 4 KB pages) instead of 1,000 keep them in memory.
        defaultProperty("derby.storage.pageCacheSize", "4000");
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(directory);
        ds.setCreateDatabase("create");
        // Opening an embedded connection costs about 50 us and preparing a statement 10 to 20 us; a message's path
        // takes five connections and fifteen statements. Pooled connections with their prepared statements cached
        // (Apache Commons DBCP) make that almost free. A connection goes back rolled back and in autocommit.
        PoolableConnectionFactory factory = new PoolableConnectionFactory(new DataSourceConnectionFactory(ds), null);
        factory.setPoolStatements(true);
        factory.setMaxOpenPreparedStatements(256);
        factory.setDefaultAutoCommit(true);
        factory.setRollbackOnReturn(true);
        GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(POOL_MAX);
        config.setMaxIdle(POOL_MAX);
        config.setMinIdle(0);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(java.time.Duration.ofSeconds(30));
        config.setJmxEnabled(false);
        GenericObjectPool<PoolableConnection> pool = new GenericObjectPool<>(factory, config);
        factory.setPool(pool);
        return new HubDatabase(new PoolingDataSource<>(pool), directory, pool);
    }

    /** Sets a Derby system property unless the operator set it (bin/setenv, -D...). */
    private static void defaultProperty(String name, String value) {
        System.setProperty(name, System.getProperty(name, value));
    }

    /** Derby's own log goes nowhere: its errors reach us as SQLExceptions. */
    public static final java.io.OutputStream DERBY_LOG = java.io.OutputStream.nullOutputStream();

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isValid() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Shuts the embedded database down cleanly so its files are consistent for the next start. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close(); // the pooled connections first: Derby shuts down cleanly only once they are closed
        }
        if (derbyDirectory == null) {
            return;
        }
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(derbyDirectory);
        shutdown.setShutdownDatabase("shutdown");
        try (Connection c = shutdown.getConnection()) {
            LOG.debug("Derby did not report its shutdown");
        } catch (SQLException expected) {
            // Derby signals a successful database shutdown with SQLState 08006.
            if (!"08006".equals(expected.getSQLState())) {
                LOG.warn("Derby shutdown: {}", expected.getMessage());
            }
        }
    }
}
