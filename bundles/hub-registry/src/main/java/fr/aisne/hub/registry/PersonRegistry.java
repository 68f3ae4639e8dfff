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
     * provenance; logged with the account that reads it. Empty if there is no such person.
     */
    Optional<ConsolidatedPerson> consult(String personId, String partner, String purpose, Access access);

    /**
     * {@link #consult} of each person a lookup found, each read logged with the account; a lookup that found
     * nobody is logged too (without a person).
     */
    List<ConsolidatedPerson> consultAll(List<String> personIds, String partner, String purpose, Access access);

    /** The persons of a CAF household (matricule, with its organisme number when known). */
    List<String> findByHousehold(String numorg, String matricule);

    /** Persons known at a partner under an identifier (e.g. "caf", "matricule", "002..."). */
    List<String> findByIdentifier(String partner, String kind, String value);

    /** The person with this NIR, looked up through its blind index (the NIR is never in a query). */
    Optional<String> findByNir(String nir);

    /**
     * The fields of a person that {@code partner} may receive for {@code purpose} (etc/hub.disclosure.cfg),
     * and only those; the disclosure is logged (who, which fields, when, why, in which message; the reader is
     * {@link Access#SYSTEM}: the hub's flow that sends them).
     */
    Map<String, Object> disclose(String personId, String partner, String purpose, String exchangeId);

    /**
     * RGPD art. 15: everything held about the person (the NIR in clear), every value's history and every
     * disclosure made; the export itself is logged with the account that made it.
     */
    Optional<Map<String, Object>> subjectAccess(String personId, Access access);

    /**
     * Probable matches waiting for an operator, the observed values restricted to what {@code partner} may see for
     * {@code purpose} (special categories never shown by a wildcard rule); each listing logged with the account.
     */
    List<Map<String, Object>> pendingMatches(String partner, String purpose, Access access);

    /** The operator says it is the same person: the observation is recorded on it (logged with the actor). */
    MatchResult confirmMatch(String candidateId, String actor);

    /** The operator says it is someone else: a new person is created from the observation (logged with the actor). */
    MatchResult rejectMatch(String candidateId, String actor);

    /**
     * Purges persons who left the RSA more than the configured number of months ago (one transaction per person),
     * with the journal payloads no remaining person refers to, and the access log's rows older than its own
     * retention; keeps only anonymous counts. A run that fails midway leaves whole persons, and the next run
     * finishes its work.
     */
    Map<String, Object> purgeExpired();
}
