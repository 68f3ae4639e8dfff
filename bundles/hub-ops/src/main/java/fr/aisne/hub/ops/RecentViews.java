package fr.aisne.hub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps a computed view for a few seconds, per key: every open console asks for the overview's counts every few
 * seconds, and one grouped count over the journal serves them all.
 */
public final class RecentViews<T> {
    private record Entry<T>(Instant at, T value) {
    }

    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final Duration maxAge;
    private final Clock clock;

    public RecentViews(Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The view of {@code key} computed less than maxAge ago, or a new one (a failure is not kept). */
    public T get(String key, Supplier<T> compute) {
        Instant now = clock.instant();
        Entry<T> e = entries.get(key);
        if (e != null && e.at().plus(maxAge).isAfter(now)) {
            return e.value();
        }
        T value = compute.get();
        entries.put(key, new Entry<>(now, value));
        return value;
    }
}
