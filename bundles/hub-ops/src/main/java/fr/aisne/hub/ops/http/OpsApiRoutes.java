package fr.aisne.hub.ops.http;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.operations.AccessLog;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.ops.OpsViews;

/**
 * The operations API under http://host:port/hub/ (etc/hub.core.cfg). {@code /hub/health} without credentials
 * says UP or DOWN only, with credentials each component and its reason; {@code /hub/metrics} is open (counters
 * only). The rest needs HTTP Basic against the hub's accounts: viewer, manager or admin to read, manager or
 * admin to replay, admin to see payloads (a bounded preview inline, the whole payload streamed from its own
 * endpoint). Each payload read is recorded in the access log with the account before a byte is shown; without
 * the access log no payload is shown. A refused caller learns nothing but the status; nothing is read from a
 * request before its caller is authorised.
 */
public class OpsApiRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(OpsApiRoutes.class);
    private static final Set<String> READERS = HttpSecurity.READERS;
    private static final Set<String> OPERATORS = HttpSecurity.OPERATORS;
    private static final Set<String> ADMINS = Set.of("admin");
    /** Bytes of a payload shown inline in a message's detail. */
    static final int PREVIEW_BYTES = 64 * 1024;

    private final HubOperations hub;
    private final HttpSecurity http;
    private final Supplier<Optional<AccessLog>> accessLog;
    /**
     * The overview's counts, shared by every open console: the hour's for 5 s (consoles refresh every 5 s), the
     * day's for a minute (a day's count reads up to a day of journal rows).
     */
    private final fr.aisne.hub.ops.RecentViews<Map<String, Object>> recentHour =
            new fr.aisne.hub.ops.RecentViews<>(java.time.Duration.ofSeconds(5), java.time.Clock.systemUTC());
    private final fr.aisne.hub.ops.RecentViews<Map<String, Object>> recentDay =
            new fr.aisne.hub.ops.RecentViews<>(java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());

    /** @param accessLog where payload reads are recorded (the registry's service), when it is there */
    public OpsApiRoutes(HubOperations hub, Supplier<Optional<AccessLog>> accessLog) {
        this.hub = hub;
        this.http = hub.http();
        this.accessLog = accessLog;
    }

    @Override
    public void configure() {
        http.restOnHub(this);
        onException(Exception.class).handled(true).process(e -> {
            String reference = java.util.UUID.randomUUID().toString();
            LOG.error("Operations API failed (reference {}): {}", reference,
                    Redaction.describe(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
            http.json(e, 500, Map.of("error", "internal error", "reference", reference));
        });

        rest().get("health").routeId("ops.health").to("direct:ops.health")
                .get("metrics").routeId("ops.metrics").to("direct:ops.metrics")
                .get("api/connectors").routeId("ops.connectors").to("direct:ops.connectors")
                .get("api/me").routeId("ops.me").to("direct:ops.me")
                .get("api/stats").routeId("ops.stats").to("direct:ops.stats")
                .get("api/messages").routeId("ops.messages").to("direct:ops.messages")
                .get("api/messages/{id}").routeId("ops.message").to("direct:ops.message")
                .get("api/messages/{id}/payload").routeId("ops.payload").to("direct:ops.payload")
                .post("api/messages/{id}/replay").routeId("ops.replay").to("direct:ops.replay");

        from("direct:ops.health").routeId("ops.health.impl").process(e -> {
            Map<String, Object> h = OpsViews.health(hub);
            int status = "UP".equals(h.get("status")) ? 200 : 503;
            // Reasons may tell an attacker too much: without credentials, only UP or DOWN.
            boolean identified = e.getMessage().getHeader("Authorization") != null;
            if (!identified) {
                http.json(e, status, Map.of("status", h.get("status")));
            } else if (http.authorize(e, READERS).isPresent()) {
                http.json(e, status, h);
            }
        });
        from("direct:ops.metrics").routeId("ops.metrics.impl").process(e -> {
            String text = OpsViews.prometheus(hub);
            Message m = e.getMessage();
            m.removeHeaders("*");
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            m.setBody(text);
        });
        from("direct:ops.connectors").routeId("ops.connectors.impl").process(e -> {
            if (http.authorize(e, READERS).isPresent()) {
                http.json(e, 200, OpsViews.connectors(hub));
            }
        });
        from("direct:ops.me").routeId("ops.me.impl").process(e -> {
            http.authorize(e, READERS).ifPresent(c -> http.json(e, 200, OpsViews.me(c)));
        });
        from("direct:ops.stats").routeId("ops.stats.impl").process(e -> {
            if (http.authorize(e, READERS).isEmpty()) {
                return;
            }
            try {
                String window = e.getMessage().getHeader("window", "hour", String.class);
                OpsViews.window(window); // a bad name is refused before the cache sees it
                http.json(e, 200, ("day".equals(window.trim()) ? recentDay : recentHour).get(window.trim(),
                        () -> OpsViews.stats(hub, window, java.time.Instant.now())));
            } catch (IllegalArgumentException bad) {
                http.json(e, 400, Map.of("error", bad.getMessage()));
            }
        });
        from("direct:ops.messages").routeId("ops.messages.impl").process(e -> {
            if (http.authorize(e, READERS).isEmpty()) {
                return;
            }
            Message m = e.getMessage();
            try {
                var q = OpsViews.query(m.getHeader("partner", String.class), m.getHeader("flow", String.class),
                        m.getHeader("state", String.class), m.getHeader("correlationId", String.class),
                        m.getHeader("q", String.class), m.getHeader("from", String.class), m.getHeader("to", String.class),
                        m.getHeader("limit", String.class));
                http.json(e, 200, hub.search(q).stream().map(OpsViews::summary).toList());
            } catch (IllegalArgumentException bad) {
                http.json(e, 400, Map.of("error", bad.getMessage()));
            }
        });
        from("direct:ops.message").routeId("ops.message.impl").process(e -> {
            Optional<Caller> p = http.authorize(e, READERS);
            if (p.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            Optional<ExchangeRecord> r = OpsViews.isId(id) ? hub.find(id) : Optional.empty();
            if (r.isEmpty()) {
                http.json(e, 404, Map.of("error", "no such message"));
                return;
            }
            boolean admin = p.get().isAdmin();
            var preview = admin && r.get().hasPayload() && recorded(p.get(), id, AccessLog.PAYLOAD_PREVIEW)
                    ? hub.preview(id, PREVIEW_BYTES) : Optional.<fr.aisne.hub.api.operations.PayloadPreview>empty();
            http.json(e, 200, OpsViews.detail(r.get(), preview.orElse(null)));
        });
        from("direct:ops.payload").routeId("ops.payload.impl").process(e -> {
            Optional<Caller> p = http.authorize(e, ADMINS);
            if (p.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            Optional<ExchangeRecord> r = OpsViews.isId(id) ? hub.find(id) : Optional.empty();
            if (r.isEmpty() || !r.get().hasPayload()) {
                http.json(e, 404, Map.of("error", "no stored payload for this message"));
                return;
            }
            if (!recorded(p.get(), id, AccessLog.PAYLOAD_DOWNLOAD)) {
                http.json(e, 503, Map.of("error", "payloads are not shown while the access log cannot record who reads "
                        + "them (the registry is not running, or its database refused the record)"));
                return;
            }
            Optional<InputStream> payload = hub.openPayload(id);
            if (payload.isEmpty()) {
                http.json(e, 404, Map.of("error", "no stored payload for this message"));
                return;
            }
            Message m = e.getMessage();
            m.removeHeaders("*");
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, r.get().contentType());
            m.setHeader("Content-Disposition", "attachment; filename=\"" + id + "\"");
            m.setBody(payload.get()); // streamed by Jetty, closed when sent
        });
        from("direct:ops.replay").routeId("ops.replay.impl").process(e -> {
            Optional<Caller> p = http.authorize(e, OPERATORS);
            if (p.isEmpty() || !http.stateChangeAllowed(e)) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            if (!OpsViews.isId(id) || hub.find(id).isEmpty()) {
                http.json(e, 404, Map.of("error", "no such message"));
                return;
            }
            try {
                ExchangeRecord r = hub.replay(id, p.get().name());
                http.json(e, 200, OpsViews.summary(r));
            } catch (IllegalStateException | IllegalArgumentException refused) {
                http.json(e, 409, Map.of("error", Redaction.redact(refused.getMessage())));
            }
        });
    }

    /**
     * Records that {@code caller} reads the payload of exchange {@code id}, durably (the access log) and in the log
     * file; false, with the reason logged, when it cannot be recorded: the payload is then not shown.
     */
    private boolean recorded(Caller caller, String id, String kind) {
        Optional<AccessLog> log = accessLog.get();
        if (log.isEmpty()) {
            LOG.warn("Payload of exchange {} not shown to {}: no access log to record the read in", id, caller.name());
            return false;
        }
        try {
            log.get().payloadRead(caller.name(), id, kind);
        } catch (RuntimeException failed) {
            LOG.warn("Payload of exchange {} not shown to {}: the read could not be recorded: {}", id, caller.name(),
                    Redaction.describe(failed));
            return false;
        }
        LOG.info("Payload of exchange {} read ({}) by {}", id, kind, caller.name());
        return true;
    }
}
