package fr.aisne.hub.registry;

/** A NIR failed its checks. The message names the rule, never the value. */
public class InvalidNirException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidNirException(String message) {
        super(message);
    }
}
