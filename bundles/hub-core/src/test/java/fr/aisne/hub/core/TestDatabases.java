package fr.aisne.hub.core;

import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import fr.aisne.hub.core.db.HubDatabase;

/** Embedded Derby databases for tests: created and migrated like the hub does at start. */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static HubDatabase openMigrated(File directory) {
        HubDatabase db = HubDatabase.embeddedDerby(new File(directory, "hubdb").getAbsolutePath());
        migrate(db);
        return db;
    }

    public static void migrate(HubDatabase db) {
        db.migrate("core", TestDatabases.class.getClassLoader(), "db/core/V1__journal.sql");
    }

    /** Empties the core tables, so tests of one class can share a database (creating one costs a second). */
    public static void truncate(HubDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM hub_exchange_state");
            st.executeUpdate("DELETE FROM hub_exchange");
            st.executeUpdate("DELETE FROM hub_idempotency");
        }
    }

    public static int count(HubDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
