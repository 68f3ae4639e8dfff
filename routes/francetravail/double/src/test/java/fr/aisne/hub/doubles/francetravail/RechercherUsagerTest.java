package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Every business code of rechercher-usager v2, chosen by the NIR (see {@link Fixtures}), with its HTTP status. */
public class RechercherUsagerTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void s001FoundGivesAJetonAndCertifiedIdentity() throws Exception {
        String token = token();
        HttpResponse<String> r = searchByNir(token, nir(10), BIRTH);
        assertEquals(200, r.statusCode());
        JsonNode j = json(r);
        assertEquals("S001", j.get("codeRetour").asText());
        assertEquals("O", j.get("topIdentiteCertifiee").asText());
        assertFalse(j.get("message").asText().isBlank());
        String jeton = j.get("jetonUsager").asText();
        assertTrue(jeton.matches("[A-Za-z0-9_-]{60,}"));
        // a new search gives a new jeton for the same person
        String again = json(searchByNir(token, nir(10), BIRTH)).get("jetonUsager").asText();
        assertNotEquals(jeton, again);
        assertEquals(numero(token, jeton), numero(token, again));
    }

    @Test
    public void s001WithAnUncertifiedIdentity() throws Exception {
        JsonNode j = json(searchByNir(token(), nir(45), BIRTH));
        assertEquals("S001", j.get("codeRetour").asText());
        assertEquals("N", j.get("topIdentiteCertifiee").asText());
        assertTrue(j.get("jetonUsager").isTextual());
    }

    @Test
    public void everyBusinessCodeWithItsStatus() throws Exception {
        String token = token();
        assertOutcome(searchByNir(token, nir(80), BIRTH), 200, "S002");
        assertOutcome(searchByNir(token, nir(81), BIRTH), 200, "S003");
        assertOutcome(searchByNir(token, nir(82), BIRTH), 403, "R001");
        assertOutcome(searchByNir(token, nir(83), BIRTH), 500, "R998");
        assertOutcome(searchByNir(token, nir(84), BIRTH), 502, "R998");
        assertOutcome(searchByNir(token, nir(85), BIRTH), 503, "R999");
        // the rule reads the last two digits of the order number: 180, 280... behave as 80
        assertOutcome(searchByNir(token, nir(1, 85, 5, 980), BIRTH), 200, "S002");
        assertOutcome(searchByNir(token, nir(86), BIRTH), 200, "S001");
        JsonNode stats = json(get("/double/stats", Map.of()));
        assertEquals(2, stats.get("byCodeRetour").get("S002").asInt());
        assertEquals(2, stats.get("byCodeRetour").get("R998").asInt());
        assertEquals(1, stats.get("jetonsIssued").asInt());
    }

    @Test
    public void technicalErrorsOfTheRuleAreTransientThoseRegisteredArePermanent() throws Exception {
        String token = token();
        for (int i = 0; i < FranceTravailApi.TRANSIENT_FAILURES; i++) {
            assertOutcome(searchByNir(token, nir(84), BIRTH), 502, "R998");
        }
        assertOutcome(searchByNir(token, nir(84), BIRTH), 200, "S001");
        String nir = nir(2, 90, 3, 110);
        assertEquals(201, post("/double/control/usagers", "{\"nir\":\"" + nir
                + "\",\"dateNaissance\":\"1990-03-03\",\"codeRetour\":\"R999\"}", Map.of()).statusCode());
        for (int i = 0; i < FranceTravailApi.TRANSIENT_FAILURES + 2; i++) {
            assertOutcome(searchByNir(token, nir, "1990-03-03"), 503, "R999");
        }
    }

    @Test
    public void malformedRequestsAreR997With400() throws Exception {
        String token = token();
        String good = nir(10);
        String badKey = good.substring(0, 13) + String.format("%02d", (Integer.parseInt(good.substring(13)) % 97) + 1);
        assertOutcome(searchByNir(token, badKey, BIRTH), 400, "R997");
        assertOutcome(searchByNir(token, good.substring(0, 13), BIRTH), 400, "R997");
        assertOutcome(searchByNir(token, "3" + good.substring(1), BIRTH), 400, "R997");
        assertOutcome(searchByNir(token, good, "17/05/1985"), 400, "R997");
        assertOutcome(searchByNir(token, good, "1985-02-30"), 400, "R997");
        assertOutcome(searchByNir(token, nir(1, 30, 5, 410), "2030-05-17"), 400, "R997");
        assertOutcome(post(FranceTravailApi.SEARCH_NIR, "{\"nir\":\"" + good + "\"}", bearer(token)), 400, "R997");
        assertOutcome(post(FranceTravailApi.SEARCH_NIR, "{\"dateNaissance\":\"" + BIRTH + "\"}", bearer(token)), 400,
                "R997");
        assertOutcome(post(FranceTravailApi.SEARCH_NIR, "pas du json", bearer(token)), 400, "R997");
        assertOutcome(post(FranceTravailApi.SEARCH_NUMERO, "{\"numeroFranceTravail\":\"1234567A\"}", bearer(token)),
                400, "R997");
        assertOutcome(post(FranceTravailApi.SEARCH_NUMERO, "{}", bearer(token)), 400, "R997");
        // an R997 names what is wrong
        assertTrue(json(searchByNir(token, badKey, BIRTH)).get("message").asText().contains("clé"));
    }

    @Test
    public void aBirthDateThatContradictsTheNirIsNotFound() throws Exception {
        String token = token();
        assertOutcome(searchByNir(token, nir(10), "1986-05-17"), 200, "S002");
        assertOutcome(searchByNir(token, nir(10), "1985-06-17"), 200, "S002");
        // once known, the person has one birth date
        assertOutcome(searchByNir(token, nir(10), BIRTH), 200, "S001");
        assertOutcome(searchByNir(token, nir(10), "1985-05-18"), 200, "S002");
    }

    @Test
    public void corsicanNirsAreValid() throws Exception {
        String corse = Nir.withKey("28505" + "2A" + "004" + "012");
        assertOutcome(searchByNir(token(), corse, BIRTH), 200, "S001");
    }

    @Test
    public void searchByNumeroFindsTheSamePersonAsTheNir() throws Exception {
        String token = token();
        String jeton = jeton(token, 12);
        String numero = numero(token, jeton);
        assertTrue(numero.matches("\\d{9}12"));
        HttpResponse<String> r = post(FranceTravailApi.SEARCH_NUMERO,
                "{\"numeroFranceTravail\":\"" + numero + "\"}", bearer(token));
        assertOutcome(r, 200, "S001");
        String byNumero = json(r).get("jetonUsager").asText();
        JsonNode infos = json(get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, personHeaders(token, byNumero)));
        assertEquals(nir(12).substring(0, 13), infos.get("etatCivil").get("nir").asText());
        assertEquals(BIRTH, infos.get("etatCivil").get("dateNaissance").asText());
    }

    @Test
    public void searchByAnUnknownNumeroFollowsTheSameRule() throws Exception {
        String token = token();
        assertOutcome(post(FranceTravailApi.SEARCH_NUMERO, "{\"numeroFranceTravail\":\"12345678980\"}",
                bearer(token)), 200, "S002");
        assertOutcome(post(FranceTravailApi.SEARCH_NUMERO, "{\"numeroFranceTravail\":\"12345678985\"}",
                bearer(token)), 503, "R999");
        HttpResponse<String> r = post(FranceTravailApi.SEARCH_NUMERO, "{\"numeroFranceTravail\":\"12345678901\"}",
                bearer(token));
        assertOutcome(r, 200, "S001");
        // a synthetic person: a valid NIR and a consistent birth date, found again by that NIR
        JsonNode etatCivil = json(get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES,
                personHeaders(token, json(r).get("jetonUsager").asText()))).get("etatCivil");
        String nir13 = etatCivil.get("nir").asText();
        String date = etatCivil.get("dateNaissance").asText();
        assertEquals("01", nir13.substring(11, 13));
        HttpResponse<String> byNir = searchByNir(token, Nir.withKey(nir13), date);
        assertOutcome(byNir, 200, "S001");
        assertEquals("12345678901", numero(token, json(byNir).get("jetonUsager").asText()));
    }

    @Test
    public void aRegisteredPersonOverridesTheRule() throws Exception {
        String token = token();
        String nir = nir(10);
        HttpResponse<String> reg = post("/double/control/usagers", JSON.writeValueAsString(Map.of("nir", nir,
                "dateNaissance", "1985-05-02", "codeRetour", "R001")), Map.of());
        assertEquals(reg.body(), 201, reg.statusCode());
        assertFalse("the control answer does not echo the NIR", reg.body().contains(nir.substring(0, 13)));
        assertOutcome(searchByNir(token, nir, "1985-05-02"), 403, "R001");
        assertOutcome(searchByNir(token, nir, BIRTH), 200, "S002");

        reg = post("/double/control/usagers", JSON.writeValueAsString(Map.of("nir", nir, "dateNaissance",
                "1985-05-02", "numeroFranceTravail", "00000000042", "rqth", true, "inscrit", false, "nom", "Lefèvre")),
                Map.of());
        assertEquals(201, reg.statusCode());
        assertEquals("00000000042", json(reg).get("numeroFranceTravail").asText());
        HttpResponse<String> r = searchByNir(token, nir, "1985-05-02");
        assertOutcome(r, 200, "S001");
        String jeton = json(r).get("jetonUsager").asText();
        assertEquals(200, get(FranceTravailApi.RQTH, personHeaders(token, jeton)).statusCode());
        assertEquals(204, get(FranceTravailApi.CONTRAT, personHeaders(token, jeton)).statusCode());
        JsonNode infos = json(get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, personHeaders(token, jeton)));
        assertEquals("LEFÈVRE", infos.get("etatCivil").get("nom").asText());
        assertEquals("00000000042", infos.get("numeroFranceTravail").asText());
        // a malformed registration is refused
        assertEquals(400, post("/double/control/usagers", "{\"nir\":\"123\",\"dateNaissance\":\"1985-05-02\"}",
                Map.of()).statusCode());
        // the reset forgets registered persons: the rule applies again
        post("/double/control/reset", "", Map.of());
        assertOutcome(searchByNir(token, nir, BIRTH), 200, "S001");
    }

    @Test
    public void statsNeverShowANirTokenOrJeton() throws Exception {
        String token = token();
        String jeton = jeton(token, 10);
        searchByNir(token, nir(83), BIRTH);
        String stats = get("/double/stats", Map.of()).body();
        assertFalse(stats.contains(nir(10).substring(0, 13)));
        assertFalse(stats.contains(nir(83).substring(0, 13)));
        assertFalse(stats.contains(token));
        assertFalse(stats.contains(jeton));
        assertTrue(stats.contains("POST " + FranceTravailApi.SEARCH_NIR));
    }

    static void assertOutcome(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode j = json(r);
        assertEquals(r.body(), code, j.get("codeRetour").asText());
        if (!code.equals("S001")) {
            assertTrue(j.get("jetonUsager").isNull());
            assertTrue(j.get("topIdentiteCertifiee").isNull());
        }
    }

    /** The numéro France Travail of the person behind {@code jeton}, read from informations-administratives. */
    static String numero(String token, String jeton) throws Exception {
        HttpResponse<String> r = get(FranceTravailApi.INFORMATIONS_ADMINISTRATIVES, personHeaders(token, jeton));
        assertEquals(r.body(), 200, r.statusCode());
        return json(r).get("numeroFranceTravail").asText();
    }
}
