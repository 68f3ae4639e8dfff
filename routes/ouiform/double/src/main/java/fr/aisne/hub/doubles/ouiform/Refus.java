package fr.aisne.hub.doubles.ouiform;

import java.util.List;

/**
 * A refusal in the contract's terms (element {@code erreur}: code, message, the existing OuiForm id of a DOUBLON,
 * the fields concerned). Messages never carry a value taken from the request, only field names.
 */
final class Refus extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final CodeErreur code;
    final transient String idPrescriptionOuiForm;
    final transient List<String> champs;

    Refus(CodeErreur code, String message) {
        this(code, message, null, List.of());
    }

    Refus(CodeErreur code, String message, String idPrescriptionOuiForm, List<String> champs) {
        super(message, null, false, false);
        this.code = code;
        this.idPrescriptionOuiForm = idPrescriptionOuiForm;
        this.champs = List.copyOf(champs);
    }
}
