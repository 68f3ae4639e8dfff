package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/** What the double logs (at DEBUG, see the surefire settings): paths and statuses, never a token or a secret. */
public class LogHygieneTest extends DoubleTestSupport {
    static final String SECRET = "log-hygiene-secret-value";
    static final String FEED_TOKEN = "feed-token-that-must-not-leak";

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("token.secret", SECRET, "consumer.token", FEED_TOKEN));
    }

    @Test
    public void noTokenNorSecretInTheLogs() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String minted;
        try {
            minted = json(post("/double/tokens", "{}", Map.of())).get("access").asText();
            get("/api/v1/services?size=1", bearer(minted));
            get("/api/v1/services?size=1", bearer("bogus-token-value"));
            get("/api/v1/structures/" + minted, bearer(minted));
            post("/double/consumer", "{\"feedBaseUrl\":\"http://127.0.0.1:" + freePort() + "/feed\",\"token\":\""
                    + FEED_TOKEN + "\",\"timeoutSeconds\":2}", Map.of());
            post("/double/consumer/pull", "", Map.of());
            post("/double/control", "{\"latencyMillis\":1}", Map.of());
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue("the double's debug lines were captured: " + logs, logs.contains("GET /api/v1/services -> 200"));
        assertTrue(logs, logs.contains("GET /api/v1/structures/{id} -> 404"));
        assertTrue(logs, logs.contains("pulled the hub's feed, FAILED"));
        for (String secret : new String[] {SECRET, FEED_TOKEN, minted, "bogus-token-value"}) {
            assertFalse("logged: " + secret, logs.contains(secret));
        }
    }
}
