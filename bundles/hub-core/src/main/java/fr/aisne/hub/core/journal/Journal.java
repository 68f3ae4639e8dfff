package fr.aisne.hub.core.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import fr.aisne.hub.core.Direction;
import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.util.Redaction;

/**
 * The message log: one row per exchange (hub_exchange) and one per state change (hub_exchange_state),
 * in the hub's database. Every reason is redacted before it is stored.
 */
public class Journal {
    private static final int REASON_MAX = 2000;
    private static final String COLUMNS = "id, correlation_id, partner, flow, direction, sender, content_type, "
            + "size_bytes, sha256, partner_message_id, queue_name, state, attempts, last_reason, has_payload, "
            + "created_at, updated_at";

    private final DataSource dataSource;
    private final HubMetrics metrics;
    private final Clock clock;
    private final Object[] locks = new Object[64];

    public Journal(DataSource dataSource, HubMetrics metrics, Clock clock) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Journals a new exchange in state RECEIVED. */
    public void received(NewExchange e) {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection(); Tx tx = new Tx(c)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_exchange (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,NULL,?,?,?)")) {
                ps.setString(1, e.id());
                ps.setString(2, e.correlationId());
                ps.setString(3, e.partner());
                ps.setString(4, e.flow());
                ps.setString(5, e.direction().name());
                ps.setString(6, e.sender());
                ps.setString(7, e.contentType());
                ps.setLong(8, e.size());
                ps.setString(9, e.sha256());
                ps.setString(10, e.partnerMessageId());
                ps.setString(11, e.queue());
                ps.setString(12, ExchangeState.RECEIVED.name());
                ps.setShort(13, (short) (e.hasPayload() ? 1 : 0));
                ps.setTimestamp(14, now);
                ps.setTimestamp(15, now);
                ps.executeUpdate();
            }
            insertState(c, e.id(), 1, ExchangeState.RECEIVED, now, null, e.sender());
            c.commit();
        } catch (SQLException | RuntimeException ex) {
            throw new JournalException("cannot journal exchange " + e.id(), ex);
        }
        metrics.countState(e.partner(), e.flow(), e.direction(), ExchangeState.RECEIVED);
    }

    /** Moves an exchange to a new state, with its reason (redacted), and appends it to its history. */
    public void transition(String id, ExchangeState state, String reason, String actor) {
        String safeReason = reason == null ? null : truncate(Redaction.redact(reason));
        Timestamp now = Timestamp.from(clock.instant());
        String partner;
        String flow;
        Direction direction;
        synchronized (locks[Math.floorMod(id.hashCode(), locks.length)]) {
            try (Connection c = dataSource.getConnection(); Tx tx = new Tx(c)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT partner, flow, direction FROM hub_exchange WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new JournalException("no exchange " + id, null);
                        }
                        partner = rs.getString(1);
                        flow = rs.getString(2);
                        direction = Direction.valueOf(rs.getString(3));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE hub_exchange SET state = ?, updated_at = ?, "
                        + "attempts = attempts + ?, last_reason = COALESCE(?, last_reason) WHERE id = ?")) {
                    ps.setString(1, state.name());
                    ps.setTimestamp(2, now);
                    ps.setInt(3, state == ExchangeState.FAILED ? 1 : 0);
                    ps.setString(4, safeReason);
                    ps.setString(5, id);
                    ps.executeUpdate();
                }
                int seq;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COALESCE(MAX(seq), 0) + 1 FROM hub_exchange_state WHERE exchange_id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getInt(1);
                    }
                }
                insertState(c, id, seq, state, now, safeReason, actor);
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                if (ex instanceof JournalException je) {
                    throw je;
                }
                throw new JournalException("cannot journal state " + state + " of exchange " + id, ex);
            }
        }
        metrics.countState(partner, flow, direction, state);
    }

    /** Records that the payload of an exchange was deleted (retention); its digest stays. */
    public void payloadPurged(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE hub_exchange SET has_payload = 0 WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new JournalException("cannot record the purge of exchange " + id, ex);
        }
    }

    public Optional<ExchangeRecord> find(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hub_exchange WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(map(rs).withHistory(history(c, id)));
            }
        } catch (SQLException ex) {
            throw new JournalException("cannot read exchange " + id, ex);
        }
    }

    /** Newest first; the records carry no history (use {@link #find(String)}). */
    public List<ExchangeRecord> search(MessageQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM hub_exchange WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.partner() != null) {
            sql.append(" AND partner = ?");
            args.add(q.partner());
        }
        if (q.state() != null) {
            sql.append(" AND state = ?");
            args.add(q.state().name());
        }
        if (q.correlationId() != null) {
            sql.append(" AND correlation_id = ?");
            args.add(q.correlationId());
        }
        if (q.from() != null) {
            sql.append(" AND created_at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(q.to()));
        }
        sql.append(" ORDER BY created_at DESC, id DESC FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<ExchangeRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        } catch (SQLException ex) {
            throw new JournalException("cannot search the journal", ex);
        }
    }

    /** Rolls back what was not committed before the connection closes (Derby refuses to close otherwise). */
    private static final class Tx implements AutoCloseable {
        private final Connection c;

        Tx(Connection c) throws SQLException {
            this.c = c;
            c.setAutoCommit(false);
        }

        @Override
        public void close() throws SQLException {
            try {
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void insertState(Connection c, String id, int seq, ExchangeState state, Timestamp at,
            String reason, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO hub_exchange_state (exchange_id, seq, state, changed_at, reason, actor) VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setInt(2, seq);
            ps.setString(3, state.name());
            ps.setTimestamp(4, at);
            ps.setString(5, reason);
            ps.setString(6, actor == null ? null : truncate(actor));
            ps.executeUpdate();
        }
    }

    private static List<StateChange> history(Connection c, String id) throws SQLException {
        List<StateChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, state, changed_at, reason, actor FROM hub_exchange_state WHERE exchange_id = ? ORDER BY seq")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StateChange(rs.getInt(1), ExchangeState.valueOf(rs.getString(2)),
                            rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    private static ExchangeRecord map(ResultSet rs) throws SQLException {
        return new ExchangeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Direction.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
                rs.getString(10), rs.getString(11), ExchangeState.valueOf(rs.getString(12)), rs.getInt(13),
                rs.getString(14), rs.getShort(15) == 1, toInstant(rs.getTimestamp(16)), toInstant(rs.getTimestamp(17)),
                List.of());
    }

    private static Instant toInstant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s) {
        return s.length() <= REASON_MAX ? s : s.substring(0, REASON_MAX - 1) + "…";
    }

    /** The journal could not be written or read: the exchange must not go further. */
    public static class JournalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public JournalException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
