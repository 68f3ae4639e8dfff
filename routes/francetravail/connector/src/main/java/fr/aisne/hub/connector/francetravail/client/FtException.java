package fr.aisne.hub.connector.francetravail.client;

/**
 * A call to France Travail did not give what was asked. The message says what happened and what to do, in
 * the operator's words; it never contains a secret, an access token, a jeton usager or a NIR.
 */
public class FtException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Worth trying again later (partner down, slow, rate limited, circuit open, R998/R999). */
        RETRY_LATER,
        /** The client credentials or scopes were refused: nothing works until the settings are fixed. */
        CREDENTIALS,
        /** The jeton usager was not accepted: identify the person again, then retry once. */
        JETON_REJECTED,
        /** France Travail refused the request for this person (403, R001): retrying cannot help. */
        REFUSED,
        /** France Travail found the request invalid (400, R997): retrying cannot help. */
        INVALID
    }

    private final Kind kind;
    private final String code;
    private final java.time.Duration retryAfter;

    public FtException(Kind kind, String code, String message) {
        this(kind, code, message, null);
    }

    /** @param retryAfter when France Travail (or the partner guard) said when to try again; null otherwise */
    public FtException(Kind kind, String code, String message, java.time.Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** When to try again, if known (a Retry-After, an open circuit). */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    /** France Travail's code (R001, R997...) or the HTTP status, when known. */
    public String code() {
        return code;
    }

    /** Whether the core's retry policy should try again (otherwise: quarantine with the reason). */
    public boolean retryable() {
        return kind == Kind.RETRY_LATER || kind == Kind.CREDENTIALS || kind == Kind.JETON_REJECTED;
    }
}
