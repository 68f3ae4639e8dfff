package fr.aisne.hub.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a delivery failed, and whether trying again can help. The reason is journaled and shown to operators:
 * it names the rule or the partner's answer, never a personal value or a secret.
 */
public final class DeliveryFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final Duration retryAfter;

    private DeliveryFailure(String reason, boolean permanent, Duration retryAfter, Throwable cause) {
        super(reason, cause);
        this.permanent = permanent;
        this.retryAfter = retryAfter;
    }

    /** Trying again cannot help (an invalid payload, a refusal for this person): quarantined at once. */
    public static DeliveryFailure permanent(String reason) {
        return new DeliveryFailure(reason, true, null, null);
    }

    public static DeliveryFailure permanent(String reason, Throwable cause) {
        return new DeliveryFailure(reason, true, null, cause);
    }

    /** May work later (partner down, timeout, 5xx): retried with the flow's backoff. */
    public static DeliveryFailure temporary(String reason) {
        return new DeliveryFailure(reason, false, null, null);
    }

    public static DeliveryFailure temporary(String reason, Throwable cause) {
        return new DeliveryFailure(reason, false, null, cause);
    }

    /** May work after {@code retryAfter} (a partner's Retry-After): the next attempt is not earlier. */
    public static DeliveryFailure temporary(String reason, Duration retryAfter) {
        return new DeliveryFailure(reason, false, retryAfter, null);
    }

    public boolean isPermanent() {
        return permanent;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
