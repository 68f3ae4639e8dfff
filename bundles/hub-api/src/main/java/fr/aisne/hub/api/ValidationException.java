package fr.aisne.hub.api;

/**
 * A payload broke a rule of its contract. The message names the rule and the element or field, never the
 * value (a value may be a NIR or a date of birth, and the reason is shown to operators and partners).
 */
public class ValidationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public ValidationException(String rule) {
        this(rule, -1, -1);
    }

    public ValidationException(String rule, int line, int column) {
        super(rule);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** "line 3, column 14: rule" when the position is known. */
    public String describe() {
        return line > 0 ? "line " + line + ", column " + column + ": " + getMessage() : getMessage();
    }
}
