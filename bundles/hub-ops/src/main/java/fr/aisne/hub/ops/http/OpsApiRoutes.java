package fr.aisne.hub.ops.http;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.security.HubPrincipal;
import fr.aisne.hub.core.http.HubHttpSupport;
import fr.aisne.hub.core.util.Redaction;
import fr.aisne.hub.ops.OpsViews;

/**
 * The operations API under http://host:port/hub/ (etc/hub.core.cfg). health and metrics are open; the
 * rest needs HTTP Basic against the Karaf users: viewer, manager or admin to read, manager or admin to
 * replay, admin to see payloads. A refused caller learns nothing but the status.
 */
public class OpsApiRoutes extends RouteBuilder {
    private static final Set<String> READERS = HubHttpSupport.READERS;
    private static final Set<String> OPERATORS = HubHttpSupport.OPERATORS;

    private final Hub hub;

    public OpsApiRoutes(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void configure() {
        HubHttpSupport.restOnHub(this, hub);

        rest().get("health").routeId("ops.health").to("direct:ops.health")
                .get("metrics").routeId("ops.metrics").to("direct:ops.metrics")
                .get("api/connectors").routeId("ops.connectors").to("direct:ops.connectors")
                .get("api/messages").routeId("ops.messages").to("direct:ops.messages")
                .get("api/messages/{id}").routeId("ops.message").to("direct:ops.message")
                .post("api/messages/{id}/replay").routeId("ops.replay").to("direct:ops.replay");

        from("direct:ops.health").routeId("ops.health.impl").process(e -> {
            Map<String, Object> h = OpsViews.health(hub);
            json(e, "UP".equals(h.get("status")) ? 200 : 503, h);
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
            if (authorize(e, READERS).isPresent()) {
                json(e, 200, OpsViews.connectors(hub));
            }
        });
        from("direct:ops.messages").routeId("ops.messages.impl").process(e -> {
            if (authorize(e, READERS).isEmpty()) {
                return;
            }
            Message m = e.getMessage();
            try {
                var q = OpsViews.query(m.getHeader("partner", String.class), m.getHeader("state", String.class),
                        m.getHeader("correlationId", String.class), m.getHeader("from", String.class),
                        m.getHeader("to", String.class), m.getHeader("limit", String.class));
                json(e, 200, hub.journal().search(q).stream().map(OpsViews::summary).toList());
            } catch (IllegalArgumentException bad) {
                json(e, 400, Map.of("error", bad.getMessage()));
            }
        });
        from("direct:ops.message").routeId("ops.message.impl").process(e -> {
            Optional<HubPrincipal> p = authorize(e, READERS);
            if (p.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            Optional<ExchangeRecord> r = HubHttpSupport.isId(id) ? hub.find(id) : Optional.empty();
            if (r.isEmpty()) {
                json(e, 404, Map.of("error", "no such message"));
                return;
            }
            boolean admin = p.get().isAdmin();
            json(e, 200, OpsViews.detail(r.get(), admin, admin ? hub.payload(id).orElse(null) : null));
        });
        from("direct:ops.replay").routeId("ops.replay.impl").process(e -> {
            Optional<HubPrincipal> p = authorize(e, OPERATORS);
            if (p.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            if (!HubHttpSupport.isId(id) || hub.find(id).isEmpty()) {
                json(e, 404, Map.of("error", "no such message"));
                return;
            }
            try {
                ExchangeRecord r = hub.replay(id, p.get().name());
                json(e, 200, OpsViews.summary(r));
            } catch (IllegalStateException | IllegalArgumentException refused) {
                json(e, 409, Map.of("error", Redaction.redact(refused.getMessage())));
            }
        });
    }

    private Optional<HubPrincipal> authorize(Exchange e, Set<String> roles) {
        return HubHttpSupport.authorize(hub, e, roles);
    }

    private static void json(Exchange e, int status, Object body) {
        HubHttpSupport.json(e, status, body);
    }
}
