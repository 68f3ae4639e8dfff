package fr.aisne.hub.connector.ouiform.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import fr.aisne.hub.api.HttpSecurity;

/**
 * The department's read APIs of the connector, on the hub's listener (documented in the hub's
 * {@code /hub/api/openapi.json} through {@code describeApi}):
 * <ul>
 * <li>{@code GET /hub/api/departement/formations?...}: the regional catalogue's sessions (search);</li>
 * <li>{@code GET /hub/api/departement/formations/{idSession}}: one session;</li>
 * <li>{@code GET /hub/api/departement/prescriptions-formation?personId=}: a person's prescriptions and their
 * statuses;</li>
 * <li>{@code GET /hub/api/departement/prescriptions-formation/{idPrescriptionHub}}: one prescription and its
 * history.</li>
 * </ul>
 * Roles {@code readers.roles} (departement and the journal readers by default), checked before anything else.
 */
final class DepartementRoutes extends RouteBuilder {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,119}");
    private static final Pattern PERSON = Pattern.compile("[A-Za-z0-9-]{1,36}");
    private static final Map<String, Pattern> FILTERS = Map.of("codeInsee", Pattern.compile("[0-9]{5}|2[AB][0-9]{3}"),
            "codePostal", Pattern.compile("[0-9]{5}"), "departement", Pattern.compile("[0-9]{2,3}|2[AB]"),
            "formacode", Pattern.compile("[0-9]{5}"), "rome", Pattern.compile("[A-Z][0-9]{4}"),
            "siret", Pattern.compile("[0-9]{14}"));

    private final HttpSecurity http;
    private final CatalogueStore catalogue;
    private final PrescriptionStore prescriptions;
    private final Set<String> readers;

    DepartementRoutes(HttpSecurity http, CatalogueStore catalogue, PrescriptionStore prescriptions, String[] readers) {
        this.http = http;
        this.catalogue = catalogue;
        this.prescriptions = prescriptions;
        this.readers = Set.of(readers);
    }

    @Override
    public void configure() {
        http.restOnHub(this);
        rest("/api/departement")
                .get("/formations").routeId("ouiform.formations").to("direct:ouiform.formations")
                .get("/formations/{idSession}").routeId("ouiform.formation").to("direct:ouiform.formation")
                .get("/prescriptions-formation").routeId("ouiform.prescriptions").to("direct:ouiform.prescriptions")
                .get("/prescriptions-formation/{idPrescriptionHub}").routeId("ouiform.prescription")
                .to("direct:ouiform.prescription");
        from("direct:ouiform.formations").routeId("ouiform.formations.impl").process(this::search);
        from("direct:ouiform.formation").routeId("ouiform.formation.impl").process(e -> {
            if (http.authorize(e, readers).isPresent()) {
                String id = e.getMessage().getHeader("idSession", String.class);
                var s = id != null && ID.matcher(id).matches() ? catalogue.session(id) : java.util.Optional.<Map<String, Object>>empty();
                http.json(e, s.isPresent() ? 200 : 404, s.isPresent() ? s.get() : Map.of("error",
                        "no session with this idSession in the current catalogue"));
            }
        });
        from("direct:ouiform.prescriptions").routeId("ouiform.prescriptions.impl").process(e -> {
            if (http.authorize(e, readers).isPresent()) {
                String person = e.getMessage().getHeader("personId", String.class);
                if (person == null || !PERSON.matcher(person).matches()) {
                    http.json(e, 400, Map.of("error", "give personId (the person's registry id)"));
                    return;
                }
                List<Map<String, Object>> out = new ArrayList<>();
                prescriptions.byPerson(person).forEach(p -> out.add(view(p, false)));
                http.json(e, 200, Map.of("prescriptions", out));
            }
        });
        from("direct:ouiform.prescription").routeId("ouiform.prescription.impl").process(e -> {
            if (http.authorize(e, readers).isPresent()) {
                String id = e.getMessage().getHeader("idPrescriptionHub", String.class);
                var p = id != null && ID.matcher(id).matches() ? prescriptions.find(id)
                        : java.util.Optional.<PrescriptionStore.Prescription>empty();
                http.json(e, p.isPresent() ? 200 : 404, p.isPresent() ? view(p.get(), true) : Map.of("error",
                        "no prescription with this idPrescriptionHub"));
            }
        });
    }

    private void search(Exchange e) {
        if (http.authorize(e, readers).isEmpty()) {
            return;
        }
        var m = e.getMessage();
        Map<String, String> f = new LinkedHashMap<>();
        for (var entry : FILTERS.entrySet()) {
            String v = m.getHeader(entry.getKey(), String.class);
            if (v != null && !v.isBlank()) {
                if (!entry.getValue().matcher(v.strip()).matches()) {
                    http.json(e, 400, Map.of("error", entry.getKey() + " does not have the expected form ("
                            + entry.getValue().pattern() + ")"));
                    return;
                }
                f.put(entry.getKey(), v.strip());
            }
        }
        String texte = m.getHeader("texte", String.class);
        if (texte != null && texte.length() > 200) {
            http.json(e, 400, Map.of("error", "texte: at most 200 characters"));
            return;
        }
        LocalDate apres;
        LocalDate avant;
        int limite;
        int page;
        try {
            apres = date(m.getHeader("debutApres", String.class));
            avant = date(m.getHeader("debutAvant", String.class));
            limite = number(m.getHeader("limite", "50", String.class), 1, CatalogueStore.MAX_LIMIT);
            page = number(m.getHeader("page", "0", String.class), 0, 100_000);
        } catch (IllegalArgumentException bad) {
            http.json(e, 400, Map.of("error", bad.getMessage()));
            return;
        }
        String ouvertes = m.getHeader("ouvertes", "true", String.class);
        if (!ouvertes.equals("true") && !ouvertes.equals("false")) {
            http.json(e, 400, Map.of("error", "ouvertes: true (default) or false"));
            return;
        }
        CatalogueStore.Page result = catalogue.search(new CatalogueStore.Query(texte, f.get("codeInsee"),
                f.get("codePostal"), f.get("departement"), apres, avant, Boolean.parseBoolean(ouvertes),
                f.get("formacode"), f.get("rome"), f.get("siret"), limite, page));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", result.total());
        out.put("page", page);
        out.put("limite", limite);
        out.put("formations", result.sessions());
        catalogue.lastPublication().ifPresent(p -> out.put("catalogue", p));
        http.json(e, 200, out);
    }

    private static LocalDate date(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(v.strip());
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("dates are yyyy-MM-dd (debutApres, debutAvant)");
        }
    }

    private static int number(String v, int min, int max) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("limite is 1 to " + CatalogueStore.MAX_LIMIT + ", page 0 or more");
        }
    }

    private Map<String, Object> view(PrescriptionStore.Prescription p, boolean withHistory) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idPrescriptionHub", p.idHub());
        m.put("personId", p.personId());
        m.put("idSession", p.idSession());
        if (p.idAction() != null) {
            m.put("idAction", p.idAction());
        }
        m.put("datePrescription", p.datePrescription().toString());
        m.put("canal", p.canal());
        m.put("etat", p.etat().name());
        if (p.refus() != null) {
            m.put(p.etat() == PrescriptionStore.Etat.REFUSEE ? "refus" : "derniereErreur", p.refus());
        }
        if (p.idOuiform() != null) {
            m.put("idPrescriptionOuiForm", p.idOuiform());
        }
        if (p.statut() != null) {
            m.put("statut", p.statut());
            m.put("sequence", p.sequence());
            m.put("dateEffet", p.dateEffet() == null ? null : p.dateEffet().toString());
        }
        if (p.motif() != null) {
            m.put("motif", p.motif());
        }
        m.put("echange", p.exchangeId());
        catalogue.session(p.idSession()).ifPresent(s -> m.put("session", Map.of("intitule", String.valueOf(s.get("intitule")),
                "lieu", s.get("lieu"))));
        if (withHistory) {
            m.put("historique", prescriptions.history(p.idHub()));
        }
        return m;
    }
}
