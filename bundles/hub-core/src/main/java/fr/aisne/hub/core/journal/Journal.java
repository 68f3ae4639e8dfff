package fr.aisne.hub.core.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.api.operations.MessageQuery;
import fr.aisne.hub.api.operations.StateChange;
import fr.aisne.hub.api.operations.StateCount;
import fr.aisne.hub.core.metrics.HubMetrics;

/**
 * The message log: one row per exchange (hub_exchange) and one per state change (hub_exchange_state), in the
 * hub's database; the usual history of a message (its first states at acceptance, then DELIVERED at its first
 * attempt) is kept in its row (first_states) instead, and read back the same. Writes join the calling thread's
 * transaction ({@link #transaction}), so that everything one step of a message writes is committed at once; metrics
 * are counted only once it is committed. Every reason is redacted before it is stored.
 */
public class Journal {
    private static final List<String> MIGRATIONS = List.of("db/core/V1__journal.sql",
            "db/core/V2__exchange_core_v2.sql", "db/core/V3__journal_first_states.sql",
            "db/core/V4__duplicate_key_digests.sql");
    /** The actor of what the hub itself does to an exchange. */
    public static final String ACTOR_HUB = "hub";
    private static final int REASON_MAX = 2000;
    /** The width of column first_states. */
    private static final int IN_ROW_MAX = 60;
    /**
     * Marks the last state kept in the row when it is a final one written by the delivery (DELIVERED, IGNORED): it
     * happened at the row's updated_at, with its last_reason, by the hub (the first states have no reason, so those
     * are its own).
     */
    private static final String AT_UPDATE = "@";
    /** The final states the delivery may keep in the row, and the room one takes there (",DELIVERED@"). */
    private static final Set<ExchangeState> FINAL_IN_ROW = EnumSet.of(ExchangeState.DELIVERED, ExchangeState.IGNORED);
    private static final int FINAL_IN_ROW_MAX = FINAL_IN_ROW.stream().mapToInt(st -> st.name().length()).max()
            .orElseThrow() + 1 + AT_UPDATE.length();
    private static final String COLUMNS = "id, correlation_id, partner, flow, direction, sender, content_type, "
            + "size_bytes, sha256, partner_message_id, ordering_key, queue_name, state, attempts, last_reason, "
            + "has_payload, created_at, updated_at";

    /**
     * The exchange an entry is about: enough to count it without reading it back; {@code seq} is the number of its
     * last history row when known (-1 otherwise), so that a transition needs not look for it; {@code allInRow} when
     * its whole history so far is kept in its row (then a final state by the delivery goes there too).
     */
    public record Ref(String id, String partner, String flow, Direction direction, int seq, boolean allInRow) {
        public Ref(String id, String partner, String flow, Direction direction, int seq) {
            this(id, partner, flow, direction, seq, false);
        }

        public Ref(String id, String partner, String flow, Direction direction) {
            this(id, partner, flow, direction, -1, false);
        }

        public static Ref of(ExchangeRecord r) {
            return new Ref(r.id(), r.partner(), r.flow(), r.direction(), -1, false);
        }
    }

    /**
     * An exchange as the delivery reads it: its record, the number of its last history row, its inline payload, and
     * the states kept in its row.
     */
    public record Loaded(ExchangeRecord record, int seq, byte[] sealedPayload, String inRowStates) {
        public Ref ref() {
            boolean allInRow = inRowStates != null && !inRowStates.endsWith(AT_UPDATE)
                    && inRowStates.split(",").length == seq && inRowStates.length() + FINAL_IN_ROW_MAX <= IN_ROW_MAX;
            return new Ref(record.id(), record.partner(), record.flow(), record.direction(), seq, allInRow);
        }
    }

    /** One state of a new exchange's first history. */
    public record Step(ExchangeState state, String reason, String actor) {
    }

