package fr.aisne.hub.core.security;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;

import fr.aisne.hub.core.MutableClock;

/** Password guessing is held off per address, for the rest of the window, and a success forgives. */
public class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);

    @Test
    public void anAddressThatFailsTooOftenWaitsUntilTheEndOfItsWindow() {
        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofMinutes(1));
        throttle.failed("10.0.0.1");
        assertEquals("two failures: may still try", 0, throttle.retryAfterSeconds("10.0.0.1"));
        throttle.failed("10.0.0.1");
        assertEquals("held off until 5 minutes after the first failure", 240, throttle.retryAfterSeconds("10.0.0.1"));
        assertEquals("another address is not concerned", 0, throttle.retryAfterSeconds("10.0.0.2"));
        clock.advance(Duration.ofSeconds(239));
        assertEquals(1, throttle.retryAfterSeconds("10.0.0.1"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("the window is over", 0, throttle.retryAfterSeconds("10.0.0.1"));
        throttle.failed("10.0.0.1");
        assertEquals("a new window starts with one failure", 0, throttle.retryAfterSeconds("10.0.0.1"));
    }

    @Test
    public void failuresOutsideTheWindowDoNotAddUp() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofMinutes(6));
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
    }

    @Test
    public void aSuccessfulLoginClearsTheCount() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
    }

    @Test
    public void manyAddressesAreBoundedAndExpiredOnesMakeRoom() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED; i++) {
            throttle.failed("a" + i);
        }
        for (int k = 0; k < 3; k++) {
            throttle.failed("late");
        }
        assertEquals("not tracked while the table is full", 0, throttle.retryAfterSeconds("late"));
        clock.advance(Duration.ofMinutes(6));
        for (int k = 0; k < 3; k++) {
            throttle.failed("late");
        }
        assertEquals("expired entries dropped: tracked again", 300, throttle.retryAfterSeconds("late"));
    }

    @Test
    public void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(0, Duration.ofMinutes(5), clock));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(3, Duration.ZERO, clock));
    }
}
