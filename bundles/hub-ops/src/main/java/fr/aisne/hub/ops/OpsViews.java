package fr.aisne.hub.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.operations.ComponentHealth;
import fr.aisne.hub.api.operations.ConnectorInfo;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.MessageQuery;
import fr.aisne.hub.api.operations.MetricsSnapshot;
import fr.aisne.hub.api.operations.PayloadPreview;
import fr.aisne.hub.api.operations.StateChange;
import fr.aisne.hub.api.operations.StateCount;

/** What the operations API and the shell show: one representation, two front ends. */
public final class OpsViews {
    private OpsViews() {
    }

    /** True for a journal id (a UUID): anything else is answered 404 without a lookup. */
    public static boolean isId(String id) {
        return id != null && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    /** A journal search from request parameters; IllegalArgumentException names the bad parameter. */
    public static MessageQuery query(String partner, String flow, String state, String correlationId, String text,
            String from, String to, String limit) {
        ExchangeState s = null;
        if (state != null && !state.isBlank()) {
            try {
                s = ExchangeState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("state must be one of " + List.of(ExchangeState.values()));
            }
        }
        int l = 100;
        if (limit != null && !limit.isBlank()) {
            try {
                l = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be an integer between 1 and " + MessageQuery.MAX_LIMIT);
            }
        }
        return new MessageQuery(blankToNull(partner), blankToNull(flow), s, blankToNull(correlationId),
                blankToNull(text), instant("from", from), instant("to", to), l);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-21T08:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static Map<String, Object> summary(ExchangeRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("correlationId", r.correlationId());
        m.put("partner", r.partner());
        m.put("flow", r.flow());
        m.put("direction", r.direction().name());
        m.put("sender", r.sender());
        m.put("state", r.state().name());
        m.put("contentType", r.contentType());
        m.put("size", r.size());
        m.put("sha256", r.sha256());
        m.put("partnerMessageId", r.partnerMessageId());
        m.put("orderingKey", r.orderingKey());
        m.put("queue", r.queue());
        m.put("attempts", r.attempts());
        m.put("lastReason", r.lastReason());
        m.put("payloadAvailable", r.hasPayload());
        m.put("createdAt", r.createdAt().toString());
        m.put("updatedAt", r.updatedAt().toString());
        return m;
    }

    /** Record and state history; a bounded preview of the payload when given (admin role). */
    public static Map<String, Object> detail(ExchangeRecord r, PayloadPreview preview) {
        Map<String, Object> m = summary(r);
        List<Map<String, Object>> history = new ArrayList<>();
        for (StateChange c : r.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("seq", c.seq());
            h.put("state", c.state().name());
            h.put("at", c.at().toString());
            h.put("reason", c.reason());
            h.put("actor", c.actor());
            history.add(h);
        }
        m.put("history", history);
        if (preview != null) {
            if (preview.text() != null) {
                m.put("payload", preview.text());
            } else {
                m.put("payloadBase64", preview.base64());
            }
            m.put("payloadTruncated", preview.truncated());
            m.put("payloadDownload", "/hub/api/messages/" + r.id() + "/payload");
        }
        return m;
    }

    /** The windows of the console's charts: the last hour in 5-minute buckets, the last day in hours. */
    public static Duration[] window(String name) {
        return switch (name == null || name.isBlank() ? "hour" : name.trim()) {
            case "hour" -> new Duration[] {Duration.ofHours(1), Duration.ofMinutes(5)};
            case "day" -> new Duration[] {Duration.ofDays(1), Duration.ofHours(1)};
            default -> throw new IllegalArgumentException("window must be hour or day");
        };
    }

    /**
     * Exchanges created in the window by flow, state and bucket, the queue depths and the counters since start:
     * what the console's overview draws. Buckets start on a whole bucket so that two reads a few seconds apart
     * agree.
     */
    public static Map<String, Object> stats(HubOperations hub, String windowName, Instant now) {
        Duration[] w = window(windowName);
        long bucketSeconds = w[1].toSeconds();
        Instant end = Instant.ofEpochSecond((now.getEpochSecond() / bucketSeconds + 1) * bucketSeconds);
        Instant since = end.minus(w[0]);
        List<Map<String, Object>> counts = new ArrayList<>();
        for (StateCount c : hub.stateCounts(since, w[1])) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partner", c.partner());
            m.put("flow", c.flow());
            m.put("state", c.state().name());
            m.put("bucket", c.bucket().toString());
            m.put("count", c.count());
            counts.add(m);
        }
        List<Map<String, Object>> totals = new ArrayList<>();
        hub.metrics().messages().forEach((k, v) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partner", k.partner());
            m.put("flow", k.flow());
            m.put("direction", k.direction().name());
            m.put("state", k.state().name());
            m.put("count", v);
            totals.add(m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", since.toString());
        out.put("until", end.toString());
        out.put("bucketMinutes", w[1].toMinutes());
        out.put("counts", counts);
        out.put("totalsSinceStart", totals);
        out.put("queues", hub.queueDepths());
        out.put("health", health(hub));
        out.put("generatedAt", now.toString());
        return out;
    }

    /** Who is calling and what the console may offer them (the API checks the roles again on each call). */
    public static Map<String, Object> me(fr.aisne.hub.api.Caller caller) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", caller.name());
        m.put("roles", caller.roles().stream().filter(r -> Set.of("viewer", "manager", "admin").contains(r)).sorted()
                .toList());
        m.put("canReplay", caller.hasAnyRole(fr.aisne.hub.api.HttpSecurity.OPERATORS));
        m.put("canReadPayloads", caller.isAdmin());
        return m;
    }

    /** Health of the platform and of each connector; overall UP only when every component is. */
    public static Map<String, Object> health(HubOperations hub) {
        Map<String, Object> components = new LinkedHashMap<>();
        boolean up = true;
        for (ComponentHealth h : hub.platformHealth()) {
            components.put(h.component(), component(h.status(), h.detail()));
            up &= h.up();
        }
        for (ConnectorInfo c : hub.connectors()) {
            components.put("connector:" + c.id(), component(c.health().status(), c.health().detail()));
            up &= c.health().up();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", up ? "UP" : "DOWN");
        m.put("components", components);
        return m;
    }

    private static Map<String, Object> component(String status, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (detail != null && !detail.isEmpty()) {
            m.put("detail", detail);
        }
        return m;
    }

    public static List<Map<String, Object>> connectors(HubOperations hub) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectorInfo c : hub.connectors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("version", c.version());
            Health h = c.health();
            m.put("status", h.status());
            m.put("detail", h.detail());
            List<Map<String, Object>> flows = new ArrayList<>();
            for (ConnectorInfo.FlowInfo f : c.flows()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("flow", f.key());
                fm.put("direction", f.direction());
                fm.put("queue", f.queue());
                fm.put("httpPath", f.httpPath() == null ? null : "/hub" + f.httpPath());
                fm.put("concurrency", f.concurrency());
                fm.put("ordered", f.ordered());
                fm.put("retry", f.retry());
                flows.add(fm);
            }
            m.put("flows", flows);
            m.put("routes", c.routes());
            m.put("settings", c.settings());
            out.add(m);
        }
        return out;
    }

    /** Prometheus text exposition format 0.0.4. */
    public static String prometheus(HubOperations hub) {
        MetricsSnapshot snap = hub.metrics();
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP hub_messages_total Exchanges that reached each state since the hub started.\n");
        sb.append("# TYPE hub_messages_total counter\n");
        snap.messages().forEach((k, v) -> sb.append("hub_messages_total{partner=\"").append(label(k.partner()))
                .append("\",flow=\"").append(label(k.flow())).append("\",direction=\"")
                .append(k.direction().name().toLowerCase(Locale.ROOT)).append("\",state=\"").append(k.state().name())
                .append("\"} ").append(v).append('\n'));
        sb.append("# HELP hub_http_refused_total HTTP requests refused: wrong or missing credentials (401), throttled "
                + "after repeated failures (429), without the role (403), too large (413), wrong media type (415), "
                + "cross-origin (403).\n");
        sb.append("# TYPE hub_http_refused_total counter\n");
        snap.httpRefusals().forEach((reason, n) -> sb.append("hub_http_refused_total{reason=\"").append(label(reason))
                .append("\"} ").append(n).append('\n'));
        sb.append("# HELP hub_queue_depth Messages waiting in each hub queue of the broker.\n");
        sb.append("# TYPE hub_queue_depth gauge\n");
        hub.queueDepths().forEach((q, d) -> sb.append("hub_queue_depth{queue=\"").append(label(q)).append("\"} ")
                .append(d).append('\n'));
        sb.append("# HELP hub_component_up 1 when the component is up, 0 otherwise.\n");
        sb.append("# TYPE hub_component_up gauge\n");
        for (ComponentHealth h : hub.platformHealth()) {
            sb.append("hub_component_up{component=\"").append(label(h.component())).append("\"} ").append(h.up() ? 1 : 0)
                    .append('\n');
        }
        for (ConnectorInfo c : hub.connectors()) {
            sb.append("hub_component_up{component=\"connector:").append(label(c.id())).append("\"} ")
                    .append(c.health().up() ? 1 : 0).append('\n');
        }
        snap.gauges().forEach((name, v) -> sb.append(name).append(' ').append(v).append('\n'));
        return sb.toString();
    }

    /** Escapes a label value for the Prometheus text format. */
    static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
