package fr.aisne.hub.doubles.ouiform;

/**
 * The fault codes of the contract (type {@code CodeErreur} of ouiform-v1.xsd), with the HTTP status the REST side
 * answers and whether a SOAP fault is the sender's ({@code soap:Client}) or the receiver's ({@code soap:Server}).
 */
enum CodeErreur {
    REQUETE_INVALIDE(400, true),
    NON_AUTHENTIFIE(401, true),
    ACCES_REFUSE(403, true),
    SESSION_INCONNUE(422, true),
    SESSION_FERMEE(422, true),
    BENEFICIAIRE_INCOMPLET(422, true),
    DOUBLON(409, true),
    PRESCRIPTION_INCONNUE(404, true),
    LHEO_VERSION_NON_SUPPORTEE(422, true),
    INDISPONIBLE(503, false),
    ERREUR_INTERNE(500, false);

    final int httpStatus;
    final boolean client;

    CodeErreur(int httpStatus, boolean client) {
        this.httpStatus = httpStatus;
        this.client = client;
    }

    /** The code named {@code name}, or null. */
    static CodeErreur parse(String name) {
        for (CodeErreur c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
