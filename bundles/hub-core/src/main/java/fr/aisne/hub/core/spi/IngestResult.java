package fr.aisne.hub.core.spi;

/** What became of a message offered to the hub. */
public record IngestResult(Outcome outcome, String exchangeId, String correlationId, String reason,
        String duplicateOf) {

    public enum Outcome {
        /** Journaled, validated and on its durable queue. */
        QUEUED(202),
        /** Already received: recorded, not processed again. */
        DUPLICATE(200),
        /** Broke its contract: quarantined with the reason. */
        INVALID(422),
        /** Larger than the flow accepts: quarantined without its payload. */
        TOO_LARGE(413),
        /** Journaled but the broker did not take it: FAILED, replayable. */
        NOT_QUEUED(503);

        private final int httpStatus;

        Outcome(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }
}
