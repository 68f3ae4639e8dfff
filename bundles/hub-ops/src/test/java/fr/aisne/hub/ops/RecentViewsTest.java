package fr.aisne.hub.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

public class RecentViewsTest {
    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    public void aViewIsComputedOncePerKeyWhileItIsRecent() {
        RecentViews<String> views = new RecentViews<>(Duration.ofSeconds(5), clock);
        AtomicInteger computed = new AtomicInteger();
        assertEquals("hour#1", views.get("hour", () -> "hour#" + computed.incrementAndGet()));
        now = now.plusSeconds(4);
        assertEquals("still recent", "hour#1", views.get("hour", () -> "hour#" + computed.incrementAndGet()));
        assertEquals("another key", "day#2", views.get("day", () -> "day#" + computed.incrementAndGet()));
        now = now.plusSeconds(1);
        assertEquals("5 s old: computed again", "hour#3", views.get("hour", () -> "hour#" + computed.incrementAndGet()));
        assertThrows(IllegalStateException.class, () -> views.get("week", () -> {
            throw new IllegalStateException("database down");
        }));
        assertEquals("a failure is not kept", "week#4", views.get("week", () -> "week#" + computed.incrementAndGet()));
    }
}
