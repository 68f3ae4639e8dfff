package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The department's follow-up (issue 19) in the real distribution (feature hub-departement, a boot feature): a small
 * data set recorded through the real registry and department events services (Derby), then the worklists and the
 * indicators read over HTTP, JSON and CSV, with the access log of the worklist read.
 * <pre>
 * worklists, dates relative to today (Europe/Paris), UTAS Laon:
 *   Late   opened today-40, orientation due today-10, not oriented      -> orientation list, 10 days late
 *   Soon   opened today-5,  due today+25, not oriented                  -> only with jours=30, 25 days left
 *   NoCer  oriented today-40 (orientation.decidee), no contrat          -> contrat list (30 days): 10 days late
 *   Short  contrat d'engagement with 10 hours a week (registry)         -> heures list
 * indicators, June 2025, UTAS Soissons, worked out by hand:
 *   E  opened 06-02 (due 07-02), oriented 06-12 PSO departement (10 d), CER 06-20
 *   F  opened 06-10 (due 07-10), oriented 07-20 PSP france-travail (40 d)
 *   G  opened 06-20, not oriented
 *   -> 3 entries, median (10 + 40) / 2 = 25 days, 1 of 3 within the month (0.3333), oriented in June: E, with its
 *      CER: 1.0000; orientations in June: PSO 1; no immersion data: 0 and a note
 * </pre>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DepartementFollowUpIT extends HubTestSupport {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** The registry starts late on a loaded machine: wait longer than Pax Exam's default 10 s for its services. */
    @Inject
    @Filter(timeout = 120_000)
    PersonRegistry registry;

    @Inject
    @Filter(timeout = 120_000)
    DepartmentEvents events;

    @Configuration
    public Option[] config() {
        return hubDistribution();
    }

    @Test
    public void worklistsAndIndicatorsOverHttp() {
        awaitHealthUp();
        HubHttp.await("the follow-up API is up", Duration.ofSeconds(60),
                () -> http().get("/hub/api/departement/indicateurs?annee=2025").status() == 200);
        LocalDate today = LocalDate.now(PARIS);

        String late = person("Late", "Lucie", "1981-01-01", "Laon", "R-LAON-1");
        String soon = person("Soon", "Samuel", "1982-02-02", "Laon", "R-LAON-1");
        String noCer = person("Nocer", "Nadia", "1983-03-03", "Laon", "R-LAON-2");
        String shortHours = person("Short", "Sacha", "1984-04-04", "Laon", "R-LAON-2", "cer_date_signature",
                today.minusDays(20).toString(), "cer_heures_hebdo", "10");
        String e = person("Evrard", "Emma", "1985-05-05", "Soissons", "R-SOI");
        String f = person("Fabre", "Félix", "1986-06-06", "Soissons", "R-SOI");
        String g = person("Gautier", "Gaëlle", "1987-07-07", "Soissons", "R-SOI");

        publish(opened(late, today.minusDays(40), today.minusDays(10)), opened(soon, today.minusDays(5), today.plusDays(25)),
                opened(noCer, today.minusDays(45), today.minusDays(15)),
                event("orientation.decidee", noCer, today.minusDays(40), "parcours", "PSO", "organisme_type", "departement",
                        "date", today.minusDays(40).toString()),
                opened(shortHours, today.minusDays(60), today.minusDays(30)),
                event("orientation.decidee", shortHours, today.minusDays(25), "parcours", "PSP", "organisme_type",
                        "france-travail"));
        publish(opened(e, LocalDate.of(2025, 6, 2), LocalDate.of(2025, 7, 2)),
                opened(f, LocalDate.of(2025, 6, 10), LocalDate.of(2025, 7, 10)),
                opened(g, LocalDate.of(2025, 6, 20), LocalDate.of(2025, 7, 20)),
                event("orientation.decidee", e, LocalDate.of(2025, 6, 12), "parcours", "PSO", "organisme_type", "departement"),
                event("cer.signe", e, LocalDate.of(2025, 6, 20), "date_signature", "2025-06-20", "heures_hebdo", "20"),
                event("orientation.decidee", f, LocalDate.of(2025, 7, 20), "parcours", "PSP", "organisme_type",
                        "france-travail"));

        // A late orientation is in the worklist (and the one due in 25 days only within 30 days)
        HubHttp.Response orientation = http().get("/hub/api/departement/suivi/orientation?territoire=Laon");
        assertEquals(orientation.body(), 200, orientation.status());
        assertTrue(orientation.body(), orientation.body().contains("\"personId\":\"" + late + "\",\"nom\":\"Late\""));
        assertTrue(orientation.body(), orientation.body().contains("\"statut\":\"en retard\",\"echeance\":\""
                + today.minusDays(10) + "\",\"jours_de_retard\":10"));
        assertFalse(orientation.body(), orientation.body().contains(soon));
        assertFalse("oriented persons are not listed", orientation.body().contains(noCer));
        String within30 = http().get("/hub/api/departement/suivi/orientation?territoire=Laon&jours=30").body();
        assertTrue(within30, within30.contains(soon) && within30.contains("\"jours_de_retard\":-25"));
        assertFalse("another territory", http().get("/hub/api/departement/suivi/orientation?territoire=Soissons&jours=30")
                .body().contains(late));
        assertTrue(http().get("/hub/api/departement/suivi/orientation?referent=R-LAON-1").body().contains(late));
        assertFalse(http().get("/hub/api/departement/suivi/orientation?referent=R-LAON-2").body().contains(late));

        String contract = http().get("/hub/api/departement/suivi/contrat?territoire=Laon").body();
        assertTrue(contract, contract.contains("\"personId\":\"" + noCer + "\"")
                && contract.contains("\"jours_de_retard\":10"));
        assertFalse("oriented 25 days ago: not yet due at 30 days", contract.contains(shortHours));
        String hours = http().get("/hub/api/departement/suivi/heures").body();
        assertTrue(hours, hours.contains("\"personId\":\"" + shortHours + "\"") && hours.contains("\"cer_heures_hebdo\":10"));
        assertEquals(400, http().get("/hub/api/departement/suivi/orientation?jours=abc").status());
        assertEquals(404, http().get("/hub/api/departement/suivi/inconnue").status());
        assertEquals(401, http().getAnonymous("/hub/api/departement/suivi/orientation").status());

        // Every person listed is in the access log, with the account and the kind worklist
        String log = http().get("/hub/api/departement/acces?personId=" + late).body();
        assertTrue(log, log.contains("\"account\":\"admin\",\"kind\":\"worklist\""));

        // The indicators of June 2025 in Soissons, JSON
        HubHttp.Response json = http().get("/hub/api/departement/indicateurs?annee=2025&mois=6&territoire=Soissons");
        assertEquals(json.body(), 200, json.status());
        String b = json.body();
        for (String figure : List.of("\"entrees_droits_devoirs\":3", "\"orientes_cohorte\":2",
                "\"delai_orientation_median_jours\":25", "\"orientes_dans_le_mois\":1", "\"part_orientes_dans_le_mois\":0.3333",
                "\"orientes_periode\":1", "\"part_cer_signe\":1.0000", "\"orientations_par_parcours\":{\"PSO\":1}",
                "\"orientations_par_organisme\":{\"departement\":1}", "\"immersions\":0")) {
            assertTrue(figure + " in " + b, b.contains(figure));
        }
        assertTrue(b, b.contains("Immersion Facilitée"));
        assertFalse("one territory asked: " + b, b.contains("\"Laon\""));
        // the whole Aisne for the year holds the same June figures (nothing else in 2025)
        String year = http().get("/hub/api/departement/indicateurs?annee=2025").body();
        assertTrue(year, year.contains("\"Aisne\":{\"entrees_droits_devoirs\":3,"));

        // CSV
        HubHttp.Response csv = http().get("/hub/api/departement/indicateurs?annee=2025&mois=6&territoire=Soissons&format=csv");
        assertEquals(csv.body(), 200, csv.status());
        assertTrue(csv.header("Content-Type"), csv.header("Content-Type").startsWith("text/csv"));
        assertTrue(csv.body(), csv.body().startsWith("annee,mois,territoire,indicateur,dimension,valeur\r\n"));
        assertTrue(csv.body(), csv.body().contains("\r\n2025,6,Soissons,delai_orientation_median_jours,,25\r\n"));
        assertTrue(csv.body(), csv.body().contains("\r\n2025,6,Soissons,part_orientes_dans_le_mois,,0.3333\r\n"));
        assertTrue(csv.body(), csv.body().contains("\r\n2025,6,Soissons,orientations_par_parcours,PSO,1\r\n"));
        assertEquals(400, http().get("/hub/api/departement/indicateurs?annee=2025&mois=13").status());
        assertEquals(400, http().get("/hub/api/departement/indicateurs").status());

        // and the OpenAPI document describes both
        String openapi = http().get("/hub/api/openapi.json").body();
        assertTrue(openapi.contains("/api/departement/indicateurs") && openapi.contains("/api/departement/suivi/{liste}"));
    }

    private String person(String name, String firstName, String birth, String utas, String referent, String... more) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("nom_naissance", name);
        attrs.put("prenom", firstName);
        attrs.put("date_naissance", birth);
        attrs.put("utas", utas);
        attrs.put("referent_id", referent);
        for (int i = 0; i < more.length; i += 2) {
            attrs.put(more[i], more[i + 1]);
        }
        MatchResult r = registry.observe(new PersonObservation("aisne-actifs", UUID.randomUUID().toString(),
                Instant.now(), null, Map.of(), attrs, null));
        assertEquals(MatchResult.Outcome.ABSENT, r.outcome());
        return r.personId();
    }

    private void publish(DepartmentEvent... batch) {
        assertEquals(batch.length, events.publish(UUID.randomUUID().toString(), List.of(batch)));
    }

    private static DepartmentEvent opened(String person, LocalDate day, LocalDate due) {
        return event("foyer.nouveau-soumis-droits-devoirs", person, day, "orientation_avant", due.toString(), "role", "DEM");
    }

    private static DepartmentEvent event(String type, String person, LocalDate day, String... details) {
        Map<String, String> d = new LinkedHashMap<>();
        for (int i = 0; i < details.length; i += 2) {
            d.put(details[i], details[i + 1]);
        }
        return DepartmentEvent.of(type, person, null, day.atTime(12, 0).atZone(PARIS).toInstant(), "aisne-actifs",
                UUID.randomUUID().toString(), d);
    }
}
