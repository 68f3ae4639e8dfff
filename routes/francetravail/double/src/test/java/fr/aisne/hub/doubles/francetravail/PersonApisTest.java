package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The person-scoped calls: headers, jeton usager, orientation, data sets (200/204) and appointments. */
public class PersonApisTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("client.aisne-hub.secret", SECRET,
                "client.autre.secret", "autre-secret",
                "jeton.expiresSeconds", "900"));
    }

    @Test
    public void everyMissingHeaderIs400AndNamed() throws Exception {
        String token = token();
        String jeton = jeton(token, 10);
        for (String header : new String[] {"ft-jeton-usager", "pa-identifiant-agent", "pa-nom-agent", "pa-prenom-agent"}) {
            Map<String, String> h = personHeaders(token, jeton);
            h.remove(header);
            HttpResponse<String> r = get(FranceTravailApi.CONTRAT, h);
            assertEquals(header, 400, r.statusCode());
            assertEquals("ENTETE_MANQUANTE", json(r).get("code").asText());
            assertTrue(r.body(), json(r).get("message").asText().contains(header));
        }
        Map<String, String> h = personHeaders(token, jeton);
        h.put("pa-identifiant-agent", "agent avec espaces");
        assertEquals(400, get(FranceTravailApi.CONTRAT, h).statusCode());
        // an agent id instead of BATCH is fine
        h.put("pa-identifiant-agent", "IRSA0042");
        assertEquals(200, get(FranceTravailApi.CONTRAT, h).statusCode());
    }

    @Test
    public void unknownOrExpiredJetonIs401() throws Exception {
        String token = token();
        HttpResponse<String> r = get(FranceTravailApi.CONTRAT, personHeaders(token, "jeton-jamais-emis"));
        assertEquals(401, r.statusCode());
        assertEquals("JETON_USAGER_INVALIDE", json(r).get("code").asText());

        String jeton = jeton(token, 10);
        assertEquals(200, get(FranceTravailApi.CONTRAT, personHeaders(token, jeton)).statusCode());
        clock.advance(Duration.ofSeconds(899));
        String fresh = token();
        assertEquals(200, get(FranceTravailApi.CONTRAT, personHeaders(fresh, jeton)).statusCode());
        clock.advance(Duration.ofSeconds(1));
        r = get(FranceTravailApi.CONTRAT, personHeaders(fresh, jeton));
        assertEquals(401, r.statusCode());
        assertTrue(json(r).get("message").asText().contains("expiré"));
        // a new search gives a working jeton again
        assertEquals(200, get(FranceTravailApi.CONTRAT, personHeaders(fresh, jeton(fresh, 10))).statusCode());
    }

    @Test
    public void aJetonBelongsToTheClientThatSearched() throws Exception {
        String jeton = jeton(token(), 10);
        HttpResponse<String> t = tokenRequest(form("grant_type", "client_credentials", "client_id", "autre",
                "client_secret", "autre-secret", "scope", ALL_SCOPES));
        String other = json(t).get("access_token").asText();
        assertEquals(401, get(FranceTravailApi.CONTRAT, personHeaders(other, jeton)).statusCode());
    }

    @Test
    public void orientationPushedIsReadBackWithCriteria() throws Exception {
        String token = token();
        String jeton = jeton(token, 10);
        assertEquals(204, get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(token, jeton)).statusCode());

        HttpResponse<String> r = post(FranceTravailApi.ORIENTATION,
                "{\"origine\":\"DECISION_CD\",\"parcours\":\"PSO\",\"organisme\":\"CD\"}", personHeaders(token, jeton));
        assertEquals(r.body(), 201, r.statusCode());
        assertEquals("PSO", json(r).get("parcours").asText());

        r = get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(token, jeton));
        assertEquals(200, r.statusCode());
        JsonNode list = json(r);
        assertEquals(1, list.size());
        JsonNode o = list.get(0);
        assertEquals("PSO", o.get("parcours").asText());
        assertEquals("CD", o.get("organisme").asText());
        assertEquals("DECISION_CD", o.get("origine").asText());
        assertEquals("OUVERT", o.get("etat").asText());
        assertEquals("BATCH", o.get("agent_creation").asText());
        assertEquals("2025-03-14", o.get("date_entree_parcours").asText());
        assertTrue(o.get("criteres_orientation").get("brsa").asBoolean());
        assertEquals("DECISION_CD", o.get("criteres_orientation").get("origine").asText());

        // a new decision replaces it; another jeton of the same person sees it
        assertEquals(201, post(FranceTravailApi.ORIENTATION,
                "{\"origine\":\"DECISION_CD\",\"parcours\":\"PED\",\"organisme\":\"FT\"}", personHeaders(token, jeton))
                .statusCode());
        o = json(get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(token, jeton(token, 10)))).get(0);
        assertEquals("PED", o.get("parcours").asText());
        assertEquals("FT", o.get("organisme").asText());
        assertTrue(o.get("structure").get("libelle_structure").asText().startsWith("Agence France Travail"));
        // other persons are untouched
        assertEquals(204, get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(token, jeton(token, 11))).statusCode());
        assertEquals(2, json(get("/double/stats", Map.of())).get("orientationsStored").asInt());
    }

    @Test
    public void invalidOrientationsAre400() throws Exception {
        String token = token();
        Map<String, String> h = personHeaders(token, jeton(token, 10));
        for (String body : new String[] {
            "{\"origine\":\"DECISION_CD\",\"parcours\":\"XYZ\",\"organisme\":\"CD\"}",
            "{\"origine\":\"DECISION_CD\",\"parcours\":\"PSO\",\"organisme\":\"MAIRIE\"}",
            "{\"parcours\":\"PSO\",\"organisme\":\"CD\"}",
            "{\"origine\":\"décision du CD\",\"parcours\":\"PSO\",\"organisme\":\"CD\"}",
            "[]", "pas du json"}) {
            HttpResponse<String> r = post(FranceTravailApi.ORIENTATION, body, h);
            assertEquals(body, 400, r.statusCode());
            assertEquals("REQUETE_INVALIDE", json(r).get("code").asText());
        }
        assertEquals(204, get(FranceTravailApi.LECTURE_ORIENTATION, h).statusCode());
    }

    @Test
    public void anOrientationAlreadyDecidedByFranceTravailIsReadable() throws Exception {
        String token = token();
        HttpResponse<String> r = get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(token, jeton(token, 75)));
        assertEquals(200, r.statusCode());
        JsonNode o = json(r).get(0);
        assertEquals("PED", o.get("parcours").asText());
        assertEquals("FT", o.get("organisme").asText());
        assertEquals("FT", o.get("decision").get("organisme_decision").asText());
    }

    @Test
    public void dataSetsAnswer200Or204ByProfile() throws Exception {
        String token = token();
        Map<String, String> registered = personHeaders(token, jeton(token, 10));
        JsonNode infos = json(get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, registered));
        assertTrue(infos.get("numeroFranceTravail").asText().matches("\\d{11}"));
        assertEquals("M.", infos.get("etatCivil").get("civilite").asText());
        assertTrue(infos.get("adresses").get(0).get("codePostal").asText().startsWith("02"));
        assertTrue(infos.get("structureSuivi").get("codeSafir").asText().matches("02\\d{3}"));
        JsonNode contrat = json(get(FranceTravailApi.CONTRAT, registered)).get("m_contrat");
        assertEquals("Inscrit", contrat.get("m_statut").asText());
        assertTrue(contrat.get("m_categ_inscription_code").asText().matches("[123]"));
        assertEquals(infos.get("dateInscription").asText(), contrat.get("m_date_effet_statut").asText());
        assertEquals(204, get(FranceTravailApi.RQTH, registered).statusCode());

        Map<String, String> rqth = personHeaders(token, jeton(token, 55));
        HttpResponse<String> r = get(FranceTravailApi.RQTH, rqth);
        assertEquals(200, r.statusCode());
        assertTrue(json(r).get("topValiditeRQTH").asBoolean());
        assertEquals("FRANCE TRAVAIL", json(r).get("source").asText());

        Map<String, String> noFile = personHeaders(token, jeton(token, 65));
        for (String path : new String[] {FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, FranceTravailApi.CONTRAT,
            FranceTravailApi.RQTH, FranceTravailApi.LECTURE_ORIENTATION}) {
            r = get(path, noFile);
            assertEquals(path, 204, r.statusCode());
            assertEquals("", r.body());
        }
    }

    @Test
    public void appointmentsAreCreatedUpdatedAndCancelled() throws Exception {
        String token = token();
        Map<String, String> h = personHeaders(token, jeton(token, 10));
        Map<String, Object> rdv = rendezVous("PRIS");
        HttpResponse<String> r = post(FranceTravailApi.RENDEZ_VOUS, JSON.writeValueAsString(rdv), h);
        assertEquals(r.body(), 201, r.statusCode());
        String id = json(r).get("id").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"));
        assertEquals(FranceTravailApi.RENDEZ_VOUS + "/" + id, r.headers().firstValue("Location").orElse(""));
        assertEquals("ORI", json(r).get("motif").asText());

        rdv.put("statut", "MODIFIE");
        rdv.put("date", "2025-03-21T14:00:00+01:00");
        r = send("PUT", FranceTravailApi.RENDEZ_VOUS + "/" + id, JSON.writeValueAsString(rdv), withJson(h));
        assertEquals(r.body(), 200, r.statusCode());
        assertEquals("MODIFIE", json(r).get("statut").asText());
        assertEquals(id, json(r).get("id").asText());

        // as rdv-insertion does: PUT on the collection with the id in the body
        rdv.put("id", id);
        rdv.put("statut", "EFFECTUE");
        r = send("PUT", FranceTravailApi.RENDEZ_VOUS, JSON.writeValueAsString(rdv), withJson(h));
        assertEquals(r.body(), 200, r.statusCode());
        assertEquals("EFFECTUE", json(r).get("statut").asText());

        r = send("DELETE", FranceTravailApi.RENDEZ_VOUS + "/" + id, null, h);
        assertEquals(204, r.statusCode());
        assertEquals(404, send("DELETE", FranceTravailApi.RENDEZ_VOUS + "/" + id, null, h).statusCode());
        assertEquals(404, send("PUT", FranceTravailApi.RENDEZ_VOUS + "/" + id, JSON.writeValueAsString(rdv),
                withJson(h)).statusCode());
        JsonNode stats = json(get("/double/stats", Map.of()));
        assertEquals(1, stats.get("appointmentsCreated").asInt());
        assertEquals(2, stats.get("appointmentsUpdated").asInt());
        assertEquals(1, stats.get("appointmentsCancelled").asInt());
        assertEquals(0, stats.get("appointmentsStored").asInt());
    }

    @Test
    public void appointmentErrors() throws Exception {
        String token = token();
        Map<String, String> h = personHeaders(token, jeton(token, 10));
        assertEquals(404, send("DELETE", FranceTravailApi.RENDEZ_VOUS + "/inconnu", null, h).statusCode());
        assertEquals(404, send("PUT", FranceTravailApi.RENDEZ_VOUS + "/inconnu",
                JSON.writeValueAsString(rendezVous("PRIS")), withJson(h)).statusCode());
        // another person's appointment is not found through this person's jeton
        String id = json(post(FranceTravailApi.RENDEZ_VOUS, JSON.writeValueAsString(rendezVous("PRIS")),
                personHeaders(token, jeton(token, 11)))).get("id").asText();
        assertEquals(404, send("DELETE", FranceTravailApi.RENDEZ_VOUS + "/" + id, null, h).statusCode());

        Map<String, Object> bad = rendezVous("PRIS");
        bad.put("modaliteContact", "PIGEON");
        bad.remove("duree");
        HttpResponse<String> r = post(FranceTravailApi.RENDEZ_VOUS, JSON.writeValueAsString(bad), h);
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("message").asText().contains("modaliteContact"));
        assertTrue(json(r).get("message").asText().contains("duree"));
        bad = rendezVous("PRIS");
        bad.put("date", "demain");
        assertEquals(400, post(FranceTravailApi.RENDEZ_VOUS, JSON.writeValueAsString(bad), h).statusCode());
        // PUT on the collection without an id
        assertEquals(400, send("PUT", FranceTravailApi.RENDEZ_VOUS, JSON.writeValueAsString(rendezVous("PRIS")),
                withJson(h)).statusCode());
        r = send("GET", FranceTravailApi.RENDEZ_VOUS, null, h);
        assertEquals(405, r.statusCode());
        assertEquals("POST, PUT", r.headers().firstValue("Allow").orElse(""));
        assertEquals(404, get("/partenaire/inexistante/v1/ressource", h).statusCode());
    }

    @Test
    public void aNewSearchGivesTheSameData() throws Exception {
        String token = token();
        String first = get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, personHeaders(token, jeton(token, 20))).body();
        String second = get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, personHeaders(token, jeton(token, 20))).body();
        assertEquals(first, second);
        String other = get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, personHeaders(token, jeton(token, 21))).body();
        assertFalse(first.equals(other));
    }

    static Map<String, Object> rendezVous(String statut) {
        Map<String, Object> rdv = new LinkedHashMap<>();
        rdv.put("date", "2025-03-20T09:30:00+01:00");
        rdv.put("duree", 45);
        rdv.put("modaliteContact", "PHYSIQUE");
        rdv.put("motif", "ORI");
        rdv.put("initiateur", "PARTENAIRE");
        rdv.put("statut", statut);
        rdv.put("typeReception", "IND");
        rdv.put("theme", "Rendez-vous d'orientation RSA");
        rdv.put("adresse", "28 rue Fernand Christ, 02000 Laon");
        rdv.put("libelleAdresse", "Maison départementale des solidarités de Laon");
        rdv.put("organisme", Map.of("code", "CD", "idStructure", "02000", "libelleStructure",
                "Conseil départemental de l'Aisne"));
        rdv.put("interlocuteur", Map.of("nom", "DURAND", "prenom", "Claire", "email", "c.durand@example.org"));
        return rdv;
    }

    static Map<String, String> withJson(Map<String, String> h) {
        Map<String, String> m = new HashMap<>(h);
        m.put("Content-Type", "application/json");
        return m;
    }
}
