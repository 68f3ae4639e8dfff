package fr.aisne.hub.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.camel.RoutesBuilder;
import org.junit.Test;

import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.operations.ComponentHealth;
import fr.aisne.hub.api.operations.ConnectorInfo;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.MessageQuery;
import fr.aisne.hub.api.operations.MetricsSnapshot;
import fr.aisne.hub.api.operations.MetricsSnapshot.MessageCount;
import fr.aisne.hub.api.operations.PayloadPreview;
import fr.aisne.hub.api.operations.Registration;
import fr.aisne.hub.api.operations.StateChange;
import fr.aisne.hub.api.operations.StateCount;
import fr.aisne.hub.api.Caller;
import java.util.Set;

public class OpsViewsTest {

    /** A hub with fixed data. */
    private static final class FakeHub implements HubOperations {
        final Map<MessageCount, Long> messages = new TreeMap<>();
        final Map<String, Long> refusals = new TreeMap<>();
        List<ComponentHealth> platform = List.of(new ComponentHealth("broker", true, ""),
                new ComponentHealth("database", true, ""));
        List<ConnectorInfo> connectors = List.of(new ConnectorInfo("echo", "0.1.0.SNAPSHOT",
                List.of(new ConnectorInfo.FlowInfo("echo/relay", "OUTBOUND", "hub.out.echo.relay", "/in/echo/relay", 8,
                        true, "RetryPolicy[...]")),
                List.of("echo.relay.accept", "echo.relay.deliver"), true, Health.up(""),
                Map.of("target.url", "http://127.0.0.1:8282/echo")));
        Map<String, Long> depths = new LinkedHashMap<>(Map.of("hub.out.echo.relay", 3L));

        @Override
        public List<ConnectorInfo> connectors() {
            return connectors;
        }

        @Override
        public Map<String, String> connectorApis() {
            return Map.of();
        }

        @Override
        public List<ComponentHealth> platformHealth() {
            return platform;
        }

        @Override
        public Map<String, Long> queueDepths() {
            return depths;
        }

        @Override
        public MetricsSnapshot metrics() {
            return new MetricsSnapshot(messages, refusals, Map.of("hub_dispatch_pending", 2L));
        }

        final List<Object[]> countCalls = new java.util.ArrayList<>();

        @Override
        public List<StateCount> stateCounts(Instant since, java.time.Duration bucket) {
            countCalls.add(new Object[] {since, bucket});
            return List.of(new StateCount("echo", "relay", ExchangeState.QUARANTINED, since, 2));
        }

        @Override
        public List<ExchangeRecord> search(MessageQuery query) {
            return List.of();
        }

        @Override
        public Optional<ExchangeRecord> find(String exchangeId) {
            return Optional.empty();
        }

        @Override
        public ExchangeRecord replay(String exchangeId, String actor) {
            throw new IllegalStateException("not in this test");
        }

        @Override
        public Optional<PayloadPreview> preview(String exchangeId, int maxBytes) {
            return Optional.empty();
        }

        @Override
        public Optional<InputStream> openPayload(String exchangeId) {
            return Optional.empty();
        }

        @Override
        public void purgePayload(String exchangeId) {
            throw new UnsupportedOperationException("not used by these views");
        }

        @Override
        public Registration addRoutes(List<? extends RoutesBuilder> routes) {
            throw new UnsupportedOperationException("not used by these views");
        }

        @Override
        public HttpSecurity http() {
            return null;
        }

        @Override
        public ModuleDatabase database() {
            return null;
        }

        @Override
        public Secrets secrets() {
            return null;
        }
    }

