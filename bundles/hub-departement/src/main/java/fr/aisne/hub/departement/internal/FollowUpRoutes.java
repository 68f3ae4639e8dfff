package fr.aisne.hub.departement.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.registry.Access;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The department's follow-up API, under /hub/api/departement/ beside the registry's: the worklists
 * ({@code GET suivi/{liste}}) and the indicators ({@code GET indicateurs}, JSON or CSV). Roles departement and
 * admin, as the registry's person reads; the caller is authorised before anything else; every worklist shown is
 * logged in the registry's access log with the account (kind {@code worklist}, one row per person listed, through
 * {@link PersonRegistry#consultAll}); the indicators are counts and shares, no person in them.
 */
final class FollowUpRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUpRoutes.class);
    static final Set<String> READERS = Set.of("departement", "admin");
    /** How a worklist read is recorded in the access log. */
    static final String WORKLIST = "worklist";
    static final int LIST_MAX = 5000;
    private static final String TERRITORY = "[\\p{L}\\p{N} '’.()-]{1,80}";

    private final HttpSecurity http;
    private final PersonRegistry registry;
    private final FollowUpSource source;
    private final Clock clock;

    FollowUpRoutes(HttpSecurity http, PersonRegistry registry, FollowUpSource source, Clock clock) {
        this.http = http;
        this.registry = registry;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public void configure() {
        http.restOnHub(this);
        onException(Exception.class).handled(true).process(e -> {
            String reference = UUID.randomUUID().toString();
            LOG.error("Department follow-up API failed (reference {}): {}", reference,
                    Redaction.describe(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
            http.json(e, 500, Map.of("error", "internal error", "reference", reference));
        });
        rest("/api").get("/departement/suivi/{liste}").routeId("departement.worklist").to("direct:departement.worklist")
                .get("/departement/indicateurs").routeId("departement.indicators").to("direct:departement.indicators");

        from("direct:departement.worklist").routeId("departement.worklist.impl").process(this::worklist);
        from("direct:departement.indicators").routeId("departement.indicators.impl").process(this::indicators);
    }

    private void worklist(Exchange e) {
        Optional<Caller> c = admit(e);
        if (c.isEmpty()) {
            return;
        }
        Message m = e.getMessage();
        Worklists.Kind kind = Worklists.Kind.of(m.getHeader("liste", String.class));
        String days = m.getHeader("jours", String.class);
        String territory = m.getHeader("territoire", String.class);
        String referent = m.getHeader("referent", String.class);
        String limit = m.getHeader("limite", "500", String.class);
        if (kind == null) {
            http.json(e, 404, Map.of("error", "worklists: suivi/orientation, suivi/contrat, suivi/heures"));
            return;
        }
        if ((days != null && !days.matches("\\d{1,3}")) || (territory != null && !territory.matches(TERRITORY))
                || (referent != null && !referent.matches("[\\w.@-]{1,100}")) || !limit.matches("\\d{1,4}")) {
            http.json(e, 400, Map.of("error", "jours (0 to 999 days), territoire (a UTAS name or code), referent (a "
                    + "referent_id) and limite (1 to " + LIST_MAX + ") only"));
            return;
        }
        int n = days == null ? kind.defaultDays : Integer.parseInt(days);
        LocalDate today = LocalDate.now(clock);
        FollowUpSource.Snapshot s = source.read();
        List<Worklists.Entry> all = Worklists.of(kind, s.files().values(), today, n, territory, referent);
        List<Worklists.Entry> shown = all.subList(0, Math.min(all.size(), Math.max(1, Math.min(Integer.parseInt(limit),
                LIST_MAX))));
        List<String> ids = shown.stream().map(Worklists.Entry::personId).toList();
        // the consultation through the department's rules, logged per person with the account (kind worklist)
        // (an empty list is logged too, as a lookup that found nobody)
        Map<String, ConsolidatedPerson> read = new LinkedHashMap<>();
        registry.consultAll(ids, "departement", "consultation", new Access(c.get().name(), WORKLIST))
                .forEach(p -> read.put(p.id(), p));
        List<Map<String, Object>> persons = new ArrayList<>();
        for (Worklists.Entry w : shown) {
            ConsolidatedPerson p = read.get(w.personId());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("personId", w.personId());
            row.put("nom", value(p, "nom_usage", "nom_naissance"));
            row.put("prenom", value(p, "prenom"));
            row.put("territoire", w.territory());
            row.put("referent_id", w.referent());
            row.put("statut", w.status());
            row.put("echeance", w.reference().toString());
            row.put("jours_de_retard", w.daysLate());
            row.putAll(w.facts());
            persons.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("liste", kind.name);
        body.put("date", today.toString());
        body.put("jours", n);
        body.put("territoire", territory);
        body.put("referent", referent);
        body.put("total", all.size());
        body.put("personnes", persons);
        http.json(e, 200, body);
    }

    private void indicators(Exchange e) {
        if (admit(e).isEmpty()) {
            return;
        }
        Message m = e.getMessage();
        String year = m.getHeader("annee", String.class);
        String month = m.getHeader("mois", String.class);
        String territory = m.getHeader("territoire", String.class);
        String format = m.getHeader("format", "json", String.class);
        if (year == null || !year.matches("20\\d\\d") || (month != null && !month.matches("0?[1-9]|1[0-2]"))
                || (territory != null && !territory.matches(TERRITORY)) || !format.matches("json|csv")) {
            http.json(e, 400, Map.of("error", "annee (2000 to 2099, required), mois (1 to 12: a month of that year; "
                    + "absent: the whole year), territoire (a UTAS name or code; absent: the Aisne and each UTAS) and "
                    + "format (json or csv) only"));
            return;
        }
        Indicators.Period period = Indicators.Period.of(Integer.parseInt(year),
                month == null ? null : Integer.valueOf(month));
        FollowUpSource.Snapshot s = source.read();
        Indicators.Result r = Indicators.compute(s.events(), s.files(), period, territory, clock.getZone());
        if ("csv".equals(format)) {
            m.removeHeaders("*");
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=UTF-8");
            m.setHeader("Content-Disposition", "attachment; filename=\"indicateurs-" + year
                    + (month == null ? "" : "-" + String.format("%02d", Integer.parseInt(month))) + ".csv\"");
            m.setBody(Indicators.csv(r).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("annee", period.year());
        body.put("mois", period.month());
        body.put("du", period.start().toString());
        body.put("au", period.end().minusDays(1).toString());
        body.put("calcule_le", clock.instant().toString());
        body.put("definitions", "docs/INDICATORS.md");
        body.put("territoires", r.territories());
        body.put("notes", r.notes());
        http.json(e, 200, body);
    }

    private Optional<Caller> admit(Exchange e) {
        Optional<Caller> c = http.authorize(e, READERS);
        return c.isPresent() && http.bodyWithin(e, 1024) ? c : Optional.empty();
    }

    private static String value(ConsolidatedPerson p, String... names) {
        if (p == null) {
            return null;
        }
        for (String n : names) {
            ConsolidatedPerson.Attribute a = p.attributes().get(n);
            if (a != null && a.value() != null) {
                return a.value();
            }
        }
        return null;
    }

}
