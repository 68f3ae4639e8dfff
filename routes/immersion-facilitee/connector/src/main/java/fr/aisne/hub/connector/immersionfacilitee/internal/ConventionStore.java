package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpChange;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpDay;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Day;

/**
 * The connector's tables (db/immersionfacilitee/V1__immersionfacilitee.sql), and the {@link PmsmpConventions} read
 * API over them. Every write of a convention is one transaction: the row, its days, its status history and the
 * change feed together.
 */
final class ConventionStore implements PmsmpConventions {
    static final String MODULE = "immersionfacilitee";

    /** What the hub holds of a convention, as the next update needs it. */
    record Stored(String key, String source, String status, boolean inDepartment, String assessmentStatus,
            Boolean endedWithJob, String personId, String matchState, String candidateId, String observedDigest,
            String fingerprint, int version, Instant lastRead, LocalDate dateStart, LocalDate dateEnd) {
    }

    /** What the hub last read of a platform convention (kept or not), and the last hand-over still pending. */
    record Seen(String id, String fingerprint, String outcome, Instant seenAt, String handedFingerprint, Instant handedAt) {
    }

    /** Who read it, for the history. */
    record Trigger(String source, String exchangeId) {
    }

    /** The registry's answer for the beneficiary: the person (null while PROBABLE), the state, the candidate. */
    record PersonRef(String personId, String matchState, String candidateId) {
    }

    private final Jdbc db;
    private final Clock clock;

    private ConventionStore(Jdbc db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    static ConventionStore migrate(ModuleDatabase database, Clock clock) {
        database.migrate(MODULE, ConventionStore.class.getClassLoader(), "db/immersionfacilitee/V1__immersionfacilitee.sql");
        return new ConventionStore(database.jdbc(), clock);
    }

    Jdbc jdbc() {
        return db;
    }

    // ---------------------------------------------------------------------------------------------- conventions

    Optional<Stored> storedOf(String key) {
        return db.one("SELECT conv_key, source, status, in_department, assessment_status, ended_with_job, person_id, "
                + "match_state, candidate_id, observed_digest, fingerprint, conv_version, last_read, date_start, date_end "
                + "FROM if_convention WHERE conv_key = ?", ConventionStore::stored, key);
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        short job = rs.getShort(6);
        Boolean endedWithJob = rs.wasNull() ? null : job == 1;
        return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getShort(4) == 1, rs.getString(5),
                endedWithJob, rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getInt(12), Jdbc.instant(rs, 13), rs.getDate(14).toLocalDate(), rs.getDate(15).toLocalDate());
    }

