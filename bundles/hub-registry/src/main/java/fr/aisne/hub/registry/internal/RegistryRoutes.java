package fr.aisne.hub.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.registry.Access;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.InvalidNirException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.ObservationJson;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The registry's routes: the department API under /hub/api/departement/ (its OpenAPI document at
 * /hub/api/openapi.json) and the daily retention run. Person records, lookups, probable matches, their decisions
 * and the event feed need the role departement (or admin); the subject-access export and the access log need dpo
 * (or admin); retention needs admin. Each route authorises its caller before anything of the body is read, then
 * refuses a body over its limit (413), and reads at most that limit; every read of a person is logged with the
 * caller's account; an unexpected failure is answered 500 with a reference, its detail only in the log.
 */
final class RegistryRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    static final String PARTNER = "departement";
    static final String PURPOSE = "consultation";
    /** Person records, lookups, probable matches and their decisions, the event feed. */
    static final Set<String> PERSON_READERS = Set.of("departement", "admin");
    /** The subject-access export (the NIR in clear) and the access log. */
    static final Set<String> DPO = Set.of("dpo", "admin");
    private static final Set<String> ADMINS = Set.of("admin");
    /** A NIR lookup body is {"nir": "..."}: nothing larger is read. */
    static final int NIR_BODY_MAX = 4096;
    /** The requests that carry no document (reads, decisions, retention): a stray body larger than this is refused. */
    static final int NO_BODY_MAX = 1024;
    /** Rows of the access log in one answer. */
    static final int ACCESS_LOG_MAX = 5000;

    private final HttpSecurity http;
    private final PersonRegistry registry;
    private final AccessLogStore accessLog;
    private final DepartmentEvents events;
    private final int retentionPeriodHours;
    private final java.util.function.Supplier<Map<String, String>> connectorApis;

    RegistryRoutes(HttpSecurity http, PersonRegistry registry, AccessLogStore accessLog, DepartmentEvents events,
            int retentionPeriodHours, java.util.function.Supplier<Map<String, String>> connectorApis) {
        this.connectorApis = connectorApis;
        this.http = http;
        this.registry = registry;
        this.accessLog = accessLog;
        this.events = events;
        this.retentionPeriodHours = retentionPeriodHours;
    }

    @Override
    public void configure() {
        http.restOnHub(this);
        onException(Exception.class).handled(true).process(e -> {
            String reference = UUID.randomUUID().toString();
            LOG.error("Department API failed (reference {}): {}", reference,
                    Redaction.describe(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
            http.json(e, 500, Map.of("error", "internal error", "reference", reference));
        });

        rest("/api").get("/openapi.json").routeId("registry.openapi").to("direct:registry.openapi")
                .get("/departement/persons/{id}").routeId("registry.person").to("direct:registry.person")
                .get("/departement/persons").routeId("registry.lookup").to("direct:registry.lookup")
                .post("/departement/persons/lookup-by-nir").routeId("registry.lookupNir").to("direct:registry.lookupNir")
                .get("/departement/persons/{id}/subject-access").routeId("registry.sar").to("direct:registry.sar")
                .get("/departement/matches").routeId("registry.matches").to("direct:registry.matches")
                .post("/departement/matches/{id}/{decision}").routeId("registry.decide").to("direct:registry.decide")
                .get("/departement/evenements").routeId("registry.events").to("direct:registry.events")
                .get("/departement/acces").routeId("registry.accessLog").to("direct:registry.accessLog")
                .post("/departement/retention/run").routeId("registry.retention.api").to("direct:registry.retention");

        from("direct:registry.openapi").routeId("registry.openapi.impl").process(e -> {
            try (InputStream in = RegistryRoutes.class.getResourceAsStream("/openapi/departement.json")) {
                http.json(e, 200, OpenApiDocument.merged(new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8), connectorApis.get()));
            }
        });
        from("direct:registry.person").routeId("registry.person.impl").process(e -> {
            Optional<Caller> c = admit(e, PERSON_READERS, 0);
            if (c.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            var p = isId(id) ? registry.consult(id, PARTNER, PURPOSE, access(c, Access.READ)) : Optional.empty();
            http.json(e, p.isPresent() ? 200 : 404, p.isPresent() ? Json.write(p.get()) : Map.of("error", "no such person"));
        });
        from("direct:registry.lookup").routeId("registry.lookup.impl").process(e -> {
            Optional<Caller> c = admit(e, PERSON_READERS, 0);
            if (c.isEmpty()) {
                return;
            }
            var m = e.getMessage();
            String matricule = m.getHeader("matriculeCaf", String.class);
            String numorg = m.getHeader("numorg", String.class);
            String ft = m.getHeader("numeroFranceTravail", String.class);
            if (matricule != null && matricule.matches("\\d{1,15}") && (numorg == null || numorg.matches("\\d{3}"))) {
                consulted(e, registry.findByHousehold(numorg, matricule), access(c, Access.LOOKUP_CAF));
            } else if (ft != null && ft.matches("[0-9A-Za-z]{1,20}")) {
                consulted(e, registry.findByIdentifier("france-travail", "numero", ft),
                        access(c, Access.LOOKUP_FRANCE_TRAVAIL));
            } else {
                http.json(e, 400, Map.of("error",
                        "give matriculeCaf (digits, with numorg, 3 digits, if known) or numeroFranceTravail; a NIR goes in "
                                + "the body of POST persons/lookup-by-nir"));
            }
        });
        from("direct:registry.lookupNir").routeId("registry.lookupNir.impl").process(e -> {
            Optional<Caller> c = admit(e, PERSON_READERS, NIR_BODY_MAX);
            if (c.isEmpty()) {
                return;
            }
            byte[] raw = boundedBody(e, NIR_BODY_MAX);
            if (raw == null) {
                return;
            }
            try {
                JsonNode body = Json.MAPPER.readTree(raw);
                String nir = body == null || body.get("nir") == null ? null : body.get("nir").asText();
                consulted(e, registry.findByNir(nir).map(List::of).orElse(List.of()), access(c, Access.LOOKUP_NIR));
            } catch (InvalidNirException bad) {
                http.json(e, 400, Map.of("error", bad.getMessage()));
            } catch (IOException bad) {
                http.json(e, 400, Map.of("error", "body must be {\"nir\": \"...\"}"));
            }
        });
        // The event feed: the department keeps the last seq it processed and asks for what follows
        // (?apres=<seq>&limite=<n>&types=a,b); nothing is lost if it reads late.
        from("direct:registry.events").routeId("registry.events.impl").process(e -> {
            Optional<Caller> c = admit(e, PERSON_READERS, 0);
            if (c.isEmpty()) {
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
            Map<String, Set<String>> typesByPerson = new LinkedHashMap<>();
            page.stream().filter(ev -> ev.personId() != null).forEach(ev -> typesByPerson.computeIfAbsent(ev.personId(),
                    p -> new TreeSet<>()).add(ev.type()));
            accessLog.recordAll(typesByPerson, PARTNER, "evenements", access(c, Access.EVENTS));
            long next = page.isEmpty() ? Long.parseLong(after) : page.get(page.size() - 1).seq();
            http.json(e, 200, Map.of("evenements", page, "apres", next, "dernier", events.lastSeq()));
        });
        from("direct:registry.sar").routeId("registry.sar.impl").process(e -> {
            Optional<Caller> c = admit(e, DPO, 0);
            if (c.isEmpty()) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            var sar = isId(id) ? registry.subjectAccess(id, access(c, Access.SUBJECT_ACCESS))
                    : Optional.<Map<String, Object>>empty();
            http.json(e, sar.isPresent() ? 200 : 404, sar.isPresent() ? sar.get() : Map.of("error", "no such person"));
        });
        from("direct:registry.matches").routeId("registry.matches.impl").process(e -> {
            Optional<Caller> c = admit(e, PERSON_READERS, 0);
            if (c.isPresent()) {
                http.json(e, 200, registry.pendingMatches(PARTNER, PURPOSE, access(c, Access.MATCH_REVIEW)));
            }
        });
        from("direct:registry.decide").routeId("registry.decide.impl").process(e -> {
            Optional<Caller> c = admit(e, PERSON_READERS, NO_BODY_MAX);
            if (c.isEmpty() || !http.stateChangeAllowed(e)) {
                return;
            }
            String id = e.getMessage().getHeader("id", String.class);
            String decision = e.getMessage().getHeader("decision", String.class);
            if (!isId(id)) {
                http.json(e, 404, Map.of("error", "no pending match with this id"));
                return;
            }
            try {
                MatchResult r = switch (decision == null ? "" : decision) {
                    case "confirm" -> registry.confirmMatch(id, c.get().name());
                    case "reject" -> registry.rejectMatch(id, c.get().name());
                    default -> throw new IllegalArgumentException("decision must be confirm or reject");
                };
                http.json(e, 200, Json.write(r));
            } catch (IllegalStateException | IllegalArgumentException refused) {
                http.json(e, 409, Map.of("error", Redaction.redact(refused.getMessage())));
            }
        });
        // The DPO's view of the access log: who read what of whom, and when.
        from("direct:registry.accessLog").routeId("registry.accessLog.impl").process(e -> {
            Optional<Caller> c = admit(e, DPO, 0);
            if (c.isEmpty()) {
                return;
            }
            var m = e.getMessage();
            String personId = m.getHeader("personId", String.class);
            String account = m.getHeader("account", String.class);
            String limit = m.getHeader("limit", "500", String.class);
            Instant from;
            Instant to;
            try {
                from = instant(m.getHeader("from", String.class));
                to = instant(m.getHeader("to", String.class));
            } catch (DateTimeParseException bad) {
                badAccessLogQuery(e);
                return;
            }
            if ((personId == null && account == null) || (personId != null && !isId(personId))
                    || (account != null && !account.matches("[\\w.@-]{1,100}")) || !limit.matches("\\d{1,4}")) {
                badAccessLogQuery(e);
                return;
            }
            List<Map<String, Object>> rows = accessLog.query(personId, account, from, to,
                    Math.min(Integer.parseInt(limit), ACCESS_LOG_MAX));
            accessLog.record(personId, PARTNER, "access-control", List.of(account == null ? "access-log"
                    : "access-log:" + account), null, access(c, Access.ACCESS_LOG));
            http.json(e, 200, Map.of("acces", rows, "count", rows.size()));
        });
        from("direct:registry.retention").routeId("registry.retention.impl").process(e -> {
            if (admit(e, ADMINS, NO_BODY_MAX).isPresent() && http.stateChangeAllowed(e)) {
                http.json(e, 200, registry.purgeExpired());
            }
        });
        from("timer:hub.registry.retention?delay=600000&period=" + retentionPeriodHours * 3_600_000L)
                .routeId("registry.retention.daily").process(e -> registry.purgeExpired());
    }

    /**
     * The caller, when it has one of the roles and its request declares no body larger than {@code maxBody};
     * otherwise the request is answered (401, 403 or 429 before anything else; then 413) and empty is returned.
     * Nothing of the body is read here.
     */
    private Optional<Caller> admit(Exchange e, Set<String> roles, long maxBody) {
        Optional<Caller> c = http.authorize(e, roles);
        return c.isPresent() && http.bodyWithin(e, maxBody) ? c : Optional.empty();
    }

    /**
     * The body, at most {@code max} bytes read, whether its length was declared or not (chunked); null, answered
     * 413, when there is more.
     */
    private byte[] boundedBody(Exchange e, int max) throws IOException {
        InputStream in = e.getMessage().getBody(InputStream.class);
        byte[] raw = in == null ? new byte[0] : in.readNBytes(max + 1);
        if (raw.length > max) {
            http.json(e, 413, Map.of("error", "request body larger than " + max + " bytes; at most " + max
                    + " accepted here"));
            return null;
        }
        return raw;
    }

    private void badAccessLogQuery(Exchange e) {
        http.json(e, 400, Map.of("error", "give personId (a registry id) or account (an account name), or both; from "
                + "and to as ISO-8601 instants; limit up to " + ACCESS_LOG_MAX));
    }

    private void consulted(Exchange e, List<String> ids, Access access) {
        http.json(e, 200, registry.consultAll(ids, PARTNER, PURPOSE, access));
    }

    private static Access access(Optional<Caller> caller, String kind) {
        return new Access(caller.orElseThrow().name(), kind);
    }

    private static Instant instant(String iso) {
        return iso == null || iso.isBlank() ? null : Instant.parse(iso);
    }

    private static boolean isId(String id) {
        return id != null && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
