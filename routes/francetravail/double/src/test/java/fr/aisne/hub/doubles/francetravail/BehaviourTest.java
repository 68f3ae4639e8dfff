package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Injected behaviour through the control endpoint: rate limit, forced 429s, outage, latency; stats; reset. */
public class BehaviourTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("client.aisne-hub.secret", SECRET,
                "client.autre.secret", "autre-secret",
                "retryAfterSeconds", "2"));
    }

    @Test
    public void controlShowsTheSettingsValuesAndRefusesNonsense() throws Exception {
        JsonNode b = json(get("/double/control", Map.of()));
        assertEquals(0, b.get("rateLimitPerSecond").asInt());
        assertEquals(2, b.get("retryAfterSeconds").asInt());
        assertFalse(b.get("outage").asBoolean());
        assertEquals(503, b.get("outageStatus").asInt());
        assertEquals(400, post("/double/control", "{\"rateLimitPerSecond\":-1}", Map.of()).statusCode());
        assertEquals(400, post("/double/control", "{\"vitesse\":3}", Map.of()).statusCode());
        assertEquals(400, post("/double/control", "{\"outageStatus\":200}", Map.of()).statusCode());
        assertEquals(400, post("/double/control", "{\"outage\":\"oui\"}", Map.of()).statusCode());
        // a refused change changes nothing
        assertEquals(b, json(get("/double/control", Map.of())));
    }

    @Test
    public void overTheRateAClientGets429WithRetryAfter() throws Exception {
        String token = token();
        String other = json(tokenRequest(form("grant_type", "client_credentials", "client_id", "autre",
                "client_secret", "autre-secret", "scope", ALL_SCOPES))).get("access_token").asText();
        assertEquals(200, post("/double/control", "{\"rateLimitPerSecond\":3}", Map.of()).statusCode());
        // the double's clock stands still: these calls all fall in the same second
        for (int i = 0; i < 3; i++) {
            assertEquals(200, searchByNir(token, nir(10), BIRTH).statusCode());
        }
        HttpResponse<String> r = searchByNir(token, nir(10), BIRTH);
        assertEquals(429, r.statusCode());
        assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
        assertEquals(429, searchByNir(token, nir(10), BIRTH).statusCode());
        // the limit is per client
        assertEquals(200, searchByNir(other, nir(10), BIRTH).statusCode());
        // a second later the window has room again
        clock.advance(Duration.ofMillis(1000));
        assertEquals(200, searchByNir(token, nir(10), BIRTH).statusCode());
        JsonNode stats = json(get("/double/stats", Map.of()));
        assertEquals(2, stats.get("throttled429").asInt());
        assertEquals(2, stats.get("byStatus").get("429").asInt());
    }

    @Test
    public void theTokenEndpointIsRateLimitedToo() throws Exception {
        post("/double/control", "{\"rateLimitPerSecond\":2}", Map.of());
        token();
        token();
        HttpResponse<String> r = tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET, "scope", ALL_SCOPES));
        assertEquals(429, r.statusCode());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    public void theNextKCallsAre429WhateverTheRate() throws Exception {
        String token = token();
        JsonNode b = json(post("/double/control", "{\"status429Next\":2,\"retryAfterSeconds\":7}", Map.of()));
        assertEquals(2, b.get("status429Next").asInt());
        HttpResponse<String> r = searchByNir(token, nir(10), BIRTH);
        assertEquals(429, r.statusCode());
        assertEquals("7", r.headers().firstValue("Retry-After").orElse(""));
        assertEquals(429, searchByNir(token, nir(10), BIRTH).statusCode());
        assertEquals(200, searchByNir(token, nir(10), BIRTH).statusCode());
        assertEquals(0, json(get("/double/control", Map.of())).get("status429Next").asInt());
    }

    @Test
    public void outageAnswersEveryPartnerCallUntilLifted() throws Exception {
        String token = token();
        String jeton = jeton(token, 10);
        post("/double/control", "{\"outage\":true}", Map.of());
        assertEquals(503, searchByNir(token, nir(10), BIRTH).statusCode());
        assertEquals(503, get(FranceTravailApi.CONTRAT, personHeaders(token, jeton)).statusCode());
        assertEquals(503, tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET, "scope", ALL_SCOPES)).statusCode());
        post("/double/control", "{\"outageStatus\":502}", Map.of());
        assertEquals(502, searchByNir(token, nir(10), BIRTH).statusCode());
        // the control endpoint still answers; lifting the outage restores service with the same token and jeton
        assertEquals(200, post("/double/control", "{\"outage\":false}", Map.of()).statusCode());
        assertEquals(200, get(FranceTravailApi.CONTRAT, personHeaders(token, jeton)).statusCode());
        assertEquals(4, json(get("/double/stats", Map.of())).get("outageAnswers").asInt());
    }

    @Test
    public void latencyDelaysEveryPartnerAnswer() throws Exception {
        String token = token();
        long t0 = System.nanoTime();
        searchByNir(token, nir(10), BIRTH);
        long fast = (System.nanoTime() - t0) / 1_000_000;
        post("/double/control", "{\"latencyMillis\":400}", Map.of());
        t0 = System.nanoTime();
        assertEquals(200, searchByNir(token, nir(10), BIRTH).statusCode());
        long slow = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("slow " + slow + " ms", slow >= 400);
        assertTrue("fast " + fast + " ms, slow " + slow + " ms", slow > fast);
        // control calls are not slowed
        t0 = System.nanoTime();
        get("/double/stats", Map.of());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 400);
    }

    @Test
    public void resetPutsTheSettingsBackAndZeroesTheCounters() throws Exception {
        String token = token();
        post("/double/control", "{\"outage\":true,\"latencyMillis\":5,\"rateLimitPerSecond\":1}", Map.of());
        searchByNir(token, nir(10), BIRTH);
        JsonNode b = json(post("/double/control/reset", "", Map.of()));
        assertFalse(b.get("outage").asBoolean());
        assertEquals(0, b.get("latencyMillis").asInt());
        assertEquals(0, b.get("rateLimitPerSecond").asInt());
        JsonNode stats = json(get("/double/stats", Map.of()));
        assertEquals(0, stats.get("requests").asInt());
        assertEquals(0, stats.get("byEndpoint").size());
        // tokens survive a reset (this one and those of earlier tests of this class)
        assertTrue(stats.get("tokensActive").asInt() >= 1);
        assertEquals(200, searchByNir(token, nir(10), BIRTH).statusCode());
    }

    @Test
    public void statsCountPerEndpointAndStatus() throws Exception {
        String token = token();
        String jeton = jeton(token, 10);
        get(FranceTravailApi.CONTRAT, personHeaders(token, jeton));
        get(FranceTravailApi.RQTH, personHeaders(token, jeton));
        send("DELETE", FranceTravailApi.RENDEZ_VOUS + "/abc", null, personHeaders(token, jeton));
        JsonNode stats = json(get("/double/stats", Map.of()));
        JsonNode byEndpoint = stats.get("byEndpoint");
        assertEquals(1, byEndpoint.get("POST " + FranceTravailApi.TOKEN).asInt());
        assertEquals(1, byEndpoint.get("POST " + FranceTravailApi.SEARCH_NIR).asInt());
        assertEquals(1, byEndpoint.get("GET " + FranceTravailApi.CONTRAT).asInt());
        assertEquals(1, byEndpoint.get("DELETE " + FranceTravailApi.RENDEZ_VOUS + "/{id}").asInt());
        assertEquals(5, stats.get("requests").asInt());
        assertEquals(3, stats.get("byStatus").get("200").asInt());
        assertEquals(1, stats.get("byStatus").get("204").asInt());
        assertEquals(1, stats.get("byStatus").get("404").asInt());
        assertEquals(1, stats.get("tokensIssued").asInt());
        assertEquals(1, stats.get("jetonsActive").asInt());
    }

    @Test
    public void disconnectRefusesConnectionsForAWhile() throws Exception {
        HttpResponse<String> r = post("/double/control/disconnect", "{\"seconds\":1}", Map.of());
        assertEquals(r.body(), 202, r.statusCode());
        assertEquals(409, post("/double/control/disconnect", "{\"seconds\":1}", Map.of()).statusCode());
        // what a client sees when France Travail is unreachable: polled, as the port closes 200 ms from now
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                get("/double/stats", Map.of());
            } catch (ConnectException expected) {
                break;
            } catch (IOException cutWhileClosing) {
                // a request the closing listener accepted, then dropped
            }
            assertTrue("connection accepted during the disconnection", System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
        while (true) {
            try {
                // the listener reopens before its routes are back: a 404 for a moment, then 200
                int status = get("/double/stats", Map.of()).statusCode();
                if (status == 200) {
                    break;
                }
                assertTrue("status " + status + " after reconnection", status == 404
                        && System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            } catch (ConnectException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        assertEquals(400, post("/double/control/disconnect", "{\"seconds\":0}", Map.of()).statusCode());
    }
}
