package fr.aisne.hub.doubles.urssaf;

/** A rejection of the contract: code (the contract's list), the element or evidence line concerned, why (French). */
final class Rejet extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;
    final String champ;

    Rejet(String code, String champ, String message) {
        super(message, null, false, false);
        this.code = code;
        this.champ = champ;
    }
}
