package fr.aisne.hub.core.spi;

import java.util.Map;

/**
 * Delivery retries with exponential backoff: after the first failure, waits initialDelayMs, then
 * multiplies the wait by multiplier up to maxDelayMs; after maxAttempts deliveries in all, the exchange
 * is quarantined.
 */
public record RetryPolicy(int maxAttempts, long initialDelayMs, double multiplier, long maxDelayMs) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, 2_000, 2.0, 300_000);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialDelayMs < 0 || maxDelayMs < initialDelayMs) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= retry.initialDelayMs <= retry.maxDelayMs");
        }
        if (!(multiplier >= 1.0)) { // also rejects NaN
            throw new IllegalArgumentException("retry.multiplier must be at least 1.0, was " + multiplier);
        }
    }

    /** Reads retry.maxAttempts, retry.initialDelayMs, retry.multiplier, retry.maxDelayMs, defaulting each. */
    public static RetryPolicy fromSettings(Map<String, ?> settings) {
        return new RetryPolicy(
                Settings.intValue(settings, "retry.maxAttempts", DEFAULT.maxAttempts),
                Settings.longValue(settings, "retry.initialDelayMs", DEFAULT.initialDelayMs),
                Settings.doubleValue(settings, "retry.multiplier", DEFAULT.multiplier),
                Settings.longValue(settings, "retry.maxDelayMs", DEFAULT.maxDelayMs));
    }

    /** Wait before the given redelivery (1 = first retry). */
    public long delayBeforeRetry(int retry) {
        double delay = initialDelayMs * Math.pow(multiplier, Math.max(0, retry - 1));
        return (long) Math.min(delay, maxDelayMs);
    }
}
