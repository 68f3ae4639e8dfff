package fr.aisne.hub.connector.ouiform.contract;

/**
 * The error codes of the OuiForm contract v1 (XSD type {@code CodeErreur}, OpenAPI {@code CodeErreur}), with the HTTP
 * status of the REST binding and the SOAP fault side (Client: the caller's error; Server: try again later).
 */
public enum CodeErreur {
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

    private final int httpStatus;
    private final boolean client;

    CodeErreur(int httpStatus, boolean client) {
        this.httpStatus = httpStatus;
        this.client = client;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True for a fault of the caller (soapenv:Client): sending the same message again cannot help. */
    public boolean client() {
        return client;
    }

    /** The code named in {@code text} ("PRESCRIPTION_INCONNUE: ..."), or {@code otherwise}. */
    public static CodeErreur in(String text, CodeErreur otherwise) {
        if (text != null) {
            for (CodeErreur c : values()) {
                if (text.contains(c.name())) {
                    return c;
                }
            }
        }
        return otherwise;
    }

    /** The code called {@code name}, or null. */
    public static CodeErreur of(String name) {
        for (CodeErreur c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
