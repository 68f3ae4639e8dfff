package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.After;
import org.junit.Test;

import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.Kind;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.PlatformException;

/** The platform's limit (5 calls a second, no Retry-After, a 5-s lock-out) and its failures, as the client meets them. */
public class PlatformClientTest {
    private FakePlatform platform;

    @After
    public void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private PlatformClient client(String key, long minIntervalMs, long backoffMs) throws Exception {
        platform = new FakePlatform();
        return new PlatformClient(platform.base(), key, new TestConnectorContext("t", null, java.time.Clock.systemUTC())
                .partnerGuard("immersion-facilitee", fr.aisne.hub.api.PartnerLimits.NONE), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofMillis(minIntervalMs), Duration.ofMillis(backoffMs), Duration.ofMillis(backoffMs * 4));
    }

    @Test
    public void callsFromSeveralThreadsStayUnderFiveInAnySecond() throws Exception {
        PlatformClient c = client(FakePlatform.KEY, 250, 1000);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 6; i++) {
                    try {
                        c.convention(PlatformConventions.newId(), true);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(24, platform.calls.size());
        assertTrue("at most 5 calls in any second: " + platform.maxCallsPerSecond(), platform.maxCallsPerSecond() <= 5);
    }

    @Test
    public void after429NoCallIsMadeDuringThePauseWhichDoublesWhileTheyLast() throws Exception {
        PlatformClient c = client(FakePlatform.KEY, 0, 400);
        platform.status429Next.set(2);
        PlatformException first = assertThrows(PlatformException.class, () -> c.convention(PlatformConventions.newId(), false));
        assertEquals(Kind.RATE_LIMITED, first.kind());
        assertEquals("no Retry-After from the platform: the client's own pause", Duration.ofMillis(400), first.retryAfter());
        long t0 = System.nanoTime();
        PlatformException second = assertThrows(PlatformException.class, () -> c.convention(PlatformConventions.newId(), false));
        assertTrue("a short pause is waited out before the next call", System.nanoTime() - t0 >= 380_000_000L);
        assertEquals("doubled after a second 429 in a row", Duration.ofMillis(800), second.retryAfter());
        t0 = System.nanoTime();
        assertEquals(404, c.convention(PlatformConventions.newId(), false).status());
        assertTrue(System.nanoTime() - t0 >= 780_000_000L);
        assertEquals(3, platform.calls.size());
        assertEquals(2, c.rateLimitedTotal());
    }

    @Test
    public void aLongPauseFailsADeliveryAtOnceWithTheWait() throws Exception {
        PlatformClient c = client(FakePlatform.KEY, 0, 3000);
        platform.status429Next.set(1);
        assertThrows(PlatformException.class, () -> c.convention(PlatformConventions.newId(), false));
        int calls = platform.calls.size();
        PlatformException e = assertThrows(PlatformException.class, () -> c.convention(PlatformConventions.newId(), false));
        assertEquals(Kind.RATE_LIMITED, e.kind());
        assertTrue(e.getMessage(), e.getMessage().startsWith("Immersion Facilitée asked to slow down (429): no call for "));
        assertEquals("no call made", calls, platform.calls.size());
        assertFalse(e.toDeliveryFailure().isPermanent());
        assertTrue(e.toDeliveryFailure().retryAfter().orElseThrow().toMillis() > 2000);
    }

    @Test
    public void aRefusedKeyIsReportedWithThePlatformsMessageAndNeverTheKey() throws Exception {
        PlatformClient c = client("eyJ.wrong.key", 0, 1000);
        PlatformException e = assertThrows(PlatformException.class, () -> c.conventions(LocalDate.of(2025, 1, 1),
                LocalDate.of(2025, 2, 1), List.of(), true));
        assertEquals(Kind.KEY_REFUSED, e.kind());
        assertEquals("Immersion Facilitée refuses the API key (401 incorrect Jwt): set a valid api.key in "
                + "etc/hub.connector.immersionfacilitee.cfg", e.getMessage());
        assertEquals(e.getMessage(), c.keyProblem());
        assertFalse(e.getMessage().contains("wrong"));
        PlatformClient none = new PlatformClient(platform.base(), null, null, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertEquals(Kind.NOT_CONFIGURED, assertThrows(PlatformException.class,
                () -> none.convention(PlatformConventions.newId(), true)).kind());
        assertNull(none.keyProblem());
    }

    @Test
    public void anOutagePageAndAnUnreachablePlatformAreUnavailable() throws Exception {
        PlatformClient c = client(FakePlatform.KEY, 0, 1000);
        platform.outage = true;
        PlatformException e = assertThrows(PlatformException.class, () -> c.convention(PlatformConventions.newId(), true));
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals("Immersion Facilitée answered GET /v2/conventions/{id} with HTTP 503 (not JSON: a gateway page)",
                e.getMessage());
        platform.close();
        e = assertThrows(PlatformException.class, () -> c.convention(PlatformConventions.newId(), true));
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage(), e.getMessage().startsWith("Immersion Facilitée unreachable for GET /v2/conventions/{id} ("));
        platform = null;
    }
}
