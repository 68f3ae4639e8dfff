package fr.aisne.hub.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.junit.Test;

import fr.aisne.hub.core.Direction;
import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.journal.MessageQuery;
import fr.aisne.hub.core.journal.StateChange;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.security.BasicAuthenticator;
import fr.aisne.hub.core.spi.HealthStatus;

public class OpsViewsTest {

    /** A hub with fixed data. */
    private static final class FakeHub implements Hub {
        @Override
        public fr.aisne.hub.core.spi.IngestResult accept(fr.aisne.hub.core.spi.Flow flow, java.io.InputStream payload,
                fr.aisne.hub.core.spi.InboundMetadata metadata) {
            throw new UnsupportedOperationException("not used by these views");
        }

        @Override
        public void purgePayload(String exchangeId) {
            throw new UnsupportedOperationException("not used by these views");
        }

        @Override
        public fr.aisne.hub.core.spi.IngestResult refuse(fr.aisne.hub.core.spi.Flow flow, java.nio.file.Path received,
                fr.aisne.hub.core.spi.InboundMetadata metadata, String reason) {
            throw new UnsupportedOperationException("not used by these views");
        }

        final HubMetrics metrics = new HubMetrics();
        List<HealthStatus> platform = List.of(HealthStatus.up("broker"), HealthStatus.up("database"));
        List<ConnectorInfo> connectors = List.of(new ConnectorInfo("echo", List.of("relay"),
                List.of("echo.relay.accept", "echo.relay.deliver"), true, HealthStatus.up("echo"),
                Map.of("target.url", "http://127.0.0.1:8282/echo")));
        Map<String, Long> depths = new LinkedHashMap<>(Map.of("hub.out.echo.relay", 3L));

        @Override
        public CamelContext camelContext() {
            return null;
        }

        @Override
        public Journal journal() {
            return null;
        }

        @Override
        public HubMetrics metrics() {
            return metrics;
        }

        final BasicAuthenticator authenticator = new BasicAuthenticator("karaf", new fr.aisne.hub.core.security.LoginThrottle(
                2, java.time.Duration.ofMinutes(5), java.time.Clock.systemUTC()));

        @Override
        public BasicAuthenticator authenticator() {
            return authenticator;
        }

        @Override
        public String httpHost() {
            return "127.0.0.1";
        }

        @Override
        public int httpPort() {
            return 8181;
        }

        @Override
        public List<ConnectorInfo> connectors() {
            return connectors;
        }

        @Override
        public List<HealthStatus> platformHealth() {
            return platform;
        }

        @Override
        public Map<String, Long> queueDepths() {
            return depths;
        }

        @Override
        public ExchangeRecord replay(String exchangeId, String actor) {
            throw new IllegalStateException("not in this test");
        }

        @Override
        public Optional<ExchangeRecord> find(String exchangeId) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> payload(String exchangeId) {
            return Optional.empty();
        }
    }

