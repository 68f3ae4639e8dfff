package fr.aisne.hub.core.exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.core.util.Ids;

/**
 * The one way an exchange reaches its queue, so that nothing the hub answered "accepted" is lost between the
 * journal and the broker.
 * <ul>
 * <li><b>First sends</b> (an exchange just accepted, journaled QUEUED) are tried at once by the accepting thread
 * ({@link #firstSend}, {@link #sendNow}); a broker that refuses keeps them in memory and the loop tries again every
 * {@link #TICK}. A hub killed before the broker had one finds it at its next start: when a flow is installed, its
 * exchanges journaled QUEUED and never attempted are sent again ({@link #requeue}), under the same duplicate-
 * detection id (the exchange id), so the broker drops the copies it already had. No row is written for them: the
 * journal's QUEUED state is the record.</li>
 * <li><b>Retries, releases and replays</b> are rows of table hub_dispatch, written in the transaction that decides
 * them, due at their time, deleted (in batches) once the broker has taken the message.</li>
 * </ul>
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final Duration TICK = Duration.ofMillis(200);
    private static final int BATCH = 500;

    /** What puts a claim check on a queue of the broker ({@link fr.aisne.hub.core.broker.QueueSender}; a recording one in tests). */
    @FunctionalInterface
    public interface Sender {
        void send(String queue, String exchangeId, String orderingKey, int attempt, String dispatchId) throws Exception;
    }

    /** An exchange to put on its queue; {@code stored} when it is a row of hub_dispatch. */
    public record Dispatch(String dispatchId, String exchangeId, String queue, String orderingKey, int attempt,
            boolean stored) {
    }

    private final Jdbc jdbc;
    private final Sender sender;
    private final Clock clock;
    /** Sent, row not yet deleted. */
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** Being sent by an accepting thread right now. */
    private final Set<String> sending = ConcurrentHashMap.newKeySet();
    /** First sends the broker refused: tried again at each pass. */
    private final Map<String, Dispatch> firstSendsWaiting = new ConcurrentHashMap<>();
    /** Flows whose never-attempted exchanges were sent again since this dispatcher started. */
    private final Set<String> requeued = ConcurrentHashMap.newKeySet();
    private final AtomicLong brokerRefusals = new AtomicLong();
    private final ScheduledExecutorService loop;
    private volatile boolean brokerRefusing;
    private volatile String lastProblem;

    public Dispatcher(Jdbc jdbc, Sender sender, Clock clock) {
        this.jdbc = jdbc;
        this.sender = sender;
        this.clock = clock;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-dispatcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the loop. */
    public void start() {
        loop.scheduleWithFixedDelay(() -> pass(Duration.ZERO), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The first send of an exchange just journaled QUEUED (no row: the exchange id is its duplicate-detection id). */
    public Dispatch firstSend(String exchangeId, String queue, String orderingKey) {
        return new Dispatch(exchangeId, exchangeId, queue, orderingKey, 1, false);
    }

    /** A first send the broker refused: kept in memory and tried again at each pass. */
    public void retryLater(Dispatch first) {
        firstSendsWaiting.put(first.dispatchId(), first);
    }

    /**
     * Sends again, once per flow since this dispatcher started, the flow's exchanges journaled QUEUED and never
     * attempted: those a killed hub had journaled but maybe not handed to the broker (it drops those it had).
     * Called when the flow's connector is installed. Returns how many were sent.
     */
    public int requeue(String flowKey, String queue) {
        if (!requeued.add(flowKey)) {
            return 0;
        }
        List<Dispatch> again;
        try {
            again = jdbc.query("SELECT id, ordering_key FROM hub_exchange WHERE flow_key = ? AND state = 'QUEUED' "
                    + "AND attempts = 0", rs -> firstSend(rs.getString(1), queue, rs.getString(2)), flowKey);
        } catch (RuntimeException e) {
            requeued.remove(flowKey); // tried again when the flow is next installed (a connector restarted or upgraded)
            throw e;
        }
        int sent = 0;
        for (Dispatch d : again) {
            if (sendNow(d)) {
                sent++;
            } else {
                retryLater(d);
            }
        }
        if (!again.isEmpty()) {
            LOG.info("Flow {}: {} exchange(s) journaled QUEUED sent to the broker again at start ({} taken now; the "
                    + "broker drops those it already had)", flowKey, again.size(), sent);
        }
        return sent;
    }

    /** Writes a send due at {@code due} (a retry, a release, a replay), inside the caller's transaction. */
    public Dispatch schedule(String exchangeId, String queue, String orderingKey, int attempt, Instant due) {
        Dispatch d = new Dispatch(Ids.newExchangeId(), exchangeId, queue, orderingKey, attempt, true);
        jdbc.update("INSERT INTO hub_dispatch (dispatch_id, exchange_id, queue_name, ordering_key, attempt, due_at) "
                + "VALUES (?,?,?,?,?,?)", d.dispatchId(), exchangeId, queue, orderingKey, attempt, due);
        return d;
    }

    /** True while a send of the exchange is scheduled (a retry, a deferred or released delivery, a replay). */
    public boolean scheduled(String exchangeId) {
        return jdbc.count("SELECT COUNT(*) FROM hub_dispatch WHERE exchange_id = ?", exchangeId) > 0;
    }

    /** Deletes the pending sends of an exchange (inside the caller's transaction); returns how many. */
    public int cancel(String exchangeId) {
        return jdbc.update("DELETE FROM hub_dispatch WHERE exchange_id = ?", exchangeId);
    }

    /** Moves an exchange's pending send to now; false if there is none (already sent). */
    public boolean hurry(String exchangeId) {
        return jdbc.update("UPDATE hub_dispatch SET due_at = ? WHERE exchange_id = ?", clock.instant(), exchangeId) > 0;
    }

    /**
     * Sends a committed dispatch now. True when the broker took it; false when it refused (the row stays: the
     * caller decides whether to withdraw it, e.g. answer the HTTP sender 503, or leave it to the loop).
     */
    public boolean sendNow(Dispatch d) {
        sending.add(d.dispatchId());
        try {
            sender.send(d.queue(), d.exchangeId(), d.orderingKey(), d.attempt(), d.dispatchId());
            if (d.stored()) {
                sent.add(d.dispatchId());
            }
            firstSendsWaiting.remove(d.dispatchId());
            brokerRefusing = false;
            return true;
        } catch (Exception e) {
            brokerRefusals.incrementAndGet();
            brokerRefusing = true;
            lastProblem = Redaction.describe(e);
            LOG.warn("Exchange {} not taken by the broker on {}: {}", d.exchangeId(), d.queue(), lastProblem);
            return false;
        } finally {
            sending.remove(d.dispatchId());
        }
    }

    /** One pass of the loop, now (tests; the loop runs it every {@link #TICK}). */
    public void passNow() {
        pass(Duration.ZERO);
    }

    private void pass(Duration ahead) {
        try {
            for (Dispatch d : List.copyOf(firstSendsWaiting.values())) {
                if (!sendNow(d)) {
                    return; // the broker still refuses
                }
            }
            deleteSent();
            Instant due = clock.instant().plus(ahead);
            List<Dispatch> rows = jdbc.query("SELECT dispatch_id, exchange_id, queue_name, ordering_key, attempt FROM "
                    + "hub_dispatch WHERE due_at <= ? ORDER BY due_at FETCH FIRST " + BATCH + " ROWS ONLY",
                    rs -> new Dispatch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            true), due);
            for (Dispatch d : rows) {
                if (sent.contains(d.dispatchId()) || sending.contains(d.dispatchId())) {
                    continue;
                }
                if (!sendNow(d)) {
                    break; // the broker refuses: try again at the next tick
                }
            }
            deleteSent();
            if (rows.size() == BATCH && !brokerRefusing) {
                loop.execute(() -> pass(ahead)); // more are due: go on without waiting for the tick
            }
        } catch (RuntimeException e) {
            lastProblem = Redaction.describe(e);
            LOG.warn("Dispatcher pass failed: {}", lastProblem);
        }
    }

    private void deleteSent() {
        if (sent.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(sent);
        List<Object[]> rows = new ArrayList<>(ids.size());
        ids.forEach(id -> rows.add(new Object[] {id}));
        jdbc.inTransaction(() -> jdbc.batch("DELETE FROM hub_dispatch WHERE dispatch_id = ?", rows));
        ids.forEach(sent::remove);
    }

    /** Sends waiting (rows due or not, and first sends the broker refused): for metrics and health. */
    public long pending() {
        return jdbc.count("SELECT COUNT(*) FROM hub_dispatch") + firstSendsWaiting.size();
    }

    public boolean brokerRefusing() {
        return brokerRefusing;
    }

    /**
     * The broker accepted a connection (the health's probe). While a refused send waits, the loop's next send tells
     * whether the refusal is over. With nothing waiting (the refused sends were answered 503 and withdrawn), no send
     * would ever clear it: the hub stayed DOWN after its broker came back, and a load balancer reading the health
     * would then never send it the message that clears it (found by DeliveryIT). A broker that still refuses sends
     * while it accepts connections (its disk full) is found again by the next send.
     */
    public void brokerReachable() {
        if (brokerRefusing && firstSendsWaiting.isEmpty()
                && jdbc.count("SELECT COUNT(*) FROM hub_dispatch WHERE due_at <= ?", clock.instant()) == 0) {
            brokerRefusing = false;
            LOG.info("Broker reachable again and no send waiting: no longer reported as refusing messages");
        }
    }

    public long brokerRefusals() {
        return brokerRefusals.get();
    }

    public String lastProblem() {
        return lastProblem;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
            deleteSent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("Sent dispatches not deleted at stop (sent again at start, dropped by the broker): {}",
                    e.toString());
        }
    }
}
