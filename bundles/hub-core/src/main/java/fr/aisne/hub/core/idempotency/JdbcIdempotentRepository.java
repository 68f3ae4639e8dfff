package fr.aisne.hub.core.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel idempotent repository kept in the hub's database (table hub_idempotency), so duplicates are
 * recognised across restarts. A key older than the window is forgotten: the same payload sent again a
 * month later is a new message.
 */
public class JdbcIdempotentRepository extends ServiceSupport implements IdempotentRepository {
    private final DataSource dataSource;
    private final String repo;
    private final Duration window;
    private final Clock clock;

    public JdbcIdempotentRepository(DataSource dataSource, String repo, Duration window, Clock clock) {
        this.dataSource = dataSource;
        this.repo = repo;
        this.window = window;
        this.clock = clock;
    }

    /** Adds the key; false if it was already there and younger than the window. */
    @Override
    public boolean add(String key) {
        return addFor(key, null).isEmpty();
    }

    /**
     * Adds the key on behalf of an exchange. Returns the id of the exchange that first used the key when it
     * is a duplicate, empty when the key is new (or had expired and was renewed).
     */
    public Optional<String> addFor(String key, String exchangeId) {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO hub_idempotency (repo, msg_key, exchange_id, created_at) VALUES (?,?,?,?)")) {
                ps.setString(1, repo);
                ps.setString(2, key);
                ps.setString(3, exchangeId);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.executeUpdate();
                return Optional.empty();
            } catch (SQLException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            String firstId;
            Instant firstAt;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT exchange_id, created_at FROM hub_idempotency WHERE repo = ? AND msg_key = ?")) {
                ps.setString(1, repo);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return addFor(key, exchangeId); // removed meanwhile
                    }
                    firstId = rs.getString(1);
                    firstAt = rs.getTimestamp(2).toInstant();
                }
            }
            if (firstAt.plus(window).isAfter(now)) {
                return Optional.of(firstId == null ? "unknown" : firstId);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE hub_idempotency SET exchange_id = ?, created_at = ? WHERE repo = ? AND msg_key = ?")) {
                ps.setString(1, exchangeId);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, repo);
                ps.setString(4, key);
                ps.executeUpdate();
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("idempotent repository " + repo + " unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT created_at FROM hub_idempotency WHERE repo = ? AND msg_key = ?")) {
            ps.setString(1, repo);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1).toInstant().plus(window).isAfter(clock.instant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("idempotent repository " + repo + " unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean remove(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM hub_idempotency WHERE repo = ? AND msg_key = ?")) {
            ps.setString(1, repo);
            ps.setString(2, key);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("idempotent repository " + repo + " unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM hub_idempotency WHERE repo = ?")) {
            ps.setString(1, repo);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("idempotent repository " + repo + " unavailable: " + e.getMessage(), e);
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
