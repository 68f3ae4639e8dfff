package fr.aisne.hub.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.InvalidNirException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.ObservationJson;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The registry's routes: the department API under
 * /hub/api/departement/ (its OpenAPI document at /hub/api/openapi.json) and the daily retention run.
 * The department reads with the role departement (or viewer, manager, admin); decisions on probable
 * matches need manager or admin; subject access and retention need admin.
 */
final class RegistryRoutes extends RouteBuilder {
    static final String PARTNER = "departement";
    private static final Set<String> ADMINS = Set.of("admin");
    /** A NIR lookup body is {"nir": "..."}: nothing larger is read. */
    static final int NIR_BODY_MAX = 4096;
    static final String PURPOSE = "consultation";

    private static final Set<String> DEPARTMENT;
    static {
        Set<String> s = new HashSet<>(HttpSecurity.READERS);
        s.add("departement");
        DEPARTMENT = Set.copyOf(s);
    }

    private final HttpSecurity http;
    private final PersonRegistry registry;
    private final DepartmentEvents events;
    private final int retentionPeriodHours;
    private final java.util.function.Supplier<Map<String, String>> connectorApis;

    RegistryRoutes(HttpSecurity http, PersonRegistry registry, DepartmentEvents events, int retentionPeriodHours,
            java.util.function.Supplier<Map<String, String>> connectorApis) {
        this.connectorApis = connectorApis;
        this.http = http;
        this.registry = registry;
        this.events = events;
        this.retentionPeriodHours = retentionPeriodHours;
    }

