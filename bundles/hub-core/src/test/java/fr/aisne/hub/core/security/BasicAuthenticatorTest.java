package fr.aisne.hub.core.security;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import fr.aisne.hub.api.Caller;

public class BasicAuthenticatorTest {
    private static final String SOURCE = "10.0.0.7";
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger checks = new AtomicInteger();
    private volatile CountDownLatch slowCheck = new CountDownLatch(0);
    /** Counted down when a check has begun. */
    private volatile CountDownLatch checkBegun = new CountDownLatch(1);

    /** The realm: one account "caf" / "right", each check slow as a PBKDF2 one when {@link #slowCheck} is closed. */
    private BasicAuthenticator authenticator(int maxFailures) {
        return new BasicAuthenticator(new LoginThrottle(maxFailures, Duration.ofMinutes(5), Clock.systemUTC()),
                (user, password) -> {
                    checks.incrementAndGet();
                    checkBegun.countDown();
                    try {
                        slowCheck.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return user.equals("caf") && new String(password).equals("right")
                            ? Optional.of(new Caller("caf", Set.of("hub-sender-caf")))
                            : Optional.empty();
                }, now::get);
    }

    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void thirtyTwoRequestsWithTheSameCredentialsCostOneCheckAndAreAllAccepted() throws Exception {
        // 32 senders of one partner whose remembered credential has just expired, a throttle of 10 parallel guesses
        BasicAuthenticator auth = authenticator(10);
        slowCheck = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<BasicAuthenticator.Attempt>> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            all.add(pool.submit(() -> auth.attempt(basic("caf:right"), SOURCE)));
        }
        Thread.sleep(200); // all 32 are in: one checks, the others wait for it
        slowCheck.countDown();
        for (Future<BasicAuthenticator.Attempt> f : all) {
            BasicAuthenticator.Attempt a = f.get(10, TimeUnit.SECONDS);
            assertFalse("a request with valid credentials was answered 429", a.throttled());
            assertEquals("caf", a.principal().orElseThrow().name());
        }
        pool.shutdown();
        assertEquals(1, checks.get());
        assertEquals(1, auth.verifications());
    }

