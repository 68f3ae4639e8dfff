package fr.aisne.hub.core.exchange;

import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.MutableClock;
import fr.aisne.hub.core.TestDatabases;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.core.idempotency.JdbcIdempotentRepository;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.journal.StateChange;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.store.PayloadStore;
import fr.aisne.hub.core.util.Digests;
import fr.aisne.hub.core.validation.JsonWellFormed;

public class ExchangeServiceTest {
    private static final String QUEUE_URI = "hubqueue:queue:hub.out.echo.relay";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static HubDatabase db;
    private static DefaultCamelContext camel;
    private static ProducerTemplate producer;
    private static ConsumerTemplate consumer;
    private static SedaEndpoint queue;

    private Journal journal;
    private PayloadStore store;
    private ExchangeService service;
    /** What the connector registry answers for echo/relay; tests swap it. */
    private final AtomicReference<Optional<Flow>> installed = new AtomicReference<>();
    private Flow strict;

    @BeforeClass
    public static void startCamel() throws Exception {
        db = TestDatabases.openMigrated(TMP.newFolder("db"));
        camel = new DefaultCamelContext();
        camel.addComponent("hubqueue", new SedaComponent());
        camel.start();
        producer = camel.createProducerTemplate();
        consumer = camel.createConsumerTemplate();
        queue = camel.getEndpoint(QUEUE_URI, SedaEndpoint.class);
    }

    @AfterClass
    public static void stopCamel() {
        if (camel != null) {
            camel.stop();
        }
        if (db != null) {
            db.close();
        }
    }

    @Before
    public void setUp() throws Exception {
        TestDatabases.truncate(db);
        queue.getQueue().clear();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-10T10:00:00Z"));
        journal = new Journal(db.dataSource(), new HubMetrics(), clock);
        store = new PayloadStore(TMP.newFolder().toPath());
        JdbcIdempotentRepository idempotency = new JdbcIdempotentRepository(db.dataSource(), "inbound",
                Duration.ofDays(7), clock);
        strict = Flow.outbound("echo", "relay").validator(new JsonWellFormed()).maxPayloadBytes(100);
        installed.set(Optional.of(strict));
        service = new ExchangeService(journal, store, idempotency, producer, "hubqueue",
                (partner, flow) -> "echo".equals(partner) && "relay".equals(flow) ? installed.get()
                        : Optional.empty());
    }

    private IngestResult accept(String payload, String partnerMessageId) throws IOException {
        return accept(strict, payload, partnerMessageId);
    }

    private IngestResult accept(Flow flow, String payload, String partnerMessageId) throws IOException {
        return service.accept(flow, new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata("corr-" + Math.abs(payload.hashCode()), partnerMessageId, "application/json",
                        "alice"));
    }

    private ExchangeRecord record(String id) {
        return journal.find(id).orElseThrow();
    }

    private static List<ExchangeState> states(ExchangeRecord r) {
        return r.history().stream().map(StateChange::state).collect(Collectors.toList());
    }

