package fr.aisne.hub.api;

/** How a flow recognises a message it has already received (within {@code duplicates.windowDays}). */
public enum Duplicates {
    /**
     * By the partner's message id when it gives one; by the payload's digest only when it gives none. The
     * same body under two message ids is two messages (a PSP, then a PSO, then a PSP again).
     */
    MESSAGE_ID_ELSE_DIGEST,
    /** By the partner's message id only; a message without one is never a duplicate. */
    MESSAGE_ID,
    /** Never: every message is processed (the partner or the handler is idempotent). */
    NONE
}