    private static void assertBadParameter(String parameter, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage(), e.getMessage().startsWith(parameter + " "));
    }

    @Test
    public void statsCountTheWindowInWholeBucketsWithQueuesAndTotals() {
        FakeHub hub = new FakeHub();
        hub.messages.put(new MessageCount("echo", "relay", Direction.OUTBOUND, ExchangeState.DELIVERED), 7L);
        Map<String, Object> hour = OpsViews.stats(hub, "hour", Instant.parse("2026-12-06T10:07:30Z"));
        assertEquals("the hour ends at the end of the current 5-minute bucket", "2026-12-06T09:10:00Z", hour.get("since"));
        assertEquals("2026-12-06T10:10:00Z", hour.get("until"));
        assertEquals(5L, hour.get("bucketMinutes"));
        assertEquals(java.time.Duration.ofMinutes(5), hub.countCalls.get(0)[1]);
        assertEquals(List.of(Map.of("partner", "echo", "flow", "relay", "state", "QUARANTINED", "bucket",
                "2026-12-06T09:10:00Z", "count", 2L)), hour.get("counts"));
        assertEquals(Map.of("hub.out.echo.relay", 3L), hour.get("queues"));
        assertEquals("the components with their reasons, for the console (the browser sends no credentials to /hub/health)",
                OpsViews.health(hub), hour.get("health"));
        assertEquals(List.of(Map.of("partner", "echo", "flow", "relay", "direction", "OUTBOUND", "state", "DELIVERED",
                "count", 7L)), hour.get("totalsSinceStart"));

        Map<String, Object> day = OpsViews.stats(hub, "day", Instant.parse("2026-12-06T10:07:30Z"));
        assertEquals("2026-12-05T11:00:00Z", day.get("since"));
        assertEquals(60L, day.get("bucketMinutes"));
        assertBadParameter("window", () -> OpsViews.stats(hub, "week", Instant.now()));
    }

    @Test
    public void meTellsTheConsoleWhatTheCallerMayDo() {
        Map<String, Object> viewer = OpsViews.me(new Caller("val", Set.of("viewer", "sender-echo")));
        assertEquals(List.of("viewer"), viewer.get("roles"));
        assertEquals(false, viewer.get("canReplay"));
        assertEquals(false, viewer.get("canReadPayloads"));
        Map<String, Object> manager = OpsViews.me(new Caller("max", Set.of("manager")));
        assertEquals(true, manager.get("canReplay"));
        assertEquals(false, manager.get("canReadPayloads"));
        Map<String, Object> admin = OpsViews.me(new Caller("ada", Set.of("admin", "manager", "viewer")));
        assertEquals(List.of("admin", "manager", "viewer"), admin.get("roles"));
        assertEquals(true, admin.get("canReadPayloads"));
    }

    @Test
    public void badQueryParametersAreRejectedNamingTheParameter() {
        assertBadParameter("state", () -> OpsViews.query(null, null, "LOST", null, null, null, null, null));
        assertBadParameter("limit", () -> OpsViews.query(null, null, null, null, null, null, null, "ten"));
        assertBadParameter("limit", () -> OpsViews.query(null, null, null, null, null, null, null, "1.5"));
        assertBadParameter("from", () -> OpsViews.query(null, null, null, null, null, "yesterday", null, null));
        assertBadParameter("from", () -> OpsViews.query(null, null, null, null, null, "2026-11-21", null, null));
        assertBadParameter("to", () -> OpsViews.query(null, null, null, null, null, null, "2026-11-21 08:00", null));
    }

    @Test
    public void theStateErrorListsTheStates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpsViews.query(null, null, "nope", null, null, null, null, null));
        assertTrue(e.getMessage(), e.getMessage().contains("QUARANTINED"));
    }

    @Test
    public void validParametersAreParsed() {
        MessageQuery q = OpsViews.query(" echo ", " relay ", "quarantined", " corr-1 ", " RSABEM.xml ",
                "2026-11-21T08:00:00Z", "2026-11-22T08:00:00Z", " 25 ");
        assertEquals("echo", q.partner());
        assertEquals("relay", q.flow());
        assertEquals("RSABEM.xml", q.text());
        assertEquals(ExchangeState.QUARANTINED, q.state());
        assertEquals("corr-1", q.correlationId());
        assertEquals(Instant.parse("2026-11-21T08:00:00Z"), q.from());
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), q.to());
        assertEquals(25, q.limit());
    }

    @Test
    public void blankParametersMeanAny() {
        MessageQuery q = OpsViews.query("", "", " ", null, " ", "", null, "");
        assertNull(q.partner());
        assertNull(q.state());
        assertNull(q.correlationId());
        assertNull(q.from());
        assertNull(q.to());
        assertEquals(100, q.limit());
        assertEquals("the limit is capped", MessageQuery.MAX_LIMIT,
                OpsViews.query(null, null, null, null, null, null, null, "100000").limit());
    }

    @Test
    public void prometheusExposition() {
        FakeHub hub = new FakeHub();
        hub.messages.put(new MessageCount("echo", "relay", Direction.OUTBOUND, ExchangeState.DELIVERED), 2L);
        hub.messages.put(new MessageCount("echo", "relay", Direction.OUTBOUND, ExchangeState.QUARANTINED), 1L);
        hub.platform = List.of(new ComponentHealth("broker", true, ""), new ComponentHealth("database", false,
                "connection refused"));
        hub.refusals.put("credentials", 3L);
        hub.refusals.put("throttled", 1L);
        hub.refusals.put("forbidden", 1L);

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
        assertTrue(text, lines.contains("hub_dispatch_pending 2"));
        assertTrue("the text format ends with a newline", text.endsWith("\n"));
        for (String line : lines) {
            assertTrue("every line is a comment or a sample: " + line,
                    line.startsWith("# ") || line.matches("[a-z_]+(\\{[^}]*\\})? \\d+"));
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

        hub.platform = List.of(new ComponentHealth("broker", true, ""), new ComponentHealth("database", false,
                "connection refused"));
        Map<String, Object> dbDown = OpsViews.health(hub);
        assertEquals("DOWN", dbDown.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> c2 = (Map<String, Map<String, Object>>) dbDown.get("components");
        assertEquals("DOWN", c2.get("database").get("status"));
        assertEquals("connection refused", c2.get("database").get("detail"));

        hub.platform = List.of(new ComponentHealth("broker", true, ""), new ComponentHealth("database", true, ""));
        hub.connectors = List.of(new ConnectorInfo("echo", "1", List.of(), List.of(), false,
                Health.down("partner unreachable"), Map.of()));
        assertEquals("a connector down makes the hub DOWN", "DOWN", OpsViews.health(hub).get("status"));
    }

    @Test
    public void detailShowsAPayloadPreviewOnlyWhenGiven() {
        Instant t = Instant.parse("2026-11-21T08:00:00Z");
        ExchangeRecord r = new ExchangeRecord("11111111-1111-1111-1111-111111111111", "corr-1", "echo", "relay",
                Direction.OUTBOUND, "alice", "application/json", 7, "ab", "m-1", null, "hub.out.echo.relay",
                ExchangeState.DELIVERED, 1, "partner answered HTTP 200", true, t, t.plusSeconds(2),
                List.of(new StateChange(1, ExchangeState.RECEIVED, t, null, "alice"),
                        new StateChange(2, ExchangeState.DELIVERED, t.plusSeconds(2), "ok", "hub")));
        Map<String, Object> hidden = OpsViews.detail(r, null);
        assertFalse(hidden.containsKey("payload"));
        assertFalse(hidden.containsKey("payloadBase64"));
        assertEquals(true, hidden.get("payloadAvailable"));
        assertEquals(2, ((List<?>) hidden.get("history")).size());
        assertEquals("2026-11-21T08:00:00Z", hidden.get("createdAt"));

        Map<String, Object> shown = OpsViews.detail(r, new PayloadPreview("application/json", 7, "{\"a\":1}", null, false));
        assertEquals("{\"a\":1}", shown.get("payload"));
        assertEquals(false, shown.get("payloadTruncated"));
        assertEquals("/hub/api/messages/" + r.id() + "/payload", shown.get("payloadDownload"));
        Map<String, Object> b = OpsViews.detail(r, new PayloadPreview("application/pdf", 3, null, "AQID", true));
        assertEquals("AQID", b.get("payloadBase64"));
        assertEquals(true, b.get("payloadTruncated"));
        assertFalse(b.containsKey("payload"));
    }
}
