package fr.aisne.hub.api;

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

/**
 * Numbered SQL scripts per module, applied once each and recorded in {@code hub_schema_history}: the
 * implementation behind {@link ModuleDatabase#migrate}, usable on any DataSource (tests too).
 */
public final class SchemaMigrations {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    /** A ModuleDatabase on a DataSource. */
    public static ModuleDatabase database(DataSource dataSource) {
        Jdbc jdbc = new Jdbc(dataSource);
        return new ModuleDatabase() {
            @Override
            public DataSource dataSource() {
                return dataSource;
            }

            @Override
            public Jdbc jdbc() {
                return jdbc;
            }

            @Override
            public void migrate(String module, ClassLoader loader, String... scripts) {
                apply(dataSource, module, loader, scripts);
            }
        };
    }

    /** Applies the scripts not applied yet, in order (script i is version i), each in one transaction. */
    public static synchronized void apply(DataSource dataSource, String module, ClassLoader loader, String... scripts) {
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
        for (String name : new String[] {"HUB_SCHEMA_HISTORY", "hub_schema_history"}) {
            try (ResultSet rs = md.getTables(null, null, name, null)) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hub_schema_history (module VARCHAR(60) NOT NULL, version INT NOT NULL, "
                    + "script VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL, PRIMARY KEY (module, version))");
        } catch (SQLException raced) {
            if (!"X0Y32".equals(raced.getSQLState())) { // created meanwhile by another module
                throw raced;
            }
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
}
