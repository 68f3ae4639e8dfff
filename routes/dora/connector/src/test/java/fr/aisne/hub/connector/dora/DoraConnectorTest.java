package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.connector.dora.FakeDataInclusion.Answer;

/**
 * The connector as the hub configures it: its settings (tokens sealed, never shown), its two flows, its routes, its
 * API document, its health; and the directory pull it builds, against a scripted data·inclusion: what it hands to
 * the intake, when it runs, what a failure leaves.
 */
public class DoraConnectorTest {
    private FakeDataInclusion api;
    private MutableClock clock;
    private TestConnectorContext ctx;

    @Before
    public void setUp() throws Exception {
        api = new FakeDataInclusion();
        clock = new MutableClock(TestItems.NOW); // 10:00 in Paris
        ctx = new TestConnectorContext("dora", TestTables.empty(), clock);
    }

    @After
    public void tearDown() {
        api.close();
    }

    private DoraConnector connector(String... keyValues) throws Exception {
        Map<String, Object> cfg = TestConnectorContext.settings("api.url", api.apiUrl(), "directory.pageSize", "2",
                "api.token", ctx.secrets().sealSetting("the-api-token"),
                "feed.token", ctx.secrets().sealSetting("the-feed-read-token"));
        cfg.putAll(TestConnectorContext.settings(keyValues));
        DoraConnector c = new DoraConnector();
        c.activate(cfg);
        c.configure(ctx);
        return c;
    }

    private void scriptAPull() {
        api.otherwise(r -> switch (r.path() + "?" + r.query()) {
            case "/api/v1/structures?code_departement=02&page=1&size=2" ->
                    Answer.ok(FakeDataInclusion.page(1, 2, "dora--s1", "dora--s2"));
            case "/api/v1/structures?code_departement=02&page=2&size=2" -> Answer.ok(FakeDataInclusion.page(2, 2, "dora--s3"));
            case "/api/v1/services?code_departement=02&page=1&size=2" -> Answer.ok(FakeDataInclusion.page(1, 1, "dora--v1"));
            default -> Answer.status(404, "{\"detail\":\"Not Found\"}");
        });
    }

    @Test
    public void twoFlowsTheirRoutesAndTheApiDocument() throws Exception {
        connector();
        Flow directory = ctx.flow("directory");
        assertEquals("dora/directory", directory.key());
        assertEquals(Direction.INBOUND, directory.direction());
        assertNull("only the poller feeds it", directory.httpPath());
        assertEquals(Duplicates.MESSAGE_ID, directory.duplicates());
        assertNotNull(directory.deliveryHandler());
        Flow offre = ctx.flow("offre");
        assertEquals("departement/offre", offre.key());
        assertEquals("/in/departement/offre", offre.httpPath());
        assertEquals(java.util.Set.of("departement", "sender-aisne-actifs", "admin"), offre.httpSender().roles());
        assertTrue("checked whole at intake", offre.validator() instanceof OfferCheck);
        assertEquals(Duplicates.MESSAGE_ID, offre.duplicates());
        assertEquals(4L << 20, offre.maxPayloadBytes());
        assertEquals("the pull's timer and the REST routes", 2, ctx.routeBuilders().size());

        JsonNode doc = Json.MAPPER.readTree(ctx.apiDocument());
        assertTrue(doc.path("paths").has("/api/departement/services"));
        assertTrue(doc.path("paths").has("/in/departement/offre"));
        assertTrue(doc.path("paths").has("/feed/dora/services"));
        assertEquals("the schema the intake validates with", JsonSchemas.resource("offre.schema.json"),
                doc.at("/components/schemas/doraOffre"));
        doc.path("components").path("schemas").fieldNames().forEachRemaining(n -> assertTrue(n, n.startsWith("dora")));
    }

    @Test
    public void tokensAreSealedOpenedAndNeverShown() throws Exception {
        DoraConnector c = connector();
        Map<String, String> shown = c.describeSettings();
        assertEquals("(set, encrypted)", shown.get("api.token"));
        assertEquals("(set, encrypted)", shown.get("feed.token"));
        assertFalse(shown.toString().contains("the-api-token"));
        DoraSettings s = DoraSettings.from(TestConnectorContext.settings("api.token", "clear-token",
                "feed.token", "a-read-token-of-24-chars"), ctx.secrets());
        assertEquals("clear-token", s.apiToken());
        assertFalse(s.toString(), s.toString().contains("clear-token"));
        assertFalse(s.toString().contains("a-read-token"));
        assertEquals("(set, in clear: encrypt it with hub:encrypt-secret)", s.describe().get("api.token"));

        // sealed elsewhere: cannot be opened here
        String foreign = new TestConnectorContext.TestSecrets().sealSetting("x");
        SettingsException e = assertThrows(SettingsException.class, () -> DoraSettings.from(
                TestConnectorContext.settings("api.token", foreign), ctx.secrets()));
        assertTrue(e.getMessage(), e.getMessage().contains("api.token"));
    }

    @Test
    public void wrongSettingsSayKeyAndFix() {
        for (String[] kv : List.of(new String[] {"api.url", "http://example.org/api"},
                new String[] {"directory.codeDepartement", "Aisne"}, new String[] {"directory.pageSize", "0"},
                new String[] {"directory.dailyAt", "25:00"}, new String[] {"offer.source", "Département Aisne"},
                new String[] {"offer.zoneEligibilite", "02,Laon"}, new String[] {"feed.token", "tiny-tok"},
                new String[] {"directory.enabled", "yes"})) {
            SettingsException e = assertThrows(kv[0], SettingsException.class,
                    () -> DoraSettings.from(TestConnectorContext.settings(kv), ctx.secrets()));
            assertTrue(e.getMessage(), e.getMessage().contains(kv[0]));
            assertFalse("never a value of a token", e.getMessage().contains("tiny-tok"));
        }
    }

