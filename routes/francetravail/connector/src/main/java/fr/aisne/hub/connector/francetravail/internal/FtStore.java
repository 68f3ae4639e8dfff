package fr.aisne.hub.connector.francetravail.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.Secrets;

/**
 * The connector's own tables (db/francetravail/V1__francetravail.sql, applied with the hub's SchemaMigrations on
 * the hub's DataSource): jetons (encrypted), identification outcomes, state (event cursor, batch), appointments.
 */
final class FtStore {
    static final String MODULE = "francetravail";
    /** Associated data of the jetons encrypted at rest: a jeton cannot be passed off as another value. */
    static final String JETON_USE = "hub/francetravail/jeton";

    private final Jdbc jdbc;
    private final Secrets secrets;

    FtStore(Jdbc jdbc, Secrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    static FtStore migrate(ModuleDatabase database, Secrets secrets) {
        database.migrate(MODULE, FtStore.class.getClassLoader(), "db/francetravail/V1__francetravail.sql");
        return new FtStore(database.jdbc(), secrets);
    }

    /** A jeton still valid at {@code now}, decrypted. */
    record Jeton(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Jeton[expiresAt=" + expiresAt + "]";
        }
    }

    // ---- jetons -------------------------------------------------------------------------------------

    Optional<Jeton> validJeton(String personId, Instant now) {
        return one("SELECT jeton, expires_at FROM ft_jeton WHERE person_id = ? AND expires_at > ?",
                rs -> new Jeton(secrets.open(rs.getString(1), JETON_USE), rs.getTimestamp(2).toInstant()), personId,
                now);
    }

    synchronized void saveJeton(String personId, String jeton, Instant obtainedAt, Instant expiresAt) {
        String sealed = secrets.seal(jeton, JETON_USE);
        if (update("UPDATE ft_jeton SET jeton = ?, obtained_at = ?, expires_at = ? WHERE person_id = ?", sealed,
                obtainedAt, expiresAt, personId) == 0) {
            update("INSERT INTO ft_jeton (person_id, jeton, obtained_at, expires_at) VALUES (?,?,?,?)", personId, sealed,
                    obtainedAt, expiresAt);
        }
    }

    void forgetJeton(String personId) {
        update("DELETE FROM ft_jeton WHERE person_id = ?", personId);
    }

    // ---- identification outcomes --------------------------------------------------------------------

    record Identification(String personId, String status, String code, String numero, String certified,
            String exchangeId, Instant at) {
    }

    synchronized void recordIdentification(String personId, String status, String code, String numero, String certified,
            String exchangeId, Instant at) {
        if (update("UPDATE ft_identification SET status = ?, code = ?, numero = COALESCE(?, numero), certified = ?, "
                + "exchange_id = ?, recorded_at = ? WHERE person_id = ?", status, code, numero, certified, exchangeId,
                at, personId) == 0) {
            update("INSERT INTO ft_identification (person_id, status, code, numero, certified, exchange_id, recorded_at) "
                    + "VALUES (?,?,?,?,?,?,?)", personId, status, code, numero, certified, exchangeId, at);
        }
    }

    Optional<Identification> identification(String personId) {
        return one("SELECT person_id, status, code, numero, certified, exchange_id, recorded_at FROM ft_identification "
                + "WHERE person_id = ?", FtStore::identification, personId);
    }

    /** Persons last identified (S001), oldest identification first, after {@code afterPersonId} (paging). */
    List<String> identifiedPersons(String afterPersonId, int limit) {
        return list("SELECT person_id FROM ft_identification WHERE status = 'IDENTIFIED' AND person_id > ? "
                + "ORDER BY person_id FETCH FIRST " + limit + " ROWS ONLY", rs -> rs.getString(1),
                afterPersonId == null ? "" : afterPersonId);
    }

    int countIdentified() {
        return one("SELECT COUNT(*) FROM ft_identification WHERE status = 'IDENTIFIED'", rs -> rs.getInt(1)).orElse(0);
    }

    /** Number of persons per identification status. */
    Map<String, Integer> identificationCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Object[] row : list("SELECT status, COUNT(*) FROM ft_identification GROUP BY status ORDER BY status",
                rs -> new Object[] {rs.getString(1), rs.getInt(2)})) {
            m.put((String) row[0], (Integer) row[1]);
        }
        return m;
    }

    /** The person left the registry (retention): nothing of them is kept here either. */
    void forgetPerson(String personId) {
        update("DELETE FROM ft_jeton WHERE person_id = ?", personId);
        update("DELETE FROM ft_identification WHERE person_id = ?", personId);
        update("DELETE FROM ft_rendez_vous WHERE person_id = ?", personId);
    }

    // ---- state --------------------------------------------------------------------------------------

    Optional<String> state(String name) {
        return one("SELECT state_value FROM ft_state WHERE name = ?", rs -> rs.getString(1), name);
    }

    synchronized void setState(String name, String value) {
        if (update("UPDATE ft_state SET state_value = ? WHERE name = ?", value, name) == 0) {
            update("INSERT INTO ft_state (name, state_value) VALUES (?,?)", name, value);
        }
    }

    // ---- appointments -------------------------------------------------------------------------------

    record RendezVous(String reference, String personId, String ftId, String status) {
    }

    Optional<RendezVous> rendezVous(String reference) {
        return one("SELECT reference, person_id, ft_id, status FROM ft_rendez_vous WHERE reference = ?",
                rs -> new RendezVous(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), reference);
    }

    synchronized void saveRendezVous(String reference, String personId, String ftId, String status, String exchangeId,
            Instant at) {
        if (update("UPDATE ft_rendez_vous SET person_id = ?, ft_id = COALESCE(?, ft_id), status = ?, exchange_id = ?, "
                + "updated_at = ? WHERE reference = ?", personId, ftId, status, exchangeId, at, reference) == 0) {
            update("INSERT INTO ft_rendez_vous (reference, person_id, ft_id, status, exchange_id, updated_at) "
                    + "VALUES (?,?,?,?,?,?)", reference, personId, ftId, status, exchangeId, at);
        }
    }

    // ---- JDBC ---------------------------------------------------------------------------------------

    private static Identification identification(ResultSet rs) throws SQLException {
        return new Identification(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getTimestamp(7).toInstant());
    }

    int update(String sql, Object... args) {
        return jdbc.update(sql, args);
    }

    <T> Optional<T> one(String sql, Jdbc.Row<T> row, Object... args) {
        return jdbc.one(sql, row, args);
    }

    <T> List<T> list(String sql, Jdbc.Row<T> row, Object... args) {
        return jdbc.query(sql, row, args);
    }
}
