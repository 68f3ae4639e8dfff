package fr.aisne.hub.api.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;

import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.SchemaMigrations;

/** An embedded Derby database in a test's directory, as the hub opens it, with the module database on it. */
public final class TestDatabase implements AutoCloseable {
    private final String directory;
    private final EmbeddedDataSource dataSource;
    private final ModuleDatabase database;

    private TestDatabase(String directory) {
        this.directory = directory;
        System.setProperty("derby.stream.error.field", TestDatabase.class.getName() + ".DERBY_LOG");
        System.setProperty("derby.language.sequence.preallocator", "5000");
        this.dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(directory);
        dataSource.setCreateDatabase("create");
        this.database = SchemaMigrations.database(dataSource);
    }

    /** Derby's own log goes nowhere in tests. */
    public static final java.io.OutputStream DERBY_LOG = java.io.OutputStream.nullOutputStream();

    /** Opens (creates when needed) a database in {@code directory}. */
    public static TestDatabase embeddedDerby(String directory) {
        return new TestDatabase(directory);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public ModuleDatabase database() {
        return database;
    }

    /** Runs a statement (cleaning tables between tests). */
    public void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public long count(String sql) {
        return database.jdbc().count(sql);
    }

    @Override
    public void close() {
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(directory);
        shutdown.setShutdownDatabase("shutdown");
        try (Connection c = shutdown.getConnection()) {
            // Derby signals a clean shutdown with an exception
        } catch (SQLException expected) {
            // 08006: database shut down
        }
    }
}
