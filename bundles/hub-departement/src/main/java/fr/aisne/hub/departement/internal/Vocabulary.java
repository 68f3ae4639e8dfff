package fr.aisne.hub.departement.internal;

import java.util.Set;

/**
 * The names the follow-up reads, exactly as the connectors record them (docs/contracts/aisne-actifs/VOCABULARY.md):
 * department event types of the {@code DepartmentEvents} feed and registry attribute names. Kept here as strings so
 * that this module depends on no connector.
 */
final class Vocabulary {
    // Events of the CAF connector
    static final String NEW_HOUSEHOLD_SDD = "foyer.nouveau-soumis-droits-devoirs";
    static final String FILE_CLOSED = "dossier.clos";
    static final String FILE_REOPENED = "dossier.reouvert";
    // Events of the Aisne-actifs.com connector
    static final String ORIENTATION_DECIDED = "orientation.decidee";
    static final String REFERENT_NAMED = "referent.designe";
    static final String CER_SIGNED = "cer.signe";
    static final String ACTION_ENTRY = "action.entree";
    static final String ACTION_EXIT = "action.sortie";
    // Events of the Immersion Facilitée connector
    static final String IMMERSION_VALIDATED = "immersion.validee";
    static final String IMMERSION_CANCELLED = "immersion.annulee";
    static final String IMMERSION_ASSESSMENT = "immersion.bilan";
    // Events of the OuiForm connector
    static final String TRAINING_ENTRY = "formation.entree";
    static final String TRAINING_EXIT = "formation.sortie";
    static final String TRAINING_DROPOUT = "formation.abandon";

    /** Every event type the follow-up reads from the feed. */
    static final Set<String> EVENT_TYPES = Set.of(NEW_HOUSEHOLD_SDD, FILE_CLOSED, FILE_REOPENED, ORIENTATION_DECIDED,
            REFERENT_NAMED, CER_SIGNED, ACTION_ENTRY, ACTION_EXIT, IMMERSION_VALIDATED, IMMERSION_CANCELLED,
            IMMERSION_ASSESSMENT, TRAINING_ENTRY, TRAINING_EXIT, TRAINING_DROPOUT);

    // Registry attributes
    static final String UTAS = "utas";
    static final String REFERENT_ID = "referent_id";
    static final String ORIENTATION_DATE = "orientation_date";
    static final String ORIENTATION_PARCOURS = "orientation_parcours";
    static final String ORIENTATION_ORGANISME_TYPE = "orientation_organisme_type";
    static final String CER_SIGNATURE = "cer_date_signature";
    static final String CER_HOURS = "cer_heures_hebdo";
    static final String FT_REGISTRATION_DATE = "ft_date_inscription";
    /** France Travail's orientation read back (lectureOrientation): parcours PSP/PSO/PED, organisme code. */
    static final String FT_ORIENTATION_PARCOURS = "orientation";
    static final String FT_ORIENTATION_ORGANISME = "orientation_organisme";
    /** France Travail's organisme codes (orientationusager v1) as the vocabulary's organisation types. */
    static final java.util.Map<String, String> FT_ORGANISMES = java.util.Map.of("CD", "departement", "FT",
            "france-travail", "ML", "mission-locale", "DCD", "organisme-delegue", "CE", "cap-emploi");
    static final String FT_REGISTRATION_STATUS = "ft_inscription_statut";

    /** The attributes the follow-up reads of each person. */
    static final Set<String> ATTRIBUTES = Set.of(UTAS, REFERENT_ID, ORIENTATION_DATE, ORIENTATION_PARCOURS,
            ORIENTATION_ORGANISME_TYPE, CER_SIGNATURE, CER_HOURS, FT_REGISTRATION_DATE, FT_REGISTRATION_STATUS,
            FT_ORIENTATION_PARCOURS, FT_ORIENTATION_ORGANISME);

    /** What a person without a territory (no {@code utas} recorded yet) is counted under. */
    static final String NO_TERRITORY = "non renseigné";

    private Vocabulary() {
    }
}
