package fr.aisne.hub.core.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * A partner's limits with Resilience4j: a rate limiter (permits per period), a bulkhead (calls under way) and a
 * count-based circuit breaker (N consecutive failures open it for a while, then one trial call). A partner's
 * "slow down" (429 with Retry-After) pauses every permit until it is over. Nothing here waits long on a thread:
 * a permit that would take more than {@link #MAX_WAIT} is refused with the time to wait, and the caller gives its
 * thread back (a delivery is rescheduled).
 */
public final class LimitsGuard implements PartnerGuard {
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final String partner;
    private final PartnerLimits limits;
    private final Clock clock;
    private final RateLimiter rate;
    private final Bulkhead bulkhead;
    private final CircuitBreaker circuit;
    private final AtomicInteger underWay = new AtomicInteger();
    private volatile Instant pausedUntil = Instant.MIN;
    private volatile Instant openedAt = Instant.MIN;

    LimitsGuard(String partner, PartnerLimits limits, Clock clock) {
        this.partner = partner;
        this.limits = limits;
        this.clock = clock;
        this.rate = limits.ratePerSecond() <= 0 ? null : RateLimiter.of(partner, rateConfig(limits.ratePerSecond()));
        this.bulkhead = limits.maxConcurrent() <= 0 ? null : Bulkhead.of(partner, BulkheadConfig.custom()
                .maxConcurrentCalls(limits.maxConcurrent()).maxWaitDuration(Duration.ofMillis(200)).build());
        this.circuit = limits.circuitFailures() <= 0 ? null : CircuitBreaker.of(partner, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(limits.circuitFailures()).minimumNumberOfCalls(limits.circuitFailures())
                .failureRateThreshold(100f).waitDurationInOpenState(limits.circuitOpen())
                .permittedNumberOfCallsInHalfOpenState(1).automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        if (circuit != null) {
            circuit.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt = clock.instant();
                }
            });
        }
    }

    /** 5/s: 5 permits each second; 0.5/s: 1 permit every 2 seconds. */
    private static RateLimiterConfig rateConfig(double perSecond) {
        int permits = perSecond >= 1 ? (int) Math.round(perSecond) : 1;
        Duration period = perSecond >= 1 ? Duration.ofSeconds(1) : Duration.ofMillis(Math.round(1000 / perSecond));
        return RateLimiterConfig.custom().limitForPeriod(permits).limitRefreshPeriod(period).timeoutDuration(MAX_WAIT)
                .build();
    }

    PartnerLimits limits() {
        return limits;
    }

    @Override
    public String partner() {
        return partner;
    }

    @Override
    public void permit() throws DeliveryFailure {
        Duration paused = Duration.between(clock.instant(), pausedUntil);
        if (!paused.isNegative() && !paused.isZero()) {
            if (paused.compareTo(MAX_WAIT) > 0) {
                throw DeliveryFailure.temporary(partner + " asked to slow down (429)", paused);
            }
            sleep(paused);
        }
        if (circuit != null && !circuit.tryAcquirePermission()) {
            throw DeliveryFailure.temporary("circuit open for " + partner + " after " + limits.circuitFailures()
                    + " failures in a row", openRemaining());
        }
        if (rate != null && !rate.acquirePermission()) {
            if (circuit != null) {
                circuit.releasePermission();
            }
            throw DeliveryFailure.temporary("rate limit of " + limits.ratePerSecond() + " calls/s to " + partner,
                    Duration.ofSeconds(1));
        }
    }

    /** The longest pause a partner can impose; a longer Retry-After is taken as this. */
    static final Duration MAX_PAUSE = Duration.ofDays(1);

    @Override
    public void pause(Duration pause) {
        // a partner's Retry-After is untrusted: Long.MAX_VALUE seconds overflowed Instant.plus (benchmarks/fuzz)
        if (pause == null || pause.isNegative()) {
            return;
        }
        Instant until = clock.instant().plus(pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    @Override
    public void succeeded() {
        if (circuit != null) {
            circuit.onSuccess(0, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void failed() {
        if (circuit != null) {
            circuit.onError(0, TimeUnit.MILLISECONDS, new PartnerUnwell());
        }
    }

    /** A delivery starting: a slot of the concurrency limit, refused (with the time to wait) while the circuit is open. */
    DeliveryFailure enter() {
        if (circuit != null && circuit.getState() == CircuitBreaker.State.OPEN && !openRemaining().isZero()) {
            return DeliveryFailure.temporary("circuit open for " + partner, openRemaining());
        }
        if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
            return DeliveryFailure.temporary(limits.maxConcurrent() + " calls to " + partner + " under way already",
                    Duration.ofSeconds(1));
        }
        underWay.incrementAndGet();
        return null;
    }

    void exit() {
        underWay.decrementAndGet();
        if (bulkhead != null) {
            bulkhead.onComplete();
        }
    }

    @Override
    public boolean open() {
        return circuit != null && circuit.getState() == CircuitBreaker.State.OPEN;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(partner).append(": ");
        sb.append(circuit == null ? "no circuit breaker" : "circuit " + circuit.getState().name().toLowerCase()
                + (open() ? " (retried in " + openRemaining().toSeconds() + " s)" : ""));
        Duration paused = Duration.between(clock.instant(), pausedUntil);
        if (paused.compareTo(Duration.ZERO) > 0) {
            sb.append(", paused by the partner for ").append(Math.max(1, paused.toSeconds())).append(" s");
        }
        sb.append(", ").append(underWay.get()).append(" deliveries under way");
        if (limits.ratePerSecond() > 0) {
            sb.append(", at most ").append(limits.ratePerSecond()).append(" calls/s");
        }
        return sb.toString();
    }

    private Duration openRemaining() {
        Duration d = Duration.between(clock.instant(), openedAt.plus(limits.circuitOpen()));
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static void sleep(Duration d) throws DeliveryFailure {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrupted while waiting for " + d.toMillis() + " ms");
        }
    }

    /** What the circuit breaker records: the partner answered badly (no details: the caller journals them). */
    private static final class PartnerUnwell extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PartnerUnwell() {
            super("partner call failed", null, false, false);
        }
    }
}
