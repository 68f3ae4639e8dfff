package fr.aisne.hub.core.flow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.TestDatabases;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.core.exchange.ExchangeService;
import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import fr.aisne.hub.core.idempotency.JdbcIdempotentRepository;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.journal.StateChange;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.store.PayloadStore;
import fr.aisne.hub.core.validation.JsonWellFormed;

public class FlowRoutesTest {
    private static final String QUEUE_URI = "hubqueue:queue:hub.out.echo.relay";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static HubDatabase db;
    // One CamelContext for the class: the in-memory queue consumer needs about a second to start and stop.
    private static DefaultCamelContext camel;
    private static Journal journal;
    private static ExchangeService exchanges;
    private static Flow flow;
    private static FlowRoutes routes;

    /** How many more calls the partner fails before it answers. */
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    /** The partner endpoint finds the payload invalid (as the CAF import does with a bad file). */
    private static final java.util.concurrent.atomic.AtomicBoolean INVALID = new java.util.concurrent.atomic.AtomicBoolean();
    private static final AtomicInteger PARTNER_CALLS = new AtomicInteger();
    private static final List<Received> PARTNER_RECEIVED = new CopyOnWriteArrayList<>();

    private record Received(byte[] body, Map<String, Object> headers) {
    }

    @BeforeClass
    public static void startHub() throws Exception {
        db = TestDatabases.openMigrated(TMP.newFolder("db"));
        camel = new DefaultCamelContext();
        camel.addComponent("hubqueue", new SedaComponent());
        ProducerTemplate producer = camel.createProducerTemplate();
        journal = new Journal(db.dataSource(), new HubMetrics(), Clock.systemUTC());
        PayloadStore store = new PayloadStore(TMP.newFolder("payloads").toPath());
        JdbcIdempotentRepository idempotency = new JdbcIdempotentRepository(db.dataSource(), "inbound",
                Duration.ofDays(7), Clock.systemUTC());
        flow = Flow.outbound("echo", "relay").validator(new JsonWellFormed()).deliverTo("direct:partner")
                .retry(new RetryPolicy(3, 10, 2.0, 100));
        exchanges = new ExchangeService(journal, store, idempotency, producer, "hubqueue",
                (p, f) -> Optional.of(flow));
        routes = new FlowRoutes("echo", flow, exchanges, null, "http://127.0.0.1:0/hub", "hubqueue", "");
        camel.addRoutes(routes);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // like an HTTP endpoint: a failure is the caller's to retry
                errorHandler(noErrorHandler());
                from("direct:partner").routeId("partner").process(e -> {
                    PARTNER_CALLS.incrementAndGet();
                    PARTNER_RECEIVED.add(new Received(e.getMessage().getBody(byte[].class),
                            Map.copyOf(e.getMessage().getHeaders())));
                    if (INVALID.get()) {
                        throw new fr.aisne.hub.core.spi.ValidationException("TransmissionFlux: wrong total", 3, 7);
                    }
                    if (FAILURES_LEFT.getAndDecrement() > 0) {
                        throw new IllegalStateException("partner down at http://svc:hunter2@partner.example/api");
                    }
                });
            }
        });
        camel.start();
    }

    @AfterClass
    public static void stopHub() {
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
        FAILURES_LEFT.set(0);
        INVALID.set(false);
        PARTNER_CALLS.set(0);
        PARTNER_RECEIVED.clear();
    }

    private IngestResult accept(String payload, String correlationId) throws Exception {
        IngestResult r = exchanges.accept(flow, new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(correlationId, null, "application/json", "alice"));
        assertEquals(IngestResult.Outcome.QUEUED, r.outcome());
        return r;
    }

    private ExchangeRecord awaitState(String id, ExchangeState state) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        ExchangeRecord last = null;
        while (System.nanoTime() < deadline) {
            last = journal.find(id).orElseThrow();
            if (last.state() == state) {
                return last;
            }
            Thread.sleep(20);
        }
        fail("exchange " + id + " did not reach " + state + " within " + DEADLINE + "; history "
                + (last == null ? null : last.history()));
        return null;
    }

    private static List<ExchangeState> states(ExchangeRecord r) {
        return r.history().stream().map(StateChange::state).collect(Collectors.toList());
    }

    @Test
    public void onlyTheDeliveryRouteIsBuiltForAFlowWithoutHttp() {
        assertEquals("echo.relay.deliver", routes.deliverRouteId());
        assertTrue(camel.getRoute(routes.deliverRouteId()) != null);
        assertNull(camel.getRoute(routes.acceptRouteId()));
        assertEquals("echo", camel.getRoute(routes.deliverRouteId()).getGroup());
    }

    @Test
    public void deliversThePayloadWithTheCorrelationId() throws Exception {
        String payload = "{\"dossier\":\"D-42\"}";
        IngestResult r = accept(payload, "corr-42");

        ExchangeRecord rec = awaitState(r.exchangeId(), ExchangeState.DELIVERED);
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.VALIDATED, ExchangeState.QUEUED,
                ExchangeState.DELIVERED), states(rec));
        assertEquals(0, rec.attempts());
        assertEquals(1, PARTNER_CALLS.get());
        Received got = PARTNER_RECEIVED.get(0);
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), got.body());
        assertEquals("corr-42", got.headers().get("X-Correlation-Id"));
        assertEquals(r.exchangeId(), got.headers().get("X-Hub-Exchange-Id"));
        assertEquals("application/json", got.headers().get("Content-Type"));
        assertEquals("POST", got.headers().get("CamelHttpMethod"));
        assertFalse("internal broker headers do not reach the partner",
                got.headers().containsKey(ExchangeService.HEADER_EXCHANGE_ID));
    }

    @Test
    public void failedAttemptsAreJournaledThenTheRetrySucceeds() throws Exception {
        FAILURES_LEFT.set(2);
        IngestResult r = accept("{\"n\":1}", "corr-1");

        ExchangeRecord rec = awaitState(r.exchangeId(), ExchangeState.DELIVERED);
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.VALIDATED, ExchangeState.QUEUED,
                ExchangeState.FAILED, ExchangeState.FAILED, ExchangeState.DELIVERED), states(rec));
        assertEquals(2, rec.attempts());
        assertEquals(3, PARTNER_CALLS.get());
        String first = rec.history().get(3).reason();
        String second = rec.history().get(4).reason();
        assertTrue(first, first.startsWith("attempt 1 failed: IllegalStateException: partner down"));
        assertTrue(first, first.endsWith("; next attempt in 10 ms"));
        assertTrue(second, second.startsWith("attempt 2 failed"));
        assertTrue(second, second.endsWith("; next attempt in 20 ms"));
        assertFalse("reasons are redacted", first.contains("hunter2") || second.contains("hunter2"));
        // every retry sends the same payload and correlation id
        for (Received got : PARTNER_RECEIVED) {
            assertArrayEquals("{\"n\":1}".getBytes(StandardCharsets.UTF_8), got.body());
            assertEquals("corr-1", got.headers().get("X-Correlation-Id"));
        }
    }

    @Test
    public void aPayloadFoundInvalidDuringDeliveryIsQuarantinedAtOnceWithoutRetry() throws Exception {
        INVALID.set(true);
        IngestResult r = accept("{\"n\":9}", "corr-invalid");

        ExchangeRecord rec = awaitState(r.exchangeId(), ExchangeState.QUARANTINED);
        assertEquals("no retry for a broken contract", 1, PARTNER_CALLS.get());
        assertEquals("rejected by flow echo/relay: line 3, column 7: TransmissionFlux: wrong total", rec.lastReason());
        assertTrue("replayable once the cause is fixed", rec.state().isReplayable() && rec.hasPayload());
    }

    @Test
    public void afterMaxAttemptsTheExchangeIsQuarantined() throws Exception {
        FAILURES_LEFT.set(Integer.MAX_VALUE);
        IngestResult r = accept("{\"n\":2}", "corr-2");

        ExchangeRecord rec = awaitState(r.exchangeId(), ExchangeState.QUARANTINED);
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.VALIDATED, ExchangeState.QUEUED,
                ExchangeState.FAILED, ExchangeState.FAILED, ExchangeState.FAILED, ExchangeState.QUARANTINED),
                states(rec));
        assertEquals(3, rec.attempts());
        assertEquals(3, PARTNER_CALLS.get());
        assertTrue(rec.history().get(3).reason().startsWith("attempt 1 failed"));
        assertTrue(rec.history().get(3).reason().endsWith("; next attempt in 10 ms"));
        assertTrue(rec.history().get(4).reason().startsWith("attempt 2 failed"));
        assertTrue(rec.history().get(4).reason().endsWith("; next attempt in 20 ms"));
        String lastAttempt = rec.history().get(5).reason();
        assertTrue(lastAttempt, lastAttempt.startsWith("attempt 3 failed"));
        assertFalse("no next attempt after the last one", lastAttempt.contains("next attempt"));
        String reason = rec.lastReason();
        assertTrue(reason, reason.contains("echo/relay failed 3 times"));
        assertTrue(reason, reason.contains("partner down"));
        assertFalse(reason, reason.contains("hunter2"));
        assertTrue("a quarantined delivery is replayable", rec.state().isReplayable() && rec.hasPayload());
    }

    @Test
    public void aQuarantinedDeliveryIsDeliveredAfterReplay() throws Exception {
        FAILURES_LEFT.set(3);
        IngestResult r = accept("{\"n\":3}", "corr-3");
        awaitState(r.exchangeId(), ExchangeState.QUARANTINED);

        exchanges.replay(r.exchangeId(), "operator");
        ExchangeRecord rec = awaitState(r.exchangeId(), ExchangeState.DELIVERED);
        List<ExchangeState> s = states(rec);
        assertEquals(List.of(ExchangeState.QUARANTINED, ExchangeState.REPLAYED, ExchangeState.VALIDATED,
                ExchangeState.QUEUED, ExchangeState.DELIVERED), s.subList(s.size() - 5, s.size()));
        assertEquals(4, PARTNER_CALLS.get());
    }

    @Test
    public void aBrokerRedeliveryOfADeliveredExchangeDoesNotCallThePartnerAgain() throws Exception {
        IngestResult r = accept("{\"n\":4}", "corr-4");
        ExchangeRecord delivered = awaitState(r.exchangeId(), ExchangeState.DELIVERED);
        assertEquals(1, PARTNER_CALLS.get());

        // InOut: returns once the queue consumer has processed the message
        ProducerTemplate template = camel.createProducerTemplate();
        template.requestBodyAndHeader(QUEUE_URI, r.exchangeId(), ExchangeService.HEADER_EXCHANGE_ID, r.exchangeId());
        // an id unknown to the journal is dropped too
        String unknown = UUID.randomUUID().toString();
        template.requestBodyAndHeader(QUEUE_URI, unknown, ExchangeService.HEADER_EXCHANGE_ID, unknown);

        assertEquals("the partner was not called again", 1, PARTNER_CALLS.get());
        ExchangeRecord after = journal.find(r.exchangeId()).orElseThrow();
        assertEquals(ExchangeState.DELIVERED, after.state());
        assertEquals(delivered.history().size(), after.history().size());
        assertTrue(journal.find(unknown).isEmpty());
    }
}
