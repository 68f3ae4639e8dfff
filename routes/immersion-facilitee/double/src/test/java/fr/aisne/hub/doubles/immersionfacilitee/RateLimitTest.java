package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/** 5 calls per second and per consumer; then an immediate 429 without Retry-After, and the platform's 5 s block. */
public class RateLimitTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("rateLimitPerSecond", "5", "rateLimitPenaltyMillis", "5000"));
    }

    /** A read both built-in consumers may make (the Somme's department is in both scopes). */
    private static HttpResponse<String> call(String consumer) throws Exception {
        return getConvention(consumer, Fixtures.OTHER_DEPARTMENT);
    }

    private static void assertTooMany(HttpResponse<String> r) throws Exception {
        assertEquals(r.body(), 429, r.statusCode());
        assertEquals(JSON.readTree("{\"message\":\"Too many requests, please try again later.\",\"status\":429}"), json(r));
        assertFalse(r.headers().firstValue("Retry-After").isPresent());
        assertFalse(r.headers().firstValue("RateLimit-Remaining").isPresent());
    }

    @Test
    public void theSixthCallInASecondIs429WithoutRetryAfter() throws Exception {
        // the double's clock stands still: the calls all fall in the same second
        for (int i = 0; i < 5; i++) {
            assertEquals(200, call("aisne-hub").statusCode());
        }
        assertTooMany(call("aisne-hub"));
        // per consumer
        assertEquals(200, call("somme-partner").statusCode());
        assertEquals(1, stats().get("throttled429").asInt());
    }

    @Test
    public void overTheLimitTheConsumerIsBlockedAndEachCallStartsTheWaitAgain() throws Exception {
        for (int i = 0; i < 5; i++) {
            call("aisne-hub");
        }
        assertTooMany(call("aisne-hub"));
        clock.advance(Duration.ofSeconds(4));
        assertTooMany(call("aisne-hub")); // blocked: and the 5 s start again from here
        clock.advance(Duration.ofSeconds(4));
        assertTooMany(call("aisne-hub"));
        clock.advance(Duration.ofMillis(5001));
        assertEquals(200, call("aisne-hub").statusCode());
    }

    @Test
    public void withoutPenaltyTheNextSecondHasRoomAgain() throws Exception {
        control("{\"rateLimitPenaltyMillis\":0}");
        for (int i = 0; i < 5; i++) {
            call("aisne-hub");
        }
        assertTooMany(call("aisne-hub"));
        clock.advance(Duration.ofMillis(1000));
        assertEquals(200, call("aisne-hub").statusCode());
    }

    @Test
    public void unauthenticatedCallsAreNotCountedAndForced429sComeWhateverTheRate() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertEquals(401, get("/api/v2/conventions/" + Fixtures.MONTH_END, Map.of()).statusCode());
        }
        control("{\"status429Next\":2}");
        assertTooMany(call("aisne-hub"));
        assertTooMany(call("somme-partner"));
        assertEquals(200, call("aisne-hub").statusCode());
        assertEquals(0, json(get("/double/control", Map.of())).get("status429Next").asInt());
    }
}
