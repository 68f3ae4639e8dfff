package fr.aisne.hub.core.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing on the hub's HTTP listener: a source address may have at most
 * {@code maxFailures} failed logins within {@code window} (counted from its first failure); beyond, its
 * requests are answered 429 without checking the credentials until that window ends.
 * <p>
 * Per address, not per account, so that nobody can lock a partner's account out from elsewhere; a
 * successful login does not clear the count (else one valid account would reset the guesses made on
 * another). A check reserves its slot before the credentials are verified, so parallel requests cannot
 * exceed the limit. Behind a reverse proxy every request has the proxy's address: see docs/OPERATIONS.md.
 */
public final class LoginThrottle {
    /** Addresses remembered at most; beyond, expired entries are dropped first, then new ones are not tracked. */
    static final int MAX_TRACKED = 10_000;
    /** Refused credentials remembered per address: a raised maxFailures must not make each failure copy a big set. */
    static final int MAX_GUESSES = 16;

    /**
     * Failures since {@code first}, checks under way that may still fail, and what was guessed (fingerprints of the
     * refused credentials, at most {@code maxFailures}): the same wrong credentials again are no new guess.
     */
    private record Entry(Instant first, int failures, int pending, java.util.Set<String> guesses) {
    }

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Entry> bySource = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("http.login.maxFailures must be at least 1 and "
                    + "http.login.windowSeconds positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Before checking credentials from {@code source}: 0 when it may try (a slot is then reserved, to be
     * released by {@link #finish}), otherwise the seconds it must wait.
     */
    public long begin(String source) {
        Instant now = clock.instant();
        if (bySource.size() >= MAX_TRACKED && !bySource.containsKey(source)) {
            bySource.values().removeIf(e -> e.pending() == 0 && expired(e, now));
            if (bySource.size() >= MAX_TRACKED) {
                return 0; // not tracked: this address is not throttled rather than every address
            }
        }
        long[] wait = {0};
        bySource.compute(source, (k, e) -> {
            if (e == null || e.pending() == 0 && expired(e, now)) {
                return new Entry(now, 0, 1, java.util.Set.of());
            }
            if (e.failures() + e.pending() >= maxFailures) {
                Duration left = Duration.between(now, e.first().plus(window));
                wait[0] = Math.max(1, (left.toMillis() + 999) / 1000);
                return e;
            }
            return new Entry(e.first(), e.failures(), e.pending() + 1, e.guesses());
        });
        return wait[0];
    }

    /**
     * The seconds {@code source} must wait because of the failures it already made (0 when none), without reserving
     * a slot: for a request whose credentials were verified recently and need no new check.
     */
    public long blocked(String source) {
        Entry e = bySource.get(source);
        Instant now = clock.instant();
        if (e == null || expired(e, now) || e.failures() < maxFailures) {
            return 0;
        }
        Duration left = Duration.between(now, e.first().plus(window));
        return Math.max(1, (left.toMillis() + 999) / 1000);
    }

    /** After a check that {@link #begin} allowed: releases its slot, and counts it if it failed. */
    public void finish(String source, boolean failed) {
        finish(source, failed, null);
    }

    /**
     * After a check that {@link #begin} allowed: releases its slot, and counts it if it failed, unless the same
     * {@code guess} (a fingerprint of the credentials, never the password; null: unknown) already failed from this
     * source in this window. A client retrying with a stale password makes one guess, not one per retry.
     */
    public void finish(String source, boolean failed, String guess) {
        bySource.computeIfPresent(source, (k, e) -> {
            int pending = Math.max(0, e.pending() - 1);
            boolean repeat = failed && guess != null && e.guesses().contains(guess);
            int failures = e.failures() + (failed && !repeat ? 1 : 0);
            java.util.Set<String> guesses = e.guesses();
            if (failed && !repeat && guess != null && guesses.size() < Math.min(maxFailures, MAX_GUESSES)) {
                java.util.Set<String> more = new java.util.HashSet<>(guesses);
                more.add(guess);
                guesses = java.util.Set.copyOf(more);
            }
            // forget an address with nothing against it
            return failures == 0 && pending == 0 ? null : new Entry(e.first(), failures, pending, guesses);
        });
    }

    private boolean expired(Entry e, Instant now) {
        return !now.isBefore(e.first().plus(window));
    }
}