    private final Jdbc jdbc;
    private final HubMetrics metrics;
    private final Clock clock;
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    public Journal(Jdbc jdbc, HubMetrics metrics, Clock clock) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The core's schema scripts, in order (for {@code ModuleDatabase.migrate}). */
    public static String[] migrations() {
        return MIGRATIONS.toArray(String[]::new);
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /** Runs the work in one transaction (nested calls join it); metrics are counted once it is committed. */
    public <T> T transaction(Supplier<T> work) {
        if (afterCommit.get() != null) {
            return work.get();
        }
        List<Runnable> counts = new ArrayList<>();
        afterCommit.set(counts);
        T result;
        try {
            result = jdbc.inTransaction(work);
        } finally {
            afterCommit.remove();
        }
        counts.forEach(Runnable::run);
        return result;
    }

    public void transaction(Runnable work) {
        transaction(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} inside the calling thread's transaction and returns the after-commit actions it asked for,
     * kept apart from the others' ({@link GroupCommit}: they run only if its part of the shared transaction is kept).
     */
    List<Runnable> collectingAfterCommit(Runnable work) {
        List<Runnable> outer = afterCommit.get();
        List<Runnable> mine = new ArrayList<>();
        afterCommit.set(mine);
        try {
            work.run();
            return mine;
        } finally {
            if (outer == null) {
                afterCommit.remove();
            } else {
                afterCommit.set(outer);
            }
        }
    }

    /**
     * Runs {@code action} once the calling thread's transaction is committed (at once outside a transaction):
     * in-memory state that must follow what the database says.
     */
    public void afterCommit(Runnable action) {
        List<Runnable> pending = afterCommit.get();
        if (pending != null) {
            pending.add(action);
        } else {
            action.run();
        }
    }

    /** Journals a new exchange with its first states, in order (the last one is its current state). */
    public void insert(NewExchange e, List<Step> steps) {
        insert(e, steps, null);
    }

    /**
     * Journals a new exchange with its first states and, for a small one, its sealed payload in the same row: one
     * insert, committed with the rest of the caller's transaction.
     */
    public void insert(NewExchange e, List<Step> steps, byte[] sealedPayload) {
        Instant now = clock.instant();
        ExchangeState last = steps.get(steps.size() - 1).state();
        String lastReason = null;
        int failed = 0;
        for (Step s : steps) {
            if (s.reason() != null) {
                lastReason = safe(s.reason());
            }
            failed += s.state() == ExchangeState.FAILED ? 1 : 0;
        }
        String reason = lastReason;
        int attempts = failed;
        String firstStates = inRow(e, steps);
        transaction(() -> {
            jdbc.update("INSERT INTO hub_exchange (" + COLUMNS + ", flow_key, state_seq, payload, first_states) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    e.id(), e.correlationId(), e.partner(), e.flow(), e.direction().name(), truncate(e.sender()),
                    e.contentType(), e.size(), e.sha256(), e.partnerMessageId(), e.orderingKey(), e.queue(),
                    last.name(), attempts, reason, (short) (e.hasPayload() ? 1 : 0), now, now,
                    e.partner() + "/" + e.flow(), steps.size(), sealedPayload, firstStates);
            if (firstStates == null) {
                List<Object[]> rows = new ArrayList<>();
                int seq = 1;
                for (Step s : steps) {
                    rows.add(new Object[] {e.id(), seq++, s.state().name(), now,
                        s.reason() == null ? null : safe(s.reason()), truncate(s.actor())});
                }
                jdbc.batch("INSERT INTO hub_exchange_state (exchange_id, seq, state, changed_at, reason, actor) "
                        + "VALUES (?,?,?,?,?,?)", rows);
            }
            for (Step s : steps) {
                count(e.partner(), e.flow(), e.direction(), s.state());
            }
        });
    }

    /**
     * The first states as kept in the exchange's row (an accepted message: no reason, the first by its sender, the
     * others by the hub), or null when they need history rows of their own.
     */
    private static String inRow(NewExchange e, List<Step> steps) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String actor = i == 0 ? e.sender() : ACTOR_HUB;
            if (s.reason() != null || !java.util.Objects.equals(s.actor(), actor)) {
                return null;
            }
            names.append(i == 0 ? "" : ",").append(s.state().name());
        }
        return names.length() <= IN_ROW_MAX ? names.toString() : null;
    }

    /** Moves an exchange to a new state, with its reason (redacted), and appends it to its history. */
    public void transition(Ref ref, ExchangeState state, String reason, String actor) {
        transition(ref, state, reason, actor, state == ExchangeState.FAILED);
    }

