package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;

/**
 * The connector's own routes: the webhook intake, its operations API on the hub's listener, and its timers
 * (subscription check, reconciliation, probable matches). Route ids start with {@code immersion-facilitee.}.
 * <pre>
 * GET  /hub/api/immersion-facilitee/conventions?from=&amp;to=     the department's conventions (departement, readers)
 * GET  /hub/api/immersion-facilitee/conventions/{key}          one, with its status history (same)
 * POST /hub/api/immersion-facilitee/conventions/{id}/reread    read one again from the platform (operators)
 * GET  /hub/api/immersion-facilitee/subscription               subscription and reconciliation (readers)
 * POST /hub/api/immersion-facilitee/subscription {"rotate"}    check and repair the subscription now (operators)
 * POST /hub/api/immersion-facilitee/reconciliation {"kind"}    recent | nightly, now (operators)
 * </pre>
 */
final class ImRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ImRoutes.class);
    static final String API = "/api/immersion-facilitee";
    private static final Set<String> DEPARTMENT_READERS = Set.of("departement", "viewer", "manager", "admin");
    private static final long MAX_REQUEST = 4096;

    private final ImRuntime r;
    private final HttpSecurity http;

    ImRoutes(ImRuntime runtime, HttpSecurity http) {
        this.r = runtime;
        this.http = http;
    }

    @Override
    public void configure() {
        ImSettings s = r.settings;
        if (s.webhookEnabled()) {
            from(http.postConsumer(ImSettings.WEBHOOK_PATH))
                    .routeId("immersion-facilitee.webhook").process(r.webhookIntake);
            from("timer:immersion-facilitee.subscription?delay=2000&period=5000").routeId("immersion-facilitee.subscription")
                    .process(e -> r.checkSubscription());
        }
        if (s.reconcileEnabled()) {
            from("timer:immersion-facilitee.reconcile?delay=3000&period=1000").routeId("immersion-facilitee.reconcile")
                    .process(e -> r.reconciliation.tick());
        }
        from("timer:immersion-facilitee.matches?delay=5000&period=" + s.matchCheck().toMillis())
                .routeId("immersion-facilitee.matches").process(e -> r.resolveMatches());

        http.restOnHub(this);
        rest(API).get("/conventions").routeId("immersion-facilitee.api.conventions").to("direct:immersion-facilitee.conventions")
                .get("/conventions/{key}").routeId("immersion-facilitee.api.convention").to("direct:immersion-facilitee.convention")
                .post("/conventions/{key}/reread").routeId("immersion-facilitee.api.reread").to("direct:immersion-facilitee.reread")
                .get("/subscription").routeId("immersion-facilitee.api.status").to("direct:immersion-facilitee.status")
                .post("/subscription").routeId("immersion-facilitee.api.subscribe").to("direct:immersion-facilitee.subscribe")
                .post("/reconciliation").routeId("immersion-facilitee.api.reconcile").to("direct:immersion-facilitee.reconcile");

        from("direct:immersion-facilitee.conventions").routeId("immersion-facilitee.conventions.impl").process(e -> {
            if (http.authorize(e, DEPARTMENT_READERS).isEmpty()) {
                return;
            }
            LocalDate from;
            LocalDate to;
            try {
                String f = e.getMessage().getHeader("from", String.class);
                String t = e.getMessage().getHeader("to", String.class);
                to = t == null ? LocalDate.now().plusYears(1) : LocalDate.parse(t);
                from = f == null ? to.minusYears(2) : LocalDate.parse(f);
            } catch (DateTimeParseException ex) {
                http.json(e, 400, Map.of("error", "from and to are dates yyyy-MM-dd"));
                return;
            }
            http.json(e, 200, Map.of("conventions", r.store.overlapping(from, to)));
        });
        from("direct:immersion-facilitee.convention").routeId("immersion-facilitee.convention.impl").process(e -> {
            if (http.authorize(e, DEPARTMENT_READERS).isEmpty()) {
                return;
            }
            String key = e.getMessage().getHeader("key", String.class);
            Optional<PmsmpConvention> c = r.store.find(key);
            if (c.isEmpty()) {
                http.json(e, 404, Map.of("error", "no such convention"));
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("convention", c.get());
            out.put("history", r.store.history(key));
            http.json(e, 200, out);
        });
        from("direct:immersion-facilitee.reread").routeId("immersion-facilitee.reread.impl").process(e -> {
            if (operator(e).isEmpty()) {
                return;
            }
            answer(e, () -> r.operations.reread(e.getMessage().getHeader("key", String.class)), 202);
        });
        from("direct:immersion-facilitee.status").routeId("immersion-facilitee.status.impl").process(e -> {
            if (http.authorize(e, HttpSecurity.READERS).isEmpty()) {
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("subscription", r.subscriptions.status());
            out.put("callbackUrl", s.callbackUrl());
            out.put("reconciliation", r.reconciliation.status());
            out.put("conventions", r.store.counts());
            http.json(e, 200, out);
        });
        from("direct:immersion-facilitee.subscribe").routeId("immersion-facilitee.subscribe.impl").process(e -> {
            Optional<Caller> c = operator(e);
            if (c.isEmpty()) {
                return;
            }
            JsonNode body = body(e);
            if (body == null) {
                return;
            }
            boolean rotate = body.path("rotate").asBoolean(false);
            LOG.info("Immersion Facilitée subscription check{} asked by {}", rotate ? " with a new secret" : "", c.get().name());
            answer(e, () -> r.operations.subscription(rotate), 200);
        });
        from("direct:immersion-facilitee.reconcile").routeId("immersion-facilitee.reconcile.impl").process(e -> {
            Optional<Caller> c = operator(e);
            if (c.isEmpty()) {
                return;
            }
            JsonNode body = body(e);
            if (body == null) {
                return;
            }
            String kind = body.path("kind").asText("recent");
            if (!kind.equals("recent") && !kind.equals("nightly")) {
                http.json(e, 400, Map.of("error", "kind: recent or nightly"));
                return;
            }
            LOG.info("Immersion Facilitée reconciliation ({}) asked by {}", kind, c.get().name());
            answer(e, () -> r.operations.reconcile(kind.equals("nightly")), 202);
        });
    }

    private Optional<Caller> operator(Exchange e) {
        return http.operator(e, MAX_REQUEST);
    }

    private JsonNode body(Exchange e) throws IOException {
        return http.jsonObjectBody(e, MAX_REQUEST);
    }

    @FunctionalInterface
    private interface Action {
        String run() throws Exception;
    }

    private void answer(Exchange e, Action a, int status) {
        try {
            http.json(e, status, Map.of("result", a.run()));
        } catch (IllegalStateException | IllegalArgumentException ex) {
            http.json(e, 409, Map.of("error", Redaction.redact(ex.getMessage())));
        } catch (Exception ex) {
            http.json(e, 502, Map.of("error", Redaction.describe(ex)));
        }
    }
}
