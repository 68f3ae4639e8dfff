package fr.aisne.hub.connector.francetravail.client;

import java.time.Duration;

/**
 * Spaces the calls to France Travail at most {@code perSecond} per second (all calls of the connector), and
 * holds every call while the partner asked to wait (429 Retry-After). A caller never waits longer than its
 * limit: beyond it, the call is not made and the caller is told to retry later (the message is then kept in
 * its durable queue by the core's retries, never dropped).
 */
public final class RateLimiter {
    private final long intervalNanos;
    // System.nanoTime() values: compared by difference only (a sentinel such as Long.MIN_VALUE would overflow)
    private long nextFree;
    private long pausedUntil;

    public RateLimiter(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        long now = System.nanoTime();
        this.nextFree = now;
        this.pausedUntil = now;
    }

    /** Waits for the caller's turn. */
    public void acquire(Duration maxWait) throws FtException, InterruptedException {
        long slot = reserve(maxWait);
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private synchronized long reserve(Duration maxWait) throws FtException {
        long now = System.nanoTime();
        long slot = now;
        if (nextFree - slot > 0) {
            slot = nextFree;
        }
        if (pausedUntil - slot > 0) {
            slot = pausedUntil;
        }
        long wait = slot - now;
        if (wait > maxWait.toNanos()) {
            throw new FtException(FtException.Kind.RETRY_LATER, "429",
                    "France Travail asked the hub to slow down (429): calls resume in " + ((wait + 999_999_999) / 1_000_000_000)
                            + " s; retried later");
        }
        nextFree = slot + intervalNanos;
        return slot;
    }

    /** The partner answered 429: no call before {@code delay} from now. */
    public synchronized void pauseFor(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
    }

    /** Remaining pause, for health; zero when calls flow. */
    public synchronized Duration pausedFor() {
        long left = pausedUntil - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
