package fr.aisne.hub.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's database: embedded Derby under data/ by default. Schemas are applied as numbered SQL scripts
 * per module (hub_schema_history records what was applied), so another DataSource (PostgreSQL) can be
 * used for a multi-node setup.
 */
public final class HubDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubDatabase.class);

    private final DataSource dataSource;
    private final String derbyDirectory;

    private HubDatabase(DataSource dataSource, String derbyDirectory) {
        this.dataSource = dataSource;
        this.derbyDirectory = derbyDirectory;
    }

    /** Opens (and creates if needed) an embedded Derby database in the given directory. */
    public static HubDatabase embeddedDerby(String directory) {
        // Derby writes derby.log in the working directory unless told otherwise.
        System.setProperty("derby.stream.error.field", HubDatabase.class.getName() + ".DERBY_LOG");
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(directory);
        ds.setCreateDatabase("create");
        return new HubDatabase(ds, directory);
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

    /**
     * Applies the scripts of a module not applied yet, in order. Each script is a resource of the given
     * class loader; statements are separated by ';' at the end of a line.
     */
    public void migrate(String module, ClassLoader loader, String... scripts) {
        try (Connection c = dataSource.getConnection()) {
            ensureHistoryTable(c);
            for (int version = 1; version <= scripts.length; version++) {
                if (isApplied(c, module, version)) {
                    continue;
                }
                String script = scripts[version - 1];
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(read(loader, script))) {
                        st.execute(sql);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO hub_schema_history (module, version, script, applied_at) VALUES (?,?,?,?)")) {
                        ps.setString(1, module);
                        ps.setInt(2, version);
                        ps.setString(3, script);
                        ps.setTimestamp(4, Timestamp.from(Instant.now()));
                        ps.executeUpdate();
                    }
                    c.commit();
                    LOG.info("Database schema {} migrated to version {} ({})", module, version, script);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw new IllegalStateException("schema " + module + " script " + script + " failed: "
                            + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot migrate schema " + module + ": " + e.getMessage(), e);
        }
    }

    private static void ensureHistoryTable(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, "HUB_SCHEMA_HISTORY", null)) {
            if (rs.next()) {
                return;
            }
        }
        try (ResultSet rs = md.getTables(null, null, "hub_schema_history", null)) {
            if (rs.next()) {
                return;
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hub_schema_history (module VARCHAR(60) NOT NULL, version INT NOT NULL, "
                    + "script VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL, PRIMARY KEY (module, version))");
        }
    }

    private static boolean isApplied(Connection c, String module, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM hub_schema_history WHERE module = ? AND version = ?")) {
            ps.setString(1, module);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = cur.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script not found: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + resource, e);
        }
    }

    /** Shuts the embedded database down cleanly so its files are consistent for the next start. */
    @Override
    public void close() {
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
