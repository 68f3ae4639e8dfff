package fr.aisne.hub.connector.caf;

/**
 * A CAF flux broke a rule: the file is rejected as a whole. The message names the file, the line and
 * column and the rule broken; it never quotes personal data from the file.
 */
public class CafFluxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String rule;

    public CafFluxException(String file, int line, int column, String rule, Throwable cause) {
        super(file + (line > 0 ? " line " + line + ", column " + column : "") + ": " + rule, cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.rule = rule;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String rule() {
        return rule;
    }
}
