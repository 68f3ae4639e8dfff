package fr.aisne.hub.connector.ouiform.contract;

import java.util.List;

/**
 * A refusal in the terms of the contract: a code, a message for the partner (in French, never a received value) and
 * the fields concerned. Thrown by the hub's side of the contract to answer the Région with the contract's error.
 */
public final class Refus extends Exception {
    private static final long serialVersionUID = 1L;

    private final CodeErreur code;
    private final transient List<String> champs;
    private final long retryAfterSeconds;

    public Refus(CodeErreur code, String message) {
        this(code, message, List.of());
    }

    public Refus(CodeErreur code, String message, List<String> champs) {
        this(code, message, champs, 0);
    }

    /** @param retryAfterSeconds for INDISPONIBLE: when to send it again (HTTP Retry-After), 0 when not said */
    public Refus(CodeErreur code, String message, List<String> champs, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.champs = List.copyOf(champs);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public CodeErreur code() {
        return code;
    }

    public List<String> champs() {
        return champs;
    }

    /** "CODE: message", the form journaled as a reason (the code first, so that the REST and SOAP sides find it). */
    public String reason() {
        return code.name() + ": " + getMessage();
    }

    /** The contract's {@code erreur}. */
    public Messages.Erreur erreur() {
        return new Messages.Erreur(code.name(), getMessage(), null, champs.isEmpty() ? null : champs);
    }
}
