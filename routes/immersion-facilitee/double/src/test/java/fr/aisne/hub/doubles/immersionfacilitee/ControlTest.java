package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The control API: behaviour, outage, latency, disconnection, consumers and keys, conventions, stats, reset. */
public class ControlTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void controlShowsTheBehaviourAndRefusesNonsenseWithoutChangingAnything() throws Exception {
        JsonNode b = json(get("/double/control", Map.of()));
        assertEquals(0, b.get("rateLimitPerSecond").asInt());
        assertEquals(5000, b.get("rateLimitPenaltyMillis").asInt());
        assertEquals(2000, b.get("webhookTimeoutMillis").asInt());
        for (String bad : new String[] {"{\"rateLimitPerSecond\":-1}", "{\"vitesse\":3}", "{\"outageStatus\":200}",
            "{\"outage\":\"oui\"}", "{\"webhookTimeoutMillis\":0}", "[]"}) {
            assertEquals(bad, 400, post("/double/control", bad, Map.of()).statusCode());
        }
        assertEquals(b, json(get("/double/control", Map.of())));
    }

    @Test
    public void anOutageAnswersTheGatewaysPageToPartnerCallsOnly() throws Exception {
        control("{\"outage\":true}");
        HttpResponse<String> r = getConvention("aisne-hub", Fixtures.MONTH_END);
        assertEquals(503, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(r.body().contains("503 Service Temporarily Unavailable"));
        assertEquals(503, get("/api/v2/conventions", Map.of()).statusCode());
        control("{\"outageStatus\":502}");
        assertEquals(502, getConvention("aisne-hub", Fixtures.MONTH_END).statusCode());
        assertEquals(200, get("/double/stats", Map.of()).statusCode());
        assertEquals(3, stats().get("outageAnswers").asInt());
        control("{\"outage\":false}");
        assertEquals(200, getConvention("aisne-hub", Fixtures.MONTH_END).statusCode());
    }

    @Test
    public void latencySlowsPartnerCallsNotTheControlOnes() throws Exception {
        control("{\"latencyMillis\":1500}");
        long t = System.nanoTime();
        assertEquals(200, getConvention("aisne-hub", Fixtures.MONTH_END).statusCode());
        assertTrue((System.nanoTime() - t) / 1_000_000 >= 1500);
        t = System.nanoTime();
        get("/double/stats", Map.of());
        assertTrue((System.nanoTime() - t) / 1_000_000 < 1500);
    }

    @Test
    public void disconnectRefusesConnectionsThenComesBack() throws Exception {
        // a partner call in flight (slowed down) when the disconnection starts is finished first
        control("{\"latencyMillis\":3000}");
        CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/api/v2/conventions/" + Fixtures.MONTH_END)).header("authorization", key("aisne-hub"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        await("the slowed call in flight", () -> {
            try {
                return stats().get("partnerCallsInFlight").asInt() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> r = post("/double/control/disconnect", "{\"seconds\":2}", Map.of());
        assertEquals(202, r.statusCode());
        assertEquals(409, post("/double/control/disconnect", "{\"seconds\":1}", Map.of()).statusCode());
        // once the call in flight is finished (the route stops gracefully, looking once a second): a wide window
        await("connections refused", 30, () -> {
            try {
                get("/double/stats", Map.of());
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (Exception other) {
                return false;
            }
        });
        assertEquals(200, inFlight.get(20, TimeUnit.SECONDS).statusCode());
        await("the listener back", () -> {
            try {
                return get("/double/stats", Map.of()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        control("{\"latencyMillis\":0}");
        assertEquals(200, getConvention("aisne-hub", Fixtures.MONTH_END).statusCode());
        assertEquals(400, post("/double/control/disconnect", "{\"seconds\":0}", Map.of()).statusCode());
    }

    @Test
    public void consumersAreListedWithTheirKeys() throws Exception {
        JsonNode consumers = json(get("/double/control/consumers", Map.of()));
        assertEquals(5, consumers.size());
        JsonNode hub = consumers.get(0);
        assertEquals("aisne-hub", hub.get("name").asText());
        assertEquals("[\"cd02\",\"cd80\",\"ft-laon\"]", hub.get("agencies").toString());
        assertEquals(key("aisne-hub"), hub.get("key").asText());
        assertEquals(SettingsTest.DEFAULT_AISNE_HUB_KEY, hub.get("key").asText());
        assertEquals(400, post("/double/control/keys", "{\"consumer\":\"nobody\"}", Map.of()).statusCode());
    }

    @Test
    public void conventionsAreCreatedForAGivenIdentityAndListedWithoutPersonalValues() throws Exception {
        JsonNode c = create("{\"agency\":\"cd02\",\"beneficiary\":{\"firstName\":\"Ginette\",\"lastName\":\"Vasseur\","
                + "\"birthdate\":\"1979-02-03\",\"phone\":\"+33 6 12 34 56 78\"},\"dateStart\":\"2026-02-09\",\"dateEnd\":\"2026-02-13\","
                + "\"hours\":[{\"start\":\"08:30\",\"end\":\"12:30\"}],\"weekdays\":[1,2,4],\"silent\":true}");
        assertEquals("Ginette", c.at("/signatories/beneficiary/firstName").asText());
        assertEquals("1979-02-03", c.at("/signatories/beneficiary/birthdate").asText());
        assertEquals("+33612345678", c.at("/signatories/beneficiary/phone").asText());
        assertEquals(12, c.at("/schedule/totalHours").asInt());
        assertEquals("READY_TO_SIGN", c.get("status").asText());
        String list = get("/double/control/conventions", Map.of()).body();
        assertTrue(list.contains(c.get("id").asText()));
        assertFalse(list.contains("Ginette"));
        assertEquals(153, json(get("/double/control/conventions", Map.of())).size());
        assertEquals(c, json(get("/double/control/conventions/" + c.get("id").asText(), Map.of())));
        for (String bad : new String[] {"{\"agency\":\"nowhere\"}", "{\"status\":\"DRAFT\"}",
            "{\"dateStart\":\"2026-02-09\",\"dateEnd\":\"2026-03-20\"}", "{\"beneficiary\":{\"birthdate\":\"2020-01-01\"}}",
            "{\"hours\":[{\"start\":\"12:00\",\"end\":\"09:00\"}]}"}) {
            assertEquals(bad, 400, post("/double/control/conventions", bad, Map.of()).statusCode());
        }
        assertEquals(404, get("/double/control/conventions/unknown", Map.of()).statusCode());
    }

    @Test
    public void statsCountPerEndpointAndResetEmptiesThem() throws Exception {
        getConvention("aisne-hub", Fixtures.MONTH_END);
        get("/api/v2/conventions", Map.of("authorization", "x"));
        JsonNode s = stats();
        assertEquals(2, s.get("requests").asInt());
        assertEquals(1, s.get("byEndpoint").get("GET /api/v2/conventions/{conventionId}").asInt());
        assertEquals(1, s.get("byEndpoint").get("GET /api/v2/conventions").asInt());
        assertEquals(1, s.get("unauthenticated401").asInt());
        assertEquals(152, s.get("conventions").asInt());
        post("/double/control/reset", "", Map.of());
        assertEquals(0, stats().get("requests").asInt());
    }
}
