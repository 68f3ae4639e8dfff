package fr.aisne.hub.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The "dites-le nous une fois" registry (CRPA L113-12, L114-8): what a partner told us about a person is
 * recorded once, with its source, and reused for the others, each receiving only the fields its
 * disclosure rules allow. One OSGi service, used by the connectors and the department API.
 */
public interface PersonRegistry {

    /** Records an observation: matched (CERTAIN), new person (ABSENT) or waiting for an operator (PROBABLE). */
    MatchResult observe(PersonObservation observation);

    /**
     * Records observations in one transaction (bulk imports: one commit per batch instead of one per
     * statement). Either all are recorded or none.
     */
    List<MatchResult> observeAll(List<PersonObservation> observations);

    /** The consolidated record with the provenance of each value and the conflicts between sources. */
    Optional<ConsolidatedPerson> find(String personId);

    /**
     * The consolidated record restricted to what {@code partner} may see for {@code purpose}, with
     * provenance; logged as a disclosure. Empty if there is no such person.
     */
    Optional<ConsolidatedPerson> consult(String personId, String partner, String purpose);

    /** The persons of a CAF household (matricule, with its organisme number when known). */
    List<String> findByHousehold(String numorg, String matricule);

    /** Persons known at a partner under an identifier (e.g. "caf", "matricule", "002..."). */
    List<String> findByIdentifier(String partner, String kind, String value);

    /** The person with this NIR, looked up through its blind index (the NIR is never in a query). */
    Optional<String> findByNir(String nir);

    /**
     * The fields of a person that {@code partner} may receive for {@code purpose} (etc/hub.disclosure.cfg),
     * and only those; the disclosure is logged (who, which fields, when, why, in which message).
     */
    Map<String, Object> disclose(String personId, String partner, String purpose, String exchangeId);

    /** RGPD art. 15: everything held about the person, every value's history and every disclosure made. */
    Optional<Map<String, Object>> subjectAccess(String personId);

    /** Probable matches waiting for an operator. */
    List<Map<String, Object>> pendingMatches();

    /** The operator says it is the same person: the observation is recorded on it. */
    MatchResult confirmMatch(String candidateId, String actor);

    /** The operator says it is someone else: a new person is created from the observation. */
    MatchResult rejectMatch(String candidateId, String actor);

    /**
     * Purges persons who left the RSA more than the configured number of months ago, with the journal
     * payloads no remaining person refers to; keeps only anonymous counts.
     */
    Map<String, Object> purgeExpired();
}
