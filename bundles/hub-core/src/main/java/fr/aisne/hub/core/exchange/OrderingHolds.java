package fr.aisne.hub.core.exchange;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.core.journal.Journal;

/**
 * Keeps one ordering key's messages in order across retries without holding a consumer thread. When a keyed
 * message fails and is rescheduled, it holds its key (hub_hold); a later message with the same key that arrives
 * meanwhile is parked behind it (hub_held, in arrival order) instead of overtaking it. When the holder is done
 * (delivered, ignored or quarantined), the next parked message becomes the holder and is dispatched; the key is
 * free once nobody waits. Messages of other keys never see any of this.
 *
 * <p>The broker gives one key's messages to one consumer at a time (message groups), so a key is only ever
 * examined by one thread; the in-memory view of the holds follows the database after each commit.
 */
public final class OrderingHolds {
    /** A parked message released to become its key's holder. */
    public record Released(String exchangeId, String queue) {
    }

    private final Jdbc jdbc;
    private final Journal journal;
    private final Clock clock;
    private final Map<String, String> holders = new ConcurrentHashMap<>();

    public OrderingHolds(Jdbc jdbc, Journal journal, Clock clock) {
        this.jdbc = jdbc;
        this.journal = journal;
        this.clock = clock;
        jdbc.query("SELECT flow_key, ordering_key, exchange_id FROM hub_hold", rs -> {
            holders.put(key(rs.getString(1), rs.getString(2)), rs.getString(3));
            return null;
        });
    }

    /** The exchange holding the key, if any. */
    public Optional<String> holder(String flowKey, String orderingKey) {
        return Optional.ofNullable(holders.get(key(flowKey, orderingKey)));
    }

    /** Makes {@code exchangeId} the key's holder (inside the caller's transaction). */
    public void hold(String flowKey, String orderingKey, String exchangeId) {
        String current = holders.get(key(flowKey, orderingKey));
        if (exchangeId.equals(current)) {
            return;
        }
        if (current == null) {
            jdbc.update("INSERT INTO hub_hold (flow_key, ordering_key, exchange_id, held_since) VALUES (?,?,?,?)",
                    flowKey, orderingKey, exchangeId, clock.instant());
        } else {
            jdbc.update("UPDATE hub_hold SET exchange_id = ?, held_since = ? WHERE flow_key = ? AND ordering_key = ?",
                    exchangeId, clock.instant(), flowKey, orderingKey);
        }
        journal.afterCommit(() -> holders.put(key(flowKey, orderingKey), exchangeId));
    }

    /** Parks a message behind its key's holder (inside the caller's transaction). */
    public void park(String exchangeId, String flowKey, String orderingKey, String queue) {
        jdbc.update("INSERT INTO hub_held (exchange_id, flow_key, ordering_key, queue_name) VALUES (?,?,?,?)",
                exchangeId, flowKey, orderingKey, queue);
    }

    /**
     * The holder {@code exchangeId} is done (inside the caller's transaction): the next parked message, if any,
     * becomes the holder and is returned (the caller dispatches it); otherwise the key is freed. Nothing happens
     * when {@code exchangeId} does not hold the key.
     */
    public Optional<Released> release(String flowKey, String orderingKey, String exchangeId) {
        if (!exchangeId.equals(holders.get(key(flowKey, orderingKey)))) {
            return Optional.empty();
        }
        Optional<Released> next = jdbc.one("SELECT exchange_id, queue_name FROM hub_held WHERE flow_key = ? AND "
                + "ordering_key = ? ORDER BY seq FETCH FIRST 1 ROWS ONLY",
                rs -> new Released(rs.getString(1), rs.getString(2)), flowKey, orderingKey);
        if (next.isPresent()) {
            jdbc.update("DELETE FROM hub_held WHERE exchange_id = ?", next.get().exchangeId());
            jdbc.update("UPDATE hub_hold SET exchange_id = ?, held_since = ? WHERE flow_key = ? AND ordering_key = ?",
                    next.get().exchangeId(), clock.instant(), flowKey, orderingKey);
            journal.afterCommit(() -> holders.put(key(flowKey, orderingKey), next.get().exchangeId()));
        } else {
            jdbc.update("DELETE FROM hub_hold WHERE flow_key = ? AND ordering_key = ?", flowKey, orderingKey);
            journal.afterCommit(() -> holders.remove(key(flowKey, orderingKey), exchangeId));
        }
        return next;
    }

    /** Messages parked behind a holder (health, metrics). */
    public long parked() {
        return jdbc.count("SELECT COUNT(*) FROM hub_held");
    }

    public int held() {
        return holders.size();
    }

    private static String key(String flowKey, String orderingKey) {
        return flowKey + '\u0000' + orderingKey;
    }
}
