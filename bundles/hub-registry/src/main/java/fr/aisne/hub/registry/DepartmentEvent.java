package fr.aisne.hub.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something the department must know or act on, derived from what a partner told us: a new household subject
 * to rights and duties (orientation due within a month), a change of state of an RSA file, a new person in a
 * household. Events carry registry ids and partner keys, never a NIR.
 *
 * @param seq           position in the feed (assigned when published; 0 before)
 * @param type          one of the constants below
 * @param personId      the registry person concerned, or null for a household-level event
 * @param householdKey  CAF household as NUMORG/MATRICULE, or null
 * @param occurredAt    when the source observed it (the flux reference date or reception time)
 * @param sourcePartner partner whose message revealed it
 * @param sourceExchange journal id of that message
 * @param details       small, non-sensitive values (previous and new state, reason codes, role)
 */
public record DepartmentEvent(long seq, String type, String personId, String householdKey, Instant occurredAt,
        String sourcePartner, String sourceExchange, Map<String, String> details) {

    /** A household newly subject to rights and duties: orientation needed within a month (one per person SDD). */
    public static final String NEW_HOUSEHOLD_SDD = "foyer.nouveau-soumis-droits-devoirs";
    /** The RSA file is suspended (ETATDOSRSA 3 or 4); details: avant, apres, motif. */
    public static final String FILE_SUSPENDED = "dossier.suspendu";
    /** The RSA file is closed (ETATDOSRSA 5 or 6); details: avant, apres, motif, date_cloture. */
    public static final String FILE_CLOSED = "dossier.clos";
    /** The RSA file is open again (2) after a suspension or closure; details: avant, apres. */
    public static final String FILE_REOPENED = "dossier.reouvert";
    /** A person appears in a known household; details: role. */
    public static final String NEW_PERSON = "foyer.nouvelle-personne";
    /**
     * The department decided an orientation (PSP, PSO, PED) for a person; details: parcours, origine, and from
     * Aisne-actifs.com organisme_type (departement, france-travail, mission-locale, ccas, organisme-delegue),
     * organisme, date. The France Travail connector pushes it to France Travail.
     */
    public static final String ORIENTATION_DECIDED = "orientation.decidee";
    /** A named referent is designated (Aisne-actifs.com); details: referent_id, organisme. */
    public static final String REFERENT_DESIGNATED = "referent.designe";
    /** A contrat d'engagement is signed (Aisne-actifs.com); details: date_signature, duree_mois, heures_hebdo. */
    public static final String CER_SIGNED = "cer.signe";
    /** An appointment with the referent is planned (Aisne-actifs.com); details: date, organisme. */
    public static final String APPOINTMENT_PLANNED = "rdv.planifie";
    /** The person came to the appointment (Aisne-actifs.com); details: date, organisme. */
    public static final String APPOINTMENT_HONOURED = "rdv.honore";
    /** The person did not come to the appointment (Aisne-actifs.com); details: date, organisme. */
    public static final String APPOINTMENT_MISSED = "rdv.non-honore";
    /** The referent asks for a new orientation (Aisne-actifs.com); details: motif, parcours_demande. */
    public static final String REORIENTATION_REQUESTED = "reorientation.demandee";
    /**
     * The referent asks for a sanction (refusal to sign, commitments not kept; Aisne-actifs.com); details: motif,
     * date_constat. The connector also sends it to the CAF as a file.
     */
    public static final String SANCTION_REQUESTED = "sanction.demandee";
    /**
     * The person enters an insertion action (Aisne-actifs.com); details: action_id, action_libelle, axe (APIE
     * axis), organisme, date_entree, heures_hebdo.
     */
    public static final String ACTION_ENTERED = "action.entree";
    /**
     * The person leaves an insertion action (Aisne-actifs.com); details: action_id, date_sortie, motif_sortie
     * (emploi-durable, emploi-temporaire, formation, abandon, demenagement, sanction, fin-de-droits, autre).
     */
    public static final String ACTION_LEFT = "action.sortie";
    /** France Travail found the person (identification flow, S001); details: code, certifiee (O/N). */
    public static final String FT_IDENTIFIED = "france-travail.identifie";
    /**
     * France Travail's orientation of the person read back after a push (lectureOrientation); details: parcours,
     * organisme, date, etat, as France Travail gave them.
     */
    public static final String FT_ORIENTATION_READ = "orientation.lue-france-travail";

    public DepartmentEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A new event, before publication. */
    public static DepartmentEvent of(String type, String personId, String householdKey, Instant occurredAt,
            String sourcePartner, String sourceExchange, Map<String, String> details) {
        return new DepartmentEvent(0, type, personId, householdKey, occurredAt, sourcePartner, sourceExchange, details);
    }
}
