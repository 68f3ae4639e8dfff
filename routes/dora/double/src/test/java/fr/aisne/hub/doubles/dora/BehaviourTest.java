package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** POST /double/control (outage, latency, 429 bursts, bad items), reset, GET /double/stats. */
public class BehaviourTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void outageAnswersItsStatusUntilLifted() throws Exception {
        control("{\"outage\":true,\"outageStatus\":502}");
        HttpResponse<String> r = api("/api/v1/services?size=1");
        assertEquals(502, r.statusCode());
        assertTrue(json(r).has("detail"));
        assertEquals(502, get("/api/v1/doc/frais", Map.of()).statusCode());
        assertEquals("control still answers", 200, get("/double/stats", Map.of()).statusCode());
        assertEquals(2, json(get("/double/stats", Map.of())).get("outageAnswers").asInt());
        control("{\"outage\":false}");
        assertEquals(200, api("/api/v1/services?size=1").statusCode());
    }

    @Test
    public void aBurstOf429sThenBackToNormal() throws Exception {
        control("{\"status429Next\":3,\"retryAfterSeconds\":7}");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = api("/api/v1/structures?size=1");
            assertEquals(429, r.statusCode());
            assertEquals("7", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals("Too Many Requests", json(r).get("detail").asText());
        }
        assertEquals(200, api("/api/v1/structures?size=1").statusCode());
        JsonNode stats = json(get("/double/stats", Map.of()));
        assertEquals(3, stats.get("throttled429").asInt());
        assertEquals(4, stats.get("requests").asInt());
        assertEquals(3, stats.get("byStatus").get("429").asInt());
        assertEquals(4, stats.get("byEndpoint").get("GET /api/v1/structures").asInt());
        assertEquals(0, json(get("/double/control", Map.of())).get("status429Next").asInt());
    }

    @Test
    public void latencyDelaysEveryAnswer() throws Exception {
        control("{\"latencyMillis\":400}");
        long start = System.nanoTime();
        assertEquals(200, api("/api/v1/sources").statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 400);
        long c = System.nanoTime();
        get("/double/stats", Map.of());
        assertTrue("control is not delayed", (System.nanoTime() - c) / 1_000_000 < 400);
    }

    @Test
    public void resetPutsTheSettingsBackAndClearsTheCounters() throws Exception {
        control("{\"outage\":true,\"latencyMillis\":5,\"includeBadItems\":false}");
        api("/api/v1/sources");
        HttpResponse<String> r = post("/double/control/reset", "", Map.of());
        assertEquals(200, r.statusCode());
        assertEquals(Behaviour.DEFAULT.toMap().toString(), JSON.convertValue(json(r), Map.class).toString());
        assertEquals(0, json(get("/double/stats", Map.of())).get("requests").asInt());
    }

    @Test
    public void badControlValuesAre400AndChangeNothing() throws Exception {
        for (String body : new String[] {"{\"outageStatus\":404}", "{\"latencyMillis\":-1}", "{\"outage\":\"yes\"}",
            "{\"unknown\":1}", "[1]", "not json"}) {
            HttpResponse<String> r = post("/double/control", body, Map.of());
            assertEquals(body, 400, r.statusCode());
            assertTrue(json(r).get("detail").isTextual());
        }
        assertEquals(Behaviour.DEFAULT.toMap().toString(),
                JSON.convertValue(json(get("/double/control", Map.of())), Map.class).toString());
        assertEquals(405, send("DELETE", "/double/control", null, Map.of()).statusCode());
        assertEquals(404, get("/double/nothing", Map.of()).statusCode());
    }
}