    @Override
    public void configure() {
        http.restOnHub(this);

        rest("/api").get("/openapi.json").routeId("registry.openapi").to("direct:registry.openapi")
                .get("/departement/persons/{id}").routeId("registry.person").to("direct:registry.person")
                .get("/departement/persons").routeId("registry.lookup").to("direct:registry.lookup")
                .post("/departement/persons/lookup-by-nir").routeId("registry.lookupNir").to("direct:registry.lookupNir")
                .get("/departement/persons/{id}/subject-access").routeId("registry.sar").to("direct:registry.sar")
                .get("/departement/matches").routeId("registry.matches").to("direct:registry.matches")
                .post("/departement/matches/{id}/{decision}").routeId("registry.decide").to("direct:registry.decide")
                .get("/departement/evenements").routeId("registry.events").to("direct:registry.events")
                .post("/departement/retention/run").routeId("registry.retention.api").to("direct:registry.retention");

        from("direct:registry.openapi").routeId("registry.openapi.impl").process(e -> {
            try (InputStream in = RegistryRoutes.class.getResourceAsStream("/openapi/departement.json")) {
                http.json(e, 200, OpenApiDocument.merged(new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8), connectorApis.get()));
            }
        });
        from("direct:registry.person").routeId("registry.person.impl").process(e -> {
            if (auth(e, DEPARTMENT).isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            var p = isId(id) ? registry.consult(id, PARTNER, PURPOSE) : Optional.empty();
            http.json(e, p.isPresent() ? 200 : 404, p.isPresent() ? Json.write(p.get()) : Map.of("error", "no such person"));
        });
        from("direct:registry.lookup").routeId("registry.lookup.impl").process(e -> {
            if (auth(e, DEPARTMENT).isEmpty()) {
                return;
            }
            var m = e.getMessage();
            String matricule = m.getHeader("matriculeCaf", String.class);
            String ft = m.getHeader("numeroFranceTravail", String.class);
            List<String> ids;
            if (matricule != null && matricule.matches("\\d{1,15}")) {
                ids = registry.findByHousehold(m.getHeader("numorg", String.class), matricule);
            } else if (ft != null && ft.matches("[0-9A-Za-z]{1,20}")) {
                ids = registry.findByIdentifier("france-travail", "numero", ft);
            } else {
                http.json(e, 400, Map.of("error",
                        "give matriculeCaf (digits, with numorg if known) or numeroFranceTravail; a NIR goes in the body of POST persons/lookup-by-nir"));
                return;
            }
            consulted(e, ids);
        });
        from("direct:registry.lookupNir").routeId("registry.lookupNir.impl").process(e -> {
            if (auth(e, DEPARTMENT).isEmpty() || !http.bodyWithin(e, NIR_BODY_MAX)) {
                return;
            }
            try {
                byte[] raw = e.getMessage().getBody(InputStream.class).readNBytes(NIR_BODY_MAX + 1);
                if (raw.length > NIR_BODY_MAX) {
                    http.json(e, 413, Map.of("error", "body larger than " + NIR_BODY_MAX + " bytes"));
                    return;
                }
                JsonNode body = Json.MAPPER.readTree(raw);
                String nir = body == null || body.get("nir") == null ? null : body.get("nir").asText();
                consulted(e, registry.findByNir(nir).map(List::of).orElse(List.of()));
            } catch (InvalidNirException bad) {
                http.json(e, 400, Map.of("error", bad.getMessage()));
            } catch (IOException bad) {
                http.json(e, 400, Map.of("error", "body must be {\"nir\": \"...\"}"));
            }
        });
        // The event feed: the department keeps the last seq it processed and asks for what follows
        // (?apres=<seq>&limite=<n>&types=a,b); nothing is lost if it reads late.
        from("direct:registry.events").routeId("registry.events.impl").process(e -> {
            if (auth(e, DEPARTMENT).isEmpty()) {
                return;
            }
            var m = e.getMessage();
            String after = m.getHeader("apres", "0", String.class);
            String limit = m.getHeader("limite", "100", String.class);
            String types = m.getHeader("types", "", String.class);
            if (!after.matches("\\d{1,18}") || !limit.matches("\\d{1,4}") || !types.matches("[a-z.,-]{0,300}")) {
                http.json(e, 400, Map.of("error",
                        "apres (last seq read, digits), limite (1 to 1000) and types (comma-separated event types) only"));
                return;
            }
            Set<String> typeSet = types.isEmpty() ? Set.of() : Set.of(types.split(","));
            List<DepartmentEvent> page = events.since(Long.parseLong(after), Integer.parseInt(limit), typeSet);
            long next = page.isEmpty() ? Long.parseLong(after) : page.get(page.size() - 1).seq();
            http.json(e, 200, Map.of("evenements", page, "apres", next, "dernier", events.lastSeq()));
        });
        from("direct:registry.sar").routeId("registry.sar.impl").process(e -> {
            if (auth(e, ADMINS).isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            var sar = isId(id) ? registry.subjectAccess(id) : Optional.<Map<String, Object>>empty();
            http.json(e, sar.isPresent() ? 200 : 404, sar.isPresent() ? sar.get() : Map.of("error", "no such person"));
        });
        from("direct:registry.matches").routeId("registry.matches.impl").process(e -> {
            if (auth(e, DEPARTMENT).isPresent()) {
                http.json(e, 200, registry.pendingMatches());
            }
        });
        from("direct:registry.decide").routeId("registry.decide.impl").process(e -> {
            Optional<Caller> p = auth(e, HttpSecurity.OPERATORS);
            if (p.isEmpty() || !http.stateChangeAllowed(e)) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            String decision = e.getMessage().getHeader("decision", String.class);
            try {
                MatchResult r = switch (decision == null ? "" : decision) {
                    case "confirm" -> registry.confirmMatch(id, p.get().name());
                    case "reject" -> registry.rejectMatch(id, p.get().name());
                    default -> throw new IllegalArgumentException("decision must be confirm or reject");
                };
                http.json(e, 200, Json.write(r));
            } catch (IllegalStateException | IllegalArgumentException refused) {
                http.json(e, 409, Map.of("error", Redaction.redact(refused.getMessage())));
            }
        });
        from("direct:registry.retention").routeId("registry.retention.impl").process(e -> {
            if (auth(e, ADMINS).isPresent() && http.stateChangeAllowed(e)) {
                http.json(e, 200, registry.purgeExpired());
            }
        });
        from("timer:hub.registry.retention?delay=600000&period=" + retentionPeriodHours * 3_600_000L)
                .routeId("registry.retention.daily").process(e -> registry.purgeExpired());
    }

    private void consulted(Exchange e, List<String> ids) {
        http.json(e, 200, ids.stream().map(id -> registry.consult(id, PARTNER, PURPOSE))
                .flatMap(Optional::stream).toList());
    }

    private Optional<Caller> auth(Exchange e, Set<String> roles) {
        return http.authorize(e, roles);
    }

    private static boolean isId(String id) {
        return id != null && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