    /**
     * As {@link #transition(Ref, ExchangeState, String, String)}; {@code attemptFailed} counts a failed delivery
     * attempt (a FAILED state, or a quarantine that follows the last failed attempt).
     */
    public void transition(Ref ref, ExchangeState state, String reason, String actor, boolean attemptFailed) {
        String safeReason = reason == null ? null : safe(reason);
        Instant now = clock.instant();
        // The UPDATE's row lock serialises two transitions of one exchange until commit, so MAX(seq) + 1 is safe.
        transaction(() -> {
            // the usual end of a message, delivered at its first attempt: kept in the row, no history row written
            if (ref.allInRow() && ref.seq() >= 0 && !attemptFailed && ACTOR_HUB.equals(actor)
                    && FINAL_IN_ROW.contains(state)
                    && jdbc.update("UPDATE hub_exchange SET state = ?, updated_at = ?, last_reason = ?, "
                            + "state_seq = state_seq + 1, first_states = first_states || ? WHERE id = ? AND state_seq = ? "
                            + "AND last_reason IS NULL", state.name(), now, safeReason, "," + state.name() + AT_UPDATE,
                            ref.id(), ref.seq()) == 1) {
                count(ref.partner(), ref.flow(), ref.direction(), state);
                return;
            }
            String update = "UPDATE hub_exchange SET state = ?, updated_at = ?, attempts = attempts + ?, "
                    + "last_reason = COALESCE(?, last_reason), state_seq = state_seq + 1 WHERE id = ?";
            int failed = attemptFailed ? 1 : 0;
            int seq;
            // the history's number known (the delivery read it): checked by the update itself, no extra read
            if (ref.seq() >= 0 && jdbc.update(update + " AND state_seq = ?", state.name(), now, failed, safeReason,
                    ref.id(), ref.seq()) == 1) {
                seq = ref.seq() + 1;
            } else {
                if (jdbc.update(update, state.name(), now, failed, safeReason, ref.id()) == 0) {
                    throw new JournalException("no exchange " + ref.id(), null);
                }
                seq = (int) jdbc.count("SELECT state_seq FROM hub_exchange WHERE id = ?", ref.id());
            }
            jdbc.update("INSERT INTO hub_exchange_state (exchange_id, seq, state, changed_at, reason, actor) "
                    + "VALUES (?,?,?,?,?,?)", ref.id(), seq, state.name(), now, safeReason, truncate(actor));
            count(ref.partner(), ref.flow(), ref.direction(), state);
        });
    }

    /** {@link #transition(Ref, ExchangeState, String, String)} when only the id is known. */
    public void transition(String id, ExchangeState state, String reason, String actor) {
        ExchangeRecord r = record(id).orElseThrow(() -> new JournalException("no exchange " + id, null));
        transition(Ref.of(r), state, reason, actor);
    }

    /** A replay starts the retry budget again. */
    public void resetAttempts(String id) {
        jdbc.update("UPDATE hub_exchange SET attempts = 0 WHERE id = ?", id);
    }

    /** Records that the payload of an exchange was deleted (retention): its inline copy goes; its digest stays. */
    public void payloadPurged(String id) {
        jdbc.update("UPDATE hub_exchange SET has_payload = 0, payload = NULL WHERE id = ?", id);
    }

    /**
     * The exchange, the number of its last history row, its inline sealed payload and the states kept in its row, in
     * one read (delivery).
     */
    public Optional<Loaded> load(String id) {
        try {
            return jdbc.one("SELECT " + COLUMNS + ", state_seq, payload, first_states FROM hub_exchange WHERE id = ?",
                    rs -> new Loaded(map(rs), rs.getInt(19), rs.getBytes(20), rs.getString(21)), id);
        } catch (RuntimeException e) {
            throw new JournalException("cannot read exchange " + id, e);
        }
    }

    /** The inline sealed payload of an exchange, or null (a large payload is a file; none is kept). */
    public byte[] inlinePayload(String id) {
        return jdbc.one("SELECT payload FROM hub_exchange WHERE id = ?", rs -> rs.getBytes(1), id).orElse(null);
    }

    /** The exchange without its history (the delivery path's read). */
    public Optional<ExchangeRecord> record(String id) {
        try {
            return jdbc.one("SELECT " + COLUMNS + " FROM hub_exchange WHERE id = ?", Journal::map, id);
        } catch (RuntimeException e) {
            throw new JournalException("cannot read exchange " + id, e);
        }
    }

