package fr.aisne.hub.connector.caf;

import java.time.LocalDate;
import java.util.List;

/** What the hub reads from a vrsb0801 flux, one household at a time (element names as the CAF spells them). */
public final class CafFlux {
    private CafFlux() {
    }

    /** IdentificationFlux. APPLIEME: CRI for the CAF, AGO for the MSA; TYPEFLUX: I daily, M monthly. */
    public record Header(String applieme, String typeflux, String natflux, LocalDate dtcreaflux, String heucreaflux,
            LocalDate dtref) {
    }

    /**
     * One InfosFoyerRSA, with the line where it starts in the file. motisus is the suspension reason
     * (MOTISUSDRORSA for a suspended right, state 3, or MOTISUSVERSRSA for a suspended payment, state 4).
     */
    public record Household(int line, String numorg, String matricule, String ideparte, String numdemrsa,
            LocalDate dtdemrsa, String etatdosrsa, String motisus, String moticlorsa, LocalDate dtclorsa,
            List<Person> persons) {
    }

    /**
     * One Personne. ROLEPERS is taken from the Prestations whose NATPREST is RSA; soumisDroitsEtDevoirs from
     * TOPPERSDRODEVORSA = 1.
     */
    public record Person(String qual, String nom, String nomnai, String prenom, LocalDate dtnai, String nir,
            String sexe, String rolepers, String idassedic, boolean soumisDroitsEtDevoirs) {
    }

    /** What a complete, valid file contained. */
    public record Summary(String file, Header header, int households, int persons, long declaredHouseholds) {
    }

    /** Receives the households of a file as they are read; an exception stops the read. */
    @FunctionalInterface
    public interface HouseholdHandler {
        void household(Household household) throws Exception;

        default void header(Header header) throws Exception {
        }
    }
}
