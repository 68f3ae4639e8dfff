package fr.aisne.hub.core.security;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.Redaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic against the Karaf JAAS realm "karaf" (etc/users.properties): the same accounts as the shell.
 * Failures are not explained to the caller; they are counted (hub_http_refused_total), and a source address
 * that fails too often is held off by the {@link LoginThrottle}.
 *
 * <p>Passwords are stored with a slow salted hash, so verifying one costs tens of milliseconds: a credential
 * verified once is remembered for {@link #CACHE_TTL} as an HMAC under a key that lives only in this process
 * (never the password), so a partner posting hundreds of messages a second is not verified each time. A changed
 * or removed account takes effect within that time. Requests carrying the same credentials while they are being
 * verified wait for that one verification instead of starting their own (32 senders whose remembered credential
 * had just expired used to start 32 verifications at once: seconds of CPU, and the throttle, counting them as 32
 * guesses under way, answered 429 to the others); and a remembered credential is verified again by one request
 * in its last {@link #REFRESH_AHEAD}, while the others go on with it.
 */
public class BasicAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthenticator.class);
    /** What became of a request's credentials. */
    public record Attempt(Optional<Caller> principal, long retryAfterSeconds) {
        public boolean throttled() {
            return retryAfterSeconds > 0;
        }
    }

    /** Checks a user name and password against the realm: the caller, or empty when they are wrong. */
    @FunctionalInterface
    interface Verifier {
        Optional<Caller> verify(String user, char[] password);
    }

    static final java.time.Duration CACHE_TTL = java.time.Duration.ofSeconds(60);
    static final java.time.Duration REFRESH_AHEAD = java.time.Duration.ofSeconds(10);
    /**
     * How long refused credentials are refused again without a check. Short: a refusal can be a passing state of the
     * realm (an account file being rewritten at start), and it must not stick; the throttle still counts the same
     * credentials as one guess when they are checked again.
     */
    static final java.time.Duration REFUSED_TTL = java.time.Duration.ofSeconds(5);
    private static final int CACHE_MAX = 1000;

    private final LoginThrottle throttle;
    private final Verifier verifier;
    private final java.util.function.LongSupplier nanoTime;
    private final javax.crypto.SecretKey cacheKey;
    /** Every request computes one: a Mac per thread, keyed once (looking one up costs more than using it). */
    private final ThreadLocal<javax.crypto.Mac> fingerprints = ThreadLocal.withInitial(this::newMac);
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    /** Credentials the realm refused, by fingerprint, until when (nanoTime) they are refused again without a check. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> refusedRecently = new java.util.concurrent.ConcurrentHashMap<>();
    /** Verifications under way, by credential fingerprint: requests with the same credentials wait for them. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<Attempt>> verifying =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Verified(Caller caller, long until) {
    }
    /** Incremented when the accounts change: a check that began before does not leave its outcome behind. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final LongAdder refused = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder forbidden = new LongAdder();
    private final LongAdder verifications = new LongAdder();

    public BasicAuthenticator(String realm, LoginThrottle throttle) {
        this(throttle, (user, password) -> login(realm, user, password), System::nanoTime);
    }

    BasicAuthenticator(LoginThrottle throttle, Verifier verifier, java.util.function.LongSupplier nanoTime) {
        this.throttle = throttle;
        this.verifier = verifier;
        this.nanoTime = nanoTime;
        try {
            javax.crypto.KeyGenerator g = javax.crypto.KeyGenerator.getInstance("HmacSHA256");
            g.init(256);
            this.cacheKey = g.generateKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    /**
     * Checks the Authorization header of a request from {@code source} (its remote address, null if unknown).
     * A request without credentials is refused and counted, but is no guess: the throttle ignores it. A
     * throttled source's credentials are not checked at all.
     */
    public Attempt attempt(String authorizationHeader, String source) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            refused.increment();
            return new Attempt(Optional.empty(), 0);
        }
        String decoded = decode(authorizationHeader);
        String fingerprint = decoded == null ? null : fingerprint(decoded);
        // Credentials verified a moment ago need no new check, so they take no slot of the throttle (a partner
        // posting 32 messages at once is not 32 guesses); an address held off stays held off whatever it sends.
        Verified known = fingerprint == null ? null : verified.get(fingerprint);
        long now = nanoTime.getAsLong();
        Long refusedUntil = fingerprint == null ? null : refusedRecently.get(fingerprint);
        if (refusedUntil != null && now - refusedUntil < 0) {
            // The same wrong credentials again within seconds (a browser or a client answering every 401 with what it
            // has): refused without a new check, and no new guess. Counting each repeat let one stale password hold
            // off a whole address in a fraction of a second (ConsoleIT, 2026-12-07); a guesser gains nothing by it.
            long blocked = source == null ? 0 : throttle.blocked(source);
            return counted(new Attempt(Optional.empty(), blocked));
        }
        boolean stillValid = known != null && now - known.until() < 0;
        if (stillValid) {
            long blocked = source == null ? 0 : throttle.blocked(source);
            if (blocked > 0) {
                throttled.increment();
                return new Attempt(Optional.empty(), blocked);
            }
            if (now - (known.until() - REFRESH_AHEAD.toNanos()) < 0 || verifying.containsKey(fingerprint)) {
                return new Attempt(Optional.of(known.caller()), 0);
            }
            // its last seconds: this request verifies it again (if another started meanwhile, it waits for it)
        }
        java.util.concurrent.CompletableFuture<Attempt> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Attempt> running =
                fingerprint == null ? null : verifying.putIfAbsent(fingerprint, mine);
        if (running != null) {
            // the same credentials are being verified: one guess, one verification, one answer for all
            return counted(running.join());
        }
        Attempt outcome = new Attempt(Optional.empty(), 0);
        try {
            outcome = check(decoded, fingerprint, source, stillValid ? known.caller() : null);
            return counted(outcome);
        } finally {
            mine.complete(outcome); // also when the check threw: a waiter is refused, never left hanging
            if (fingerprint != null) {
                verifying.remove(fingerprint, mine);
            }
        }
    }

    /** One check against the realm, through the throttle; {@code stillValid}: the caller remembered, if any. */
    private Attempt check(String decoded, String fingerprint, String source, Caller stillValid) {
        long wait = source == null ? 0 : throttle.begin(source);
        if (wait > 0) {
            // a remembered credential is verified again by a later request
            return stillValid != null ? new Attempt(Optional.of(stillValid), 0) : new Attempt(Optional.empty(), wait);
        }
        Optional<Caller> p = Optional.empty();
        try {
            p = decoded == null ? Optional.empty() : verify(decoded, fingerprint);
        } finally {
            if (source != null) {
                throttle.finish(source, p.isEmpty(), fingerprint);
            }
            if (p.isEmpty()) {
                logRefusal(decoded, source);
            }
        }
        return new Attempt(p, 0);
    }

    /**
     * A refused login, for the operators (the account and the address, never the password); and once the address
     * has used up its failures, that it is now held off.
     */
    private void logRefusal(String decoded, String source) {
        String account = decoded == null ? "(malformed credentials)"
                : "'" + Redaction.name(decoded.substring(0, decoded.indexOf(':'))) + "'";
        long held = source == null ? 0 : throttle.blocked(source);
        if (held > 0) {
            LOG.warn("HTTP login refused: account {} from {}; that address is now held off for {} s "
                    + "(http.login.* in etc/hub.core.cfg)", account, source, held);
        } else {
            LOG.info("HTTP login refused: account {} from {}", account, source);
        }
    }

    private Attempt counted(Attempt a) {
        if (a.throttled()) {
            throttled.increment();
        } else if (a.principal().isEmpty()) {
            refused.increment();
        }
        return a;
    }

    /**
     * A partner's secret header, checked through the same throttle and counts as a password: 0 accepted, -1
     * refused (401), more than 0 the seconds a throttled address must wait (429). A missing header is refused but
     * is no guess.
     */
    public long checkSecret(String source, java.util.function.BooleanSupplier matches, boolean missing) {
        if (missing) {
            refused.increment();
            return -1;
        }
        long wait = source == null ? 0 : throttle.begin(source);
        if (wait > 0) {
            throttled.increment();
            return wait;
        }
        boolean ok = false;
        try {
            ok = matches.getAsBoolean();
        } finally {
            if (source != null) {
                throttle.finish(source, !ok);
            }
        }
        if (!ok) {
            refused.increment();
            return -1;
        }
        return 0;
    }

    /** An authenticated caller without the role the resource needs (403). */
    public void countForbidden() {
        forbidden.increment();
    }

    /** hub_http_refused_total by reason: credentials (401), throttled (429), forbidden (403). */
    public Map<String, Long> refusals() {
        return Map.of("credentials", refused.sum(), "throttled", throttled.sum(), "forbidden", forbidden.sum());
    }

    /** How many times credentials were checked against the realm (tests, and the cost of the cache). */
    long verifications() {
        return verifications.sum();
    }

    /** "user:password" from a Basic header, or null for a malformed one. */
    private static String decode(String authorizationHeader) {
        if (!authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return decoded.indexOf(':') <= 0 ? null : decoded;
    }

    /** Checks "user:password" against the realm and remembers the outcome. */
    private Optional<Caller> verify(String decoded, String fingerprint) {
        int colon = decoded.indexOf(':');
        verifications.increment();
        long before = generation.get();
        Optional<Caller> caller = verifier.verify(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
        if (generation.get() != before) {
            return caller; // the accounts changed during the check: its outcome is not remembered
        }
        if (caller.isPresent()) {
            if (verified.size() >= CACHE_MAX) {
                verified.clear(); // rare: many accounts; start again rather than track ages
            }
            verified.put(fingerprint, new Verified(caller.get(), nanoTime.getAsLong() + CACHE_TTL.toNanos()));
            refusedRecently.remove(fingerprint);
        } else {
            verified.remove(fingerprint);
            if (refusedRecently.size() >= CACHE_MAX) {
                refusedRecently.clear();
            }
            refusedRecently.put(fingerprint, nanoTime.getAsLong() + REFUSED_TTL.toNanos());
        }
        if (generation.get() != before) {
            // a change came between the check above and the put: what was put is older than it
            verified.remove(fingerprint);
            refusedRecently.remove(fingerprint);
        }
        return caller;
    }

    /** Forgets every remembered credential, accepted or refused (an account was changed). */
    public void forgetVerified() {
        generation.incrementAndGet(); // before the clearing: a check that put after it sees the change and undoes it
        verified.clear();
        refusedRecently.clear();
    }

    private String fingerprint(String userAndPassword) {
        // doFinal leaves the Mac ready for the next message under the same key
        return Base64.getEncoder().encodeToString(fingerprints.get().doFinal(userAndPassword.getBytes(StandardCharsets.UTF_8)));
    }

    private javax.crypto.Mac newMac() {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    private static Optional<Caller> login(String realm, String user, char[] password) {
        Subject subject = new Subject();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        // JAAS loads Karaf's proxy login module through the thread context class loader.
        t.setContextClassLoader(BasicAuthenticator.class.getClassLoader());
        try {
            LoginContext lc = new LoginContext(realm, subject, callbacks -> {
                for (Callback cb : callbacks) {
                    if (cb instanceof NameCallback nc) {
                        nc.setName(user);
                    } else if (cb instanceof PasswordCallback pc) {
                        pc.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(cb);
                    }
                }
            });
            lc.login();
            Set<String> roles = new HashSet<>();
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof RolePrincipal) {
                    roles.add(p.getName());
                }
            }
            return Optional.of(new Caller(user, Set.copyOf(roles)));
        } catch (LoginException | SecurityException e) {
            return Optional.empty();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
