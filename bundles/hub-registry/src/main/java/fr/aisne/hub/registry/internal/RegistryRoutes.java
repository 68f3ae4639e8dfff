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

import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.http.HubHttpSupport;
import fr.aisne.hub.core.security.HubPrincipal;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.util.Json;
import fr.aisne.hub.core.util.Redaction;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.InvalidNirException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.ObservationJson;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The registry's routes: the observation endpoint connectors deliver to, the department API under
 * /hub/api/departement/ (its OpenAPI document at /hub/api/openapi.json) and the daily retention run.
 * The department reads with the role departement (or viewer, manager, admin); decisions on probable
 * matches need manager or admin; subject access and retention need admin.
 */
final class RegistryRoutes extends RouteBuilder {
    /** Where connectors deliver canonical observations (ObservationJson). */
    static final String OBSERVE = "direct:hub.registry.observe";
    static final String PARTNER = "departement";
    static final String PURPOSE = "consultation";

    private static final Set<String> DEPARTMENT;
    static {
        Set<String> s = new HashSet<>(HubHttpSupport.READERS);
        s.add("departement");
        DEPARTMENT = Set.copyOf(s);
    }

    private final Hub hub;
    private final PersonRegistry registry;
    private final DepartmentEvents events;
    private final int retentionPeriodHours;

    RegistryRoutes(Hub hub, PersonRegistry registry, DepartmentEvents events, int retentionPeriodHours) {
        this.hub = hub;
        this.registry = registry;
        this.events = events;
        this.retentionPeriodHours = retentionPeriodHours;
    }

    @Override
    public void configure() {
        HubHttpSupport.restOnHub(this, hub);

        // No error handler of its own: a failure goes back to the calling delivery route, which retries,
        // journals and quarantines.
        from(OBSERVE).routeId("registry.observe").errorHandler(noErrorHandler()).process(e -> {
            var m = e.getMessage();
            String partner = m.getHeader(DeliveryHeaders.PARTNER, String.class);
            if (partner == null) {
                throw new IllegalStateException("observation without " + DeliveryHeaders.PARTNER + ": deliver it through a flow");
            }
            MatchResult r = registry.observe(ObservationJson.parse(m.getBody(InputStream.class), partner,
                    m.getHeader(DeliveryHeaders.EXCHANGE_ID, String.class), java.time.Instant.now()));
            m.setHeader(DeliveryHeaders.DETAIL, "registry: " + r.outcome() + " (" + r.how() + ") person " + r.personId()
                    + (r.candidateId() == null ? "" : ", probable match " + r.candidateId() + " waits for an operator"));
            m.setBody(Json.write(r));
        });

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
                HubHttpSupport.json(e, 200, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        from("direct:registry.person").routeId("registry.person.impl").process(e -> {
            if (auth(e, DEPARTMENT).isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            var p = HubHttpSupport.isId(id) ? registry.consult(id, PARTNER, PURPOSE) : Optional.empty();
            HubHttpSupport.json(e, p.isPresent() ? 200 : 404, p.isPresent() ? Json.write(p.get()) : Map.of("error", "no such person"));
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
                HubHttpSupport.json(e, 400, Map.of("error",
                        "give matriculeCaf (digits, with numorg if known) or numeroFranceTravail; a NIR goes in the body of POST persons/lookup-by-nir"));
                return;
            }
            consulted(e, ids);
        });
        from("direct:registry.lookupNir").routeId("registry.lookupNir.impl").process(e -> {
            if (auth(e, DEPARTMENT).isEmpty()) {
                return;
            }
            try {
                JsonNode body = Json.MAPPER.readTree(e.getMessage().getBody(InputStream.class));
                String nir = body == null || body.get("nir") == null ? null : body.get("nir").asText();
                consulted(e, registry.findByNir(nir).map(List::of).orElse(List.of()));
            } catch (InvalidNirException bad) {
                HubHttpSupport.json(e, 400, Map.of("error", bad.getMessage()));
            } catch (IOException bad) {
                HubHttpSupport.json(e, 400, Map.of("error", "body must be {\"nir\": \"...\"}"));
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
                HubHttpSupport.json(e, 400, Map.of("error",
                        "apres (last seq read, digits), limite (1 to 1000) and types (comma-separated event types) only"));
                return;
            }
            Set<String> typeSet = types.isEmpty() ? Set.of() : Set.of(types.split(","));
            List<DepartmentEvent> page = events.since(Long.parseLong(after), Integer.parseInt(limit), typeSet);
            long next = page.isEmpty() ? Long.parseLong(after) : page.get(page.size() - 1).seq();
            HubHttpSupport.json(e, 200, Map.of("evenements", page, "apres", next, "dernier", events.lastSeq()));
        });
        from("direct:registry.sar").routeId("registry.sar.impl").process(e -> {
            if (auth(e, HubHttpSupport.ADMINS).isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            var sar = HubHttpSupport.isId(id) ? registry.subjectAccess(id) : Optional.<Map<String, Object>>empty();
            HubHttpSupport.json(e, sar.isPresent() ? 200 : 404, sar.isPresent() ? sar.get() : Map.of("error", "no such person"));
        });
        from("direct:registry.matches").routeId("registry.matches.impl").process(e -> {
            if (auth(e, DEPARTMENT).isPresent()) {
                HubHttpSupport.json(e, 200, registry.pendingMatches());
            }
        });
        from("direct:registry.decide").routeId("registry.decide.impl").process(e -> {
            Optional<HubPrincipal> p = auth(e, HubHttpSupport.OPERATORS);
            if (p.isEmpty()) {
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
                HubHttpSupport.json(e, 200, Json.write(r));
            } catch (IllegalStateException | IllegalArgumentException refused) {
                HubHttpSupport.json(e, 409, Map.of("error", Redaction.redact(refused.getMessage())));
            }
        });
        from("direct:registry.retention").routeId("registry.retention.impl").process(e -> {
            if (auth(e, HubHttpSupport.ADMINS).isPresent()) {
                HubHttpSupport.json(e, 200, registry.purgeExpired());
            }
        });
        from("timer:hub.registry.retention?delay=600000&period=" + retentionPeriodHours * 3_600_000L)
                .routeId("registry.retention.daily").process(e -> registry.purgeExpired());
    }

    private void consulted(Exchange e, List<String> ids) {
        HubHttpSupport.json(e, 200, ids.stream().map(id -> registry.consult(id, PARTNER, PURPOSE))
                .flatMap(Optional::stream).toList());
    }

    private Optional<HubPrincipal> auth(Exchange e, Set<String> roles) {
        return HubHttpSupport.authorize(hub, e, roles);
    }
}
