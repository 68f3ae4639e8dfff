package fr.aisne.hub.connector.aisneactifs;

import java.util.Optional;

import fr.aisne.hub.api.Jdbc;

/** The connector's table aa_state: its cursor in the department event feed. */
final class AaStore {
    private final Jdbc db;

    AaStore(Jdbc db) {
        this.db = db;
    }

    Optional<String> state(String name) {
        return db.one("SELECT state_value FROM aa_state WHERE name = ?", rs -> rs.getString(1), name);
    }

    synchronized void setState(String name, String value) {
        if (db.update("UPDATE aa_state SET state_value = ? WHERE name = ?", value, name) == 0) {
            db.update("INSERT INTO aa_state (name, state_value) VALUES (?,?)", name, value);
        }
    }
}
