package fr.aisne.hub.doubles.francetravail;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window rate limiter: at most {@code limit} accepted requests per client in any second. Refused
 * requests do not count. Times come from the double's clock, so tests can hold time still.
 */
final class RateLimiter {
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();

    /** True (and the request counted) when {@code client} has had fewer than {@code limit} requests in the last second. */
    boolean tryAcquire(String client, int limit, long nowMillis) {
        ArrayDeque<Long> window = windows.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst() <= nowMillis - 1000) {
                window.pollFirst();
            }
            if (window.size() >= limit) {
                return false;
            }
            window.addLast(nowMillis);
            return true;
        }
    }

    void clear() {
        windows.clear();
    }
}
