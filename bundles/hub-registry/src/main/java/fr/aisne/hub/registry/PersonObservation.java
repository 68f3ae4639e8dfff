package fr.aisne.hub.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What one partner told us about one person, in one message: the unit the registry records, each value
 * with its provenance (source partner, source exchange in the journal, date observed).
 *
 * @param nir          as received (13 or 15 characters), or null
 * @param identifiers  identifiers at partners, keyed "partner:kind", e.g. "caf:matricule",
 *                     "france-travail:numero"
 * @param attributes   named values (nom_naissance, nom_usage, prenom, date_naissance as yyyy-MM-dd, sexe,
 *                     soumis_droits_devoirs, etat_dossier_rsa, date_sortie_rsa, telephone, email...)
 * @param household    the CAF household and the person's role in it, or null
 */
public record PersonObservation(String sourcePartner, String sourceExchange, Instant observedAt, String nir,
        Map<String, String> identifiers, Map<String, String> attributes, Household household) {

    /**
     * Identifier key naming the registry's own person id ({@code identifiers.put(REGISTRY_ID, personId)}): the
     * observation is recorded on that person (CERTAIN, "identifier hub:personne") when it exists. Never recorded as
     * an identifier. For what the department decides about a person it already knows (the Aisne-actifs.com
     * connector); a connector checks the person exists first, as an unknown id places nothing and falls back to
     * the other keys.
     */
    public static final String REGISTRY_ID = "hub:personne";

    public PersonObservation {
        Objects.requireNonNull(sourcePartner, "sourcePartner");
        Objects.requireNonNull(observedAt, "observedAt");
        identifiers = identifiers == null ? Map.of() : Map.copyOf(identifiers);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** A CAF household (NUMORG + MATRICULE) and the person's role: DEM, CJT, ENF... */
    public record Household(String numorg, String matricule, String role) {
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
