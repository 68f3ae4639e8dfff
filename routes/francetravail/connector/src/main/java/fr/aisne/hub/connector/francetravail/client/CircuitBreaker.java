package fr.aisne.hub.connector.francetravail.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling France Travail after {@code threshold} consecutive failures (unreachable, timeout, 5xx): while
 * OPEN every call fails at once with a clear reason, so deliveries go back to their queue and the core retries
 * them later. After {@code openFor}, HALF_OPEN lets one trial call through: success closes the circuit, failure
 * opens it again. An answer of the partner that is not a failure of the partner (2xx, 4xx, 429) counts as success.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private boolean trialInFlight;
    private String lastFailure;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Before a call: fails fast while open (or while the half-open trial call is under way). */
    public synchronized void beforeCall() throws FtException {
        if (state == State.OPEN) {
            Instant retryAt = openedAt.plus(openFor);
            if (clock.instant().isBefore(retryAt)) {
                throw new FtException(FtException.Kind.RETRY_LATER, "circuit-open", "France Travail circuit open after "
                        + consecutiveFailures + " consecutive failures (last: " + lastFailure + "); calls resume after "
                        + retryAt + "; retried later");
            }
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        if (state == State.HALF_OPEN) {
            if (trialInFlight) {
                throw new FtException(FtException.Kind.RETRY_LATER, "circuit-half-open",
                        "France Travail circuit half-open: a trial call is under way; retried later");
            }
            trialInFlight = true;
        }
    }

    public synchronized void success() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
        openedAt = null;
    }

    public synchronized void failure(String reason) {
        consecutiveFailures++;
        lastFailure = reason;
        trialInFlight = false;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }

    /** The call was not made after all (interrupted): frees the half-open trial. */
    public synchronized void abandoned() {
        trialInFlight = false;
    }

    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
            return State.HALF_OPEN;
        }
        return state;
    }

    public synchronized String describe() {
        return switch (state()) {
            case CLOSED -> "circuit CLOSED" + (consecutiveFailures > 0 ? " (" + consecutiveFailures + " recent failures)" : "");
            case OPEN -> "circuit OPEN since " + openedAt + " after " + consecutiveFailures + " consecutive failures (last: "
                    + lastFailure + "); half-open at " + openedAt.plus(openFor);
            case HALF_OPEN -> "circuit HALF_OPEN (next call is a trial; last failure: " + lastFailure + ")";
        };
    }
}
