package fr.aisne.hub.core.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.core.guard.GuardedCall;
import fr.aisne.hub.core.journal.GroupCommit;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.store.PayloadStore;

/**
 * The delivery side of a message, called by its flow's queue consumers: hands the payload to the flow's handler
 * and journals the outcome. A failure never holds the consumer thread: the attempt is journaled FAILED and the
 * next one written to the dispatch table, due after the flow's backoff (or the partner's Retry-After), and the
 * broker message is acknowledged; the dispatcher puts it back on the queue when it is due. Messages with an
 * ordering key wait behind a key being retried ({@link OrderingHolds}). Each outcome is one transaction.
 *
 * <p>What is not the partner's fault (the hub's own database failing while recording the outcome) is thrown, so
 * the broker hands the message back; a message the broker hands back too often is quarantined (poison guard,
 * the delivery count being persisted by the broker so that it survives restarts).
 */
public final class DeliveryService {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
    static final String ACTOR = IntakeService.ACTOR_HUB;
    /** Wait before a delivery the partner guard deferred (circuit open, no capacity) is tried again. */
    static final Duration DEFER = Duration.ofSeconds(1);

    private final Journal journal;
    private final PayloadStore store;
    private final Dispatcher dispatcher;
    private final OrderingHolds holds;
    private final GroupCommit outcomes;
    private final int maxBrokerDeliveries;
    private final Clock clock;
    /** How long a copy waits for the intake's withdrawal of its exchange before the broker is left to hand it back. */
    static final Duration WITHDRAWAL_WAIT = Duration.ofSeconds(30);
    private static final Object DELIVERING = new Object();
    /**
     * Exchanges being delivered in this JVM ({@link #DELIVERING}: a second copy arriving meanwhile is dropped), or
     * being withdrawn by the intake (a latch: a copy arriving meanwhile waits for it, see {@link #withoutDelivery}).
     */
    private final ConcurrentHashMap<String, Object> busy = new ConcurrentHashMap<>();
    /**
     * Copies dropped (being delivered already, or of an exchange over, withdrawn or at another attempt):
     * hub_delivery_copies_dropped_total.
     */
    private final AtomicLong copiesDropped = new AtomicLong();
    private volatile FaultInjection faults = FaultInjection.NONE;

    public DeliveryService(Journal journal, PayloadStore store, Dispatcher dispatcher, OrderingHolds holds,
            GroupCommit outcomes, int maxBrokerDeliveries, Clock clock) {
        this.journal = journal;
        this.store = store;
        this.dispatcher = dispatcher;
        this.holds = holds;
        this.outcomes = outcomes;
        this.maxBrokerDeliveries = maxBrokerDeliveries;
        this.clock = clock;
    }

    /**
     * Broker messages dropped as copies of an exchange delivered, being delivered, withdrawn, or sent for another
     * attempt.
     */
    public long copiesDropped() {
        return copiesDropped.get();
    }

    /**
     * Runs {@code work} with the deliveries of this JVM kept off the exchange and returns what it returns, or returns
     * false at once, without running it, if a delivery of it is under way. A copy arriving meanwhile waits until
     * {@code work} is done, then goes on as any copy (dropped if the exchange was withdrawn, delivered if not). The
     * intake withdraws an exchange this way when a send failed, since the broker may have kept the message all the
     * same and a consumer may already be delivering it.
     */
    public boolean withoutDelivery(String exchangeId, java.util.function.BooleanSupplier work) {
        CountDownLatch done = new CountDownLatch(1);
        if (busy.putIfAbsent(exchangeId, done) != null) {
            return false;
        }
        try {
            return work.getAsBoolean();
        } finally {
            busy.remove(exchangeId, done);
            done.countDown();
        }
    }

    /** Tests only: see {@link FaultInjection}. */
    public void faults(FaultInjection faults) {
        this.faults = faults;
    }

