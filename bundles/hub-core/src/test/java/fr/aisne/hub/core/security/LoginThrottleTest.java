package fr.aisne.hub.core.security;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;

import fr.aisne.hub.api.testing.MutableClock;

/** Password guessing is held off per address for the rest of its window, whatever else that address does. */
public class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);

    private void fail(String source) {
        assertEquals("may try", 0, throttle.begin(source));
        throttle.finish(source, true);
    }

    private void succeed(String source) {
        assertEquals("may try", 0, throttle.begin(source));
        throttle.finish(source, false);
    }

    @Test
    public void anAddressThatFailsTooOftenWaitsUntilTheEndOfItsWindow() {
        fail("10.0.0.1");
        clock.advance(Duration.ofMinutes(1));
        fail("10.0.0.1");
        fail("10.0.0.1");
        assertEquals("held off until 5 minutes after the first failure", 240, throttle.begin("10.0.0.1"));
        assertEquals("another address is not concerned", 0, throttle.begin("10.0.0.2"));
        clock.advance(Duration.ofSeconds(239));
        assertEquals(1, throttle.begin("10.0.0.1"));
        clock.advance(Duration.ofSeconds(1));
        fail("10.0.0.1");
        fail("10.0.0.1");
        assertEquals("a new window started: two failures so far", 0, throttle.begin("10.0.0.1"));
    }

    @Test
    public void theSameGuessFailingAgainIsOneFailureOthersCount() {
        for (int i = 0; i < 20; i++) {
            assertEquals("retry " + i, 0, throttle.begin("10.0.0.1"));
            throttle.finish("10.0.0.1", true, "stale-fingerprint");
        }
        assertEquals(0, throttle.begin("10.0.0.1"));
        throttle.finish("10.0.0.1", true, "guess-2");
        assertEquals(0, throttle.begin("10.0.0.1"));
        throttle.finish("10.0.0.1", true, "guess-3");
        assertTrue("three different guesses: held off", throttle.begin("10.0.0.1") > 0);
    }

    @Test
    public void aSuccessDoesNotForgiveGuessesMadeBefore() {
        fail("10.0.0.1");
        fail("10.0.0.1");
        succeed("10.0.0.1"); // e.g. a valid account of the same address, between guesses on another
        fail("10.0.0.1");
        assertEquals(300, throttle.begin("10.0.0.1"));
    }

    @Test
    public void checksUnderWayHoldTheirSlotSoParallelGuessesCannotExceedTheLimit() {
        assertEquals(0, throttle.begin("10.0.0.1"));
        assertEquals(0, throttle.begin("10.0.0.1"));
        assertEquals(0, throttle.begin("10.0.0.1"));
        assertEquals("three checks already under way", 300, throttle.begin("10.0.0.1"));
        throttle.finish("10.0.0.1", false);
        assertEquals("a successful one gives its slot back", 0, throttle.begin("10.0.0.1"));
    }

    @Test
    public void anAddressWithOnlySuccessesIsNotRemembered() {
        for (int i = 0; i < 10; i++) {
            succeed("10.0.0.1");
        }
        fail("10.0.0.1");
        fail("10.0.0.1");
        assertEquals(0, throttle.begin("10.0.0.1"));
    }

    @Test
    public void manyAddressesAreBoundedAndExpiredOnesMakeRoom() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED; i++) {
            fail("a" + i);
        }
        for (int k = 0; k < 4; k++) {
            assertEquals("not tracked while the table is full", 0, throttle.begin("late"));
            throttle.finish("late", true);
        }
        clock.advance(Duration.ofMinutes(6));
        for (int k = 0; k < 3; k++) {
            fail("late");
        }
        assertEquals("expired entries dropped: tracked again", 300, throttle.begin("late"));
    }

    @Test
    public void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(0, Duration.ofMinutes(5), clock));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(3, Duration.ZERO, clock));
    }
}
