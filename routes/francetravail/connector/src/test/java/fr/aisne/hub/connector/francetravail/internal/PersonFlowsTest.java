package fr.aisne.hub.connector.francetravail.internal;

import static fr.aisne.hub.api.testing.DeliveryFailures.permanent;
import static fr.aisne.hub.api.testing.DeliveryFailures.temporary;

import static fr.aisne.hub.connector.francetravail.internal.Fixture.JETON;
import static fr.aisne.hub.connector.francetravail.internal.Fixture.NIR_A;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.ConsolidatedPerson;

/** Orientation, refresh (with and without RQTH), appointments, over a real registry and a fake France Travail. */
public class PersonFlowsTest extends FixtureTestSupport {
    private Fixture fixture(Map<String, String> rules) throws Exception {
        newFixture(rules);
        f.searchFinds("12533590042");
        return f;
    }

    private String identified() throws Exception {
        String person = f.person(NIR_A, "1985-05-12");
        f.runtime.identification.identify(person, "ex-id", f.runtime.settings.agent());
        f.fake.clear();
        return person;
    }

    private static String run(Deliveries.Work w, String json, String exchangeId) throws Exception {
        return Deliveries.run(w, (ObjectNode) Json.MAPPER.readTree(json), exchangeId);
    }

    @Test
    public void orientationIsPushedThenReadBackAndRecordedWithProvenance() throws Exception {
        fixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12"); // not identified yet: the orientation identifies first
        f.fake.on("POST", FranceTravailClient.ORIENTATION, r -> Response.json(201, "{}"));
        // lectureOrientation as France Travail answers it: an array, snake_case, the closed orientation kept
        f.fake.on("GET", FranceTravailClient.LECTURE_ORIENTATION, r -> Response.json(200, "[{\"parcours\":\"PED\","
                + "\"organisme\":\"FT\",\"etat\":\"CLOS\",\"date_entree_parcours\":\"2026-03-01\"},"
                + "{\"parcours\":\"PSO\",\"organisme\":\"CD\",\"origine\":\"PRESCRIPTION\",\"statut\":\"DECIDE\","
                + "\"etat\":\"OUVERT\",\"structure\":{\"code_aurore\":null,\"libelle_structure\":\"Conseil départemental de l'Aisne\"},"
                + "\"date_entree_parcours\":\"2026-11-21\",\"date_creation\":\"2026-11-21\","
                + "\"criteres_orientation\":{\"contrainte_sante\":\"AUCUNE\",\"boe\":false},"
                + "\"decision\":{\"etat_decision\":\"VALIDEE\",\"date_decision\":\"2026-11-21\"}}]"));

        String detail = run((p, id) -> {
            Payloads.OrientationRequest o = Payloads.orientation(p);
            return f.runtime.persons.orientation(o.personId(), o.parcours(), o.origine(), f.runtime.settings.agent(), id);
        }, "{\"personId\":\"" + person + "\",\"parcours\":\"PSO\",\"origine\":\"PRESCRIPTION\"}", "ex-or");

        assertTrue(detail, detail.startsWith("orientation PSO pushed to France Travail (HTTP 201), read back PSO by CD on 2026-11-21"));
        FakeFranceTravail.Request push = f.fake.requests(FranceTravailClient.ORIENTATION).get(0);
        JsonNode body = Json.MAPPER.readTree(push.body());
        assertEquals("PRESCRIPTION", body.get("origine").asText());
        assertEquals("PSO", body.get("parcours").asText());
        assertEquals("CD", body.get("organisme").asText());
        assertEquals(3, body.size());
        assertEquals(JETON, push.header("ft-jeton-usager"));
        assertEquals("Bearer " + f.fake.lastToken(), f.fake.requests(FranceTravailClient.LECTURE_ORIENTATION).get(0)
                .header("Authorization"));
        assertEquals(1, f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NIR).size());

