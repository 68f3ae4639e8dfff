package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Test;

import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.IngestResult.Outcome;
import fr.aisne.hub.api.JsonWellFormed;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;

/** The write path: one transaction per accepted message, what a refusal withdraws, duplicates, replay. */
public class IntakeServiceTest extends CoreFixtureCase {
    private final Flow relay = Flow.outbound("echo", "relay").validator(new JsonWellFormed()).deliverTo("mock:x");

    @Test
    public void anAcceptedMessageIsJournaledStoredKeyedAndSentInOneGo() throws Exception {
        IngestResult r = f.accept(relay, "{\"a\":1}", "m-1", null);
        assertEquals(Outcome.QUEUED, r.outcome());
        ExchangeRecord rec = f.record(r.exchangeId());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.VALIDATED, ExchangeState.QUEUED),
                f.history(r.exchangeId()));
        assertEquals(ExchangeState.QUEUED, rec.state());
        assertEquals("m-1", rec.partnerMessageId());
        assertEquals(7, rec.size());
        assertTrue(rec.hasPayload());
        assertEquals("the broker got the claim check at once", 1, f.broker.sent.size());
        assertEquals("hub.out.echo.relay", f.broker.last().queue());
        assertEquals(1, f.broker.last().attempt());
        try (var in = f.store.open(r.exchangeId())) {
            assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertEquals("counted once committed", 1, f.metrics.count("echo", "relay", Direction.OUTBOUND, ExchangeState.QUEUED));
        assertEquals("a first send leaves no row: the journal's QUEUED is its record", 0, f.dispatcher.pending());
        assertEquals("its duplicate-detection id is the exchange id", r.exchangeId(), f.broker.last().dispatchId());
    }

    /** The CAF file's shape: a flow that validates in its handler is not journaled VALIDATED at intake. */
    @Test
    public void aFlowValidatingInItsHandlerIsNotJournaledValidatedAtIntake() throws Exception {
        Flow validatesWhenDelivered = Flow.inbound("caf", "file")
                .deliverTo(d -> fr.aisne.hub.api.DeliveryResult.delivered("ok"));
        IngestResult r = f.accept(validatesWhenDelivered, "<not yet read/>", null, null);
        assertEquals(Outcome.QUEUED, r.outcome());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUEUED), f.history(r.exchangeId()));
    }

    @Test
    public void aSmallPayloadIsKeptSealedInTheDatabaseAndALargeOneInAnOwnerOnlySealedFile() throws Exception {
        String small = "{\"nir\":\"1850578006084\"}";
        IngestResult s = f.accept(relay, small, null, null);
        byte[] sealed = f.jdbc.one("SELECT payload FROM hub_exchange WHERE id = ?", rs -> rs.getBytes(1),
                s.exchangeId()).orElseThrow();
        assertFalse("encrypted at rest", new String(sealed, StandardCharsets.ISO_8859_1).contains("1850578006084"));

        String large = "{\"text\":\"" + "x".repeat(100_000) + "\"}";
        Flow big = Flow.outbound("echo", "big").maxPayloadBytes(1 << 20).deliverTo("mock:x");
        IngestResult l = f.accept(big, large, null, null);
        assertEquals(Outcome.QUEUED, l.outcome());
        Path file;
        try (Stream<Path> files = Files.walk(f.store.root())) {
            file = files.filter(p -> p.getFileName().toString().equals(l.exchangeId())).findFirst().orElseThrow();
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("xxxxxxxx"));
        try (var in = f.store.open(l.exchangeId())) {
            assertEquals(large, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void duplicatesGoByMessageIdWhenThePartnerGivesOneAndByDigestOnlyOtherwise() throws Exception {
        IngestResult first = f.accept(relay, "{\"parcours\":\"PSP\"}", "a1", null);
        IngestResult sameId = f.accept(relay, "{\"parcours\":\"PSO\"}", "a1", null);
        assertEquals(Outcome.DUPLICATE, sameId.outcome());
        assertEquals(first.exchangeId(), sameId.duplicateOf());
        assertEquals("a duplicate's copy is not kept", false, f.record(sameId.exchangeId()).hasPayload());
        assertEquals("same body, new message id: a new message (PSP, PSO, then PSP again)", Outcome.QUEUED,
                f.accept(relay, "{\"parcours\":\"PSP\"}", "a2", null).outcome());

        IngestResult noId = f.accept(relay, "{\"b\":2}", null, null);
        assertEquals(Outcome.QUEUED, noId.outcome());
        assertEquals(Outcome.DUPLICATE, f.accept(relay, "{\"b\":2}", null, null).outcome());

        Flow everyTime = Flow.outbound("echo", "always").duplicates(Duplicates.NONE).deliverTo("mock:x");
        assertEquals(Outcome.QUEUED, f.accept(everyTime, "{\"c\":3}", "x", null).outcome());
        assertEquals(Outcome.QUEUED, f.accept(everyTime, "{\"c\":3}", "x", null).outcome());
        Flow idOnly = Flow.outbound("echo", "ids").duplicates(Duplicates.MESSAGE_ID).deliverTo("mock:x");
        assertEquals(Outcome.QUEUED, f.accept(idOnly, "{\"c\":3}", null, null).outcome());
        assertEquals(Outcome.QUEUED, f.accept(idOnly, "{\"c\":3}", null, null).outcome());
    }

    @Test
    public void anInvalidMessageIsQuarantinedWithItsRuleAndLeavesNoKeySoItsCorrectionPasses() throws Exception {
        IngestResult bad = f.accept(relay, "{\"a\":", "m-9", null);
        assertEquals(Outcome.INVALID, bad.outcome());
        assertTrue(bad.reason(), bad.reason().startsWith("rejected by flow echo/relay: line 1, column"));
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUARANTINED), f.history(bad.exchangeId()));
        assertTrue("kept for replay", f.record(bad.exchangeId()).hasPayload());
        assertEquals(0, f.broker.sent.size());
        assertEquals(Outcome.QUEUED, f.accept(relay, "{\"a\":1}", "m-9", null).outcome());
    }

    @Test
    public void aTooLargeMessageIsRefusedNamingTheLimitAndNothingIsKept() throws Exception {
        Flow tiny = Flow.outbound("echo", "tiny").maxPayloadBytes(10).deliverTo("mock:x");
        IngestResult r = f.accept(tiny, "{\"a\":\"0123456789\"}", null, null);
        assertEquals(Outcome.TOO_LARGE, r.outcome());
        assertTrue(r.reason(), r.reason().contains("10 bytes"));
        assertFalse(f.record(r.exchangeId()).hasPayload());
        assertFalse(f.store.exists(r.exchangeId()));
        Flow small = Flow.outbound("echo", "small").maxPayloadBytes(50_000).deliverTo("mock:x");
        IngestResult big = f.accept(small, "x".repeat(60_000), null, null);
        assertEquals(Outcome.TOO_LARGE, big.outcome());
        try (Stream<Path> files = Files.walk(f.store.root())) {
            assertEquals("no .part left behind", List.of(), files.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    public void whenTheBrokerRefusesAnHttpSenderIsToldToComeBackAndItsRetryIsAFirstReceipt() throws Exception {
        f.broker.refusing = true;
        IngestResult r = f.acceptOverHttp(relay, "{\"a\":1}", "m-5");
        assertEquals(Outcome.UNAVAILABLE, r.outcome());
        assertEquals(503, r.outcome().httpStatus());
        assertTrue(r.retryAfterSeconds() > 0);
        assertEquals(ExchangeState.REFUSED, f.state(r.exchangeId()));
        assertTrue(f.record(r.exchangeId()).lastReason(), f.record(r.exchangeId()).lastReason().contains("retry is a new exchange"));
        assertEquals("nothing left to send", 0, f.dispatcher.pending());
        assertFalse(f.store.exists(r.exchangeId()));

        f.broker.refusing = false;
        IngestResult retry = f.acceptOverHttp(relay, "{\"a\":1}", "m-5");
        assertEquals("not a duplicate of the refused one", Outcome.QUEUED, retry.outcome());
        assertEquals(1, f.broker.sent.size());
    }

    /** A send that timed out although the broker kept the message, and a consumer delivered it meanwhile. */
    @Test
    public void aFailedSendWhoseMessageWasDeliveredAllTheSameIsAnsweredAcceptedNot503() throws Exception {
        List<String> partner = consumerDeliversWhileTheSendTimesOut(relay);
        IngestResult r = f.acceptOverHttp(relay, "{\"a\":1}", "m-20");
        f.broker.refusing = false;
        assertEquals("the partner has it: the sender must not send it again", Outcome.QUEUED, r.outcome());
        assertEquals(ExchangeState.DELIVERED, f.state(r.exchangeId()));
        assertEquals(List.of(r.exchangeId()), partner);
        assertEquals("so its retry is a duplicate, never a second delivery", Outcome.DUPLICATE,
                f.acceptOverHttp(relay, "{\"a\":1}", "m-20").outcome());
    }

    /**
     * The next send reaches the broker but reports a failure, and meanwhile a consumer takes the copy and delivers
     * it to a partner that records what it gets (returned).
     */
    private List<String> consumerDeliversWhileTheSendTimesOut(Flow flow) {
        List<String> partner = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.broker.refusing = true;
        f.broker.whileRefusing = id -> f.deliveries.onMessage(flow, d -> {
            partner.add(id);
            return fr.aisne.hub.api.DeliveryResult.delivered("ok");
        }, id, 1, 1);
        return partner;
    }

    /** The same, with the delivery still under way when the send gives up. */
    @Test
    public void aFailedSendWhoseMessageIsBeingDeliveredIsAnsweredAccepted() throws Exception {
        java.util.concurrent.CountDownLatch inPartner = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch partnerAnswers = new java.util.concurrent.CountDownLatch(1);
        Thread[] consumer = {null};
        f.broker.refusing = true;
        f.broker.whileRefusing = id -> {
            consumer[0] = new Thread(() -> f.deliveries.onMessage(relay, d -> {
                inPartner.countDown();
                try {
                    partnerAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return fr.aisne.hub.api.DeliveryResult.delivered("ok");
            }, id, 1, 1));
            consumer[0].start();
            try {
                assertTrue(inPartner.await(10, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        IngestResult r = f.acceptOverHttp(relay, "{\"a\":1}", "m-21");
        f.broker.refusing = false;
        assertEquals(Outcome.QUEUED, r.outcome());
        assertTrue("its payload is kept for the delivery", f.store.exists(r.exchangeId()));
        partnerAnswers.countDown();
        consumer[0].join(10_000);
        assertFalse(consumer[0].isAlive());
        assertEquals(ExchangeState.DELIVERED, f.state(r.exchangeId()));
    }

    /**
     * A consumer got the copy during the send's timeout but could not deliver it yet (its partner's circuit is open):
     * the exchange stays QUEUED with a send scheduled and its key held. Withdrawn, its key would stay held forever
     * and its later messages wait behind it; so it is not withdrawn, and the sender is answered 202.
     */
    @Test
    public void aFailedSendWhoseMessageAConsumerDeferredIsAnsweredAccepted() throws Exception {
        Flow keyed = Flow.outbound("echo", "keyed").orderingKey(OrderingKey.FROM_METADATA).guardedBy(f.openCircuit())
                .deliverTo("mock:x");
        List<String> partner = consumerDeliversWhileTheSendTimesOut(keyed);
        f.installed = java.util.Optional.of(keyed);
        IngestResult r = f.intake.acceptOverHttp(keyed, new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(null, "m-23", "application/json", "test", "person-1"));
        f.broker.refusing = false;
        assertEquals(Outcome.QUEUED, r.outcome());
        assertEquals("deferred, not delivered", List.of(), partner);
        assertEquals(ExchangeState.QUEUED, f.state(r.exchangeId()));
        assertTrue("its send is scheduled", f.dispatcher.scheduled(r.exchangeId()));
        assertEquals(java.util.Optional.of(r.exchangeId()), f.holds.holder(keyed.key(), "person-1"));
    }

    /**
     * The broker kept the message of a send answered 503: the copy that reaches a consumer later is dropped (REFUSED
     * is final; this held before the withdrawal was guarded too, and is kept as a guard).
     */
    @Test
    public void aCopyOfAWithdrawnExchangeReachingAConsumerIsNotDelivered() throws Exception {
        f.broker.refusing = true;
        IngestResult r = f.acceptOverHttp(relay, "{\"a\":1}", "m-22");
        f.broker.refusing = false;
        assertEquals(Outcome.UNAVAILABLE, r.outcome());
        List<String> partner = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.deliveries.onMessage(relay, d -> {
            partner.add(d.exchangeId());
            return fr.aisne.hub.api.DeliveryResult.delivered("ok");
        }, r.exchangeId(), 1, 1);
        assertEquals("the sender's retry will be the one delivered", List.of(), partner);
        assertEquals(ExchangeState.REFUSED, f.state(r.exchangeId()));
        assertEquals(1, f.deliveries.copiesDropped());
    }

    @Test
    public void whatAConnectorHandsOverIsKeptUntilTheBrokerTakesIt() throws Exception {
        f.broker.refusing = true;
        IngestResult r = f.accept(relay, "{\"a\":1}", "m-7", null);
        assertEquals("taken: the dispatcher owes it to the broker", Outcome.QUEUED, r.outcome());
        assertEquals(1, f.dispatcher.pending());
        f.later(java.time.Duration.ofSeconds(30));
        assertEquals("still refused: still waiting", 1, f.dispatcher.pending());
        f.broker.refusing = false;
        f.later(java.time.Duration.ofSeconds(1));
        assertEquals(1, f.broker.sent.size());
        assertEquals(r.exchangeId(), f.broker.last().exchangeId());
        assertEquals(0, f.dispatcher.pending());
        assertEquals("the sender's retry is a duplicate: it was taken", Outcome.DUPLICATE,
                f.accept(relay, "{\"a\":1}", "m-7", null).outcome());
    }

    @Test
    public void aRequeueWhoseQueryFailedIsTriedAgainAtTheFlowsNextInstall() throws Exception {
        f.broker.refusing = true;
        IngestResult r = f.accept(relay, "{\"a\":1}", "m-9", null);
        f.broker.refusing = false;
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        javax.sql.DataSource real = f.db.database().dataSource();
        javax.sql.DataSource flaky = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (down.get() && method.getName().equals("getConnection")) {
                        throw new java.sql.SQLException("database unavailable");
                    }
                    return method.invoke(real, args);
                });
        Dispatcher restarted = new Dispatcher(new fr.aisne.hub.api.Jdbc(flaky), f.broker, f.clock);
        try {
            restarted.requeue("echo/relay", relay.queue());
            throw new AssertionError("the query should have failed");
        } catch (RuntimeException expected) {
            // the connector manager logs it; the flow is not counted as requeued
        }
        down.set(false);
        assertEquals("the next install of the flow sends it", 1, restarted.requeue("echo/relay", relay.queue()));
        assertEquals(r.exchangeId(), f.broker.last().exchangeId());
        restarted.close();
    }

    @Test
    public void whatAKilledHubJournaledButDidNotSendIsSentAgainWhenItsFlowStartsAndOnlyThen() throws Exception {
        f.broker.refusing = true;
        IngestResult r = f.accept(relay, "{\"a\":1}", "m-8", null);
        // the hub dies here: its in-memory retry is lost; a new run finds the exchange journaled QUEUED
        Dispatcher restarted = new Dispatcher(f.jdbc, f.broker, f.clock);
        f.broker.refusing = false;
        assertEquals(1, restarted.requeue("echo/relay", relay.queue()));
        assertEquals(r.exchangeId(), f.broker.last().exchangeId());
        assertEquals("same duplicate-detection id as the first try", r.exchangeId(), f.broker.last().dispatchId());
        assertEquals("once per flow and run", 0, restarted.requeue("echo/relay", relay.queue()));
        f.deliveries.onMessage(relay, d -> fr.aisne.hub.api.DeliveryResult.delivered("ok"), r.exchangeId(), 1, 1);
        Dispatcher again = new Dispatcher(f.jdbc, f.broker, f.clock);
        assertEquals("a delivered exchange is not sent again", 0, again.requeue("echo/relay", relay.queue()));
        restarted.close();
        again.close();
    }

    @Test
    public void aNearlyFullDiskRefusesWith507AndKeepsNothing() throws Exception {
        f.close();
        f = new CoreFixture(tmp.newFolder("full"), Long.MAX_VALUE);
        IngestResult r = f.accept(relay, "{\"a\":1}", "m-1", null);
        assertEquals(Outcome.NO_SPACE, r.outcome());
        assertEquals(507, r.outcome().httpStatus());
        assertNull(r.exchangeId());
        assertTrue(r.reason(), r.reason().contains("disk is nearly full"));
    }

    @Test
    public void theOrderingKeyIsComputedOnceAndJournaled() throws Exception {
        Flow keyed = Flow.outbound("echo", "keyed").orderingKey(OrderingKey.jsonField("personId")).deliverTo("mock:x");
        IngestResult r = f.accept(keyed, "{\"x\":{\"personId\":\"nested\"},\"personId\":\"p-1\"}", null, null);
        assertEquals("p-1", f.record(r.exchangeId()).orderingKey());
        assertEquals("p-1", f.broker.last().orderingKey());
        IngestResult given = f.accept(keyed, "{\"personId\":\"p-1\"}", null, "from-header");
        assertEquals("from-header", f.record(given.exchangeId()).orderingKey());
        IngestResult none = f.accept(keyed, "{\"other\":1}", null, null);
        assertNull(f.record(none.exchangeId()).orderingKey());
    }

    @Test
    public void aRefusedFileIsJournaledWithItsDigestAndWithoutItsContent() throws Exception {
        Path file = tmp.newFile("x.pgp").toPath();
        Files.write(file, new byte[] {1, 2, 3});
        Flow caf = Flow.inbound("caf", "flux-rsa").deliverTo("mock:x");
        IngestResult r = f.intake.refuse(caf, file, new InboundMetadata("x.pgp", null, "application/pgp-encrypted",
                "caf-inbox"), "signed by another key");
        assertEquals(Outcome.INVALID, r.outcome());
        ExchangeRecord rec = f.record(r.exchangeId());
        assertEquals(ExchangeState.QUARANTINED, rec.state());
        assertEquals(3, rec.size());
        assertEquals(fr.aisne.hub.core.util.Digests.sha256Hex(new byte[] {1, 2, 3}), rec.sha256());
        assertFalse(rec.hasPayload());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.intake.replay(r.exchangeId(), "op"));
        assertTrue(e.getMessage(), e.getMessage().contains("no stored payload"));
    }

    @Test
    public void aQuarantinedMessageIsReplayedWithTheConnectorsCurrentValidator() throws Exception {
        IngestResult bad = f.accept(relay, "[1,2,3]", null, null);
        assertEquals(Outcome.QUEUED, bad.outcome());
        // delivered then refused for good by the partner: quarantined
        f.deliveries.onMessage(relay, d -> {
            throw fr.aisne.hub.api.DeliveryFailure.permanent("partner answered HTTP 422");
        }, bad.exchangeId(), 1, 1);
        assertEquals(ExchangeState.QUARANTINED, f.state(bad.exchangeId()));
        int sent = f.broker.sent.size();
        ExchangeRecord replayed = f.intake.replay(bad.exchangeId(), "manager-1");
        assertEquals(ExchangeState.QUEUED, replayed.state());
        assertEquals(0, replayed.attempts());
        assertTrue(replayed.history().stream().anyMatch(c -> c.state() == ExchangeState.REPLAYED
                && "manager-1".equals(c.actor())));
        assertEquals(sent + 1, f.broker.sent.size());
        assertEquals("a new dispatch id: the broker does not drop it as a duplicate",
                true, !f.broker.sent.get(sent).dispatchId().equals(f.broker.sent.get(0).dispatchId()));
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> f.intake.replay(bad.exchangeId(), "op"));
        assertTrue(twice.getMessage(), twice.getMessage().contains("only QUARANTINED or FAILED"));
    }

    @Test
    public void aRefusedOrUnreadableBodyNeverEchoesItsValue() throws Exception {
        IngestResult bad = f.accept(relay, "{\"nir\": 1850578006084 x}", null, null);
        assertFalse(bad.reason(), bad.reason().contains("1850578006084"));
        assertFalse(f.record(bad.exchangeId()).lastReason().contains("1850578006084"));
    }

    static ByteArrayInputStream utf8(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
