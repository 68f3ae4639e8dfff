package fr.aisne.hub.api;

/**
 * Delivery retries with exponential backoff: after the first failure, waits initialDelayMs, then multiplies
 * the wait by multiplier up to maxDelayMs; after maxAttempts deliveries in all, the message is quarantined.
 * A retry is scheduled, never waited for on a consumer thread.
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

    /** Wait before the given retry (1 = first retry). */
    public long delayBeforeRetry(int retry) {
        double delay = initialDelayMs * Math.pow(multiplier, Math.max(0, retry - 1));
        return (long) Math.min(delay, maxDelayMs);
    }

    /** Total time a message may spend retrying before quarantine (the sum of the waits). */
    public long budgetMs() {
        long sum = 0;
        for (int retry = 1; retry < maxAttempts; retry++) {
            sum += delayBeforeRetry(retry);
        }
        return sum;
    }
}
