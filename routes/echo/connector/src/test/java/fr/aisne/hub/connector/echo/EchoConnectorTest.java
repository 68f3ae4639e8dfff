package fr.aisne.hub.connector.echo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;

public class EchoConnectorTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TestDatabase db;
    private TestConnectorContext ctx;

    @Before
    public void setUp() {
        db = TestDatabase.embeddedDerby(new File(tmp.getRoot(), "db").getAbsolutePath());
        ctx = new TestConnectorContext("echo", db.database(), new MutableClock(Instant.parse("2026-12-06T10:00:00Z")));
    }

    @After
    public void tearDown() {
        db.close();
    }

    private static EchoSettings settings(Map<String, ?> cfg) {
        return EchoSettings.from(Settings.of(cfg, EchoSettings.FILE));
    }

    private static SettingsException rejected(String key, String value) {
        return assertThrows(key + "=" + value, SettingsException.class, () -> settings(Map.of(key, value)));
    }

    @Test
    public void defaults() {
        EchoSettings s = settings(Map.of());
        assertEquals(URI.create("http://127.0.0.1:8282/echo"), s.targetUrl());
        assertEquals(2000, s.connectTimeoutMs());
        assertEquals(10000, s.responseTimeoutMs());
        assertEquals(List.of("admin", "sender-echo"), s.senderRoles());
        assertEquals(RetryPolicy.DEFAULT, s.retry());
        assertEquals(1024 * 1024, s.maxPayloadBytes());
        assertEquals(8, s.concurrency());
        assertEquals(0, s.pollSeconds());
    }

    @Test
    public void settingsAreRead() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("target.url", "https://partner.example/api/echo");
        cfg.put("target.connectTimeoutMs", "500");
        cfg.put("senders.roles", "sender-echo , ops");
        cfg.put("retry.maxAttempts", "3");
        cfg.put("maxPayloadBytes", "2048");
        cfg.put("delivery.concurrency", "16");
        cfg.put("partner.ratePerSecond", "5");
        EchoSettings s = settings(cfg);
        assertEquals(URI.create("https://partner.example/api/echo"), s.targetUrl());
        assertEquals(500, s.connectTimeoutMs());
        assertEquals(List.of("sender-echo", "ops"), s.senderRoles());
        assertEquals(3, s.retry().maxAttempts());
        assertEquals(2048, s.maxPayloadBytes());
        assertEquals(16, s.concurrency());
        assertEquals(5.0, s.limits().ratePerSecond(), 0.0);
    }

    @Test
    public void aWrongSettingNamesTheKeyTheProblemAndTheFix() {
        SettingsException e = rejected("target.url", "http://partner.example/echo");
        assertEquals("target.url", e.key());
        assertTrue(e.getMessage(), e.getMessage().contains("etc/hub.connector.echo.cfg: target.url"));
        assertTrue(e.getMessage(), e.getMessage().contains("fix: use https://"));
        assertTrue(rejected("target.url", "https://user:secret@partner.example/").getMessage().contains("credentials"));
        assertTrue(!rejected("target.url", "https://user:secret@partner.example/").getMessage().contains("secret"));
        rejected("target.url", "ftp://partner.example/");
        rejected("target.url", "https://partner.example/?token=x");
        rejected("delivery.concurrency", "0");
        rejected("delivery.concurrency", "many");
        rejected("retry.maxAttempts", "0");
        rejected("poll.seconds", "-1");
        assertTrue(rejected("partner.ratePerSecond", "fast").getMessage().contains("is not a number"));
    }

    @Test
    public void httpIsAcceptedTowardsLoopbackOnly() {
        assertEquals("127.0.0.1", settings(Map.of("target.url", "http://127.0.0.1:9/x")).targetUrl().getHost());
        assertEquals("localhost", settings(Map.of("target.url", "http://localhost:9/x")).targetUrl().getHost());
        rejected("target.url", "http://10.0.0.1/x");
        rejected("target.url", "http://127.0.0.1.example.org/x");
    }

    @Test
    public void declaresTheThreeShapes() throws Exception {
        EchoConnector c = new EchoConnector();
        c.activate(Map.of("poll.seconds", "5"));
        c.configure(ctx);
        Flow relay = ctx.flow("relay");
        assertEquals(Direction.OUTBOUND, relay.direction());
        assertEquals("/in/echo/relay", relay.httpPath());
        assertEquals(Set.of("admin", "sender-echo"), relay.httpSender().roles());
        assertTrue(relay.deliveryUri().startsWith("http://127.0.0.1:8282/echo?throwExceptionOnFailure=true"));
        assertEquals(OrderingKey.FROM_METADATA, relay.orderingKey());
        assertEquals(8, relay.concurrency());
        Flow notes = ctx.flow("notes");
        assertEquals(Direction.INBOUND, notes.direction());
        assertTrue(notes.deliveryHandler() instanceof NoteHandler);
        assertEquals("the poller's timer route", 1, ctx.routeBuilders().size());
    }

    @Test
    public void theNoteHandlerRecordsOnceAndRefusesANoteWithoutSubject() throws Exception {
        EchoConnector c = new EchoConnector();
        c.activate(Map.of());
        c.configure(ctx);
        var handler = ctx.flow("notes").deliveryHandler();
        DeliveryResult first = handler.deliver(delivery("a1", "{\"subject\":\"s1\",\"text\":\"hello\"}"));
        assertEquals("note recorded", first.detail());
        assertEquals("a redelivery records nothing twice", "note already recorded",
                handler.deliver(delivery("a1", "{\"subject\":\"s1\",\"text\":\"hello\"}")).detail());
        assertEquals(1, db.count("SELECT COUNT(*) FROM echo_note"));
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> handler.deliver(delivery("a2", "{\"text\":\"x\"}")));
        assertTrue(f.isPermanent());
        assertTrue(f.getMessage(), f.getMessage().contains("subject"));
    }

    private static Delivery delivery(String id, String json) {
        String exchangeId = String.format("00000000-0000-7000-8000-%012d", Math.abs(id.hashCode()));
        return new Delivery() {
            @Override public String exchangeId() { return exchangeId; }
            @Override public String correlationId() { return id; }
            @Override public String partner() { return "echo"; }
            @Override public String flow() { return "notes"; }
            @Override public String contentType() { return "application/json"; }
            @Override public String partnerMessageId() { return null; }
            @Override public String orderingKey() { return null; }
            @Override public String sender() { return "test"; }
            @Override public int attempt() { return 1; }
            @Override public long size() { return json.length(); }
            @Override public java.io.InputStream openPayload() {
                return new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }
}
