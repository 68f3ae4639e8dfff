package fr.aisne.hub.connector.francetravail.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;

public class RateLimiterTest {

    @Test
    public void aLimiterNeverPausedReportsNoPause() throws Exception {
        RateLimiter limiter = new RateLimiter(100);
        assertEquals("health must not say 'rate limited' before any 429", Duration.ZERO, limiter.pausedFor());
        limiter.acquire(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, limiter.pausedFor());
    }

    @Test
    public void aRetryAfterHoldsCallsForItsDuration() throws Exception {
        RateLimiter limiter = new RateLimiter(0);
        limiter.pauseFor(Duration.ofSeconds(5));
        Duration left = limiter.pausedFor();
        assertTrue(left.toString(), left.compareTo(Duration.ofSeconds(4)) > 0 && left.compareTo(Duration.ofSeconds(5)) <= 0);
        FtException e = assertThrows(FtException.class, () -> limiter.acquire(Duration.ofSeconds(1)));
        assertTrue(e.getMessage(), e.getMessage().contains("calls resume in 5 s"));
        limiter.pauseFor(Duration.ofSeconds(1));
        assertTrue("a shorter pause does not shorten the current one", limiter.pausedFor().compareTo(Duration.ofSeconds(4)) > 0);
    }

    @Test
    public void callsAreSpacedAtTheConfiguredRate() throws Exception {
        RateLimiter limiter = new RateLimiter(20);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            limiter.acquire(Duration.ofSeconds(1));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue("5 calls at 20/s take at least 4 intervals of 50 ms: " + ms, ms >= 190);
    }
}
