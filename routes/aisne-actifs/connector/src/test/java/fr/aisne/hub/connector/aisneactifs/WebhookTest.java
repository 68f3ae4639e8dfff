package fr.aisne.hub.connector.aisneactifs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.registry.DepartmentEvent;

/** The webhooks: the follower's cursor and ordering keys, the sender's signature and its answers to each status. */
public class WebhookTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private final FakeRegistry fake = new FakeRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2027-03-01T10:00:00Z"));
    @org.junit.Rule
    public org.junit.rules.TemporaryFolder tmp = new org.junit.rules.TemporaryFolder();
    private HttpServer server;
    private final List<Map<String, String>> received = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);

    @Before
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            received.add(Map.of("timestamp", x.getRequestHeaders().getFirst(Signature.TIMESTAMP_HEADER),
                    "signature", x.getRequestHeaders().getFirst(Signature.SIGNATURE_HEADER),
                    "event", x.getRequestHeaders().getFirst(Signature.EVENT_HEADER),
                    "body", new String(body, StandardCharsets.UTF_8)));
            if (status.get() == 429) {
                x.getResponseHeaders().add("Retry-After", "7");
            }
            x.sendResponseHeaders(status.get(), -1);
            x.close();
        });
        server.start();
    }

    @After
    public void stop() {
        server.stop(0);
    }

    private WebhookSender sender() {
        return new WebhookSender(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook"), KEY,
                Duration.ofSeconds(2), Duration.ofSeconds(5), fake.registry(),
                new TestConnectorContext("aisne-actifs", null, clock).partnerGuard("aisne-actifs", PartnerLimits.NONE), clock);
    }

    @Test
    public void theEventIsSignedWithItsTimestampAndCarriesOnlyWhatTheRuleDiscloses() throws Exception {
        fake.person("p-1", "021", "0123456");
        fake.disclosable.put("aisne-actifs.evenements", Map.of("nom_naissance", "Testnom", "prenom", "Camille"));
        String event = Json.write(WebhookFollower.body(new DepartmentEvent(12, DepartmentEvent.NEW_HOUSEHOLD_SDD, "p-1",
                "021/0123456", Instant.parse("2027-02-28T00:00:00Z"), "caf", "ex-caf", Map.of("role", "DEM",
                        "orientation_avant", "2027-03-31"))));
        String detail = sender().deliver(TestDelivery.json("aisne-actifs", "webhooks", "ex-w1", event)).detail();
        assertTrue(detail, detail.contains("evt-12 (foyer.nouveau-soumis-droits-devoirs) sent to Aisne-actifs.com, HTTP 200"));
        Map<String, String> got = received.get(0);
        assertEquals(Long.toString(clock.instant().getEpochSecond()), got.get("timestamp"));
        assertEquals(Signature.sign(KEY, clock.instant().getEpochSecond(), got.get("body").getBytes(StandardCharsets.UTF_8)),
                got.get("signature"));
        assertEquals("evt-12", got.get("event"));
        JsonNode body = Json.MAPPER.readTree(got.get("body"));
        assertEquals("Testnom", body.path("personne").path("nom_naissance").asText());
        assertEquals("2027-03-31", body.path("details").path("orientation_avant").asText());
        new DecisionSchemas().checkEvent(body);
        assertEquals(List.of("aisne-actifs.evenements p-1 in ex-w1"), fake.disclosures);
    }

    @Test
    public void eachStatusLeadsToItsOutcome() throws Exception {
        String event = Json.write(WebhookFollower.body(new DepartmentEvent(3, DepartmentEvent.FILE_CLOSED, null,
                "021/0123456", Instant.parse("2027-02-28T00:00:00Z"), "caf", "ex-caf", Map.of())));
        status.set(401);
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> sender().deliver(TestDelivery.json("aisne-actifs", "webhooks", "ex-1", event)));
        assertFalse("a key mismatch is fixed in the settings, events wait", f.isPermanent());
        assertTrue(f.getMessage(), f.getMessage().contains("webhook.secret"));
        assertFalse(f.getMessage(), f.getMessage().contains(KEY));
        status.set(429);
        f = assertThrows(DeliveryFailure.class, () -> sender().deliver(TestDelivery.json("aisne-actifs", "webhooks", "ex-1", event)));
        assertEquals(Duration.ofSeconds(7), f.retryAfter().orElseThrow());
        status.set(500);
        f = assertThrows(DeliveryFailure.class, () -> sender().deliver(TestDelivery.json("aisne-actifs", "webhooks", "ex-1", event)));
        assertFalse(f.isPermanent());
        status.set(400);
        f = assertThrows(DeliveryFailure.class, () -> sender().deliver(TestDelivery.json("aisne-actifs", "webhooks", "ex-1", event)));
        assertTrue(f.isPermanent());
        server.stop(0);
        f = assertThrows(DeliveryFailure.class, () -> sender().deliver(TestDelivery.json("aisne-actifs", "webhooks", "ex-1", event)));
        assertFalse("unreachable: retried", f.isPermanent());
    }

    @Test
    public void theFollowerHandsOverEachEventOnceInOrderPerPersonAndSkipsThePlatformsOwn() throws Exception {
        fake.event(DepartmentEvent.NEW_HOUSEHOLD_SDD, "p-1", "caf", Map.of("role", "DEM"));
        fake.event(DepartmentEvent.ORIENTATION_DECIDED, "p-1", "aisne-actifs", Map.of("parcours", "PSO"));
        fake.event(DepartmentEvent.FILE_SUSPENDED, "p-2", "caf", Map.of());
        fake.event(DepartmentEvent.FILE_CLOSED, null, "caf", Map.of());
        List<String> accepted = new ArrayList<>();
        Intake intake = new Intake() {
            @Override
            public IngestResult accept(Flow flow, InputStream payload, InboundMetadata m) throws IOException {
                accepted.add(m.partnerMessageId() + " key=" + m.orderingKey() + " " + Json.MAPPER.readTree(payload).path("type").asText());
                return new IngestResult(IngestResult.Outcome.QUEUED, "x", "c", null, null);
            }

            @Override
            public IngestResult refuse(Flow flow, java.nio.file.Path received, InboundMetadata m, String reason) {
                throw new UnsupportedOperationException();
            }
        };
        TestDatabase db = TestDatabase.embeddedDerby(tmp.getRoot().getAbsolutePath() + "/db");
        db.database().migrate("aisneactifs", WebhookTest.class.getClassLoader(), "db/aisneactifs/V1__aisneactifs.sql");
        try {
            AaStore store = new AaStore(db.database().jdbc());
            WebhookFollower f = new WebhookFollower(fake::feed, store, intake, Flow.outbound("aisne-actifs", "webhooks"), 2, List.of());
            assertEquals("evt-1 queued, evt-2 (the platform's own orientation) passed over", 1, f.poll());
            assertEquals(2, f.poll());
            assertEquals(0, f.poll());
            assertEquals(List.of("evt-1 key=p-1 foyer.nouveau-soumis-droits-devoirs", "evt-3 key=p-2 dossier.suspendu",
                    "evt-4 key=021/0123456 dossier.clos"), accepted);
            assertEquals(4, f.cursor());
            // a new follower (restart) starts from the persisted cursor
            assertEquals(0, new WebhookFollower(fake::feed, store, intake, Flow.outbound("aisne-actifs", "webhooks"), 10, List.of()).poll());
        } finally {
            db.close();
        }
    }
}