    /**
     * One broker message of {@code flow}. Returns normally when the broker message may be acknowledged.
     *
     * @param attempt the attempt the message was dispatched for (null for a message without it)
     * @param brokerDeliveries how many times the broker has delivered this message (JMSXDeliveryCount)
     */
    public void onMessage(Flow flow, DeliveryHandler handler, String exchangeId, Integer attempt, int brokerDeliveries) {
        if (!claim(exchangeId)) {
            copiesDropped.incrementAndGet();
            LOG.debug("Exchange {} is being delivered already; copy dropped", exchangeId);
            return;
        }
        try {
            deliver(flow, handler, exchangeId, attempt, brokerDeliveries);
        } finally {
            busy.remove(exchangeId, DELIVERING);
        }
    }

    /** Claims the exchange for this delivery: false if another is under way; waits for a withdrawal to end. */
    private boolean claim(String exchangeId) {
        long deadline = System.nanoTime() + WITHDRAWAL_WAIT.toNanos();
        while (true) {
            Object current = busy.putIfAbsent(exchangeId, DELIVERING);
            if (current == null) {
                return true;
            }
            if (current == DELIVERING) {
                return false;
            }
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !((CountDownLatch) current).await(left, TimeUnit.NANOSECONDS)) {
                    // not acknowledged: the broker hands it back later
                    throw new IllegalStateException("exchange " + exchangeId + " is still being withdrawn");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while exchange " + exchangeId + " was being withdrawn");
            }
        }
    }

    private void deliver(Flow flow, DeliveryHandler handler, String id, Integer attempt, int brokerDeliveries) {
        // one read: the record, its history's number (so transitions need not look it up) and a small payload
        Optional<Journal.Loaded> found = journal.load(id);
        if (found.isEmpty()) {
            LOG.error("Queued exchange {} is not in the journal; dropped", id);
            return;
        }
        ExchangeRecord r = found.get().record();
        Journal.Ref ref = found.get().ref();
        int thisAttempt = r.attempts() + 1;
        if (r.state().isTerminal() || r.state() == ExchangeState.HELD
                || (attempt != null && attempt != thisAttempt)) {
            copiesDropped.incrementAndGet();
            LOG.debug("Exchange {} is {} (attempt {} expected, {} received): copy dropped", id, r.state(), thisAttempt,
                    attempt);
            return;
        }
        if (brokerDeliveries > maxBrokerDeliveries) {
            // The hub itself failed on this message again and again (not the partner): stop the loop.
            finish(flow, r, ref, false, ExchangeState.QUARANTINED, "handed back by the broker " + brokerDeliveries + " times: the "
                    + "hub failed while delivering it (see the log); fix, then replay");
            return;
        }
        String key = r.orderingKey();
        if (key != null) {
            Optional<String> holder = holds.holder(flow.key(), key);
            if (holder.isPresent() && !holder.get().equals(id)) {
                journal.transaction(() -> {
                    holds.park(id, flow.key(), key, flow.queue());
                    journal.transition(ref, ExchangeState.HELD, "waiting behind exchange " + holder.get()
                            + " (same ordering key), which is being retried", ACTOR);
                });
                return;
            }
        }
        GuardedCall call = GuardedCall.enter(flow.guard());
        if (call.refused() != null) {
            defer(flow, r, call.refused().retryAfter().orElse(DEFER));
            return;
        }
        DeliveryResult result = null;
        DeliveryFailure failure = null;
        try {
            faults.at(FaultInjection.Point.ON_DELIVERY, flow);
            result = handler.deliver(new View(r, thisAttempt, found.get().sealedPayload()));
            if (result == null) {
                result = DeliveryResult.delivered(null);
            }
        } catch (DeliveryFailure f) {
            failure = f;
        } catch (RuntimeException e) {
            LOG.warn("Delivery of exchange {} ({}) failed unexpectedly: {}", id, flow.key(), Redaction.describe(e));
            failure = DeliveryFailure.temporary("unexpected error in the delivery: " + Redaction.describe(e));
        } finally {
            call.exit();
        }
        if (failure == null) {
            finish(flow, r, ref, false, result.ignored() ? ExchangeState.IGNORED : ExchangeState.DELIVERED,
                    result.detail());
        } else if (failure.isPermanent()) {
            finish(flow, r, ref, true, ExchangeState.QUARANTINED, "rejected by " + flow.key() + ": " + failure.getMessage());
        } else {
            failed(flow, r, ref, thisAttempt, failure);
        }
    }

    private void failed(Flow flow, ExchangeRecord r, Journal.Ref ref, int attempt, DeliveryFailure failure) {
        RetryPolicy policy = flow.retry();
        if (attempt >= policy.maxAttempts()) {
            LOG.warn("Exchange {} quarantined after {} attempts: {}", r.id(), attempt, failure.getMessage());
            finish(flow, r, ref, true, ExchangeState.QUARANTINED, "delivery to " + flow.key() + " failed " + attempt
                    + " times; last error: " + failure.getMessage());
            return;
        }
        long delay = policy.delayBeforeRetry(attempt);
        delay = Math.max(delay, failure.retryAfter().map(Duration::toMillis).orElse(0L));
        Instant due = clock.instant().plusMillis(delay);
        String reason = "attempt " + attempt + " failed: " + failure.getMessage() + "; next attempt in "
                + describe(delay);
        journal.transaction(() -> {
            journal.transition(ref, ExchangeState.FAILED, reason, ACTOR);
            dispatcher.schedule(r.id(), flow.queue(), r.orderingKey(), attempt + 1, due);
            if (r.orderingKey() != null) {
                holds.hold(flow.key(), r.orderingKey(), r.id());
            }
        });
    }

    /** Not tried now (the partner's circuit is open, or no capacity): again later, no attempt counted. */
    private void defer(Flow flow, ExchangeRecord r, Duration wait) {
        journal.transaction(() -> {
            dispatcher.schedule(r.id(), flow.queue(), r.orderingKey(), r.attempts() + 1, clock.instant().plus(wait));
            if (r.orderingKey() != null) {
                holds.hold(flow.key(), r.orderingKey(), r.id());
            }
        });
    }

    /** A final outcome; a key this exchange held passes to the next message waiting for it. */
    private void finish(Flow flow, ExchangeRecord r, Journal.Ref ref, boolean attemptFailed, ExchangeState state,
            String detail) {
        // committed with other consumers' outcomes (one commit for many); the broker message is acknowledged after
        outcomes.run(() -> {
            journal.transition(ref, state, detail, ACTOR, attemptFailed);
            if (r.orderingKey() != null) {
                holds.release(flow.key(), r.orderingKey(), r.id()).ifPresent(next -> {
                    ExchangeRecord n = journal.record(next.exchangeId()).orElseThrow();
                    journal.transition(Journal.Ref.of(n), ExchangeState.QUEUED, "released: exchange " + r.id()
                            + " ahead of it is " + state, ACTOR);
                    dispatcher.schedule(n.id(), next.queue(), n.orderingKey(), n.attempts() + 1, clock.instant());
                });
            }
        });
    }

    private static String describe(long millis) {
        return millis < 1000 ? millis + " ms" : millis < 120_000 ? (millis / 1000) + " s" : (millis / 60_000) + " min";
    }

    /** The message as the handler sees it. */
    private final class View implements Delivery {
        private final ExchangeRecord r;
        private final int attempt;
        private final byte[] inlineSealed;

        View(ExchangeRecord r, int attempt, byte[] inlineSealed) {
            this.r = r;
            this.attempt = attempt;
            this.inlineSealed = inlineSealed;
        }

        @Override
        public String exchangeId() {
            return r.id();
        }

        @Override
        public String correlationId() {
            return r.correlationId();
        }

        @Override
        public String partner() {
            return r.partner();
        }

        @Override
        public String flow() {
            return r.flow();
        }

        @Override
        public String contentType() {
            return r.contentType();
        }

        @Override
        public String partnerMessageId() {
            return r.partnerMessageId();
        }

        @Override
        public String orderingKey() {
            return r.orderingKey();
        }

        @Override
        public String sender() {
            return r.sender();
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public long size() {
            return r.size();
        }

        @Override
        public InputStream openPayload() throws IOException {
            return store.open(r.id(), inlineSealed);
        }
    }
}
