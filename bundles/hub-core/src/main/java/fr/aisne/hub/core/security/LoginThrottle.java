package fr.aisne.hub.core.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing on the hub's HTTP listener: once a source address has failed
 * {@code maxFailures} logins within {@code window} (counted from its first failure), its requests are
 * answered 429 without checking the credentials until that window ends. A successful login clears its count.
 * Per address, not per account, so that nobody can lock a partner's account out by failing on purpose.
 */
public final class LoginThrottle {
    /** Addresses remembered at most; beyond, expired entries are dropped first, then new ones are not tracked. */
    static final int MAX_TRACKED = 10_000;

    private record Failures(Instant first, int count) {
    }

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Failures> bySource = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("http.login.maxFailures must be at least 1 and "
                    + "http.login.windowSeconds positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Seconds the source must wait before its credentials are checked again; 0 when it may try now. */
    public long retryAfterSeconds(String source) {
        Failures f = bySource.get(source);
        if (f == null || f.count() < maxFailures) {
            return 0;
        }
        Duration left = Duration.between(clock.instant(), f.first().plus(window));
        if (left.isNegative() || left.isZero()) {
            bySource.remove(source, f);
            return 0;
        }
        return Math.max(1, (left.toMillis() + 999) / 1000);
    }

    public void failed(String source) {
        Instant now = clock.instant();
        if (bySource.size() >= MAX_TRACKED && !bySource.containsKey(source)) {
            bySource.values().removeIf(f -> !now.isBefore(f.first().plus(window)));
            if (bySource.size() >= MAX_TRACKED) {
                return;
            }
        }
        bySource.compute(source, (k, f) -> f == null || !now.isBefore(f.first().plus(window))
                ? new Failures(now, 1) : new Failures(f.first(), f.count() + 1));
    }

    public void succeeded(String source) {
        bySource.remove(source);
    }
}
