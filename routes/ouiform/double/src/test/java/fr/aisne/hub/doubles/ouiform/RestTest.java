package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The REST side over real HTTP: round trip, every error, each answer checked against the OpenAPI's schemas. */
public class RestTest extends DoubleTestSupport {
    static final String PRESCRIPTIONS = RestApi.PRESCRIPTIONS;

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("account.region-test.token", "jeton-de-test-0123456789", "account.aisne-hub.password", PASSWORD));
    }

    static HttpResponse<String> submit(JsonNode prescription) throws Exception {
        return post(PRESCRIPTIONS, prescription.toString(), basic());
    }

    /** The error body of {@code r}, checked against the schema Erreur. */
    static JsonNode error(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode e = json(r);
        assertValidJson("Erreur", e);
        assertEquals(code, e.get("code").asText());
        return e;
    }

    @Test
    public void roundTrip() throws Exception {
        HttpResponse<String> r = submit(JSON.readTree(example("rest/post-prescriptions.requete.json")));
        assertEquals(r.body(), 201, r.statusCode());
        JsonNode etat = json(r);
        assertValidJson("EtatPrescription", etat);
        String id = etat.get("idPrescriptionOuiForm").asText();
        assertEquals("prescrit", etat.get("statut").asText());
        assertEquals(1, etat.get("sequence").asInt());
        assertEquals(PRESCRIPTIONS + "/" + id, r.headers().firstValue("Location").orElse(null));

        HttpResponse<String> byId = get(PRESCRIPTIONS + "/" + id, basic());
        assertEquals(200, byId.statusCode());
        assertValidJson("ConsultationPrescription", json(byId));
        assertEquals("prescrit", json(byId).at("/historique/0/statut").asText());
        HttpResponse<String> byHub = get(PRESCRIPTIONS + "?idPrescriptionHub=HUB-2026-000042", basic());
        assertEquals(json(byId), json(byHub));

        JsonNode received = json(get("/double/prescriptions", Map.of())).get(0);
        assertEquals("REST", received.get("canal").asText());
        assertEquals(JSON.readTree(example("rest/post-prescriptions.requete.json")), received.get("prescription"));
    }

    @Test
    public void bearerTokenOfAnAccountIsAccepted() throws Exception {
        HttpResponse<String> r = post(PRESCRIPTIONS, prescriptionJson("HUB-R-1", Catalogue.SESSION_HIRSON).toString(),
                Map.of("Authorization", "Bearer jeton-de-test-0123456789"));
        assertEquals(r.body(), 201, r.statusCode());
        HttpResponse<String> wrong = post(PRESCRIPTIONS, prescriptionJson("HUB-R-2", Catalogue.SESSION_HIRSON).toString(),
                Map.of("Authorization", "Bearer autre"));
        error(wrong, 401, "NON_AUTHENTIFIE");
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("Bearer"));
        error(post(PRESCRIPTIONS, "{}", Map.of()), 401, "NON_AUTHENTIFIE");
    }

    @Test
    public void everyRefusal() throws Exception {
        ObjectNode withNir = prescriptionJson("HUB-R-3", Catalogue.SESSION_OUVERTE);
        ((ObjectNode) withNir.get("beneficiaire")).put("nir", "185057800608436");
        JsonNode nir = error(submit(withNir), 400, "REQUETE_INVALIDE");
        assertTrue(nir.get("message").asText(), nir.get("message").asText().contains("beneficiaire.nir"));
        assertFalse(nir.toString().contains("185057800608436"));

        ObjectNode badDate = prescriptionJson("HUB-R-3", Catalogue.SESSION_OUVERTE);
        ((ObjectNode) badDate.get("beneficiaire")).put("dateNaissance", "14/02/1990");
        JsonNode date = error(submit(badDate), 400, "REQUETE_INVALIDE");
        assertTrue(date.get("message").asText(), date.get("message").asText().contains("/dateNaissance"));
        assertFalse(date.toString().contains("14/02/1990"));

        ObjectNode wrongType = prescriptionJson("HUB-R-3", Catalogue.SESSION_OUVERTE);
        wrongType.put("idSession", 12);
        error(submit(wrongType), 400, "REQUETE_INVALIDE");
        error(post(PRESCRIPTIONS, "{not json", basic()), 400, "REQUETE_INVALIDE");
        Map<String, String> xml = new HashMap<>(basic());
        xml.put("Content-Type", "application/xml");
        error(post(PRESCRIPTIONS, "<a/>", xml), 415, "REQUETE_INVALIDE");

        ObjectNode incomplete = prescriptionJson("HUB-R-3", Catalogue.SESSION_OUVERTE);
        ((ObjectNode) incomplete.get("beneficiaire")).remove(List.of("nom", "prenom"));
        JsonNode inc = error(submit(incomplete), 422, "BENEFICIAIRE_INCOMPLET");
        assertEquals("[\"beneficiaire/nom\",\"beneficiaire/prenom\"]", inc.get("champs").toString());

        error(submit(prescriptionJson("HUB-R-3", "02_SE_0000000_0")), 422, "SESSION_INCONNUE");
        error(submit(prescriptionJson("HUB-R-3", Catalogue.SESSION_FERMEE)), 422, "SESSION_FERMEE");

        String first = json(submit(prescriptionJson("HUB-R-3", Catalogue.SESSION_OUVERTE))).get("idPrescriptionOuiForm").asText();
        JsonNode dup = error(submit(prescriptionJson("HUB-R-3", Catalogue.SESSION_OUVERTE_2)), 409, "DOUBLON");
        assertEquals(first, dup.get("idPrescriptionOuiForm").asText());

        error(get(PRESCRIPTIONS + "/OF-1900-000000", basic()), 404, "PRESCRIPTION_INCONNUE");
        error(get(PRESCRIPTIONS + "?idPrescriptionHub=inconnu", basic()), 404, "PRESCRIPTION_INCONNUE");
        error(get(PRESCRIPTIONS, basic()), 400, "REQUETE_INVALIDE");
        HttpResponse<String> delete = send("DELETE", PRESCRIPTIONS + "/" + first, null, basic());
        error(delete, 405, "REQUETE_INVALIDE");
        assertEquals("GET", delete.headers().firstValue("Allow").orElse(""));

        JsonNode stats = json(get("/double/stats", Map.of()));
        assertEquals(1, stats.get("prescriptionsAccepted").asInt());
        assertEquals(9, stats.get("prescriptionsRefused").asInt());
        assertEquals(2, stats.at("/byCode/PRESCRIPTION_INCONNUE").asInt());
    }

    @Test
    public void injectedFaultsAndOutage() throws Exception {
        control("", "{\"faultNext\":1,\"faultCode\":\"SESSION_INCONNUE\"}");
        error(submit(prescriptionJson("HUB-R-4", Catalogue.SESSION_OUVERTE)), 422, "SESSION_INCONNUE");
        assertEquals(201, submit(prescriptionJson("HUB-R-4", Catalogue.SESSION_OUVERTE)).statusCode());
        control("", "{\"outage\":true,\"outageStatus\":502}");
        HttpResponse<String> down = submit(prescriptionJson("HUB-R-5", Catalogue.SESSION_OUVERTE));
        error(down, 502, "INDISPONIBLE");
        assertEquals("30", down.headers().firstValue("Retry-After").orElse(""));
        // the control API is never affected
        assertEquals(200, get("/double/stats", Map.of()).statusCode());
        assertEquals(1, json(get("/double/stats", Map.of())).get("outageAnswers").asInt());
    }
}