    /** The exchange with its state history (its first states kept in its row, then its history rows). */
    public Optional<ExchangeRecord> find(String id) {
        Optional<ExchangeRecord> found;
        String[] firstStates = new String[1];
        try {
            found = jdbc.one("SELECT " + COLUMNS + ", first_states FROM hub_exchange WHERE id = ?", rs -> {
                firstStates[0] = rs.getString(19);
                return map(rs);
            }, id);
        } catch (RuntimeException e) {
            throw new JournalException("cannot read exchange " + id, e);
        }
        return found.map(r -> {
            List<StateChange> history = new ArrayList<>();
            if (firstStates[0] != null) {
                String[] names = firstStates[0].split(",");
                for (int i = 0; i < names.length; i++) {
                    if (names[i].endsWith(AT_UPDATE)) {
                        history.add(new StateChange(i + 1, ExchangeState.valueOf(names[i].substring(0,
                                names[i].length() - AT_UPDATE.length())), r.updatedAt(), r.lastReason(), ACTOR_HUB));
                    } else {
                        history.add(new StateChange(i + 1, ExchangeState.valueOf(names[i]), r.createdAt(), null,
                                i == 0 ? r.sender() : ACTOR_HUB));
                    }
                }
            }
            history.addAll(jdbc.query("SELECT seq, state, changed_at, reason, actor FROM hub_exchange_state WHERE "
                    + "exchange_id = ? ORDER BY seq", rs -> new StateChange(rs.getInt(1),
                            ExchangeState.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant(), rs.getString(4),
                            rs.getString(5)), id));
            return r.withHistory(history);
        });
    }

    /** Newest first; the records carry no history (use {@link #find(String)}). */
    public List<ExchangeRecord> search(MessageQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM hub_exchange WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        // by flow_key, the one index on the state (a partner's flows share its prefix)
        if (q.partner() != null && q.flow() != null) {
            sql.append(" AND flow_key = ?");
            args.add(q.partner() + "/" + q.flow());
        } else if (q.partner() != null) {
            sql.append(" AND flow_key LIKE ?");
            args.add(q.partner().replace("%", "").replace("_", "") + "/%");
        } else if (q.flow() != null) {
            sql.append(" AND flow = ?");
            args.add(q.flow());
        }
        if (q.state() != null) {
            sql.append(" AND state = ?");
            args.add(q.state().name());
        }
        if (q.correlationId() != null) {
            sql.append(" AND correlation_id = ?");
            args.add(q.correlationId());
        }
        if (q.text() != null) {
            sql.append(" AND (correlation_id = ? OR partner_message_id = ? OR id = ?)");
            args.add(q.text());
            args.add(q.text());
            args.add(q.text());
        }
        if (q.from() != null) {
            sql.append(" AND created_at >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND created_at < ?");
            args.add(q.to());
        }
        sql.append(" ORDER BY created_at DESC, id DESC FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
        try {
            return jdbc.query(sql.toString(), Journal::map, args.toArray());
        } catch (RuntimeException e) {
            throw new JournalException("cannot search the journal", e);
        }
    }

    /**
     * Exchanges created since {@code since}, by partner, flow, current state and bucket of {@code bucket} (whole
     * minutes) counted from {@code since}; one grouped query on the created_at index.
     */
    public List<StateCount> stateCounts(Instant since, Duration bucket) {
        long minutes = Math.max(1, bucket.toMinutes());
        // Derby groups by an expression only when the select list repeats it word for word: the origin is a
        // literal (a Timestamp's own rendering, the local time Jdbc binds Instants in), not a parameter.
        String origin = Timestamp.from(since).toString();
        String slot = "{fn TIMESTAMPDIFF(SQL_TSI_MINUTE, TIMESTAMP('" + origin + "'), created_at)} / " + minutes;
        try {
            return jdbc.query("SELECT partner, flow, state, " + slot + ", COUNT(*) FROM hub_exchange WHERE created_at >= ? "
                    + "GROUP BY partner, flow, state, " + slot, rs -> new StateCount(rs.getString(1), rs.getString(2),
                            ExchangeState.valueOf(rs.getString(3)), since.plus(Duration.ofMinutes(minutes * rs.getLong(4))),
                            rs.getLong(5)), since);
        } catch (RuntimeException e) {
            throw new JournalException("cannot count the journal", e);
        }
    }

    private void count(String partner, String flow, Direction direction, ExchangeState state) {
        afterCommit(() -> metrics.countState(partner, flow, direction, state));
    }

    private static ExchangeRecord map(ResultSet rs) throws SQLException {
        return new ExchangeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Direction.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), ExchangeState.valueOf(rs.getString(13)),
                rs.getInt(14), rs.getString(15), rs.getShort(16) == 1, Jdbc.instant(rs, 17), Jdbc.instant(rs, 18),
                List.of());
    }

    private static String safe(String reason) {
        return truncate(Redaction.redact(reason));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= REASON_MAX ? s : s.substring(0, REASON_MAX - 1) + "…";
    }

    /** The journal could not be written or read: the exchange must not go further. */
    public static class JournalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public JournalException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
