package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.operations.ExchangeState;

/**
 * The delivery side: outcomes journaled in one transaction each, retries scheduled (never waited for), order
 * kept per key across retries while other keys go on, stale copies and poison messages.
 */
public class DeliveryServiceTest extends CoreFixtureCase {
    private final RetryPolicy retry = new RetryPolicy(4, 1_000, 2.0, 60_000);
    private final Flow keyed = Flow.outbound("echo", "keyed").retry(retry).orderingKey(OrderingKey.FROM_METADATA)
            .concurrency(8).deliverTo("mock:x");
    /** The partner: fails the bodies it is told to, records what it got, in order. */
    private final List<String> delivered = new ArrayList<>();
    private final List<String> failing = new ArrayList<>();
    private final DeliveryHandler partner = d -> {
        String body;
        try {
            body = d.payloadText();
        } catch (java.io.IOException e) {
            throw DeliveryFailure.temporary("unreadable");
        }
        if (failing.contains(body)) {
            throw DeliveryFailure.temporary("partner answered HTTP 503");
        }
        delivered.add(body);
        return DeliveryResult.delivered("partner answered HTTP 200");
    };

    private String send(String body, String key) throws Exception {
        return f.accept(keyed, body, null, key).exchangeId();
    }

    @Test
    public void aDeliveryIsJournaledWithWhatThePartnerSaid() throws Exception {
        String id = send("\"a\"", null);
        f.consume(keyed, partner, id);
        assertEquals(ExchangeState.DELIVERED, f.state(id));
        assertEquals("partner answered HTTP 200", f.record(id).lastReason());
        assertEquals(List.of("\"a\""), delivered);
        f.consume(keyed, partner, id);
        assertEquals("a redelivered copy is dropped", List.of("\"a\""), delivered);
    }

    @Test
    public void aTemporaryFailureIsRescheduledWithTheBackoffAndNeverWaitedFor() throws Exception {
        failing.add("\"a\"");
        String id = send("\"a\"", null);
        long t0 = System.nanoTime();
        f.consume(keyed, partner, id);
        assertTrue("the consumer thread is given back at once", (System.nanoTime() - t0) < 2_000_000_000L);
        assertEquals(ExchangeState.FAILED, f.state(id));
        assertTrue(f.record(id).lastReason(), f.record(id).lastReason().startsWith("attempt 1 failed: partner answered "
                + "HTTP 503; next attempt in 1 s"));
        assertEquals(CoreFixture.T0.plusSeconds(1), f.due(id));
        int sent = f.broker.sent.size();
        f.later(Duration.ofMillis(500));
        assertEquals("not due yet", sent, f.broker.sent.size());
        f.later(Duration.ofMillis(600));
        assertEquals(2, f.broker.last().attempt());
        f.consume(keyed, partner, id);
        assertTrue(f.record(id).lastReason(), f.record(id).lastReason().contains("next attempt in 2 s"));
        f.later(Duration.ofSeconds(2));
        f.consume(keyed, partner, id);
        f.later(Duration.ofSeconds(4));
        f.consume(keyed, partner, id);
        assertEquals("after retry.maxAttempts deliveries: quarantined", ExchangeState.QUARANTINED, f.state(id));
        assertTrue(f.record(id).lastReason(), f.record(id).lastReason().startsWith("delivery to echo/keyed failed 4 times"));
        assertEquals("every failed attempt counted, the last one too", 4, f.record(id).attempts());
    }

    @Test
    public void aPartnersRetryAfterIsHonoured() throws Exception {
        String id = send("\"a\"", null);
        f.deliveries.onMessage(keyed, d -> {
            throw DeliveryFailure.temporary("partner answered HTTP 429", Duration.ofSeconds(90));
        }, id, 1, 1);
        assertEquals(CoreFixture.T0.plusSeconds(90), f.due(id));
    }

    @Test
    public void aPermanentFailureIsQuarantinedAtOnce() throws Exception {
        String id = send("\"a\"", null);
        f.deliveries.onMessage(keyed, d -> {
            throw DeliveryFailure.permanent("partner answered HTTP 422");
        }, id, 1, 1);
        assertEquals(ExchangeState.QUARANTINED, f.state(id));
        assertEquals("rejected by echo/keyed: partner answered HTTP 422", f.record(id).lastReason());
        int sent = f.broker.sent.size();
        f.later(Duration.ofHours(1));
        assertEquals("nothing rescheduled", sent, f.broker.sent.size());
    }

