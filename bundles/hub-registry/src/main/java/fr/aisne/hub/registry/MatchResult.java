package fr.aisne.hub.registry;

/**
 * How an observation was matched to the registry.
 *
 * @param personId    the person the observation was recorded on (CERTAIN or ABSENT: a new person), or the
 *                    candidate (PROBABLE)
 * @param candidateId for PROBABLE: the match waiting for an operator's decision
 * @param how         what decided: "nir", "identifier caf:matricule", "name and birth date"...
 */
public record MatchResult(Outcome outcome, String personId, String candidateId, String how) {

    public enum Outcome {
        /** Same NIR or same partner identifier: recorded on that person. */
        CERTAIN,
        /** Same birth date and close names but no shared identifier: waits for an operator. */
        PROBABLE,
        /** Nobody close: a new person was created. */
        ABSENT
    }
}
