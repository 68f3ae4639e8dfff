package fr.aisne.hub.connector.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.api.RetryPolicy;

/**
 * The default retry settings keep a France Travail message far longer than a 10-minute outage: the core retries
 * a failed delivery after 5 s, doubling up to 2 min, 24 attempts in all; an outage (connection refused, 5xx, the
 * circuit breaker open, 429s) consumes attempts at that pace, and only the last failure quarantines. The
 * integration test (FranceTravailIT) runs the same logic with the schedule scaled down; this test is what shows
 * the shipped schedule covers the 10 minutes the issue asks for.
 */
public class RetryBudgetTest {

    /** Time from the first delivery attempt to the last one (the sum of the waits between attempts). */
    static Duration budget(RetryPolicy p) {
        long ms = 0;
        for (int retry = 1; retry < p.maxAttempts(); retry++) {
            ms += p.delayBeforeRetry(retry);
        }
        return Duration.ofMillis(ms);
    }

    /** Attempts made in the first {@code window} after the first one (included). */
    static int attemptsWithin(RetryPolicy p, Duration window) {
        long at = 0;
        int attempts = 1;
        for (int retry = 1; retry < p.maxAttempts(); retry++) {
            at += p.delayBeforeRetry(retry);
            if (at > window.toMillis()) {
                break;
            }
            attempts++;
        }
        return attempts;
    }

    @Test
    public void defaultScheduleOutlastsATenMinuteOutageByFar() {
        RetryPolicy p = FtSettings.from(Map.of()).retry();
        assertEquals(new RetryPolicy(24, 5_000, 2.0, 120_000), p);
        Duration budget = budget(p);
        // 5+10+20+40+80 s, then 18 waits of 2 min: 2315 s, about 38.6 minutes
        assertEquals(Duration.ofSeconds(2_315), budget);
        assertTrue("well over 10 minutes: " + budget, budget.compareTo(Duration.ofMinutes(30)) > 0);
        int used = attemptsWithin(p, Duration.ofMinutes(10));
        assertTrue("a 10-minute outage uses " + used + " of " + p.maxAttempts() + " attempts",
                used < p.maxAttempts() / 2);
        // even a message that failed its first attempt just before the outage still has attempts after 30 min
        assertTrue(attemptsWithin(p, Duration.ofMinutes(30)) < p.maxAttempts());
    }

    @Test
    public void shippedFileKeepsTheDefaultSchedule() throws Exception {
        java.util.Properties props = new java.util.Properties();
        try (var r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("src/main/cfg/hub.connector.francetravail.cfg"))) {
            props.load(r);
        }
        Map<String, Object> cfg = new java.util.HashMap<>();
        props.forEach((k, v) -> cfg.put(k.toString(), v));
        assertTrue(budget(FtSettings.from(cfg).retry()).compareTo(Duration.ofMinutes(30)) > 0);
    }

    @Test
    public void anOperatorShorteningTheScheduleIsTakenAtItsWord() {
        // what the integration test does: the same logic, scaled down
        RetryPolicy p = FtSettings.from(Map.of("retry.maxAttempts", "40", "retry.initialDelayMs", "500",
                "retry.maxDelayMs", "4000")).retry();
        assertTrue(budget(p).compareTo(Duration.ofMinutes(2)) > 0);
    }
}
