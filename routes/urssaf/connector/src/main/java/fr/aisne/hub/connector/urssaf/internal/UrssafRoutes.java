package fr.aisne.hub.connector.urssaf.internal;

import java.io.IOException;
import java.time.YearMonth;
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
import fr.aisne.hub.connector.urssaf.internal.Computation.Decision;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;

/**
 * The connector's operations API on the hub's listener, and its timer. Route ids start with {@code urssaf.}.
 * <pre>
 * GET  /hub/api/urssaf/mois                              closed months, and the current month's figures (readers)
 * GET  /hub/api/urssaf/mois/{mois}                       one month: declared lines, or figures now (readers)
 * POST /hub/api/urssaf/mois/{mois}/cloture               close the month (operators)
 * GET  /hub/api/urssaf/mois/{mois}/preuves.csv|.json     a closed month's evidence (readers)
 * POST /hub/api/urssaf/conventions/{key}/decision        {"decision":"compter"|"exclure"} for an employee (operators)
 * GET  /hub/api/urssaf/accidents                         accident declarations, deadlines, states (readers)
 * POST /hub/api/urssaf/accidents/{id}/transmise          the declaration was sent to the CPAM (operators)
 * </pre>
 */
final class UrssafRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(UrssafRoutes.class);
    static final String API = "/api/urssaf";
    private static final Set<String> READERS = Set.of("departement", "viewer", "manager", "admin");
    private static final long MAX_REQUEST = 4096;

    private final UrssafRuntime r;
    private final HttpSecurity http;

    UrssafRoutes(UrssafRuntime runtime, HttpSecurity http) {
        this.r = runtime;
        this.http = http;
    }

    @Override
    public void configure() {
        from("timer:urssaf.pending?delay=5000&period=30000").routeId("urssaf.pending").process(e -> r.offerPending());

        http.restOnHub(this);
        rest(API).get("/mois").routeId("urssaf.api.months").to("direct:urssaf.months")
                .get("/mois/{mois}").routeId("urssaf.api.month").to("direct:urssaf.month")
                .post("/mois/{mois}/cloture").routeId("urssaf.api.close").to("direct:urssaf.close")
                .get("/mois/{mois}/preuves.csv").routeId("urssaf.api.csv").to("direct:urssaf.csv")
                .get("/mois/{mois}/preuves.json").routeId("urssaf.api.json").to("direct:urssaf.json")
                .post("/conventions/{key}/decision").routeId("urssaf.api.decision").to("direct:urssaf.decision")
                .get("/accidents").routeId("urssaf.api.accidents").to("direct:urssaf.accidents")
                .post("/accidents/{id}/transmise").routeId("urssaf.api.transmitted").to("direct:urssaf.transmitted");

        from("direct:urssaf.months").routeId("urssaf.months.impl").process(e -> {
            if (http.authorize(e, READERS).isEmpty()) {
                return;
            }
            answer(e, () -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("moisEnCours", r.monthView(r.months.current()));
                out.put("moisClos", r.store.months().stream().map(m -> r.monthView(m.month())).toList());
                return out;
            });
        });
        from("direct:urssaf.month").routeId("urssaf.month.impl").process(e -> {
            if (http.authorize(e, READERS).isEmpty()) {
                return;
            }
            YearMonth m = month(e);
            if (m != null) {
                answer(e, () -> r.monthView(m));
            }
        });
        from("direct:urssaf.close").routeId("urssaf.close.impl").process(e -> {
            Optional<Caller> c = operator(e);
            if (c.isEmpty()) {
                return;
            }
            YearMonth m = month(e);
            if (m == null) {
                return;
            }
            LOG.info("URSSAF AT/MP: closing of {} asked by {}", m, c.get().name());
            answer(e, () -> {
                r.months.close(m, c.get().name());
                return r.monthView(m);
            });
        });
        from("direct:urssaf.csv").routeId("urssaf.csv.impl").process(e -> evidence(e, false));
        from("direct:urssaf.json").routeId("urssaf.json.impl").process(e -> evidence(e, true));
        from("direct:urssaf.decision").routeId("urssaf.decision.impl").process(e -> {
            Optional<Caller> c = operator(e);
            if (c.isEmpty()) {
                return;
            }
            JsonNode body = body(e);
            if (body == null) {
                return;
            }
            String d = body.path("decision").asText("");
            Decision decision = switch (d) {
                case "compter" -> Decision.COUNT;
                case "exclure" -> Decision.EXCLUDE;
                default -> null;
            };
            if (decision == null) {
                http.json(e, 400, Map.of("error", "decision : compter ou exclure"));
                return;
            }
            String key = e.getMessage().getHeader("key", String.class);
            answer(e, () -> {
                r.months.decide(key, decision, c.get().name());
                return Map.of("convention", key, "decision", d);
            });
        });
        from("direct:urssaf.accidents").routeId("urssaf.accidents.impl").process(e -> {
            if (http.authorize(e, READERS).isEmpty()) {
                return;
            }
            answer(e, () -> Map.of("accidents", r.accidentViews(),
                    "parEtat", r.accidents.counts(r.settings.accidentWarning())));
        });
        from("direct:urssaf.transmitted").routeId("urssaf.transmitted.impl").process(e -> {
            Optional<Caller> c = operator(e);
            if (c.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            if (r.accidents.find(id).isEmpty()) {
                http.json(e, 404, Map.of("error", "déclaration d'accident inconnue"));
                return;
            }
            boolean done = r.accidents.transmitted(id, c.get().name());
            http.json(e, done ? 200 : 409, done ? r.accidents.view(r.accidents.find(id).orElseThrow(),
                    r.settings.accidentWarning()) : Map.of("error", "déjà marquée transmise"));
        });
    }

    private void evidence(Exchange e, boolean json) {
        if (http.authorize(e, READERS).isEmpty()) {
            return;
        }
        YearMonth m = month(e);
        if (m == null) {
            return;
        }
        Optional<MonthRow> row = r.store.month(m);
        if (row.isEmpty()) {
            http.json(e, 404, Map.of("error", "le mois " + m + " n'est pas clos : pas encore de preuves"));
            return;
        }
        var days = r.store.days(m);
        byte[] content = json ? Evidence.json(row.get(), r.settings.declarantSiret(), r.store.lines(m), days)
                : Evidence.csv(row.get(), days);
        e.getMessage().getHeaders().clear();
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, json ? "application/json" : "text/csv; charset=UTF-8");
        e.getMessage().setHeader("X-Content-SHA256", Evidence.sha256(content));
        e.getMessage().setBody(content);
    }

    private YearMonth month(Exchange e) {
        String s = e.getMessage().getHeader("mois", String.class);
        try {
            return YearMonth.parse(s);
        } catch (DateTimeParseException | NullPointerException x) {
            http.json(e, 400, Map.of("error", "mois au format AAAA-MM attendu"));
            return null;
        }
    }

    private Optional<Caller> operator(Exchange e) {
        return http.operator(e, MAX_REQUEST);
    }

    private JsonNode body(Exchange e) throws IOException {
        return http.jsonObjectBody(e, MAX_REQUEST);
    }

    @FunctionalInterface
    private interface Action {
        Object run();
    }

    private void answer(Exchange e, Action a) {
        try {
            http.json(e, 200, a.run());
        } catch (Months.Refused x) {
            http.json(e, x.status(), Map.of("error", x.getMessage()));
        } catch (RuntimeException x) {
            LOG.warn("URSSAF AT/MP API: {} failed ({})", e.getFromRouteId(), x.getClass().getSimpleName());
            http.json(e, 500, Map.of("error", "erreur interne (" + x.getClass().getSimpleName() + ")"));
        }
    }
}
