package fr.aisne.hub.departement.internal;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.registry.DepartmentEvent;

/**
 * A small fixed data set (five persons, March 2027) whose figures are worked out by hand in the tests' comments:
 * <pre>
 * P1 Laon      opened 03-01 (due 04-01), oriented 03-11 PSP france-travail (10 d), CER 03-20 15 h, FT 03-05,
 *              immersion C1 from 03-20, 35 h, assessment: job (ends 03-24); action 1-2 in 03-15, out 03-31 emploi-durable
 * P2 Laon      opened 03-03 (due 04-03), oriented 04-10 PSO departement (38 d), no CER; immersion C2 03-25 21.5 h
 *              then cancelled; action 2 in 03-16, out 04-02 abandon
 * P3 Soissons  opened 03-10 (due 04-10), not oriented, referent R2 (event); FT 04-01; training in 03-12
 * P4 Soissons  opened 03-15 (due 04-15), oriented 03-30 PED ccas (registry only, 15 d), CER 04-02 10 h (registry);
 *              immersion C3 from 02-25; training in 03-20, dropped out 03-28
 * P5 (no UTAS) opened 02-20 (due 03-20), oriented 03-05 PSP departement (13 d), CER 03-01 20 h (before the orientation)
 * </pre>
 */
final class FixedDataSet {
    static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    final List<DepartmentEvent> events = new ArrayList<>();
    final Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
    private long seq;

    static FixedDataSet march2027() {
        FixedDataSet d = new FixedDataSet();
        d.attr("P1", "utas", "Laon", "referent_id", "R1", "ft_date_inscription", "2027-03-05");
        d.opened("P1", "2027-03-01", "2027-04-01");
        d.event("orientation.decidee", "P1", "2027-03-11", "parcours", "PSP", "organisme_type", "france-travail",
                "date", "2027-03-11");
        d.event("cer.signe", "P1", "2027-03-20", "date_signature", "2027-03-20", "heures_hebdo", "15");
        d.event("immersion.validee", "P1", "2027-03-19", "convention", "C1", "date_debut", "2027-03-20",
                "date_fin", "2027-03-24", "heures", "35");
        d.event("immersion.bilan", "P1", "2027-03-25", "convention", "C1", "date_debut", "2027-03-20",
                "date_fin", "2027-03-24", "heures", "35", "sortie_emploi", "oui");
        d.event("action.entree", "P1", "2027-03-15", "axe", "1-2", "date_entree", "2027-03-15");
        d.event("action.sortie", "P1", "2027-04-01", "motif_sortie", "emploi-durable", "date_sortie", "2027-03-31");

        d.attr("P2", "utas", "Laon");
        d.opened("P2", "2027-03-03", "2027-04-03");
        d.event("orientation.decidee", "P2", "2027-04-10", "parcours", "PSO", "organisme_type", "departement");
        d.event("immersion.validee", "P2", "2027-03-20", "convention", "C2", "date_debut", "2027-03-25",
                "heures", "21.5");
        d.event("immersion.annulee", "P2", "2027-03-24", "convention", "C2", "date_debut", "2027-03-25",
                "heures", "21.5");
        d.event("action.entree", "P2", "2027-03-16", "axe", "2", "date_entree", "2027-03-16");
        d.event("action.sortie", "P2", "2027-04-02", "motif_sortie", "abandon", "date_sortie", "2027-04-02");

        d.attr("P3", "utas", "Soissons", "ft_date_inscription", "2027-04-01");
        d.opened("P3", "2027-03-10", "2027-04-10");
        d.event("referent.designe", "P3", "2027-03-11", "referent_id", "R2");
        d.event("formation.entree", "P3", "2027-03-12", "dateEffet", "2027-03-12");

        d.attr("P4", "utas", "Soissons", "orientation_date", "2027-03-30", "orientation_parcours", "PED",
                "orientation_organisme_type", "ccas", "cer_date_signature", "2027-04-02", "cer_heures_hebdo", "10");
        d.opened("P4", "2027-03-15", "2027-04-15");
        d.event("immersion.validee", "P4", "2027-02-20", "convention", "C3", "date_debut", "2027-02-25",
                "heures", "14");
        d.event("formation.entree", "P4", "2027-03-20", "dateEffet", "2027-03-20");
        d.event("formation.abandon", "P4", "2027-03-28", "dateEffet", "2027-03-28");

        d.opened("P5", "2027-02-20", "2027-03-20");
        d.event("orientation.decidee", "P5", "2027-03-05", "parcours", "PSP", "organisme_type", "departement");
        d.event("cer.signe", "P5", "2027-03-01", "date_signature", "2027-03-01", "heures_hebdo", "20");
        return d;
    }

    Map<String, PersonFile> files() {
        return PersonFile.build(events, attributes, ZONE);
    }

    void opened(String person, String day, String due) {
        event("foyer.nouveau-soumis-droits-devoirs", person, day, "orientation_avant", due, "role", "DEM");
    }

    void attr(String person, String... nameValues) {
        Map<String, String> m = attributes.computeIfAbsent(person, p -> new HashMap<>());
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
    }

    void event(String type, String person, String day, String... details) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < details.length; i += 2) {
            m.put(details[i], details[i + 1]);
        }
        events.add(new DepartmentEvent(++seq, type, person, null, LocalDate.parse(day).atTime(12, 0).atZone(ZONE)
                .toInstant(), "test", "exchange-" + seq, m));
    }
}
