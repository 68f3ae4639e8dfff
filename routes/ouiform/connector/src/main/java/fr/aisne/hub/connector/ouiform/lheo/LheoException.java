package fr.aisne.hub.connector.ouiform.lheo;

import fr.aisne.hub.connector.ouiform.contract.CodeErreur;

/**
 * A catalogue document refused: its contract code (LHEO_VERSION_NON_SUPPORTEE for an LHEO 2.2 document,
 * REQUETE_INVALIDE otherwise), where (line, column) and the rule broken, never a value of the document.
 */
public final class LheoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final CodeErreur code;
    private final int line;
    private final int column;

    public LheoException(CodeErreur code, String rule, int line, int column) {
        super(rule, null, false, false);
        this.code = code;
        this.line = line;
        this.column = column;
    }

    public CodeErreur code() {
        return code;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** "CODE: line l, column c: rule": the reason journaled and answered. */
    public String reason() {
        return code.name() + ": " + (line > 0 ? "line " + line + ", column " + column + ": " : "") + getMessage();
    }
}
