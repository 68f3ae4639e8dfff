package fr.aisne.hub.connector.francetravail.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail;
import fr.aisne.hub.connector.francetravail.testing.TestClients;
import fr.aisne.hub.api.testing.MutableClock;

public class TokenManagerTest {
    private static final String SCOPES_A = "api_rechercher-usagerv2 profil_accedant rechercheusager";
    private static final String SCOPES_B = "api_orientationusagerv1 orientationusager profil_accedant";

    private FakeFranceTravail fake;
    private MutableClock clock;

    @Before
    public void start() throws Exception {
        fake = new FakeFranceTravail(TestClients.SECRET);
        clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
    }

    @After
    public void stop() {
        fake.close();
    }

    private TokenManager tokens(String secret, String... kv) {
        FtSettings s = TestClients.settings(fake, kv);
        return TestClients.client(s, clock, secret).tokens();
    }

    @Test
    public void tokenRequestIsClientCredentialsWithTheScopesAndIsCachedPerScopeSet() throws Exception {
        TokenManager t = tokens(TestClients.SECRET);
        String a = t.token(SCOPES_A);
        assertEquals(a, t.token(SCOPES_A));
        assertEquals(1, fake.tokenRequests());
        String b = t.token(SCOPES_B);
        assertNotEquals(a, b);
        assertEquals(2, fake.tokenRequests());
        assertEquals(b, t.token(SCOPES_B));
        assertEquals(a, t.token(SCOPES_A));
        assertEquals(2, fake.tokenRequests());

        FakeFranceTravail.Request r = fake.requests(FakeFranceTravail.TOKEN_PATH).get(0);
        Map<String, String> form = r.form();
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals("aisne-hub", form.get("client_id"));
        assertEquals(SCOPES_A, form.get("scope"));
        assertEquals("realm=/partenaire", r.query());
        assertEquals("application/x-www-form-urlencoded", r.header("Content-Type"));
    }

    @Test
    public void tokenIsRenewedBeforeItExpires() throws Exception {
        fake.expiresIn(120);
        TokenManager t = tokens(TestClients.SECRET, "token.renewBeforeSeconds", "30");
        String first = t.token(SCOPES_A);
        clock.advance(Duration.ofSeconds(89));
        assertEquals(first, t.token(SCOPES_A));
        clock.advance(Duration.ofSeconds(2)); // 91 s: within the 30 s margin of the 120 s lifetime
        assertNotEquals(first, t.token(SCOPES_A));
        assertEquals(2, fake.tokenRequests());
    }

    @Test
    public void shortLivedTokensAreRenewedAtHalfTheirLifetimeAtTheLatest() throws Exception {
        fake.expiresIn(10);
        TokenManager t = tokens(TestClients.SECRET, "token.renewBeforeSeconds", "60");
        String first = t.token(SCOPES_A);
        clock.advance(Duration.ofSeconds(4));
        assertEquals(first, t.token(SCOPES_A));
        clock.advance(Duration.ofSeconds(2));
        assertNotEquals(first, t.token(SCOPES_A));
    }

    @Test
    public void concurrentCallersShareOneRefresh() throws Exception {
        fake.tokenDelay(300);
        TokenManager t = tokens(TestClients.SECRET);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(pool.submit((Callable<String>) () -> {
                go.await();
                return t.token(SCOPES_A);
            }));
        }
        go.countDown();
        Set<String> values = ConcurrentHashMap.newKeySet();
        for (Future<String> f : got) {
            values.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, fake.tokenRequests());
        assertEquals(1, values.size());
    }

    @Test
    public void refusedSecretGivesAnActionableErrorAndHealthWithoutTheSecret() throws Exception {
        String wrong = "wrong-secret-123456";
        TokenManager t = tokens(wrong);
        FtException e = assertThrows(FtException.class, () -> t.token(SCOPES_A));
        assertEquals(FtException.Kind.CREDENTIALS, e.kind());
        assertEquals("invalid_client", e.code());
        assertEquals("France Travail refused the client credentials (invalid_client): check client_id/client_secret in "
                + "etc/hub.connector.francetravail.cfg", e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
        assertTrue(e.retryable());
        assertTrue(t.credentialProblem().orElseThrow().startsWith(TokenManager.INVALID_CLIENT));
        assertFalse(t.credentialProblem().get().contains(wrong));

        // Within the hold, the same secret is not sent again.
        assertThrows(FtException.class, () -> t.token(SCOPES_A));
        assertEquals(1, fake.tokenRequests());

        // The partner accepts it again (secret rotated on its side): the problem clears.
        fake.acceptSecret(wrong);
        clock.advance(TokenManager.REFUSAL_HOLD.plusSeconds(1));
        t.token(SCOPES_A);
        assertTrue(t.credentialProblem().isEmpty());
    }

    @Test
    public void missingSecretIsReportedWithoutCallingThePartner() {
        TokenManager t = tokens("");
        FtException e = assertThrows(FtException.class, () -> t.token(SCOPES_A));
        assertEquals(FtException.Kind.CREDENTIALS, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("client.secret is not set"));
        assertTrue(t.credentialProblem().isPresent());
        assertEquals(0, fake.tokenRequests());
    }

    @Test
    public void invalidScopeNamesTheSettings() throws Exception {
        fake.on("POST", FakeFranceTravail.TOKEN_PATH, r -> FakeFranceTravail.Response.json(400, "{\"error\":\"invalid_scope\"}"));
        TokenManager t = tokens(TestClients.SECRET);
        FtException e = assertThrows(FtException.class, () -> t.token(SCOPES_A));
        assertTrue(e.getMessage(), e.getMessage().contains("invalid_scope") && e.getMessage().contains("scope."));
    }
}
