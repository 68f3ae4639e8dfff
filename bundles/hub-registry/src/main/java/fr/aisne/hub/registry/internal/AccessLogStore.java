package fr.aisne.hub.registry.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.operations.AccessLog;
import fr.aisne.hub.registry.Access;

/**
 * The access log: the disclosure log (table reg_disclosure) with, since v2, the account that read
 * ({@code accessed_by}) and how ({@code access_kind}). One row per person read, per automatic disclosure to a
 * partner ({@link Access#SYSTEM}), per lookup that found nobody (no person) and per payload read through the
 * operations API (no person: the exchange, whose persons are found through the provenance of their values).
 * Registered as {@link AccessLog} for hub-ops.
 */
final class AccessLogStore implements AccessLog {
    /** Who received payloads read through the operations API: the hub's operators. */
    static final String OPERATIONS = "hub";
    private static final String INSERT = "INSERT INTO reg_disclosure (person_id, partner, purpose, fields, exchange_id, "
            + "disclosed_at, accessed_by, access_kind) VALUES (?,?,?,?,?,?,?,?)";
    /** The journal exchanges a person's values came from (their payloads hold the person). */
    static final String SOURCE_EXCHANGES = "SELECT source_exchange FROM reg_attribute WHERE person_id = ? "
            + "UNION SELECT source_exchange FROM reg_identifier WHERE person_id = ? "
            + "UNION SELECT source_exchange FROM reg_nir WHERE person_id = ? "
            + "UNION SELECT source_exchange FROM reg_membership WHERE person_id = ? "
            + "UNION SELECT source_exchange FROM reg_match_candidate WHERE person_id = ? OR result_person = ?";

    private final Jdbc db;
    private final Clock clock;

    AccessLogStore(Jdbc db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One read or disclosure of {@code personId} (null: nobody found). */
    void record(String personId, String partner, String purpose, Collection<String> fields, String exchangeId,
            Access access) {
        db.update(INSERT, personId, partner, purpose, fields(fields), exchangeId, clock.instant(), access.account(),
                access.kind());
    }

    /** One read of several persons (the fields read of each), one statement. */
    void recordAll(Map<String, ? extends Collection<String>> fieldsByPerson, String partner, String purpose,
            Access access) {
        Instant now = clock.instant();
        List<Object[]> rows = new ArrayList<>(fieldsByPerson.size());
        fieldsByPerson.forEach((personId, fields) -> rows.add(new Object[] {personId, partner, purpose, fields(fields),
            null, now, access.account(), access.kind()}));
        db.batch(INSERT, rows);
    }

    @Override
    public void payloadRead(String account, String exchangeId, String kind) {
        if (!PAYLOAD_PREVIEW.equals(kind) && !PAYLOAD_DOWNLOAD.equals(kind)) {
            throw new IllegalArgumentException("payload read kind must be " + PAYLOAD_PREVIEW + " or " + PAYLOAD_DOWNLOAD);
        }
        if (exchangeId == null || exchangeId.length() > 36) {
            throw new IllegalArgumentException("a payload read names its journal exchange");
        }
        record(null, OPERATIONS, "operations", List.of("payload"), exchangeId, new Access(account, kind));
    }

    /**
     * Who read what and when, newest first: the rows of a person (with the payload reads of the exchanges its
     * values came from), or of an account, or both; between {@code from} (included) and {@code to} (excluded)
     * when given.
     */
    List<Map<String, Object>> query(String personId, String account, Instant from, Instant to, int limit) {
        StringBuilder sql = new StringBuilder("SELECT disclosed_at, accessed_by, access_kind, partner, purpose, "
                + "person_id, exchange_id, fields FROM reg_disclosure WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (personId != null) {
            sql.append(" AND (person_id = ? OR (person_id IS NULL AND access_kind IN (?, ?) AND exchange_id IN (")
                    .append(SOURCE_EXCHANGES).append(")))");
            args.addAll(List.of(personId, PAYLOAD_PREVIEW, PAYLOAD_DOWNLOAD, personId, personId, personId, personId,
                    personId, personId));
        }
        if (account != null) {
            sql.append(" AND accessed_by = ?");
            args.add(account);
        }
        if (from != null) {
            sql.append(" AND disclosed_at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" AND disclosed_at < ?");
            args.add(to);
        }
        sql.append(" ORDER BY disclosed_at DESC, id DESC FETCH FIRST ").append(Math.max(1, limit)).append(" ROWS ONLY");
        return db.query(sql.toString(), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", Jdbc.instant(rs, 1).toString());
            m.put("account", rs.getString(2));
            m.put("kind", rs.getString(3) == null ? Access.BEFORE_V2 : rs.getString(3));
            m.put("partner", rs.getString(4));
            m.put("purpose", rs.getString(5));
            m.put("personId", rs.getString(6));
            m.put("exchangeId", rs.getString(7));
            m.put("fields", rs.getString(8));
            return m;
        }, args.toArray());
    }

    /**
     * Deletes the reads by accounts older than {@code cutoff} (the access log's own retention); the automatic
     * disclosures to partners, and the rows from before v2, stay as long as their person.
     */
    int purgeReadsBefore(Instant cutoff) {
        return db.update("DELETE FROM reg_disclosure WHERE disclosed_at < ? AND accessed_by NOT IN (?, ?)", cutoff,
                Access.SYSTEM, Access.BEFORE_V2);
    }

    /** Deletes what goes with a purged person: its disclosures to partners; the reads by accounts stay. */
    void forgetDisclosures(String personId) {
        db.update("DELETE FROM reg_disclosure WHERE person_id = ? AND accessed_by IN (?, ?)", personId, Access.SYSTEM,
                Access.BEFORE_V2);
    }

    private static String fields(Collection<String> fields) {
        String joined = String.join(",", fields);
        return joined.length() > 2000 ? joined.substring(0, 1997) + "..." : joined;
    }
}
