package fr.aisne.hub.api;

import java.time.Duration;

/**
 * What a partner tolerates, from the connector's settings ({@link Settings#partnerLimits()}).
 *
 * @param ratePerSecond calls per second at most (0: no limit)
 * @param maxConcurrent calls under way at most (0: no limit)
 * @param circuitFailures consecutive temporary failures that open the circuit (0: no circuit breaker)
 * @param circuitOpen how long an open circuit refuses calls before one trial call
 */
public record PartnerLimits(double ratePerSecond, int maxConcurrent, int circuitFailures, Duration circuitOpen) {
    public static final PartnerLimits NONE = new PartnerLimits(0, 0, 0, Duration.ofSeconds(30));

    public PartnerLimits {
        if (ratePerSecond < 0 || maxConcurrent < 0 || circuitFailures < 0) {
            throw new IllegalArgumentException("partner limits cannot be negative");
        }
        if (circuitOpen == null || circuitOpen.isNegative() || circuitOpen.isZero()) {
            throw new IllegalArgumentException("partner.circuit.openSeconds must be positive");
        }
    }
}