    @Test
    public void withoutATokenTheDirectoryIsNotPulledAndTheConnectorSaysSo() throws Exception {
        DoraConnector c = connector("api.token", "");
        assertNull(c.pull());
        assertEquals("the REST routes only", 1, ctx.routeBuilders().size());
        Health h = c.health();
        assertFalse(h.up());
        assertTrue(h.detail(), h.detail().startsWith("api.token is not set"));
        assertTrue(connector("api.token", "", "directory.enabled", "false").health().up());
    }

    @Test
    public void aPullHandsEveryPageThenTheEndToTheIntake() throws Exception {
        scriptAPull();
        DoraConnector c = connector();
        PullReports.Report r = c.pull().pull("test");
        assertEquals(PullReports.Status.PROCESSING, r.status);
        List<TestConnectorContext.Accepted> in = ctx.accepted();
        assertEquals(List.of(r.run + ":structures:1", r.run + ":structures:2", r.run + ":services:1", r.run + ":end"),
                in.stream().map(a -> a.metadata().partnerMessageId()).toList());
        for (TestConnectorContext.Accepted a : in) {
            assertEquals("dora/directory", a.flow().key());
            assertEquals("one pull, one correlation id", r.run, a.metadata().correlationId());
            assertEquals("one ordering key: delivered in order", DirectoryPull.ORDERING_KEY, a.metadata().orderingKey());
            assertEquals(DirectoryPull.SENDER, a.metadata().sender());
        }
        assertEquals("the page as it came", FakeDataInclusion.page(2, 2, "dora--s3"), in.get(1).text());
        JsonNode end = Json.MAPPER.readTree(in.get(3).text());
        assertEquals(3, end.get("structures").size());
        assertEquals("dora--v1", end.get("services").get(0).asText());
        assertEquals(3, api.requests.size());
    }

    @Test
    public void aFailedPullHandsNoEndAndIsTriedAgainLater() throws Exception {
        api.otherwise(r -> r.path().endsWith("/structures") ? Answer.ok(FakeDataInclusion.page(1, 1, "dora--s1"))
                : Answer.status(503, "{\"detail\":\"Service Unavailable\"}"));
        DoraConnector c = connector("http.attemptsPerPage", "1");
        PullReports.Report r = c.pull().pull("test");
        assertEquals(PullReports.Status.FAILED, r.status);
        assertTrue(r.error, r.error.contains("HTTP 503"));
        assertEquals("the structures' page only: nothing will be removed", 1, ctx.accepted().size());
        assertEquals(TestItems.NOW.plus(Duration.ofMinutes(30)), c.pull().retryAt());
        Health h = c.health();
        assertTrue(h.up());
        assertTrue(h.detail(), h.detail().contains("last pull failed"));

        scriptAPull();
        ctx.clear();
        clock.advance(Duration.ofMinutes(29));
        c.pull().tick(); // the start pull (directory.pullOnStart)
        int afterStart = ctx.accepted().size();
        assertEquals(4, afterStart);
        clock.advance(Duration.ofMinutes(2));
        c.pull().tick();
        assertEquals("the success cleared the retry", 4, ctx.accepted().size());
    }

    @Test
    public void pulledAtStartThenDailyAtTheHourSet() throws Exception {
        scriptAPull();
        DoraConnector c = connector("directory.dailyAt", "03:30");
        c.pull().tick();
        assertEquals("at start", 1, count());
        c.pull().tick();
        assertEquals("once", 1, count());
        clock.set(Instant.parse("2026-03-17T02:29:00Z")); // 03:29 in Paris
        c.pull().tick();
        assertEquals(1, count());
        clock.set(Instant.parse("2026-03-17T02:31:00Z"));
        c.pull().tick();
        assertEquals("daily", 2, count());
        clock.set(Instant.parse("2026-03-17T20:00:00Z"));
        c.pull().tick();
        assertEquals(2, count());
    }

    private long count() {
        return ctx.accepted().stream().filter(a -> a.metadata().partnerMessageId().endsWith(":end")).count();
    }

    @Test
    public void aRefusedTokenMakesTheConnectorDown() throws Exception {
        api.then(Answer.status(401, "{\"detail\":\"Not authenticated\"}"));
        DoraConnector c = connector();
        c.pull().pull("test");
        Health h = c.health();
        assertFalse(h.up());
        assertTrue(h.detail(), h.detail().startsWith("data·inclusion answered HTTP 401"));
        assertTrue(h.detail(), h.detail().contains("check api.token"));
    }

    @Test
    public void whatTheHubCannotTakeNowFailsThePull() throws Exception {
        scriptAPull();
        ctx.answer(a -> IngestResult.Outcome.UNAVAILABLE);
        DoraConnector c = connector();
        PullReports.Report r = c.pull().pull("test");
        assertEquals(PullReports.Status.FAILED, r.status);
        assertTrue(r.error, r.error.startsWith("the hub did not take structures:1 (UNAVAILABLE"));
    }

    @Test
    public void neverTwoPullsAtOnce() throws Exception {
        api.otherwise(r -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.ok(FakeDataInclusion.page(1, 1));
        });
        DoraConnector c = connector();
        Thread t = new Thread(() -> {
            try {
                c.pull().pull("first");
            } catch (DirectoryPull.Busy e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        Thread.sleep(100);
        assertThrows(DirectoryPull.Busy.class, () -> c.pull().pull("second"));
        t.join();
    }
}