    /**
     * Writes what is kept of {@code c} (the department's, in scope): the row, its days, a history entry when the status
     * changed or it came back, a change in the feed when anything kept changed. Returns the new version.
     */
    int save(Convention c, Stored before, String fingerprint, Trigger by, String removedReason, PersonRef who) {
        Instant now = clock.instant();
        PersonRef person = who != null ? who : before == null ? new PersonRef(null, null, null)
                : new PersonRef(before.personId(), before.matchState(), before.candidateId());
        return db.inTransaction(() -> {
            boolean in = removedReason == null;
            boolean changed = before == null || !fingerprint.equals(before.fingerprint()) || before.inDepartment() != in
                    || !java.util.Objects.equals(person.personId(), before.personId());
            int version = before == null ? 1 : before.version() + (changed ? 1 : 0);
            Object[] values = {c.source(), c.reference(), c.status(), in ? 1 : 0, removedReason,
                c.prescriber() == null ? null : c.prescriber().agencyId(),
                c.prescriber() == null ? null : c.prescriber().prescriberId(), Date.valueOf(c.dateStart()),
                Date.valueOf(c.dateEnd()), c.plannedMinutes(), c.declaredTotalHours(), c.doneMinutes(), c.hostSiret(),
                c.hostName(), c.employee() ? 1 : 0, c.esat() == null ? null : (c.esat() ? 1 : 0),
                c.assessment() == null ? null : c.assessment().status(),
                c.assessment() == null || c.assessment().endedWithAJob() == null ? null
                        : (c.assessment().endedWithAJob() ? 1 : 0),
                c.assessment() == null ? null : c.assessment().createdAt(), c.dateValidation(), c.partnerUpdatedAt(),
                fingerprint, now, by.exchangeId(), version, person.personId(), person.matchState(), person.candidateId()};
            if (before == null) {
                Object[] args = new Object[values.length + 2];
                args[0] = c.key();
                System.arraycopy(values, 0, args, 1, values.length);
                args[args.length - 1] = now; // first_seen
                db.update("INSERT INTO if_convention (conv_key, source, reference, status, in_department, removed_reason, "
                        + "agency_id, prescriber_id, date_start, date_end, planned_minutes, declared_hours, done_minutes, "
                        + "host_siret, host_name, employee, esat, assessment_status, ended_with_job, assessment_at, "
                        + "date_validation, partner_updated, fingerprint, last_read, last_exchange, conv_version, person_id, "
                        + "match_state, candidate_id, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        args);
            } else {
                Object[] args = new Object[values.length + 1];
                System.arraycopy(values, 0, args, 0, values.length);
                args[values.length] = c.key();
                db.update("UPDATE if_convention SET source = ?, reference = ?, status = ?, in_department = ?, "
                        + "removed_reason = ?, agency_id = ?, prescriber_id = ?, date_start = ?, date_end = ?, "
                        + "planned_minutes = ?, declared_hours = ?, done_minutes = ?, host_siret = ?, host_name = ?, "
                        + "employee = ?, esat = ?, assessment_status = ?, ended_with_job = ?, assessment_at = ?, "
                        + "date_validation = ?, partner_updated = ?, fingerprint = ?, last_read = ?, last_exchange = ?, "
                        + "conv_version = ?, person_id = ?, match_state = ?, candidate_id = ? WHERE conv_key = ?", args);
            }
            if (changed) {
                db.update("DELETE FROM if_day WHERE conv_key = ?", c.key());
                List<Object[]> rows = new ArrayList<>();
                for (Day d : c.days()) {
                    rows.add(new Object[] {c.key(), Date.valueOf(d.date()), d.periodsText(), d.plannedMinutes(),
                        d.elapsedMinutes(), d.doneMinutes()});
                }
                db.batch("INSERT INTO if_day (conv_key, day_date, periods, planned_minutes, elapsed_minutes, done_minutes) "
                        + "VALUES (?,?,?,?,?,?)", rows);
                String what = before == null ? "created" : !in && before.inDepartment() ? "removed"
                        : in && !before.inDepartment() ? "restored"
                        : fingerprint.equals(before.fingerprint()) ? "person" : "updated";
                change(c.key(), version, what, now);
            }
            if (before == null || !c.status().equals(before.status())) {
                history(c.key(), c.status(), "STATUS", by, null, now);
            }
            if (before != null && before.inDepartment() && !in) {
                history(c.key(), c.status(), "REMOVED", by, removedReason, now);
            } else if (before != null && !before.inDepartment() && in) {
                history(c.key(), c.status(), "RESTORED", by, null, now);
            }
            return version;
        });
    }

    /** Takes a convention out of the department's (the platform no longer lets the hub read it, or it moved away). */
    boolean remove(String key, String reason, Trigger by) {
        Instant now = clock.instant();
        return db.inTransaction(() -> {
            Optional<Stored> s = storedOf(key);
            if (s.isEmpty() || !s.get().inDepartment()) {
                return false;
            }
            int version = s.get().version() + 1;
            db.update("UPDATE if_convention SET in_department = 0, removed_reason = ?, last_read = ?, last_exchange = ?, "
                    + "conv_version = ? WHERE conv_key = ?", reason, now, by.exchangeId(), version, key);
            history(key, s.get().status(), "REMOVED", by, reason, now);
            change(key, version, "removed", now);
            return true;
        });
    }

    /** Only the read time moves (a re-read that found nothing new). */
    void touch(String key, Trigger by) {
        db.update("UPDATE if_convention SET last_read = ?, last_exchange = ? WHERE conv_key = ?", clock.instant(),
                by.exchangeId(), key);
    }

    /** The registry's answer for the convention's beneficiary. */
    void person(String key, String personId, String matchState, String candidateId) {
        Instant now = clock.instant();
        db.inTransaction(() -> {
            Optional<Stored> s = storedOf(key);
            if (s.isEmpty()) {
                return;
            }
            boolean changed = !java.util.Objects.equals(personId, s.get().personId());
            int version = s.get().version() + (changed ? 1 : 0);
            db.update("UPDATE if_convention SET person_id = ?, match_state = ?, candidate_id = ?, conv_version = ? "
                    + "WHERE conv_key = ?", personId, matchState, candidateId, version, key);
            if (changed) {
                change(key, version, "person", now);
            }
        });
    }

    /** What was last recorded in the registry for it (a digest), so that an unchanged read records nothing. */
    void observed(String key, String digest) {
        db.update("UPDATE if_convention SET observed_digest = ? WHERE conv_key = ?", digest, key);
    }

    /** Conventions whose beneficiary waits for an operator. */
    List<Stored> probable() {
        return db.query("SELECT conv_key, source, status, in_department, assessment_status, ended_with_job, person_id, "
                + "match_state, candidate_id, observed_digest, fingerprint, conv_version, last_read, date_start, date_end "
                + "FROM if_convention WHERE match_state = 'PROBABLE'", ConventionStore::stored);
    }

    /** The platform's conventions of the department starting in ({@code after}, {@code upTo}]. */
    List<Stored> platformStartingIn(LocalDate after, LocalDate upTo) {
        return db.query("SELECT conv_key, source, status, in_department, assessment_status, ended_with_job, person_id, "
                + "match_state, candidate_id, observed_digest, fingerprint, conv_version, last_read, date_start, date_end "
                + "FROM if_convention WHERE source = ? AND in_department = 1 AND date_start > ? AND date_start <= ?",
                ConventionStore::stored, Convention.IMMERSION_FACILITEE, Date.valueOf(after), Date.valueOf(upTo));
    }

    private void history(String key, String status, String event, Trigger by, String reason, Instant now) {
        int seq = (int) db.count("SELECT COALESCE(MAX(seq), 0) FROM if_status WHERE conv_key = ?", key) + 1;
        db.update("INSERT INTO if_status (conv_key, seq, status, event, recorded_at, trigger_source, exchange_id, reason) "
                + "VALUES (?,?,?,?,?,?,?,?)", key, seq, status, event, now, by.source(), by.exchangeId(), reason);
    }

    private void change(String key, int version, String what, Instant now) {
        db.update("INSERT INTO if_change (conv_key, conv_version, what, changed_at) VALUES (?,?,?,?)", key, version, what, now);
    }

    /** Status history of a convention, oldest first: {status, event, at, trigger, exchangeId, reason}. */
    List<Map<String, Object>> history(String key) {
        return db.query("SELECT status, event, recorded_at, trigger_source, exchange_id, reason FROM if_status "
                + "WHERE conv_key = ? ORDER BY seq", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("status", rs.getString(1));
                    m.put("event", rs.getString(2));
                    m.put("at", Jdbc.instant(rs, 3).toString());
                    m.put("trigger", rs.getString(4));
                    m.put("exchangeId", rs.getString(5));
                    if (rs.getString(6) != null) {
                        m.put("reason", rs.getString(6));
                    }
                    return m;
                }, key);
    }

