package fr.aisne.hub.core.guard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;

import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;

/** A partner's limits: rate, pause on 429, circuit breaker, concurrency; one guard per partner. */
public class LimitsGuardTest {
    private final PartnerGuards guards = new PartnerGuards(Clock.systemUTC());

    @Test
    public void theRateLimitSpacesCalls() throws Exception {
        PartnerGuard g = guards.guard("p", new PartnerLimits(5, 0, 0, Duration.ofSeconds(30)));
        long t0 = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            g.permit();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("11 calls at 5/s took " + ms + " ms", ms >= 1_500);
    }

    @Test
    public void aShortPauseIsWaitedAndALongOneRefusedWithTheWait() throws Exception {
        PartnerGuard g = guards.guard("p", PartnerLimits.NONE);
        g.pause(Duration.ofMillis(600));
        long t0 = System.nanoTime();
        g.permit();
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 500);
        g.pause(Duration.ofSeconds(120));
        DeliveryFailure f = assertThrows(DeliveryFailure.class, g::permit);
        assertFalse(f.isPermanent());
        assertTrue(f.retryAfter().orElseThrow().getSeconds() >= 118);
        assertTrue(g.describe(), g.describe().contains("paused by the partner"));
    }

    @Test
    public void anAbsurdRetryAfterIsTakenAsOneDayNotAnOverflow() {
        // "Retry-After: 9223372036854775807" from a partner (benchmarks/fuzz): Instant.plus overflowed
        PartnerGuard g = guards.guard("p", PartnerLimits.NONE);
        g.pause(Duration.ofSeconds(Long.MAX_VALUE));
        g.pause(Duration.ofSeconds(-5));
        DeliveryFailure f = assertThrows(DeliveryFailure.class, g::permit);
        long wait = f.retryAfter().orElseThrow().getSeconds();
        assertTrue("waits " + wait + " s", wait > 86_000 && wait <= 86_400);
    }

    @Test
    public void theCircuitOpensAfterFailuresInARowRefusesThenLetsOneTrialThrough() throws Exception {
        PartnerGuard g = guards.guard("p", new PartnerLimits(0, 0, 3, Duration.ofSeconds(1)));
        for (int i = 0; i < 3; i++) {
            g.permit();
            g.failed();
        }
        assertTrue(g.open());
        DeliveryFailure refused = assertThrows(DeliveryFailure.class, g::permit);
        assertTrue(refused.getMessage(), refused.getMessage().startsWith("circuit open for p after 3 failures"));
        assertTrue(refused.retryAfter().isPresent());
        Thread.sleep(1_100);
        g.permit(); // the trial
        assertThrows("one trial at a time", DeliveryFailure.class, g::permit);
        g.succeeded();
        assertFalse(g.open());
        g.permit();
        g.succeeded();
    }

    @Test
    public void aSuccessResetsTheCount() throws Exception {
        PartnerGuard g = guards.guard("p", new PartnerLimits(0, 0, 3, Duration.ofSeconds(30)));
        for (int i = 0; i < 10; i++) {
            g.permit();
            if (i % 2 == 0) {
                g.failed();
            } else {
                g.succeeded();
            }
        }
        assertFalse(g.open());
    }

    @Test
    public void theConcurrencyLimitRefusesTheExtraDelivery() {
        LimitsGuard g = (LimitsGuard) guards.guard("p", new PartnerLimits(0, 2, 0, Duration.ofSeconds(30)));
        assertEquals(null, g.enter());
        assertEquals(null, g.enter());
        DeliveryFailure third = g.enter();
        assertTrue(third.getMessage(), third.getMessage().contains("2 calls to p under way"));
        g.exit();
        assertEquals(null, g.enter());
    }

    @Test
    public void onePartnerOneGuardUntilItsLimitsChange() {
        PartnerLimits l = new PartnerLimits(5, 0, 5, Duration.ofSeconds(30));
        PartnerGuard a = guards.guard("p", l);
        assertSame(a, guards.guard("p", new PartnerLimits(5, 0, 5, Duration.ofSeconds(30))));
        assertTrue(a != guards.guard("p", new PartnerLimits(2, 0, 5, Duration.ofSeconds(30))));
        assertTrue(a != guards.guard("other", l));
    }
}
