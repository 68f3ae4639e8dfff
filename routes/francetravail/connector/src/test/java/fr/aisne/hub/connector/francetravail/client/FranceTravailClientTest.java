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
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.connector.francetravail.testing.RecordingGuard;

/** The partner's behaviours: headers, 204, 429 + Retry-After, the partner guard, timeouts, codes. */
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

    private final RecordingGuard guard = new RecordingGuard();

    private FranceTravailClient client(String... kv) {
        FtSettings s = TestClients.settings(fake, kv);
        return TestClients.client(s, clock, s.clientSecret(), guard);
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
        assertEquals(2, fake.requests(CONTRAT).size());
        // the short wait is the partner guard's: France Travail's Retry-After pauses every call to it (hub-core waits
        // it out before the next permit, tested there)
        assertEquals(java.util.List.of(Duration.ofSeconds(1)), guard.pauses);
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
        // The wait is handed to the hub: every call to France Travail pauses (the hub's guard), and the delivery
        // is retried when France Travail said, without a thread waiting.
        assertEquals(java.util.List.of(Duration.ofSeconds(120)), guard.pauses);
        assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
        assertEquals("a 429 is an answer of the partner, not a failure: nothing counts towards the circuit", 0,
                guard.failures.get());
    }

    @Test
    public void everyCallAsksThePartnerGuardAndReportsTheOutcome() throws Exception {
        AtomicInteger mode = new AtomicInteger(503);
        fake.on("GET", CONTRAT, r -> mode.get() == 200 ? Response.json(200, "{}")
                : Response.json(mode.get(), "{\"codeRetour\":\"R999\",\"message\":\"Service indisponible\"}"));
        FranceTravailClient c = client();
        c.tokens().token(TestClients.settings(fake).scopesOf(FtSettings.CONTRAT));
        int permits = guard.permits.get();
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, e.kind());
        assertEquals("R999", e.code());
        assertEquals(permits + 1, guard.permits.get());
        assertEquals("a 5xx counts towards opening the circuit", 1, guard.failures.get());
        mode.set(200);
        int successes = guard.successes.get();
        c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat");
        assertEquals(successes + 1, guard.successes.get());
    }

    @Test
    public void anOpenCircuitCallsNothingAndSaysWhenToTryAgain() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(200, "{}"));
        FranceTravailClient c = client();
        c.tokens().token(TestClients.settings(fake).scopesOf(FtSettings.CONTRAT));
        fake.clear();
        guard.refuse = fr.aisne.hub.api.DeliveryFailure.temporary("circuit open for france-travail", Duration.ofSeconds(25));
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, e.kind());
        assertTrue(e.retryable());
        assertEquals(Duration.ofSeconds(25), e.retryAfter().orElseThrow());
        assertEquals("no call while the circuit is open", 0, fake.requests(CONTRAT).size());
    }

    @Test
    public void aPartnerErrorQuotingTheRequestIsNotRepeated() throws Exception {
        // inputs of benchmarks/fuzz: France Travail's error text and code may quote the NIR or the birth date sent
        fake.on("GET", CONTRAT, r -> Response.json(400,
                "{\"codeRetour\":\"R2850578006084\",\"message\":\"champ dateNaissance : 1985-05-12 invalide pour 185057800608491\"}"));
        FranceTravailClient c = client();
        c.tokens().token(TestClients.settings(fake).scopesOf(FtSettings.CONTRAT));
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.INVALID, e.kind());
        assertEquals("unrecognised-code", e.code());
        assertFalse(e.getMessage(), e.getMessage().contains("2850578006084"));
        assertFalse(e.getMessage(), e.getMessage().contains("1985-05-12"));
        assertFalse(e.getMessage(), e.getMessage().contains("185057800608491"));
        assertTrue(e.getMessage(), e.getMessage().contains("champ dateNaissance : [date] invalide"));
    }

    @Test
    public void francetravailCodesAreKept() {
        assertEquals("R998", TokenManager.code("R998"));
        assertEquals("REQUETE_INVALIDE", TokenManager.code("REQUETE_INVALIDE"));
        assertEquals("invalid_client", TokenManager.code("invalid_client"));
        assertEquals("unrecognised-code", TokenManager.code("insuffic2025-05-31T10:00:00Z"));
    }

    @Test
    public void slowPartnerTimesOutAndCountsAsFailure() throws Exception {
        fake.on("GET", CONTRAT, r -> Response.json(200, "{}").delayed(2000));
        FranceTravailClient c = client("http.requestTimeoutMs", "300");
        c.tokens().token(TestClients.settings(fake).scopesOf(FtSettings.CONTRAT));
        FtException e = fails(() -> c.read(FtSettings.CONTRAT, CONTRAT, JETON, agent, "contrat"));
        assertEquals(FtException.Kind.RETRY_LATER, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("did not answer contrat within 300 ms"));
        assertEquals("a timeout counts towards opening the circuit", 1, guard.failures.get());
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
        FranceTravailClient c = client();
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