    @Test
    public void validJsonIsJournaledStoredAndQueuedWithItsIdOnly() throws Exception {
        String payload = "{\"dossier\":\"D-1\"}";
        IngestResult r = service.accept(strict, new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata("corr-1", "m-1", "application/json", "alice"));

        assertEquals(IngestResult.Outcome.QUEUED, r.outcome());
        assertEquals(202, r.outcome().httpStatus());
        assertNotNull(r.exchangeId());
        assertEquals("corr-1", r.correlationId());
        assertNull(r.reason());
        assertNull(r.duplicateOf());

        ExchangeRecord rec = record(r.exchangeId());
        assertEquals(ExchangeState.QUEUED, rec.state());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.VALIDATED, ExchangeState.QUEUED), states(rec));
        assertEquals("alice", rec.history().get(0).actor());
        assertEquals("hub", rec.history().get(2).actor());
        assertEquals(payload.length(), rec.size());
        assertEquals(Digests.sha256Hex(payload.getBytes(StandardCharsets.UTF_8)), rec.sha256());
        assertEquals("m-1", rec.partnerMessageId());
        assertEquals("corr-1", rec.correlationId());
        assertEquals("hub.out.echo.relay", rec.queue());
        assertTrue(rec.hasPayload());
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), store.read(r.exchangeId()));

        Exchange queued = consumer.receive(QUEUE_URI, 5000);
        assertNotNull("the exchange id must be on the queue", queued);
        assertEquals("the queue carries the id (claim check), not the payload", r.exchangeId(),
                queued.getMessage().getBody(String.class));
        assertEquals(r.exchangeId(), queued.getMessage().getHeader(ExchangeService.HEADER_EXCHANGE_ID));
        assertEquals("corr-1", queued.getMessage().getHeader(ExchangeService.HEADER_CORRELATION_ID));
        assertEquals(0, queue.getCurrentQueueSize());
    }

    @Test
    public void samePartnerMessageIdIsADuplicateOfTheFirstAndIsNotQueued() throws Exception {
        IngestResult first = accept("{\"n\":1}", "m-1");
        assertEquals(IngestResult.Outcome.QUEUED, first.outcome());
        assertEquals(1, queue.getCurrentQueueSize());

        IngestResult again = accept("{\"n\":2}", "m-1");
        assertEquals(IngestResult.Outcome.DUPLICATE, again.outcome());
        assertEquals(200, again.outcome().httpStatus());
        assertEquals(first.exchangeId(), again.duplicateOf());
        assertTrue(again.reason(), again.reason().contains(first.exchangeId()));
        assertFalse("the duplicate is journaled as an exchange of its own",
                first.exchangeId().equals(again.exchangeId()));
        ExchangeRecord dup = record(again.exchangeId());
        assertEquals(ExchangeState.DUPLICATE, dup.state());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.DUPLICATE), states(dup));
        assertEquals("nothing new queued", 1, queue.getCurrentQueueSize());
        assertEquals(ExchangeState.QUEUED, record(first.exchangeId()).state());
    }

    @Test
    public void samePayloadWithoutOrWithAnotherMessageIdIsADuplicate() throws Exception {
        IngestResult first = accept("{\"n\":1}", null);
        assertEquals(IngestResult.Outcome.QUEUED, first.outcome());

        IngestResult noId = accept("{\"n\":1}", null);
        assertEquals(IngestResult.Outcome.DUPLICATE, noId.outcome());
        assertEquals(first.exchangeId(), noId.duplicateOf());

        IngestResult otherId = accept("{\"n\":1}", "m-9");
        assertEquals(IngestResult.Outcome.DUPLICATE, otherId.outcome());
        assertEquals(first.exchangeId(), otherId.duplicateOf());

        assertEquals(IngestResult.Outcome.QUEUED, accept("{\"n\":2}", null).outcome());
        assertEquals(2, queue.getCurrentQueueSize());
    }

    @Test
    public void duplicatesAreCheckedPerFlow() throws Exception {
        Flow other = Flow.outbound("echo", "other").validator(new JsonWellFormed());
        assertEquals(IngestResult.Outcome.QUEUED, accept("{\"n\":1}", "m-1").outcome());
        assertEquals(IngestResult.Outcome.QUEUED, accept(other, "{\"n\":1}", "m-1").outcome());
    }

    @Test
    public void malformedJsonIsQuarantinedWithLineAndColumnAndItsKeysForgotten() throws Exception {
        IngestResult bad = accept("{\"dossier\":\n  \"D-1\",,}", "m-1");
        assertEquals(IngestResult.Outcome.INVALID, bad.outcome());
        assertEquals(422, bad.outcome().httpStatus());
        assertTrue(bad.reason(), bad.reason().contains("line 2, column"));
        assertTrue(bad.reason(), bad.reason().contains("echo/relay"));
        ExchangeRecord rec = record(bad.exchangeId());
        assertEquals(ExchangeState.QUARANTINED, rec.state());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUARANTINED), states(rec));
        assertTrue(rec.lastReason(), rec.lastReason().contains("line 2, column"));
        assertTrue("the payload is kept for replay", rec.hasPayload() && store.exists(bad.exchangeId()));
        assertEquals(0, queue.getCurrentQueueSize());

        // the same broken payload again is not a duplicate: it is rejected again
        assertEquals(IngestResult.Outcome.INVALID, accept("{\"dossier\":\n  \"D-1\",,}", null).outcome());

        IngestResult corrected = accept("{\"dossier\":\"D-1\"}", "m-1");
        assertEquals("the corrected message is accepted under the same partner message id",
                IngestResult.Outcome.QUEUED, corrected.outcome());
        assertEquals(1, queue.getCurrentQueueSize());
    }

    @Test
    public void undecodableBytesAreQuarantinedNotLeftHalfReceived() throws Exception {
        byte[] ucs4 = {0, 0, (byte) 0xFF, (byte) 0xFE, 0, 0, 0, '{'};
        IngestResult bad = service.accept(strict, new ByteArrayInputStream(ucs4),
                new InboundMetadata("corr-1", "m-1", "application/json", "alice"));
        assertEquals(IngestResult.Outcome.INVALID, bad.outcome());
        assertEquals(ExchangeState.QUARANTINED, record(bad.exchangeId()).state());
        assertEquals("a corrected resend is not taken for a duplicate", IngestResult.Outcome.QUEUED,
                accept("{\"n\":1}", "m-1").outcome());
    }

    @Test
    public void contentEchoedByTheParserIsRedactedInTheReason() throws Exception {
        IngestResult bad = accept("{\"nir\": nir185057800608436}", null);
        assertEquals(IngestResult.Outcome.INVALID, bad.outcome());
        assertFalse(bad.reason(), bad.reason().contains("185057800608436"));
        assertFalse(record(bad.exchangeId()).lastReason().contains("185057800608436"));
    }

    @Test
    public void tooLargeIsQuarantinedWithoutPayloadAndCannotBeReplayed() throws Exception {
        String big = "{\"x\":\"" + "a".repeat(200) + "\"}";
        IngestResult r = accept(big, "m-big");
        assertEquals(IngestResult.Outcome.TOO_LARGE, r.outcome());
        assertEquals(413, r.outcome().httpStatus());
        assertTrue(r.reason(), r.reason().contains("100 bytes"));
        ExchangeRecord rec = record(r.exchangeId());
        assertEquals(ExchangeState.QUARANTINED, rec.state());
        assertFalse(rec.hasPayload());
        assertNull(rec.sha256());
        assertTrue(rec.size() > 100);
        assertFalse("nothing is kept on disk", store.exists(r.exchangeId()));
        assertEquals(0, queue.getCurrentQueueSize());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> service.replay(r.exchangeId(), "operator"));
        assertTrue(e.getMessage(), e.getMessage().contains("no stored payload"));
        assertEquals("a refused replay is not journaled", 2, record(r.exchangeId()).history().size());

        // a payload that was not kept does not block a smaller resend under the same message id
        assertEquals(IngestResult.Outcome.QUEUED, accept("{\"x\":1}", "m-big").outcome());
    }

    @Test
    public void aFileRefusedByItsConnectorIsJournaledWithItsDigestButNotKeptQueuedOrReplayable() throws Exception {
        byte[] sealed = "-----BEGIN PGP MESSAGE----- not for us".getBytes(StandardCharsets.US_ASCII);
        java.nio.file.Path file = TMP.newFile("RSABEI.xml.pgp").toPath();
        java.nio.file.Files.write(file, sealed);
        IngestResult r = service.refuse(strict, file, new InboundMetadata("RSABEI.xml.pgp", null,
                "application/pgp-encrypted", "caf-inbox"), "signed by another key");

        assertEquals(IngestResult.Outcome.INVALID, r.outcome());
        assertEquals("RSABEI.xml.pgp", r.correlationId());
        ExchangeRecord rec = record(r.exchangeId());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUARANTINED), states(rec));
        assertEquals("signed by another key", rec.history().get(1).reason());
        assertEquals("caf-inbox", rec.history().get(0).actor());
        assertEquals("who sent what: the digest of the file as received", Digests.sha256Hex(sealed), rec.sha256());
        assertEquals(sealed.length, rec.size());
        assertFalse(rec.hasPayload());
        assertFalse("the hub keeps no copy (the connector's quarantine has it)", store.exists(r.exchangeId()));
        assertEquals(0, queue.getCurrentQueueSize());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> service.replay(r.exchangeId(), "operator"));
        assertTrue(e.getMessage(), e.getMessage().contains("no stored payload"));
    }

    @Test
    public void payloadOfExactlyTheLimitIsAccepted() throws Exception {
        String exact = "{\"x\":\"" + "a".repeat(100 - 8) + "\"}";
        assertEquals(100, exact.length());
        assertEquals(IngestResult.Outcome.QUEUED, accept(exact, null).outcome());
    }

    @Test
    public void replayOfAQuarantinedExchangeRevalidatesWithTheCurrentFlowAndQueuesIt() throws Exception {
        IngestResult bad = accept("not json at all", "m-1");
        assertEquals(IngestResult.Outcome.INVALID, bad.outcome());

        // still the strict flow: quarantined again
        ExchangeRecord again = service.replay(bad.exchangeId(), "operator");
        assertEquals(ExchangeState.QUARANTINED, again.state());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUARANTINED, ExchangeState.REPLAYED,
                ExchangeState.QUARANTINED), states(again));
        assertEquals(0, queue.getCurrentQueueSize());

        // the connector's settings changed: its flow now accepts anything
        installed.set(Optional.of(Flow.outbound("echo", "relay").maxPayloadBytes(100)));
        ExchangeRecord replayed = service.replay(bad.exchangeId(), "operator");
        assertEquals(ExchangeState.QUEUED, replayed.state());
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUARANTINED, ExchangeState.REPLAYED,
                ExchangeState.QUARANTINED, ExchangeState.REPLAYED, ExchangeState.VALIDATED, ExchangeState.QUEUED),
                states(replayed));
        StateChange replay = replayed.history().get(4);
        assertEquals("operator", replay.actor());
        assertEquals("replay requested", replay.reason());

        Exchange queued = consumer.receive(QUEUE_URI, 5000);
        assertNotNull(queued);
        assertEquals(bad.exchangeId(), queued.getMessage().getBody(String.class));
        assertEquals(bad.exchangeId(), queued.getMessage().getHeader(ExchangeService.HEADER_EXCHANGE_ID));
    }

    @Test
    public void replayOfADeliveredOrQueuedExchangeIsRefused() throws Exception {
        IngestResult ok = accept("{\"n\":1}", null);
        IllegalStateException queued = assertThrows(IllegalStateException.class,
                () -> service.replay(ok.exchangeId(), "operator"));
        assertTrue(queued.getMessage(), queued.getMessage().contains("QUEUED"));

        service.delivered(ok.exchangeId(), "partner answered HTTP 200");
        IllegalStateException delivered = assertThrows(IllegalStateException.class,
                () -> service.replay(ok.exchangeId(), "operator"));
        assertTrue(delivered.getMessage(), delivered.getMessage().contains("DELIVERED"));
        ExchangeRecord rec = record(ok.exchangeId());
        assertEquals(ExchangeState.DELIVERED, rec.state());
        assertFalse(states(rec).contains(ExchangeState.REPLAYED));
        assertEquals("only the original send is on the queue", 1, queue.getCurrentQueueSize());
    }

    @Test
    public void replayWhenNoConnectorHandlesTheFlowIsRefused() throws Exception {
        IngestResult bad = accept("[1,", null);
        assertEquals(IngestResult.Outcome.INVALID, bad.outcome());
        installed.set(Optional.empty());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> service.replay(bad.exchangeId(), "operator"));
        assertTrue(e.getMessage(), e.getMessage().contains("echo/relay"));
        assertTrue(e.getMessage(), e.getMessage().contains("install it"));
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.QUARANTINED), states(record(bad.exchangeId())));
    }

    @Test
    public void replayOfAnUnknownExchangeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> service.replay("00000000-0000-0000-0000-000000000000", "operator"));
    }

    @Test
    public void brokerUnavailableLeavesAFailedExchangeThatCanBeReplayed() throws Exception {
        JdbcIdempotentRepository idempotency = new JdbcIdempotentRepository(db.dataSource(), "inbound",
                Duration.ofDays(7), java.time.Clock.systemUTC());
        ExchangeService noBroker = new ExchangeService(journal, store, idempotency, producer, "nosuchbroker",
                (p, f) -> Optional.of(strict));
        IngestResult r = noBroker.accept(strict, new ByteArrayInputStream("{\"n\":1}".getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata("corr-1", null, "application/json", "alice"));
        assertEquals(IngestResult.Outcome.NOT_QUEUED, r.outcome());
        assertEquals(503, r.outcome().httpStatus());
        ExchangeRecord rec = record(r.exchangeId());
        assertEquals(ExchangeState.FAILED, rec.state());
        assertTrue(rec.lastReason(), rec.lastReason().contains("broker unavailable"));

        ExchangeRecord replayed = service.replay(r.exchangeId(), "operator");
        assertEquals(ExchangeState.QUEUED, replayed.state());
        assertEquals(1, queue.getCurrentQueueSize());
    }

    @Test
    public void prepareDeliveryIgnoresDeliveredDuplicateAndUnknownExchanges() throws Exception {
        IngestResult ok = accept("{\"n\":1}", "m-1");
        ExchangeService.Delivery d = service.prepareDelivery(ok.exchangeId()).orElseThrow();
        assertArrayEquals("{\"n\":1}".getBytes(StandardCharsets.UTF_8), java.nio.file.Files.readAllBytes(d.payload().toPath()));
        assertEquals(ok.exchangeId(), d.record().id());

        IngestResult dup = accept("{\"n\":1}", "m-1");
        assertTrue(service.prepareDelivery(dup.exchangeId()).isEmpty());
        service.delivered(ok.exchangeId(), null);
        assertTrue(service.prepareDelivery(ok.exchangeId()).isEmpty());
        assertTrue(service.prepareDelivery("00000000-0000-0000-0000-000000000000").isEmpty());
    }
}
