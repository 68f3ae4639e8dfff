package fr.aisne.hub.core;

/** The states an exchange goes through; every change is journaled with its time and reason. */
public enum ExchangeState {
    RECEIVED, VALIDATED, QUEUED, DELIVERED, FAILED, QUARANTINED, REPLAYED,
    /** Same partner message id, or same payload digest within the window: recorded, not processed. */
    DUPLICATE;

    /** States from which an operator may replay the exchange. */
    public boolean isReplayable() {
        return this == QUARANTINED || this == FAILED;
    }
}
