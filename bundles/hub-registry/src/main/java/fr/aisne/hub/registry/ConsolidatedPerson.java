package fr.aisne.hub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A person as the registry sees it: each value with where it comes from, and what other sources say. */
public record ConsolidatedPerson(String id, boolean hasNir, String nirMasked, Provenance nirSource,
        Map<String, Attribute> attributes, List<Identifier> identifiers, List<Membership> households) {

    /** Who told us, in which journaled exchange, when. */
    public record Provenance(String partner, String exchangeId, Instant observedAt) {
    }

    /** The value retained, and the differing values other sources hold (kept, not overwritten). */
    public record Attribute(String value, Provenance source, List<Conflict> conflicts) {
    }

    public record Conflict(String value, Provenance source) {
    }

    public record Identifier(String partner, String kind, String value, Provenance source) {
    }

    public record Membership(String numorg, String matricule, String role, Provenance source) {
    }
}
