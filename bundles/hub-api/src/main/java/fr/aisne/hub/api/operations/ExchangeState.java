package fr.aisne.hub.api.operations;

/** The states an exchange goes through; every change is journaled with its time, actor and reason. */
public enum ExchangeState {
    /** Stored and journaled with its digest. */
    RECEIVED,
    /** Passed its flow's validator (flows without one skip this state). */
    VALIDATED,
    /** On its durable queue (or in the outbox on its way there). */
    QUEUED,
    /** Waiting behind an earlier message with the same ordering key, which is being retried. */
    HELD,
    /** Done: the partner or the handler took it. */
    DELIVERED,
    /** Out of the department's scope: nothing stored, nothing sent (terminal). */
    IGNORED,
    /** One attempt failed; the next is scheduled (the reason says when). */
    FAILED,
    /** Given up, invalid or too large: needs an operator, who may replay it. */
    QUARANTINED,
    /** An operator asked for it again. */
    REPLAYED,
    /** Same partner message id (or same payload digest when it gave none) within the window: not processed. */
    DUPLICATE,
    /** Not accepted: the broker could not take it and the sender was answered 503; its retry is a new exchange. */
    REFUSED;

    /** States from which an operator may replay the exchange. */
    public boolean isReplayable() {
        return this == QUARANTINED || this == FAILED;
    }

    /** Nothing more will happen to the exchange unless an operator replays it. */
    public boolean isTerminal() {
        return this == DELIVERED || this == IGNORED || this == QUARANTINED || this == DUPLICATE || this == REFUSED;
    }
}