    @Test
    public void aFailingKeyHoldsOnlyItsOwnMessagesWhichFollowInOrder() throws Exception {
        failing.add("\"A1\"");
        String a1 = send("\"A1\"", "A");
        String a2 = send("\"A2\"", "A");
        String b1 = send("\"B1\"", "B");
        String a3 = send("\"A3\"", "A");
        f.consume(keyed, partner, a1);
        assertEquals(ExchangeState.FAILED, f.state(a1));
        f.consume(keyed, partner, a2);
        assertEquals("A2 waits behind A1", ExchangeState.HELD, f.state(a2));
        assertTrue(f.record(a2).lastReason(), f.record(a2).lastReason().contains("waiting behind exchange " + a1));
        f.consume(keyed, partner, b1);
        assertEquals("B goes on meanwhile", ExchangeState.DELIVERED, f.state(b1));
        f.consume(keyed, partner, a3);
        assertEquals(ExchangeState.HELD, f.state(a3));

        // A1's retry succeeds: A2 then A3 are released one after the other, in their order
        failing.clear();
        f.later(Duration.ofSeconds(1));
        f.consume(keyed, partner, a1);
        assertEquals(ExchangeState.DELIVERED, f.state(a1));
        assertEquals(ExchangeState.QUEUED, f.state(a2));
        assertEquals(ExchangeState.HELD, f.state(a3));
        f.later(Duration.ZERO);
        f.consume(keyed, partner, a2);
        f.later(Duration.ZERO);
        f.consume(keyed, partner, a3);
        assertEquals(List.of("\"B1\"", "\"A1\"", "\"A2\"", "\"A3\""), delivered);
        assertEquals("the key is free again", 0, f.holds.held());
        assertEquals(0, f.holds.parked());
        String a4 = send("\"A4\"", "A");
        f.consume(keyed, partner, a4);
        assertEquals(ExchangeState.DELIVERED, f.state(a4));
    }

    @Test
    public void aQuarantinedHolderPassesItsKeyToTheNextMessage() throws Exception {
        String a1 = send("\"A1\"", "A");
        String a2 = send("\"A2\"", "A");
        failing.add("\"A1\"");
        f.consume(keyed, partner, a1);
        f.consume(keyed, partner, a2);
        f.later(Duration.ofSeconds(1));
        f.deliveries.onMessage(keyed, d -> {
            throw DeliveryFailure.permanent("refused for this person");
        }, a1, 2, 1);
        assertEquals(ExchangeState.QUARANTINED, f.state(a1));
        f.later(Duration.ZERO);
        f.consume(keyed, partner, a2);
        assertEquals(ExchangeState.DELIVERED, f.state(a2));
    }

    @Test
    public void staleCopiesAreDropped() throws Exception {
        failing.add("\"a\"");
        String id = send("\"a\"", null);
        f.consume(keyed, partner, id);
        int before = f.history(id).size();
        // the first attempt's copy again (a broker redelivery after a crash): attempt 1 is over
        f.deliveries.onMessage(keyed, partner, id, 1, 2);
        assertEquals(before, f.history(id).size());
        assertEquals("counted (hub_delivery_copies_dropped_total)", 1, f.deliveries.copiesDropped());
    }

    @Test
    public void aMessageTheHubKeepsFailingOnIsQuarantinedAsPoison() throws Exception {
        String id = send("\"a\"", null);
        f.deliveries.onMessage(keyed, partner, id, 1, 4);
        assertEquals(ExchangeState.QUARANTINED, f.state(id));
        assertTrue(f.record(id).lastReason(), f.record(id).lastReason().startsWith("handed back by the broker 4 times"));
        assertTrue(delivered.isEmpty());
    }

    @Test
    public void aBugInAHandlerGetsTheRetryBudgetThenQuarantine() throws Exception {
        String id = send("\"a\"", null);
        f.deliveries.onMessage(keyed, d -> {
            throw new NullPointerException("oops");
        }, id, 1, 1);
        assertEquals(ExchangeState.FAILED, f.state(id));
        assertTrue(f.record(id).lastReason(), f.record(id).lastReason().contains("unexpected error in the delivery: "
                + "NullPointerException"));
    }

