package fr.aisne.hub.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.MessageQuery;
import fr.aisne.hub.core.journal.StateChange;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.spi.HealthStatus;

/** What the operations API and the shell show: one representation, two front ends. */
public final class OpsViews {
    private OpsViews() {
    }

    /** A journal search from request parameters; IllegalArgumentException names the bad parameter. */
    public static MessageQuery query(String partner, String state, String correlationId, String from, String to,
            String limit) {
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
        return new MessageQuery(blankToNull(partner), s, blankToNull(correlationId), instant("from", from),
                instant("to", to), l);
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
        m.put("queue", r.queue());
        m.put("attempts", r.attempts());
        m.put("lastReason", r.lastReason());
        m.put("createdAt", r.createdAt().toString());
        m.put("updatedAt", r.updatedAt().toString());
        return m;
    }

    /** Record and state history; the payload only when {@code withPayload} (admin role). */
    public static Map<String, Object> detail(ExchangeRecord r, boolean withPayload, byte[] payload) {
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
        m.put("payloadAvailable", r.hasPayload());
        if (withPayload && payload != null) {
            if (isText(r.contentType())) {
                m.put("payload", new String(payload, StandardCharsets.UTF_8));
            } else {
                m.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
            }
        }
        return m;
    }

    private static boolean isText(String contentType) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("text/") || ct.contains("json") || ct.contains("xml");
    }

    /** Health of the platform and of each connector; overall UP only when every component is. */
    public static Map<String, Object> health(Hub hub) {
        Map<String, Object> components = new LinkedHashMap<>();
        boolean up = true;
        for (HealthStatus h : hub.platformHealth()) {
            components.put(h.component(), component(h));
            up &= h.up();
        }
        for (Hub.ConnectorInfo c : hub.connectors()) {
            components.put("connector:" + c.id(), component(c.health()));
            up &= c.health().up();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", up ? "UP" : "DOWN");
        m.put("components", components);
        return m;
    }

    private static Map<String, Object> component(HealthStatus h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", h.status());
        if (h.detail() != null && !h.detail().isEmpty()) {
            m.put("detail", h.detail());
        }
        return m;
    }

    public static List<Map<String, Object>> connectors(Hub hub) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Hub.ConnectorInfo c : hub.connectors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("status", c.health().status());
            m.put("detail", c.health().detail());
            m.put("flows", c.flows());
            m.put("routes", c.routes());
            m.put("settings", c.settings());
            out.add(m);
        }
        return out;
    }

    /** Prometheus text exposition format 0.0.4. */
    public static String prometheus(Hub hub) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP hub_messages_total Exchanges that reached each state since the hub started.\n");
        sb.append("# TYPE hub_messages_total counter\n");
        hub.metrics().snapshot().forEach((k, v) -> sb.append("hub_messages_total{partner=\"")
                .append(HubMetrics.label(k.partner())).append("\",flow=\"").append(HubMetrics.label(k.flow()))
                .append("\",direction=\"").append(k.direction().name().toLowerCase(Locale.ROOT))
                .append("\",state=\"").append(k.state().name()).append("\"} ").append(v).append('\n'));
        if (hub.authenticator() != null) {
            sb.append("# HELP hub_http_refused_total HTTP requests refused before reaching the hub: wrong or missing "
                    + "credentials (401), throttled after repeated failures (429), without the role (403).\n");
            sb.append("# TYPE hub_http_refused_total counter\n");
            new java.util.TreeMap<>(hub.authenticator().refusals()).forEach((reason, n) -> sb.append(
                    "hub_http_refused_total{reason=\"").append(reason).append("\"} ").append(n).append('\n'));
        }
        sb.append("# HELP hub_queue_depth Messages waiting in each hub queue of the broker.\n");
        sb.append("# TYPE hub_queue_depth gauge\n");
        hub.queueDepths().forEach((q, d) -> sb.append("hub_queue_depth{queue=\"").append(HubMetrics.label(q))
                .append("\"} ").append(d).append('\n'));
        sb.append("# HELP hub_component_up 1 when the component is up, 0 otherwise.\n");
        sb.append("# TYPE hub_component_up gauge\n");
        for (HealthStatus h : hub.platformHealth()) {
            sb.append("hub_component_up{component=\"").append(HubMetrics.label(h.component())).append("\"} ")
                    .append(h.up() ? 1 : 0).append('\n');
        }
        for (Hub.ConnectorInfo c : hub.connectors()) {
            sb.append("hub_component_up{component=\"connector:").append(HubMetrics.label(c.id())).append("\"} ")
                    .append(c.health().up() ? 1 : 0).append('\n');
        }
        return sb.toString();
    }
}
