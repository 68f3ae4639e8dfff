package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What the double logs (at DEBUG, see the surefire settings) during a full scenario: paths and statuses, never a
 * NIR, secret, token or jeton.
 */
public class LogHygieneTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void noNirSecretTokenOrJetonInTheLogs() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String token;
        String jeton;
        try {
            token = token();
            jeton = jeton(token, 10);
            searchByNir(token, nir(83), BIRTH);
            searchByNir(token, nir(10).substring(0, 14) + "0", BIRTH);
            post(FranceTravailApi.ORIENTATION, "{\"origine\":\"DECISION_CD\",\"parcours\":\"PSO\",\"organisme\":\"CD\"}",
                    personHeaders(token, jeton));
            get(FranceTravailApi.CONTRAT, personHeaders(token, "jeton-inconnu"));
            tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT, "client_secret", "mauvais-secret",
                    "scope", ALL_SCOPES));
            post("/double/control", "{\"latencyMillis\":1}", Map.of());
            get("/partenaire/" + nir(10) + "/v1/x", bearer(token));
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue("the double's debug lines were captured: " + logs,
                logs.contains("POST " + FranceTravailApi.SEARCH_NIR + " -> 500"));
        assertTrue(logs.contains("GET (unknown path) -> 404"));
        for (String secret : new String[] {nir(10).substring(0, 13), nir(83).substring(0, 13), SECRET, "mauvais-secret",
            token, jeton, "jeton-inconnu"}) {
            assertFalse("logged: " + secret, logs.contains(secret));
        }
    }
}
