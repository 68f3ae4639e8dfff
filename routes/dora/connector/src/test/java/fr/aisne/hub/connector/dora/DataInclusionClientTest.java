package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.connector.dora.FakeDataInclusion.Answer;

/** The client of the data·inclusion API: token, pages, 401/403/422, 429 and 5xx handling, the partner guard. */
public class DataInclusionClientTest {
    private FakeDataInclusion api;
    private final List<Duration> slept = new ArrayList<>();
    private final RecordingGuard guard = new RecordingGuard();
    private final List<String> guardCalls = guard.calls;
    private DataInclusionClient client;

    @Before
    public void setUp() throws Exception {
        api = new FakeDataInclusion();
        client = client(Map.of());
    }

    @After
    public void tearDown() {
        api.close();
    }

    private DataInclusionClient client(Map<String, String> more) {
        Map<String, Object> cfg = TestConnectorContext.settings("api.url", api.apiUrl(), "api.token", "the-token",
                "directory.pageSize", "2", "http.requestTimeoutMs", "2000", "retryAfter.maxWaitSeconds", "5");
        cfg.putAll(more);
        DoraSettings s = DoraSettings.from(cfg, new TestConnectorContext.TestSecrets());
        return new DataInclusionClient(s, guard, slept::add);
    }

    @Test
    public void aPageWithTheTokenTheDepartementAndTheSize() throws Exception {
        api.then(Answer.ok(FakeDataInclusion.page(1, 3, "dora--a", "dora--b")));
        DataInclusionClient.Page p = client.page("services", 1);
        assertEquals(List.of("dora--a", "dora--b"), p.ids());
        assertEquals(Integer.valueOf(3), p.pages());
        assertEquals(2, p.items());
        FakeDataInclusion.Request r = api.requests.get(0);
        assertEquals("/api/v1/services", r.path());
        assertEquals("code_departement=02&page=1&size=2", r.query());
        assertEquals("Bearer the-token", r.authorization());
        assertEquals(List.of("permit", "succeeded"), guardCalls);
    }

    @Test
    public void aRefusedTokenOrParameterStopsAtOnce() {
        api.then(Answer.status(401, "{\"detail\":\"Not authenticated\"}"));
        DataInclusionClient.Refused e = assertThrows(DataInclusionClient.Refused.class, () -> client.page("services", 1));
        assertTrue(e.credentials());
        assertEquals("data·inclusion answered HTTP 401 to services page 1: {\"detail\":\"Not authenticated\"}",
                e.getMessage());
        api.then(Answer.status(403, "{\"detail\":\"Forbidden\"}"));
        assertTrue(assertThrows(DataInclusionClient.Refused.class, () -> client.page("services", 1)).credentials());
        api.then(Answer.status(422, "{\"detail\":[{\"type\":\"greater_than_equal\",\"loc\":[\"query\",\"size\"]}]}"));
        e = assertThrows(DataInclusionClient.Refused.class, () -> client.page("structures", 1));
        assertFalse(e.credentials());
        assertEquals(3, api.requests.size());
        assertFalse("never the token in a message", e.getMessage().contains("the-token"));
    }

    @Test
    public void serverErrorsAndTimeoutsAreTriedAgainThenGivenUp() throws Exception {
        api.then(Answer.status(503, "{\"detail\":\"Service Unavailable\"}"), Answer.status(502, ""),
                Answer.ok(FakeDataInclusion.page(1, 1, "dora--a")));
        assertEquals(List.of("dora--a"), client.page("services", 1).ids());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), slept);
        assertEquals(List.of("permit", "failed", "permit", "failed", "permit", "succeeded"), guardCalls);

        api.otherwise(r -> Answer.status(500, "{\"detail\":\"Internal Server Error\"}"));
        DataInclusionClient.Unavailable e = assertThrows(DataInclusionClient.Unavailable.class,
                () -> client.page("services", 2));
        assertEquals("data·inclusion failed 3 times for services page 2: HTTP 500: {\"detail\":\"Internal Server Error\"}",
                e.getMessage());
    }

    @Test
    public void aShort429IsWaitedForALongOneMakesThePullWait() throws Exception {
        api.then(new Answer(429, "{\"detail\":\"Too Many Requests\"}", Map.of("Retry-After", "2")),
                Answer.ok(FakeDataInclusion.page(1, 1, "dora--a")));
        assertEquals(1, client.page("services", 1).items());
        assertEquals(List.of(Duration.ofSeconds(2)), slept);
        assertTrue(guardCalls.toString(), guardCalls.contains("pause 2"));

        api.then(new Answer(429, "{}", Map.of("Retry-After", "600")));
        DataInclusionClient.Unavailable e = assertThrows(DataInclusionClient.Unavailable.class,
                () -> client.page("services", 1));
        assertEquals("data·inclusion rate limit (429) on services page 1: asked to wait 600 s", e.getMessage());
    }

    @Test
    public void notAnEnvelopeIsAFailureOfThePull() {
        api.then(Answer.ok("[1,2]"));
        assertThrows(DataInclusionClient.Unavailable.class, () -> client.page("services", 1));
        api.then(Answer.ok("<html>"));
        assertThrows(DataInclusionClient.Unavailable.class, () -> client.page("services", 1));
    }

    @Test
    public void anOpenCircuitMeansNoCall() {
        client = new DataInclusionClient(DoraSettings.from(TestConnectorContext.settings("api.url", api.apiUrl(),
                "api.token", "t"), new TestConnectorContext.TestSecrets()), guard, slept::add);
        guard.refuse = DeliveryFailure.temporary("circuit open", Duration.ofSeconds(30));
        DataInclusionClient.Unavailable e = assertThrows(DataInclusionClient.Unavailable.class,
                () -> client.page("services", 1));
        assertTrue(e.getMessage(), e.getMessage().contains("circuit open"));
        assertEquals(0, api.requests.size());
    }
}
