package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The reference flow in the real distribution: department -> hub (HTTP) -> Artemis -> echo double (HTTP),
 * journaled in Derby; and the failure path: partner down, retries, quarantine, replay.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EchoExchangeIT extends HubTestSupport {
    private static final String RELAY = "/hub/in/echo/relay";

    @Configuration
    public Option[] config() {
        // an operator who may read the journal but not see payloads nor replay (Karaf hashes the password
        // at its first login, encryption being enabled)
        return org.ops4j.pax.exam.OptionUtils.combine(hubDistribution(),
                org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                        "etc/users.properties", "auditor", "auditor-pw-17,viewer"));
    }

    @Before
    public void connectorAndDouble() throws Exception {
        installFeature("hub-double-echo");
        installFeature("hub-connector-echo");
        awaitHealthUp();
        HubHttp.await("echo connector listed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
    }

    @Test
    public void messageReachesTheDoubleThroughTheBrokerAndIsJournaledDelivered() {
        String corr = "it-a-" + UUID.randomUUID();
        String id = postRelay(RELAY, "{\"beneficiaire\":\"test\",\"n\":1}", corr);

        awaitState(id, "DELIVERED", Duration.ofSeconds(30));
        assertEquals("the double received it exactly once", 1, echoReceived(corr));

        String detail = http().get("/hub/api/messages/" + id).body();
        assertTrue(detail, detail.matches("(?s).*RECEIVED.*VALIDATED.*QUEUED.*DELIVERED.*"));
        assertTrue("admin sees the payload: " + detail, detail.contains("\\\"beneficiaire\\\""));
        assertTrue(detail.contains("\"sha256\":\"" ));
        assertTrue(http().get("/hub/api/messages?correlationId=" + corr).body().contains(id));

        String metrics = http().getAnonymous("/hub/metrics").body();
        assertTrue(metrics, metrics.contains(
                "hub_messages_total{partner=\"echo\",flow=\"relay\",direction=\"outbound\",state=\"DELIVERED\"}"));
        // the broker's acknowledgement comes after the journal's DELIVERED
        HubHttp.await("the queue drained", Duration.ofSeconds(10), () -> http().getAnonymous("/hub/metrics").body()
                .contains("hub_queue_depth{queue=\"hub.out.echo.relay\"} 0"));

        // without credentials the health says UP or DOWN, nothing of the components behind it
        assertEquals("{\"status\":\"UP\"}", http().getAnonymous("/hub/health").body().strip());
        assertTrue(http().get("/hub/health").body().contains("\"connector:echo\":{\"status\":\"UP\""));
    }

    @Test
    public void aViewerReadsTheJournalWithoutPayloadsAndCannotReplay() {
        String corr = "it-viewer-" + UUID.randomUUID();
        String id = postRelay(RELAY, "{\"secret\":\"" + corr + "\"}", corr);
        awaitState(id, "DELIVERED", Duration.ofSeconds(30));
        HubHttp.Response asViewer = http().getAs("/hub/api/messages/" + id, "auditor", "auditor-pw-17");
        assertEquals(asViewer.body(), 200, asViewer.status());
        assertTrue(asViewer.body(), asViewer.body().contains("\"state\":\"DELIVERED\""));
        assertTrue(asViewer.body(), asViewer.body().contains("\"payloadAvailable\":true"));
        assertFalse("no payload for a viewer: " + asViewer.body(), asViewer.body().contains(corr + "\"}"));
        assertFalse(asViewer.body().contains("\"payload\""));
        HubHttp viewer = new HubHttp("http://127.0.0.1:" + HTTP_PORT, "auditor", "auditor-pw-17");
        assertEquals("a viewer cannot replay", 403, viewer.post("/hub/api/messages/" + id + "/replay", "").status());
        assertEquals("nor post into a flow", 403, viewer.post(RELAY, "{}").status());
    }

    @Test
    public void wrongCredentialsGet401AndNothingElse() {
        long refusedBefore = metric("hub_http_refused_total{reason=\"credentials\"}");
        HubHttp.Response r = http().getAs("/hub/api/messages", "admin", "not-the-password");
        assertEquals(401, r.status());
        assertEquals("{\"error\":\"unauthorized\"}", r.body());
        HubHttp.Response post = new HubHttp("http://127.0.0.1:" + HTTP_PORT, "admin", "wrong")
                .post(RELAY, "{}");
        assertEquals(401, post.status());
        assertEquals("both refusals counted", refusedBefore + 2, metric("hub_http_refused_total{reason=\"credentials\"}"));
    }

    @Test
    public void anAddressThatKeepsGuessingPasswordsIsHeldOffOthersAreNot() {
        long throttledBefore = metric("hub_http_refused_total{reason=\"throttled\"}");
        String password = http().password();
        // 10 failures (the shipped http.login.maxFailures) from 127.0.0.2 ...
        for (int i = 0; i < 10; i++) {
            String head = HubHttp.rawFrom("127.0.0.2", HTTP_PORT, "GET", "/hub/api/messages", "admin", "guess-" + i, null);
            assertTrue(head, head.startsWith("HTTP/1.1 401"));
        }
        // ... and even the right password is not checked from there until the window ends
        String held = HubHttp.rawFrom("127.0.0.2", HTTP_PORT, "GET", "/hub/api/messages", "admin", password, null);
        assertTrue(held, held.startsWith("HTTP/1.1 429"));
        assertTrue(held, held.matches("(?s).*\\r\\nRetry-After: ([1-9]\\d*)(\\r\\n.*|$)"));
        String flowHeld = HubHttp.rawFrom("127.0.0.2", HTTP_PORT, "POST", RELAY, "admin", password, "{\"x\":1}");
        assertTrue("inbound flows too: " + flowHeld, flowHeld.startsWith("HTTP/1.1 429"));
        // the same account from another address is not locked out
        assertEquals(200, http().get("/hub/api/messages?limit=1").status());
        String fromThird = HubHttp.rawFrom("127.0.0.3", HTTP_PORT, "GET", "/hub/api/messages?limit=1", "admin", password, null);
        assertTrue(fromThird, fromThird.startsWith("HTTP/1.1 200"));
        assertTrue(metric("hub_http_refused_total{reason=\"throttled\"}") >= throttledBefore + 1);
    }

    @Test
    public void invalidJsonIsQuarantinedWithItsReasonAndDuplicatesAreRecordedNotProcessed() {
        HubHttp.Response bad = http().post(RELAY, "{\"a\": 1,,}", "X-Correlation-Id", "it-bad");
        assertEquals(bad.body(), 422, bad.status());
        String badId = HubHttp.field(bad.body(), "exchangeId");
        assertEquals("QUARANTINED", http().stateOf(badId));
        assertTrue(bad.body(), bad.body().contains("line 1, column"));

        String corr = "it-dup-" + UUID.randomUUID();
        HubHttp.Response first = http().post(RELAY, "{\"dup\":true}", "X-Correlation-Id", corr, "X-Message-Id", corr);
        assertEquals(202, first.status());
        HubHttp.Response again = http().post(RELAY, "{\"dup\":\"other body\"}", "X-Message-Id", corr);
        assertEquals(again.body(), 200, again.status());
        assertEquals("DUPLICATE", HubHttp.field(again.body(), "outcome"));
        assertEquals(HubHttp.field(first.body(), "exchangeId"), HubHttp.field(again.body(), "duplicateOf"));
        awaitState(HubHttp.field(first.body(), "exchangeId"), "DELIVERED", Duration.ofSeconds(30));
        assertEquals("the duplicate was not delivered", 1, echoReceived(corr));

        HubHttp.Response big = http().post(RELAY, "{\"x\":\"" + "a".repeat(5000) + "\"}");
        assertEquals(big.body(), 413, big.status());

        // a form body is parsed away by the HTTP layer: refused as such, not journaled as an empty message
        String journalBefore = http().get("/hub/api/messages?partner=echo&limit=1000").body();
        HubHttp.Response form = http().postRaw(RELAY, "application/x-www-form-urlencoded", "dossier=D-1&x=y");
        assertEquals(form.body(), 415, form.status());
        assertTrue(form.body(), form.body().contains("a form body (application/x-www-form-urlencoded) is not accepted: "
                + "send the document with its own Content-Type"));
        assertEquals("nothing journaled", count(journalBefore, "\"id\":"),
                count(http().get("/hub/api/messages?partner=echo&limit=1000").body(), "\"id\":"));
    }


    @Test
    public void partnerDownRetriedThenQuarantinedThenReplayedOnceBack() throws Exception {
        uninstallFeature("hub-double-echo");
        String corr = "it-b-" + UUID.randomUUID();
        String id = postRelay(RELAY, "{\"n\":2}", corr);

        awaitState(id, "QUARANTINED", Duration.ofSeconds(30));
        String detail = http().get("/hub/api/messages/" + id).body();
        // retry.maxAttempts = 3: two FAILED (each with its delay), the third failure quarantines with its error
        assertEquals(detail, 2, count(detail, "\"state\":\"FAILED\""));
        assertTrue(detail, detail.contains("failed 3 times"));
        assertTrue(detail, detail.contains("\"attempts\":3"));
        assertTrue(detail, detail.contains("Connection refused"));

        HubHttp.Response refused = http().post("/hub/api/messages/" + id + "/replay", "");
        // the double is still down: the replay is accepted, fails again and ends quarantined again
        assertEquals(refused.body(), 200, refused.status());
        awaitState(id, "QUARANTINED", Duration.ofSeconds(30));

        installFeature("hub-double-echo");
        HubHttp.await("echo double back", Duration.ofSeconds(20), () -> echoReceived(corr) == 0);
        HubHttp.Response replay = http().post("/hub/api/messages/" + id + "/replay", "");
        assertEquals(replay.body(), 200, replay.status());
        awaitState(id, "DELIVERED", Duration.ofSeconds(30));
        assertEquals(1, echoReceived(corr));
        String after = http().get("/hub/api/messages/" + id).body();
        assertTrue(after, after.matches("(?s).*QUARANTINED.*REPLAYED.*VALIDATED.*QUEUED.*DELIVERED.*"));
        assertTrue(after, after.contains("\"actor\":\"admin\""));

        HubHttp.Response twice = http().post("/hub/api/messages/" + id + "/replay", "");
        assertEquals("a delivered message cannot be replayed", 409, twice.status());
        assertFalse(twice.body().contains("Exception"));
    }

}