    @Test
    public void waitersOfAWrongPasswordAreRefusedAndCountAsOneGuess() throws Exception {
        BasicAuthenticator auth = authenticator(2);
        slowCheck = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<BasicAuthenticator.Attempt>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(pool.submit(() -> auth.attempt(basic("caf:wrong"), SOURCE)));
        }
        Thread.sleep(200);
        slowCheck.countDown();
        for (Future<BasicAuthenticator.Attempt> f : all) {
            assertTrue(f.get(10, TimeUnit.SECONDS).principal().isEmpty());
        }
        pool.shutdown();
        assertEquals(1, checks.get());
        // one failure counted of the two allowed: the right password still gets in
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        // a second wrong guess reaches the limit: now even the right password is held off
        assertTrue(auth.attempt(basic("caf:other"), SOURCE).principal().isEmpty());
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).throttled());
    }

    @Test
    public void rememberedForAMinuteThenVerifiedAgainByOneRequestWhileTheOthersGoOn() {
        BasicAuthenticator auth = authenticator(10);
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        now.addAndGet(Duration.ofSeconds(45).toNanos());
        for (int i = 0; i < 100; i++) {
            assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        }
        assertEquals("within the first 50 s the remembered credential is used as it is", 1, checks.get());
        now.addAndGet(Duration.ofSeconds(8).toNanos()); // in its last 10 s: the next request verifies it again
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        assertEquals(2, checks.get());
        now.addAndGet(Duration.ofSeconds(30).toNanos()); // 83 s after the first check: still remembered (renewed)
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        assertEquals(2, checks.get());
        now.addAndGet(Duration.ofSeconds(31).toNanos()); // beyond the renewed minute: checked again
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        assertEquals(3, checks.get());
    }

    @Test
    public void aPasswordChangedInTheRealmIsRefusedAtTheNextVerification() {
        AtomicInteger phase = new AtomicInteger();
        BasicAuthenticator auth = new BasicAuthenticator(new LoginThrottle(10, Duration.ofMinutes(5), Clock.systemUTC()),
                (u, p) -> phase.get() == 0 ? Optional.of(new Caller(u, Set.of())) : Optional.empty(), now::get);
        assertTrue(auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());
        phase.set(1);
        now.addAndGet(Duration.ofSeconds(55).toNanos());
        assertTrue("the refresh saw the change", auth.attempt(basic("caf:right"), SOURCE).principal().isEmpty());
        assertTrue("and forgot the credential", auth.attempt(basic("caf:right"), SOURCE).principal().isEmpty());
    }

    /**
     * ConsoleIT, 2026-12-07: a browser answered each 401 again with the same refused password and used up the address's
     * ten failures in 300 ms; every other account behind that address was then held off for 5 minutes. The same wrong
     * credentials repeated are one guess, refused without a new check for 5 s; other wrong passwords still count.
     */
    @Test
    public void theSameWrongCredentialsRepeatedAreOneGuessAndAreCheckedAgainOnlyEveryFewSeconds() {
        BasicAuthenticator auth = authenticator(3);
        for (int i = 0; i < 50; i++) { // a retry every half second for 25 s
            BasicAuthenticator.Attempt a = auth.attempt(basic("caf:stale"), SOURCE);
            assertTrue(a.principal().isEmpty());
            assertFalse("repeat " + i + " held the address off", a.throttled());
            now.addAndGet(Duration.ofMillis(500).toNanos());
        }
        assertEquals("checked once every 5 s", 5, checks.get());
        assertTrue("the right password still gets in", auth.attempt(basic("caf:right"), SOURCE).principal().isPresent());

        // different guesses still count: two more reach the limit of three
        assertTrue(auth.attempt(basic("caf:guess1"), SOURCE).principal().isEmpty());
        assertTrue(auth.attempt(basic("caf:guess2"), SOURCE).principal().isEmpty());
        assertTrue(auth.attempt(basic("caf:guess3"), SOURCE).throttled());
        assertTrue("a held-off address stays held off, repeats included", auth.attempt(basic("caf:stale"), SOURCE).throttled());
    }

    @Test
    public void aRefusedCredentialIsCheckedAgainAfterFiveSecondsOrWhenTheAccountsChange() {
        AtomicInteger phase = new AtomicInteger();
        BasicAuthenticator auth = new BasicAuthenticator(new LoginThrottle(10, Duration.ofMinutes(5), Clock.systemUTC()),
                (u, p) -> {
                    checks.incrementAndGet();
                    return phase.get() == 1 ? Optional.of(new Caller(u, Set.of())) : Optional.empty();
                }, now::get);
        assertTrue(auth.attempt(basic("caf:new"), SOURCE).principal().isEmpty());
        phase.set(1); // the operator gives the account that password
        assertTrue("still refused from memory", auth.attempt(basic("caf:new"), SOURCE).principal().isEmpty());
        assertEquals(1, checks.get());
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertTrue("checked again after 5 s", auth.attempt(basic("caf:new"), SOURCE).principal().isPresent());

        phase.set(0);
        auth.forgetVerified();
        assertTrue(auth.attempt(basic("caf:new"), SOURCE).principal().isEmpty());
        phase.set(1);
        auth.forgetVerified(); // users.properties changed
        assertTrue("checked again at once", auth.attempt(basic("caf:new"), SOURCE).principal().isPresent());
    }

    /**
     * ConsoleIT, 2026-12-07 (second run): the admin's login was refused while Karaf's stale copy of users.properties
     * lacked the account; the core put it back a moment later, but the refusal, remembered, kept the admin out. A
     * change of the accounts during a check leaves nothing behind.
     */
    @Test
    public void aCheckThatTheAccountsChangedDuringLeavesNoOutcomeBehind() throws Exception {
        BasicAuthenticator auth = authenticator(10);
        slowCheck = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<BasicAuthenticator.Attempt> during = pool.submit(() -> auth.attempt(basic("caf:wrong"), SOURCE));
        assertTrue("the check is under way", checkBegun.await(10, TimeUnit.SECONDS));
        auth.forgetVerified(); // the account file changed
        slowCheck.countDown();
        assertTrue(during.get(10, TimeUnit.SECONDS).principal().isEmpty());
        pool.shutdown();
        assertTrue(auth.attempt(basic("caf:wrong"), SOURCE).principal().isEmpty());
        assertEquals("checked again: the refusal was not remembered", 2, checks.get());
    }

    @Test
    public void malformedAndMissingHeadersAreRefused() {
        BasicAuthenticator auth = authenticator(10);
        assertTrue(auth.attempt(null, SOURCE).principal().isEmpty());
        assertTrue(auth.attempt("Bearer abc", SOURCE).principal().isEmpty());
        assertTrue(auth.attempt("Basic %%%", SOURCE).principal().isEmpty());
        assertTrue(auth.attempt(basic("nocolon"), SOURCE).principal().isEmpty());
        assertEquals(0, checks.get());
    }
}
