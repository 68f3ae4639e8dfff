package fr.aisne.hub.doubles.caf;

import java.time.LocalDate;
import java.util.List;

/**
 * One household ({@code InfosFoyerRSA}) exactly as {@link CafFluxGenerator} writes it, so that a test can compare
 * what a connector read with what the double sent ({@link CafFluxGenerator#forEachHousehold}). Codes are the CNAF
 * ones (values as they appear in the XML).
 *
 * @param index      the household's number in the simulated population of the seed (0..), stable across fluxes
 * @param fonorg     {@code CAF} or {@code MSA}
 * @param numorg     organism number ({@code 021} for the CAF de l'Aisne)
 * @param matricule  15 digits (7-digit allocataire number followed by 8 zeros, as in the real files)
 * @param numdemrsa  11 digits, the RSA request number
 * @param dtdemrsa   date of the RSA request
 * @param oridemrsa  {@code DEM} (RSA request) or {@code RMI} (converted from an RMI right, before June 2009)
 * @param sitfam     family situation (CEL, MAR, VIM, PAC, DIV, SEF, ISO, VEU)
 * @param ddsitfam   start of that situation
 * @param sansDomicileFixe TOPSANSDOMFIXE: the address is a domiciliation (CCAS)
 * @param addresses  1 or 2 addresses, current first (RGADR 01, then 02 after a move)
 * @param situation  ETATDOSRSA and its details
 * @param persons    DEM first, then CJT, then AUT, then ENF by age
 * @param events     the {@code Evenement} blocks (daily fluxes only; empty in a monthly flux)
 */
public record Household(int index, String fonorg, String numorg, String matricule, String numdemrsa,
        LocalDate dtdemrsa, String oridemrsa, String sitfam, LocalDate ddsitfam, boolean sansDomicileFixe,
        List<Address> addresses, Situation situation, List<Person> persons, List<Event> events) {

    /** Number of persons with ROLEPERS ENF (NBENFAUTCHA). */
    public int children() {
        int n = 0;
        for (Person p : persons) {
            if (p.role().equals("ENF")) {
                n++;
            }
        }
        return n;
    }

    /** TOPFOYDRODEVORSA: at least one person of the household is "soumis droits et devoirs". */
    public boolean foyerDroitsEtDevoirs() {
        for (Person p : persons) {
            if (Boolean.TRUE.equals(p.droitsEtDevoirs())) {
                return true;
            }
        }
        return false;
    }

    /**
     * One {@code Personne}.
     *
     * @param role       ROLEPERS: DEM (applicant), CJT (spouse), ENF (child), AUT (other person, e.g. a parent)
     * @param qual       MR / MME, null for children (QUAL is optional)
     * @param nom        usage name
     * @param nomnai     birth name
     * @param prenom     first name
     * @param prenom2    second first name or null
     * @param nomcomnai  commune (or, abroad, town and country) of birth, upper case
     * @param dtnai      birth date
     * @param nir        13-character NIR without key, or null when the CAF does not have it (newborns, some
     *                   children, some persons born abroad)
     * @param sexe       1 man, 2 woman
     * @param respDossier TOPRESPDOS
     * @param ddratdos   DDRATDOS, date the person was attached to the CAF file
     * @param idassedic  France Travail identifier ({@code 1253359X}: 7 digits and a letter) or null
     * @param droitsEtDevoirs TOPPERSDRODEVORSA for adults, null for children (block not sent)
     */
    public record Person(int slot, String role, String qual, String nom, String nomnai, String prenom,
            String prenom2, String nomcomnai, LocalDate dtnai, String nir, char sexe, boolean respDossier,
            LocalDate ddratdos, String idassedic, Boolean droitsEtDevoirs) {
    }

    /**
     * One French address ({@code Adresse}: TroncCommunAdresse + AdresseDetailleeFrance); empty strings are sent
     * as empty elements.
     */
    public record Address(int rank, LocalDate dtemm, String complIdeAdr, String complAdr, String numVoie,
            String libTypeVoie, String nomVoie, String lieuDist, String numCom, String codePos, String nomCom) {
    }

    /**
     * SituationDossierRSA.
     *
     * @param etat   ETATDOSRSA 0..6: 0 new request awaiting the department's decision, 1 refused, 2 open and paid,
     *               3 open and suspended (SuspensionDroit), 4 open with payment suspended (SuspensionVersement),
     *               5 closed (FinDroit), 6 closed on an earlier month (FinDroitMoisAnterieur)
     * @param motif  MOTIREFURSA (1), MOTISUSDRORSA (3), MOTISUSVERSRSA (4), MOTICLORSA (5, 6); null for 0 and 2
     * @param date   DTREFURSA (1), DDSUSDRORSA (3), DDSUSVERSRSA (4), DTCLORSA (5, 6); null for 0 and 2
     */
    public record Situation(int etat, String motif, LocalDate date) {
    }

    /** One {@code Evenement}: DTLIQ, HEULIQ, FG (fait générateur: DEMRSA, SUS, RAD, SITENFAUT, ADR...). */
    public record Event(LocalDate dtliq, String heuliq, String fg) {
    }
}
