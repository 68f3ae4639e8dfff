package fr.aisne.hub.doubles.francetravail;

import java.time.LocalDate;

/**
 * A person as the double knows them: what a search answers ({@code outcome}) and which data sets exist for
 * the person-scoped calls. Built by {@link Fixtures} from the NIR or the numéro France Travail, or registered
 * through {@code POST /double/control/usagers}. The NIR is kept in memory only; it is never logged nor counted.
 *
 * @param numeroFranceTravail 11 digits, stable for a given NIR
 * @param nir 15 characters (with the key)
 * @param dateNaissance date of birth France Travail knows
 * @param outcome what a search for this person answers
 * @param certifiee identity certified (topIdentiteCertifiee O) or not (N)
 * @param inscrit registered as a job seeker: contrat-usager answers 200, else 204
 * @param informationsAdministratives informations-administratives answers 200, else 204
 * @param rqth disability recognition on file: donnees-rqth answers 200, else 204
 * @param orientationInitiale an orientation France Travail decided before any push: lectureOrientation 200
 * @param nom family name (upper case)
 * @param prenom first name (upper case)
 */
record Usager(String numeroFranceTravail, String nir, LocalDate dateNaissance, Outcome outcome, boolean certifiee,
        boolean inscrit, boolean informationsAdministratives, boolean rqth, boolean orientationInitiale, String nom,
        String prenom) {

    /** What a rechercher-usager call answers: business code and HTTP status. */
    enum Outcome {
        S001("S001", 200, "Approchant trouvé"),
        S002("S002", 200, "Aucun approchant trouvé"),
        S003("S003", 200, "Plusieurs approchants trouvés"),
        R001("R001", 403, "Accès non autorisé"),
        R997("R997", 400, "Une erreur de validation s'est produite"),
        R998_500("R998", 500, "Un service a répondu en erreur"),
        R998_502("R998", 502, "Un service a répondu en erreur"),
        R999("R999", 503, "Service indisponible, veuillez réessayer ultérieurement");

        final String code;
        final int status;
        final String message;

        Outcome(String code, int status, String message) {
            this.code = code;
            this.status = status;
            this.message = message;
        }
    }

    boolean homme() {
        return Nir.sex(nir) == 1;
    }

    /** A stable, non-negative number derived from the numéro France Travail, to pick fixture values. */
    int pick(int salt, int bound) {
        return Math.floorMod(Fixtures.hash(numeroFranceTravail + "#" + salt), bound);
    }

    @Override
    public String toString() {
        return "Usager[" + outcome + "]";
    }
}