        ConsolidatedPerson p = f.registry.find(person).orElseThrow();
        ConsolidatedPerson.Attribute o = p.attributes().get("orientation");
        assertEquals("PSO", o.value());
        assertEquals("france-travail", o.source().partner());
        assertEquals("ex-or", o.source().exchangeId());
        assertEquals("CD", p.attributes().get("orientation_organisme").value());
        assertEquals("2026-11-21", p.attributes().get("orientation_date").value());
        assertEquals("OUVERT", p.attributes().get("orientation_etat").value());
        assertEquals("Conseil départemental de l'Aisne", p.attributes().get("orientation_structure").value());
        assertEquals("{\"contrainte_sante\":\"AUCUNE\",\"boe\":false}", p.attributes().get("orientation_criteres").value());
    }

    @Test
    public void orientationForAPersonFranceTravailDoesNotKnowIsQuarantinedForReplay() throws Exception {
        fixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12");
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(200, "{\"codeRetour\":\"S002\"}"));
        DeliveryFailure e = permanent(() -> run((p, id) -> f.runtime.persons
                .orientation(person, "PED", "CD", f.runtime.settings.agent(), id), "{}", "ex-or"));
        assertTrue(e.getMessage(), e.getMessage().contains("person not identified at France Travail (NOT_FOUND S002)")
                && e.getMessage().contains("then replay"));
        assertTrue(f.fake.requests(FranceTravailClient.ORIENTATION).isEmpty());
    }

    @Test
    public void refreshReadsBackAndLeavesRqthAloneWithoutItsRule() throws Exception {
        fixture(Map.of());
        String person = identified();
        f.fake.on("GET", FranceTravailClient.CONTRAT, r -> Response.json(200,
                "{\"m_contrat\":{\"m_statut\":\"Inscrit\",\"m_date_effet_statut\":\"2026-01-05\",\"m_categ_inscription_code\":\"1\","
                + "\"m_categ_inscription_lib\":\"PERSONNE SANS EMPLOI\",\"m_motif_cloture_code\":null}}"));
        f.fake.on("GET", FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.LECTURE_ORIENTATION, r -> Response.json(200,
                "[{\"parcours\":\"PSP\",\"date_entree_parcours\":\"2025-01-01\"},{\"parcours\":\"PSO\",\"date_entree_parcours\":\"2026-06-01\"}]"));
        f.fake.on("GET", FranceTravailClient.RQTH, r -> Response.json(200, "{\"topValiditeRQTH\":true}"));

        String detail = f.runtime.persons.refresh(person, f.runtime.settings.agent(), "ex-rf");

        assertTrue(detail, detail.contains("refreshed from France Travail: contrat, lectureOrientation"));
        assertTrue(detail, detail.contains("no data: informations-administratives"));
        assertTrue(detail, detail.contains("rqth not read"));
        assertTrue(f.fake.requests(FranceTravailClient.RQTH).isEmpty());
        ConsolidatedPerson p = f.registry.find(person).orElseThrow();
        assertEquals("Inscrit", p.attributes().get("ft_inscription_statut").value());
        assertEquals("2026-01-05", p.attributes().get("ft_inscription_date").value());
        assertNull("null fields are not recorded", p.attributes().get("ft_inscription_motif_cloture"));
        assertEquals("1", p.attributes().get("ft_inscription_categorie").value());
        assertEquals("the newest orientation", "PSO", p.attributes().get("orientation").value());
        assertNull(p.attributes().get("rqth"));
        assertEquals("agent-42", f.fake.requests(FranceTravailClient.CONTRAT).get(0).header("pa-identifiant-agent"));
    }

    @Test
    public void rqthIsReadAndRecordedOnlyWhenTheDisclosureRulesAllowIt() throws Exception {
        fixture(Map.of("disclose.france-travail.rqth", "id.france-travail.numero"));
        String person = identified();
        f.fake.on("GET", FranceTravailClient.CONTRAT, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.LECTURE_ORIENTATION, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.RQTH, r -> Response.json(200,
                "{\"topValiditeRQTH\":true,\"dateDebutRqth\":\"2024-02-01\",\"dateFinRqth\":\"9999-12-31\"}"));

        String detail = f.runtime.persons.refresh(person, f.runtime.settings.batchAgent(), "ex-rf");

        assertTrue(detail, detail.contains("rqth recorded (special category, masked)"));
        assertFalse("the value stays out of the journal", detail.contains("oui"));
        assertEquals("BATCH", f.fake.requests(FranceTravailClient.RQTH).get(0).header("pa-identifiant-agent"));
        ConsolidatedPerson p = f.registry.find(person).orElseThrow();
        assertEquals("oui", p.attributes().get("rqth").value());
        assertEquals("2024-02-01", p.attributes().get("rqth_date_debut").value());
        assertNull("open-ended", p.attributes().get("rqth_date_fin"));
    }

    @Test
    public void refusedJetonIsRenewedOnceByANewIdentification() throws Exception {
        fixture(Map.of());
        String person = identified();
        AtomicInteger calls = new AtomicInteger();
        f.fake.on("GET", FranceTravailClient.CONTRAT, r -> calls.incrementAndGet() <= 2
                ? Response.json(401, "{\"message\":\"jeton expiré\"}") : Response.json(200, "{\"statut\":\"INSCRIT\"}"));
        f.fake.on("GET", FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, r -> Response.of(204));
        f.fake.on("GET", FranceTravailClient.LECTURE_ORIENTATION, r -> Response.of(204));

        String detail = f.runtime.persons.refresh(person, f.runtime.settings.agent(), "ex-rf");

        assertTrue(detail, detail.contains("contrat"));
        assertEquals("identified again, by number", 1, f.fake.requests(FranceTravailClient.RECHERCHER_PAR_NUMERO).size());
    }

    @Test
    public void personGoneFromTheRegistryIsForgottenHereToo() throws Exception {
        fixture(Map.of());
        f.runtime.store.recordIdentification("gone-person", "IDENTIFIED", "S001", "1", "O", null, Fixture.NOW);
        String detail = f.runtime.persons.refresh("gone-person", f.runtime.settings.agent(), "ex-rf");
        assertTrue(detail, detail.contains("no longer in the registry"));
        assertTrue(f.runtime.store.identification("gone-person").isEmpty());
        assertEquals(0, f.fake.requests().size());
    }

    @Test
    public void appointmentsAreCreatedUpdatedByReferenceAndCancelled() throws Exception {
        fixture(Map.of());
        String person = identified();
        String rdv = FranceTravailClient.RENDEZ_VOUS;
        f.fake.on("POST", rdv, r -> Response.json(201, "{\"id\":\"RDV-77\"}"));
        f.fake.on("PUT", rdv, r -> Response.json(200, "{}"));
        f.fake.on("DELETE", rdv + "/*", r -> Response.of(204));
        Deliveries.Work work = (p, id) -> {
            Payloads.RendezVousRequest r = Payloads.rendezVous(p);
            return f.runtime.persons.rendezVous(r.personId(), r.action(), r.reference(), r.id(), r.fields(),
                    f.runtime.settings.agent(), id);
        };

        String created = run(work, "{\"personId\":\"" + person + "\",\"action\":\"create\",\"reference\":\"cd-rdv-1\","
                + "\"date\":\"2026-12-01T09:30:00\",\"duree\":30,\"lieu\":\"Laon\"}", "ex-c");
        assertTrue(created, created.contains("created") && created.contains("RDV-77"));
        JsonNode sent = Json.MAPPER.readTree(f.fake.requests(rdv).get(0).body());
        assertEquals("Laon", sent.get("lieu").asText());
        assertFalse("the hub's own fields are not sent", sent.has("personId") || sent.has("action") || sent.has("reference"));
        assertEquals(JETON, f.fake.requests(rdv).get(0).header("ft-jeton-usager"));

        run(work, "{\"personId\":\"" + person + "\",\"action\":\"update\",\"reference\":\"cd-rdv-1\",\"lieu\":\"Soissons\"}", "ex-u");
        JsonNode updated = Json.MAPPER.readTree(f.fake.requests(rdv).get(1).body());
        assertEquals("RDV-77", updated.get("id").asText());
        assertEquals("PUT", f.fake.requests(rdv).get(1).method());

        String cancelled = run(work, "{\"personId\":\"" + person + "\",\"action\":\"cancel\",\"reference\":\"cd-rdv-1\"}", "ex-d");
        assertTrue(cancelled, cancelled.contains("cancelled"));
        assertEquals("DELETE", f.fake.requests(rdv + "/RDV-77").get(0).method());
        assertEquals("CANCELLED", f.runtime.store.rendezVous("cd-rdv-1").orElseThrow().status());

        DeliveryFailure unknown = permanent(() -> run(work,
                "{\"personId\":\"" + person + "\",\"action\":\"cancel\",\"reference\":\"nope\"}", "ex-x"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("unknown"));
    }
}
