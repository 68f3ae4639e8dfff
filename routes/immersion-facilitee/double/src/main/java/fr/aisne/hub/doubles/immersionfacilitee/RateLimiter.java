package fr.aisne.hub.doubles.immersionfacilitee;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The platform's per-consumer limiter, as it behaves: a reservoir of {@code limit} calls refilled every second
 * (a fixed window that starts at the consumer's first call), no queue, and once a call finds the reservoir empty
 * the consumer is blocked for {@code penaltyMillis}, every call made while blocked starting the wait again (a
 * client that retries at once on a 429 stays locked out). Times come from the double's clock.
 */
final class RateLimiter {
    private static final class Window {
        long start;
        int used;
        long blockedUntil = Long.MIN_VALUE;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** True (and the call counted) when {@code consumer} may call now. */
    boolean tryAcquire(String consumer, int limit, long penaltyMillis, long nowMillis) {
        Window w = windows.computeIfAbsent(consumer, k -> {
            Window n = new Window();
            n.start = nowMillis;
            return n;
        });
        synchronized (w) {
            if (nowMillis < w.blockedUntil) {
                w.blockedUntil = nowMillis + penaltyMillis;
                return false;
            }
            if (nowMillis - w.start >= 1000) {
                w.start = nowMillis - (nowMillis - w.start) % 1000;
                w.used = 0;
            }
            if (w.used >= limit) {
                if (penaltyMillis > 0) {
                    w.blockedUntil = nowMillis + penaltyMillis;
                }
                return false;
            }
            w.used++;
            return true;
        }
    }

    void clear() {
        windows.clear();
    }
}
