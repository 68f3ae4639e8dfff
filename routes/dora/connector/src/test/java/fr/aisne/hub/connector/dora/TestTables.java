package fr.aisne.hub.connector.dora;

import java.sql.SQLException;

import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.testing.TestDatabase;

/**
 * One embedded Derby with the connector's tables for the whole test run (creating one takes seconds); each test
 * starts from empty tables ({@link #empty()}).
 */
final class TestTables {
    private static TestDatabase db;

    private TestTables() {
    }

    static synchronized ModuleDatabase empty() {
        if (db == null) {
            db = TestDatabase.embeddedDerby("target/derby-" + System.nanoTime());
            db.database().migrate("dora", DoraConnector.class.getClassLoader(), "db/dora/V1__dora.sql");
        }
        try {
            for (String t : new String[] {"dora_structure", "dora_service", "dora_offer_structure", "dora_offer_service",
                    "dora_offer"}) {
                db.execute("DELETE FROM " + t);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return db.database();
    }

    static void execute(String sql) throws SQLException {
        db.execute(sql);
    }
}