    /** Counts for health: kept by source and match state. */
    Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("immersion-facilitee", db.count("SELECT COUNT(*) FROM if_convention WHERE in_department = 1 AND source = ?",
                Convention.IMMERSION_FACILITEE));
        m.put("departement", db.count("SELECT COUNT(*) FROM if_convention WHERE in_department = 1 AND source = ?",
                Convention.DEPARTEMENT));
        m.put("removed", db.count("SELECT COUNT(*) FROM if_convention WHERE in_department = 0"));
        m.put("probable", db.count("SELECT COUNT(*) FROM if_convention WHERE match_state = 'PROBABLE'"));
        return m;
    }

    // ---------------------------------------------------------------------------------------------- seen

    Optional<Seen> seen(String id) {
        return db.one("SELECT conv_id, fingerprint, outcome, seen_at, handed_fingerprint, handed_at FROM if_seen "
                + "WHERE conv_id = ?", rs -> new Seen(rs.getString(1), rs.getString(2), rs.getString(3),
                        Jdbc.instant(rs, 4), rs.getString(5), Jdbc.instant(rs, 6)), id);
    }

    /** What a delivery read: the hand-over of that same read is done. */
    void seen(String id, String fingerprint, String outcome) {
        Instant now = clock.instant();
        db.inTransaction(() -> {
            int n = db.update("UPDATE if_seen SET fingerprint = ?, outcome = ?, seen_at = ?, handed_fingerprint = "
                    + "CASE WHEN handed_fingerprint = ? THEN NULL ELSE handed_fingerprint END WHERE conv_id = ?",
                    fingerprint, outcome, now, fingerprint, id);
            if (n == 0) {
                db.insertIfAbsent("INSERT INTO if_seen (conv_id, fingerprint, outcome, seen_at) VALUES (?,?,?,?)", id,
                        fingerprint, outcome, now);
            }
        });
    }

    /** The reconciliation handed a read over (pending until a delivery reads it). */
    void handed(String id, String fingerprint) {
        Instant now = clock.instant();
        db.inTransaction(() -> {
            int n = db.update("UPDATE if_seen SET handed_fingerprint = ?, handed_at = ? WHERE conv_id = ?", fingerprint,
                    now, id);
            if (n == 0) {
                db.insertIfAbsent("INSERT INTO if_seen (conv_id, outcome, seen_at, handed_fingerprint, handed_at) "
                        + "VALUES (?,?,?,?,?)", id, "PENDING", now, fingerprint, now);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- state

    Optional<String> state(String name) {
        return db.one("SELECT state_value FROM if_state WHERE name = ?", rs -> rs.getString(1), name);
    }

    void state(String name, String value) {
        Instant now = clock.instant();
        db.inTransaction(() -> {
            if (db.update("UPDATE if_state SET state_value = ?, updated_at = ? WHERE name = ?", value, now, name) == 0) {
                db.insertIfAbsent("INSERT INTO if_state (name, state_value, updated_at) VALUES (?,?,?)", name, value, now);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- PmsmpConventions

    @Override
    public List<PmsmpConvention> overlapping(LocalDate from, LocalDate to) {
        List<String> keys = db.query("SELECT conv_key FROM if_convention WHERE date_start <= ? AND date_end >= ? "
                + "ORDER BY date_start, conv_key", rs -> rs.getString(1), Date.valueOf(to), Date.valueOf(from));
        List<PmsmpConvention> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            read(k).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<PmsmpConvention> find(String key) {
        return key == null ? Optional.empty() : read(key);
    }

    private Optional<PmsmpConvention> read(String key) {
        List<PmsmpDay> days = db.query("SELECT day_date, planned_minutes, elapsed_minutes, done_minutes, periods FROM if_day "
                + "WHERE conv_key = ? ORDER BY day_date", rs -> {
                    int done = rs.getInt(4);
                    boolean noDone = rs.wasNull();
                    return new PmsmpDay(rs.getDate(1).toLocalDate(), Schedules.hours(rs.getInt(2)),
                            Schedules.hours(rs.getInt(3)), noDone ? null : Schedules.hours(done), rs.getString(5));
                }, key);
        return db.one("SELECT conv_key, source, reference, status, in_department, removed_reason, date_start, date_end, "
                + "planned_minutes, declared_hours, done_minutes, person_id, match_state, host_siret, host_name, employee, "
                + "esat, assessment_status, ended_with_job, date_validation, conv_version, last_read "
                + "FROM if_convention WHERE conv_key = ?", rs -> {
                    int done = rs.getInt(11);
                    Integer doneMinutes = rs.wasNull() ? null : done;
                    short esat = rs.getShort(17);
                    Boolean esatValue = rs.wasNull() ? null : esat == 1;
                    short job = rs.getShort(19);
                    Boolean jobValue = rs.wasNull() ? null : job == 1;
                    BigDecimal declared = rs.getBigDecimal(10);
                    return new PmsmpConvention(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getShort(5) == 1, rs.getString(6), rs.getDate(7).toLocalDate(), rs.getDate(8).toLocalDate(),
                            days, Schedules.hours(rs.getInt(9)), declared, doneMinutes == null ? null
                                    : Schedules.hours(doneMinutes), rs.getString(12), rs.getString(13), rs.getString(14),
                            rs.getString(15), rs.getShort(16) == 1, esatValue, rs.getString(18), jobValue,
                            Jdbc.instant(rs, 20), rs.getInt(21), Jdbc.instant(rs, 22));
                }, key);
    }

    @Override
    public List<PmsmpChange> changesSince(long afterSeq, int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        return db.query("SELECT seq, conv_key, conv_version, what, changed_at FROM if_change WHERE seq > ? ORDER BY seq "
                + "FETCH FIRST " + n + " ROWS ONLY", rs -> new PmsmpChange(rs.getLong(1), rs.getString(2), rs.getInt(3),
                        rs.getString(4), Jdbc.instant(rs, 5)), afterSeq);
    }

    @Override
    public long lastChange() {
        return db.one("SELECT MAX(seq) FROM if_change", rs -> rs.getLong(1)).orElse(0L);
    }
}
