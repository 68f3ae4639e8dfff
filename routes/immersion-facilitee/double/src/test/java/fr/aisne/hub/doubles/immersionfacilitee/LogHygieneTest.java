package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What the double logs (at DEBUG, see the surefire settings) during a full scenario: paths, statuses, ids and
 * outcomes; never a name, a birth date, a phone, an e-mail, a key or a callback secret.
 */
public class LogHygieneTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void noPersonalValueNorKeyInTheLogs() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Receiver hub = new Receiver()) {
            subscribe("aisne-hub", hub, Map.of("authorization", "callback-secret-of-the-hub"));
            String id = create("{\"agency\":\"cd02\",\"status\":\"IN_REVIEW\",\"beneficiary\":{\"firstName\":\"Philomène\","
                    + "\"lastName\":\"Quennehen\",\"birthdate\":\"1983-07-19\",\"email\":\"philomene.q@exemple.fr\","
                    + "\"phone\":\"+33687654321\"}}").get("id").asText();
            act(id, "{\"action\":\"edit\",\"changes\":{\"beneficiary\":{\"phone\":\"+33611112222\"}}}", 200);
            await("the webhooks", () -> hub.count() == 4);
            // the double logs a webhook's outcome once the hub has answered it: after the receiver counted it
            await("the webhooks' outcomes logged", () -> captured.toString(StandardCharsets.UTF_8).split("\\(no retry\\)", -1)
                    .length > 4);
            getConvention("aisne-hub", id);
            get("/api/v2/conventions/" + id, Map.of("authorization", "Bearer " + key("aisne-hub")));
            get("/api/v2/conventions?withStatuses=IN_REVIEW", auth("revoked"));
            post("/double/control", "{\"latencyMillis\":1}", Map.of());
            get("/api/v2/" + "Quennehen", auth("aisne-hub"));
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue("the double's debug lines were captured: " + logs,
                logs.contains("GET /api/v2/conventions/{conventionId} -> 200"));
        assertTrue(logs.contains("GET (unknown path) -> 404"));
        assertTrue(logs.contains("(no retry)"));
        for (String secret : new String[] {"Philomène", "Quennehen", "1983-07-19", "philomene.q", "+33687654321",
            "33611112222", key("aisne-hub"), key("revoked"), "callback-secret-of-the-hub"}) {
            assertFalse("logged: " + secret, logs.contains(secret));
        }
        assertFalse("no callback URL in the logs", logs.contains("/hub/in/immersion-facilitee/webhook"));
    }
}
