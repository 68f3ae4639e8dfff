package fr.aisne.hub.connector.francetravail.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.connector.francetravail.testing.TestClients;
import fr.aisne.hub.core.MutableClock;

/** The partner's behaviours: headers, 204, 429 + Retry-After, rate limit, circuit breaker, timeouts, codes. */
public class FranceTravailClientTest {
    private static final String NIR = "1850578006084";
    private static final String JETON = "JETON-abcdef0123456789";
    private static final String CONTRAT = FranceTravailClient.CONTRAT;

    private FakeFranceTravail fake;
    private MutableClock clock;
    private final Agent agent = new Agent("agent-42", "MARTIN", "Claire");
    private final List<String> messages = new ArrayList<>();

    @Before
    public void start() throws Exception {
        fake = new FakeFranceTravail(TestClients.SECRET);
        clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
    }

    @After
    public void stop() {
        fake.close();
        // No secret, access token, jeton or NIR in any message a test saw.
        for (String m : messages) {
            for (String forbidden : new String[] {TestClients.SECRET, "tok-", JETON, NIR}) {
                assertFalse(m, m.contains(forbidden));
            }
        }
    }

    private FranceTravailClient client(String... kv) {
        FtSettings s = TestClients.settings(fake, kv);
        return TestClients.client(s, clock);
    }

    private FtException fails(ThrowingCall call) {
        FtException e = assertThrows(FtException.class, call::run);
        messages.add(e.getMessage());
        return e;
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    public void personScopedCallsCarryTokenJetonAndAgentHeaders() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(200, "{\"codeStatutInscription\":\"INSCRIT\"}"));
        FranceTravailClient c = client();
        Optional<JsonNode> body = c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat");
        assertEquals("INSCRIT", body.orElseThrow().get("codeStatutInscription").asText());

        FakeFranceTravail.Request r = fake.requests(CONTRAT).get(0);
        assertEquals("Bearer " + fake.lastToken(), r.header("Authorization"));
        assertEquals(JETON, r.header("ft-jeton-usager"));
        assertEquals("agent-42", r.header("pa-identifiant-agent"));
        assertEquals("MARTIN", r.header("pa-nom-agent"));
        assertEquals("Claire", r.header("pa-prenom-agent"));
        // the token asked for the call's own scope set
        assertEquals(FtSettings.from(java.util.Map.of()).scopesOf(FtSettings.CONTRAT),
                fake.requests(FakeFranceTravail.TOKEN_PATH).get(0).form().get("scope"));