    private static void assertBadParameter(String parameter, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage(), e.getMessage().startsWith(parameter + " "));
    }

    @Test
    public void badQueryParametersAreRejectedNamingTheParameter() {
        assertBadParameter("state", () -> OpsViews.query(null, "LOST", null, null, null, null));
        assertBadParameter("limit", () -> OpsViews.query(null, null, null, null, null, "ten"));
        assertBadParameter("limit", () -> OpsViews.query(null, null, null, null, null, "1.5"));
        assertBadParameter("from", () -> OpsViews.query(null, null, null, "yesterday", null, null));
        assertBadParameter("from", () -> OpsViews.query(null, null, null, "2026-11-21", null, null));
        assertBadParameter("to", () -> OpsViews.query(null, null, null, null, "2026-11-21 08:00", null));
    }

    @Test
    public void theStateErrorListsTheStates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpsViews.query(null, "nope", null, null, null, null));
        assertTrue(e.getMessage(), e.getMessage().contains("QUARANTINED"));
    }

    @Test
    public void validParametersAreParsed() {
        MessageQuery q = OpsViews.query(" echo ", "quarantined", " corr-1 ", "2026-11-21T08:00:00Z",
                "2026-11-22T08:00:00Z", " 25 ");
        assertEquals("echo", q.partner());
        assertEquals(ExchangeState.QUARANTINED, q.state());
        assertEquals("corr-1", q.correlationId());
        assertEquals(Instant.parse("2026-11-21T08:00:00Z"), q.from());
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), q.to());
        assertEquals(25, q.limit());
    }

    @Test
    public void blankParametersMeanAny() {
        MessageQuery q = OpsViews.query("", " ", null, "", null, "");
        assertNull(q.partner());
        assertNull(q.state());
        assertNull(q.correlationId());
        assertNull(q.from());
        assertNull(q.to());
        assertEquals(100, q.limit());
        assertEquals("the limit is capped", MessageQuery.MAX_LIMIT,
                OpsViews.query(null, null, null, null, null, "100000").limit());
    }

    @Test
    public void prometheusExposition() {
        FakeHub hub = new FakeHub();
        hub.metrics.countState("echo", "relay", Direction.OUTBOUND, ExchangeState.DELIVERED);
        hub.metrics.countState("echo", "relay", Direction.OUTBOUND, ExchangeState.DELIVERED);
        hub.metrics.countState("echo", "relay", Direction.OUTBOUND, ExchangeState.QUARANTINED);
        hub.platform = List.of(HealthStatus.up("broker"), HealthStatus.down("database", "connection refused"));

        // no JAAS realm in a unit test: every attempt fails, the third from the same address is throttled;
        // a request without credentials is refused too
        for (int i = 0; i < 3; i++) {
            hub.authenticator.attempt("Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes()), "10.0.0.1");
        }
        hub.authenticator.attempt(null, "10.0.0.2");
        hub.authenticator.countForbidden();

        String text = OpsViews.prometheus(hub);
        List<String> lines = List.of(text.split("\n"));
        assertTrue(text, lines.contains("# TYPE hub_http_refused_total counter"));
        assertTrue(text, lines.contains("hub_http_refused_total{reason=\"credentials\"} 3"));
        assertTrue(text, lines.contains("hub_http_refused_total{reason=\"throttled\"} 1"));
        assertTrue(text, lines.contains("hub_http_refused_total{reason=\"forbidden\"} 1"));

        assertTrue(text, lines.contains("# TYPE hub_messages_total counter"));
        assertTrue(text, lines.contains(
                "hub_messages_total{partner=\"echo\",flow=\"relay\",direction=\"outbound\",state=\"DELIVERED\"} 2"));
        assertTrue(text, lines.contains(
                "hub_messages_total{partner=\"echo\",flow=\"relay\",direction=\"outbound\",state=\"QUARANTINED\"} 1"));
        assertTrue(text, lines.contains("# TYPE hub_queue_depth gauge"));
        assertTrue(text, lines.contains("hub_queue_depth{queue=\"hub.out.echo.relay\"} 3"));
        assertTrue(text, lines.contains("# TYPE hub_component_up gauge"));
        assertTrue(text, lines.contains("hub_component_up{component=\"broker\"} 1"));
        assertTrue(text, lines.contains("hub_component_up{component=\"database\"} 0"));
        assertTrue(text, lines.contains("hub_component_up{component=\"connector:echo\"} 1"));
        assertTrue("the text format ends with a newline", text.endsWith("\n"));
        for (String line : lines) {
            assertTrue("every line is a comment or a sample: " + line,
                    line.startsWith("# ") || line.matches("[a-z_]+\\{[^}]*\\} \\d+"));
        }
    }

    @Test
    public void prometheusEscapesLabelValues() {
        FakeHub hub = new FakeHub();
        hub.depths = Map.of("odd\"queue\\name\nx", 1L);
        String text = OpsViews.prometheus(hub);
        assertTrue(text, text.contains("hub_queue_depth{queue=\"odd\\\"queue\\\\name\\nx\"} 1\n"));
    }

    @Test
    public void healthIsUpOnlyWhenEveryComponentIs() {
        FakeHub hub = new FakeHub();
        Map<String, Object> up = OpsViews.health(hub);
        assertEquals("UP", up.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> components = (Map<String, Map<String, Object>>) up.get("components");
        assertEquals(List.of("broker", "database", "connector:echo"), List.copyOf(components.keySet()));
        assertEquals("UP", components.get("connector:echo").get("status"));
        assertFalse("no empty detail", components.get("broker").containsKey("detail"));

        hub.platform = List.of(HealthStatus.up("broker"), HealthStatus.down("database", "connection refused"));
        Map<String, Object> dbDown = OpsViews.health(hub);
        assertEquals("DOWN", dbDown.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> c2 = (Map<String, Map<String, Object>>) dbDown.get("components");
        assertEquals("DOWN", c2.get("database").get("status"));
        assertEquals("connection refused", c2.get("database").get("detail"));

        hub.platform = List.of(HealthStatus.up("broker"), HealthStatus.up("database"));
        hub.connectors = List.of(new Hub.ConnectorInfo("echo", List.of("relay"), List.of(), false,
                HealthStatus.down("echo", "partner unreachable"), Map.of()));
        assertEquals("a connector down makes the hub DOWN", "DOWN", OpsViews.health(hub).get("status"));
    }

    @Test
    public void detailShowsThePayloadOnlyWhenAsked() {
        Instant t = Instant.parse("2026-11-21T08:00:00Z");
        ExchangeRecord r = new ExchangeRecord("11111111-1111-1111-1111-111111111111", "corr-1", "echo", "relay",
                Direction.OUTBOUND, "alice", "application/json", 7, "ab", "m-1", "hub.out.echo.relay",
                ExchangeState.DELIVERED, 1, "partner answered HTTP 200", true, t, t.plusSeconds(2),
                List.of(new StateChange(1, ExchangeState.RECEIVED, t, null, "alice"),
                        new StateChange(2, ExchangeState.DELIVERED, t.plusSeconds(2), "ok", "hub")));
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        Map<String, Object> hidden = OpsViews.detail(r, false, payload);
        assertFalse(hidden.containsKey("payload"));
        assertFalse(hidden.containsKey("payloadBase64"));
        assertEquals(true, hidden.get("payloadAvailable"));
        assertEquals(2, ((List<?>) hidden.get("history")).size());
        assertEquals("2026-11-21T08:00:00Z", hidden.get("createdAt"));

        assertEquals("{\"a\":1}", OpsViews.detail(r, true, payload).get("payload"));
        ExchangeRecord binary = new ExchangeRecord(r.id(), r.correlationId(), r.partner(), r.flow(), r.direction(),
                r.sender(), "application/pdf", r.size(), r.sha256(), r.partnerMessageId(), r.queue(), r.state(),
                r.attempts(), r.lastReason(), r.hasPayload(), r.createdAt(), r.updatedAt(), r.history());
        Map<String, Object> b = OpsViews.detail(binary, true, new byte[] {1, 2, 3});
        assertEquals("AQID", b.get("payloadBase64"));
        assertFalse(b.containsKey("payload"));
    }
}
