package fr.aisne.hub.api;

/**
 * What became of a message offered to the hub.
 *
 * @param retryAfterSeconds for UNAVAILABLE and NO_SPACE: when to offer it again
 */
public record IngestResult(Outcome outcome, String exchangeId, String correlationId, String reason,
        String duplicateOf, long retryAfterSeconds) {

    public IngestResult(Outcome outcome, String exchangeId, String correlationId, String reason, String duplicateOf) {
        this(outcome, exchangeId, correlationId, reason, duplicateOf, 0);
    }

    public enum Outcome {
        /** Journaled, validated and on its durable queue (or journaled QUEUED and on its way there). */
        QUEUED(202),
        /** Already received: recorded, not processed again. */
        DUPLICATE(200),
        /** Broke its contract: quarantined with the reason. */
        INVALID(422),
        /** Larger than the flow accepts: quarantined without its payload. */
        TOO_LARGE(413),
        /**
         * The broker cannot take messages now: nothing is kept as accepted; offer it again later. Only over HTTP
         * (the sender is answered 503): {@link Intake#accept} keeps the message and sends it when the broker is back.
         */
        UNAVAILABLE(503),
        /** The hub's disk is (nearly) full: nothing kept; offer it again later. */
        NO_SPACE(507);

        private final int httpStatus;

        Outcome(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The message is in the hub's hands (queued now or already before). */
        public boolean taken() {
            return this == QUEUED || this == DUPLICATE;
        }
    }
}