        // BATCH agent for batch jobs
        c.read(FtSettings.CONTRAT, CONTRAT, JETON, TestClients.settings(fake).batchAgent(), "contrat");
        assertEquals("BATCH", fake.requests(CONTRAT).get(1).header("pa-identifiant-agent"));
    }

    @Test
    public void noContentMeansNoData() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.of(204));
        assertTrue(client().read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat").isEmpty());
    }

    @Test
    public void retryAfterIsHonouredBeforeTryingAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        fake.on("GET", CONTRAT, r -> calls.incrementAndGet() == 1
                ? Response.json(429, "{\"message\":\"Too Many Requests\"}").withHeader("Retry-After", "1")
                : Response.json(200, "{}"));
        FranceTravailClient c = client();
        assertTrue(c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat").isPresent());
        List<FakeFranceTravail.Request> seen = fake.requests(CONTRAT);
        assertEquals(2, seen.size());
        long waitedMs = (seen.get(1).atNanos() - seen.get(0).atNanos()) / 1_000_000;
        assertTrue("waited " + waitedMs + " ms", waitedMs >= 950);
    }

    @Test
    public void longRetryAfterHandsTheWorkBackWithoutCallingAgainMeanwhile() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(429, "{}").withHeader("Retry-After", "120"));
        FranceTravailClient c = client("retryAfter.maxWaitSeconds", "30");
        long t0 = System.nanoTime();
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, e.kind());
        assertTrue(e.retryable());
        assertEquals("429", e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("120 s"));
        // While the partner asked to wait, calls are held back, not sent (and not dropped: the caller retries later).
        FtException again = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, again.kind());
        assertEquals(1, fake.requests(CONTRAT).size());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
        // a 429 is an answer of the partner, not a failure: the circuit stays closed
        assertEquals(CircuitBreaker.State.CLOSED, c.transport().circuit().state());
    }

    @Test
    public void rateLimiterSpacesTheCalls() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(200, "{}"));
        FranceTravailClient c = client("rate.perSecond", "10");
        c.tokens().token(TestClients.settings(fake).scopesOf(FtSettings.CONTRAT));
        fake.clear();
        for (int i = 0; i < 6; i++) {
            c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat");
        }
        List<FakeFranceTravail.Request> seen = fake.requests(CONTRAT);
        long spanMs = (seen.get(5).atNanos() - seen.get(0).atNanos()) / 1_000_000;
        assertTrue("6 calls at 10/s spanned " + spanMs + " ms", spanMs >= 450);
    }

    @Test
    public void circuitOpensAfterConsecutiveFailuresFailsFastThenHalfOpensAndCloses() throws Exception {
        AtomicInteger mode = new AtomicInteger(503);
        fake.on("GET", CONTRAT, r -> mode.get() == 200 ? Response.json(200, "{}")
                : Response.json(mode.get(), "{\"codeRetour\":\"R999\",\"message\":\"Service indisponible\"}"));
        FranceTravailClient c = client("circuit.failureThreshold", "3", "circuit.openSeconds", "30");
        CircuitBreaker circuit = c.transport().circuit();
        for (int i = 0; i < 3; i++) {
            FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
            assertEquals(FtException.Kind.RETRY_LATER, e.kind());
            assertEquals("R999", e.code());
        }
        assertEquals(CircuitBreaker.State.OPEN, circuit.state());
        FtException open = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertTrue(open.getMessage(), open.getMessage().startsWith("France Travail circuit open after 3 consecutive failures"));
        assertTrue(open.retryable());
        assertEquals("no call while open", 3, fake.requests(CONTRAT).size());

        // half-open after the delay: one trial; it fails, the circuit opens again
        clock.advance(Duration.ofSeconds(31));
        assertEquals(CircuitBreaker.State.HALF_OPEN, circuit.state());
        fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(CircuitBreaker.State.OPEN, circuit.state());
        assertEquals(4, fake.requests(CONTRAT).size());

        // next trial succeeds: closed again, calls flow
        clock.advance(Duration.ofSeconds(31));
        mode.set(200);
        c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat");
        assertEquals(CircuitBreaker.State.CLOSED, circuit.state());
        c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat");
        assertEquals(6, fake.requests(CONTRAT).size());
    }

    @Test
    public void halfOpenLetsOneTrialThrough() throws Exception {
        CircuitBreaker b = new CircuitBreaker(1, Duration.ofSeconds(10), clock);
        b.beforeCall();
        b.failure("x: HTTP 500");
        clock.advance(Duration.ofSeconds(11));
        b.beforeCall(); // the trial
        FtException e = fails(b::beforeCall);
        assertTrue(e.getMessage(), e.getMessage().contains("half-open"));
        b.success();
        b.beforeCall();
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    @Test
    public void slowPartnerTimesOutAndCountsAsFailure() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(200, "{}").delayed(2000));
        FranceTravailClient c = client("http.requestTimeoutMs", "300");
        c.tokens().token(TestClients.settings(fake).scopesOf(FtSettings.CONTRAT));
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("did not answer contrat within 300 ms"));
        assertTrue(c.transport().circuit().describe().contains("1 recent failures"));
    }

    @Test
    public void unreachablePartnerIsRetryable() throws Exception {
        FtSettings s = TestClients.settings(fake, "baseUrl", "http://127.0.0.1:1");
        FranceTravailClient c = TestClients.client(s, clock);
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("unreachable"));
    }

    @Test
    public void refusedJetonIsReportedAfterOneFreshToken() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(401, "{\"message\":\"jeton invalide\"}"));
        FranceTravailClient c = client();
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.JETON_REJECTED, e.kind());
        assertEquals(2, fake.requests(CONTRAT).size());
        assertEquals("a fresh access token for the second try", 2, fake.tokenRequests());
    }

    // ---- rechercher-usager codes --------------------------------------------------------------------

    private void searchAnswers(int status, String body) {
        fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(status, body));
    }

    @Test
    public void searchCodesS001S002S003AreAnswers() throws Exception {
        FranceTravailClient c = client();
        searchAnswers(200, "{\"codeRetour\":\"S001\",\"message\":\"Approchant trouvé\",\"jetonUsager\":\"" + JETON
                + "\",\"topIdentiteCertifiee\":\"O\"}");
        FranceTravailClient.Search s = c.searchByNir(NIR, "1985-05-12", agent);
        assertEquals("S001", s.codeRetour());
        assertEquals(JETON, s.jetonUsager());
        assertEquals("O", s.topIdentiteCertifiee());
        assertFalse(s.toString().contains(JETON));
        FakeFranceTravail.Request r = fake.requests(FranceTravailClient.RECHERCHER_PAR_NIR).get(0);
        assertTrue(r.body().contains("\"nir\":\"" + NIR + "\"") && r.body().contains("\"dateNaissance\":\"1985-05-12\""));
        assertEquals("application/json", r.header("Content-Type"));

        searchAnswers(200, "{\"codeRetour\":\"S002\",\"message\":\"Aucun approchant trouvé\"}");
        assertEquals("S002", c.searchByNir(NIR, "1985-05-12", agent).codeRetour());
        searchAnswers(200, "{\"codeRetour\":\"S003\",\"message\":\"Plusieurs approchants trouvés\"}");
        FranceTravailClient.Search several = c.searchByNir(NIR, "1985-05-12", agent);
        assertEquals("S003", several.codeRetour());
        assertNull(several.jetonUsager());
    }

    @Test
    public void searchErrorCodesSayWhetherRetryingHelps() throws Exception {
        FranceTravailClient c = client("circuit.failureThreshold", "10");
        searchAnswers(403, "{\"codeRetour\":\"R001\",\"message\":\"Accès refusé\"}");
        FtException r001 = fails(() -> c.searchByNir(NIR, "1985-05-12", agent));
        assertEquals(FtException.Kind.REFUSED, r001.kind());
        assertEquals("R001", r001.code());
        assertFalse(r001.retryable());

        searchAnswers(400, "{\"codeRetour\":\"R997\",\"message\":\"dateNaissance au mauvais format\"}");
        FtException r997 = fails(() -> c.searchByNir(NIR, "1985-05-12", agent));
        assertEquals(FtException.Kind.INVALID, r997.kind());
        assertTrue(r997.getMessage(), r997.getMessage().contains("R997") && r997.getMessage().contains("mauvais format"));
        assertFalse(r997.retryable());

        searchAnswers(500, "{\"codeRetour\":\"R998\",\"message\":\"Erreur technique\"}");
        FtException r998 = fails(() -> c.searchByNir(NIR, "1985-05-12", agent));
        assertEquals(FtException.Kind.RETRY_LATER, r998.kind());
        assertEquals("R998", r998.code());

        searchAnswers(503, "{\"codeRetour\":\"R999\",\"message\":\"Service indisponible\"}");
        FtException r999 = fails(() -> c.searchByNir(NIR, "1985-05-12", agent));
        assertEquals(FtException.Kind.RETRY_LATER, r999.kind());
        assertTrue(r999.retryable());
    }

    @Test
    public void partnerMessagesAreRedactedInReasons() throws Exception {
        FranceTravailClient c = client();
        searchAnswers(400, "{\"codeRetour\":\"R997\",\"message\":\"nir " + NIR + " invalide\"}");
        FtException e = fails(() -> c.searchByNir(NIR, "1985-05-12", agent));
        assertTrue(e.getMessage(), e.getMessage().contains("[NIR]"));
    }
}
