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
    /** The department decided an orientation (PSP, PSO, PED) for a person; details: parcours, origine. */
    public static final String ORIENTATION_DECIDED = "orientation.decidee";

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