    @Test
    public void twoCopiesOfOneExchangeAtOnceAreDeliveredOnce() throws Exception {
        String id = send("\"a\"", null);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        DeliveryHandler slow = d -> {
            calls.incrementAndGet();
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DeliveryResult.delivered("ok");
        };
        Thread t = new Thread(() -> f.deliveries.onMessage(keyed, slow, id, 1, 1));
        t.start();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        f.deliveries.onMessage(keyed, slow, id, 1, 1); // the second copy, meanwhile
        release.countDown();
        t.join(5000);
        assertEquals(1, calls.get());
        assertEquals(ExchangeState.DELIVERED, f.state(id));
        assertEquals(1, f.deliveries.copiesDropped());
        f.deliveries.onMessage(keyed, slow, id, 1, 1); // and a copy after the delivery
        assertEquals(1, calls.get());
        assertEquals(2, f.deliveries.copiesDropped());
    }

    /** The intake decides not to withdraw (a consumer had acted on it): the copy that waited is delivered. */
    @Test
    public void aCopyArrivingDuringAWithdrawalWaitsForItAndIsDeliveredIfItDidNotHappen() throws Exception {
        String id = copyDuringWithdrawal(id1 -> assertTrue("not delivered during the withdrawal", delivered.isEmpty()));
        assertEquals(List.of("\"w\""), delivered);
        assertEquals(ExchangeState.DELIVERED, f.state(id));
        assertEquals("not a copy: it waited", 0, f.deliveries.copiesDropped());
    }

    /** The intake withdraws it (REFUSED): the copy that waited is dropped. */
    @Test
    public void aCopyArrivingDuringAWithdrawalThatHappensIsDropped() throws Exception {
        copyDuringWithdrawal(id -> f.journal.transition(id, ExchangeState.REFUSED, "withdrawn (test)", "hub"));
        assertTrue(delivered.isEmpty());
        assertEquals(1, f.deliveries.copiesDropped());
    }

    @Test
    public void noWithdrawalWhileADeliveryIsUnderWay() throws Exception {
        String id = send("\"u\"", null);
        CountDownLatch inPartner = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        Thread consumer = new Thread(() -> f.deliveries.onMessage(keyed, d -> {
            inPartner.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DeliveryResult.delivered("ok");
        }, id, 1, 1));
        consumer.start();
        assertTrue(inPartner.await(10, TimeUnit.SECONDS));
        AtomicInteger ran = new AtomicInteger();
        assertFalse(f.deliveries.withoutDelivery(id, () -> ran.incrementAndGet() > 0));
        assertEquals(0, ran.get());
        answer.countDown();
        consumer.join(10_000);
        assertEquals(ExchangeState.DELIVERED, f.state(id));
    }

    /**
     * A message accepted, then a withdrawal of it during which a consumer gets its copy and {@code whileWaiting} runs
     * (once the consumer waits); returns its id once the consumer is done.
     */
    private String copyDuringWithdrawal(java.util.function.Consumer<String> whileWaiting) throws Exception {
        String id = send("\"w\"", null);
        Thread consumer = new Thread(() -> f.deliveries.onMessage(keyed, partner, id, 1, 1));
        assertTrue(f.deliveries.withoutDelivery(id, () -> {
            consumer.start();
            awaitWaiting(consumer);
            whileWaiting.accept(id);
            return true;
        }));
        consumer.join(10_000);
        assertFalse(consumer.isAlive());
        return id;
    }

    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the consumer never waited: " + t.getState());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    public void anOpenCircuitDefersWithoutSpendingAnAttempt() throws Exception {
        var guard = f.openCircuit();
        assertTrue(guard.open());
        Flow guarded = Flow.outbound("echo", "guarded").retry(retry).guardedBy(guard).deliverTo("mock:x");
        String id = f.accept(guarded, "\"g\"", null, null).exchangeId();
        f.consume(guarded, partner, id);
        assertEquals("not tried: still queued", ExchangeState.QUEUED, f.state(id));
        assertEquals(0, f.record(id).attempts());
        assertTrue(delivered.isEmpty());
        assertFalse("rescheduled", f.due(id).isBefore(CoreFixture.T0.plusSeconds(1)));
    }

    @Test
    public void aFailedMessageCanBeRetriedNowByAnOperator() throws Exception {
        failing.add("\"a\"");
        String id = send("\"a\"", null);
        f.consume(keyed, partner, id);
        assertEquals(CoreFixture.T0.plusSeconds(1), f.due(id));
        f.clock.advance(Duration.ofMillis(100));
        f.intake.replay(id, "manager-1");
        assertEquals(CoreFixture.T0.plusMillis(100), f.due(id));
        assertEquals(ExchangeState.REPLAYED, f.state(id));
        failing.clear();
        f.later(Duration.ZERO);
        f.consume(keyed, partner, id);
        assertEquals(ExchangeState.DELIVERED, f.state(id));
    }
}
