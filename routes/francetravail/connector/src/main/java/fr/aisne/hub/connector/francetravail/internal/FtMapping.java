package fr.aisne.hub.connector.francetravail.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * France Travail answers mapped to registry attributes (names: lower-case words joined by '_'). The published
 * shapes vary between API versions, so each attribute is taken from the first of a few known field names; an
 * unknown field is ignored, an absent one leaves the attribute out (nothing is recorded as empty).
 */
final class FtMapping {
    /** Attributes of a special category (health: RQTH), to be masked wherever persons are shown. */
    static final String[] SPECIAL_CATEGORY = {"rqth", "rqth_date_debut", "rqth_date_fin"};

    private FtMapping() {
    }

    /** lectureOrientation: the orientation in force (the newest when a list is answered). */
    static Map<String, String> orientation(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode o = newest(unwrap(body, "orientations", "orientation"), "dateOrientation", "dateDecision", "date");
        if (o == null) {
            return m;
        }
        put(m, "orientation", o, "parcours", "typeParcours", "codeParcours", "orientation", "dispositif");
        put(m, "orientation_organisme", o, "organisme", "codeOrganisme", "structure", "organismeReferent");
        put(m, "orientation_date", o, "dateOrientation", "dateDecision", "date", "dateCreation");
        put(m, "orientation_origine", o, "origine");
        put(m, "orientation_etat", o, "etatOrientation", "etat", "statut");
        JsonNode criteria = first(o, "criteres", "criteria", "criteresOrientation");
        if (criteria != null && !criteria.isNull()) {
            String compact = criteria.isValueNode() ? criteria.asText() : criteria.toString();
            m.put("orientation_criteres", compact.length() > 2000 ? compact.substring(0, 2000) : compact);
        }
        return m;
    }

    /** contrat-usager v2: the registration status at France Travail. */
    static Map<String, String> contrat(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode c = unwrap(body, "contrat", "contrats");
        if (c == null) {
            return m;
        }
        put(m, "ft_inscription_statut", c, "codeStatutInscription", "statutInscription", "statut", "codeStatut", "etat");
        put(m, "ft_inscription_libelle", c, "libelleStatutInscription", "libelleStatut", "libelle");
        put(m, "ft_inscription_categorie", c, "codeCategorieInscription", "categorieInscription", "categorie");
        put(m, "ft_inscription_date", c, "dateInscription", "dateDebut", "dateDebutInscription");
        put(m, "ft_inscription_date_fin", c, "dateCessationInscription", "dateFin", "dateFinInscription");
        put(m, "ft_contrat_type", c, "typeContrat", "codeTypeContrat", "type");
        return m;
    }

    /** informations-administratives v1: the person's file at France Travail (structure, follow-up). */
    static Map<String, String> informationsAdministratives(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode u = unwrap(body, "usager", "informationsAdministratives");
        if (u == null) {
            return m;
        }
        put(m, "ft_structure_code", u, "codeStructure", "codeStructureAccompagnement", "structure/code", "codeAgence",
                "agence/code");
        put(m, "ft_structure_libelle", u, "libelleStructure", "structure/libelle", "libelleAgence", "agence/libelle");
        put(m, "ft_modalite_accompagnement", u, "modaliteAccompagnement", "codeModaliteAccompagnement",
                "modalite/code", "accompagnement/modalite");
        put(m, "ft_conseiller", u, "conseiller/nom", "nomConseiller", "referent/nom");
        put(m, "ft_date_inscription", u, "dateInscription", "dateDerniereInscription");
        return m;
    }

    /** The France Travail number in any answer that carries it. */
    static String numero(JsonNode body) {
        JsonNode u = unwrap(body, "usager", "informationsAdministratives");
        if (u == null) {
            return null;
        }
        JsonNode v = first(u, "numeroFranceTravail", "identifiantFranceTravail", "numeroFT", "identifiant");
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    /** donnees-rqth v1: special category (health). Values: rqth = oui|non, with the validity dates. */
    static Map<String, String> rqth(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode r = unwrap(body, "rqth");
        if (r == null) {
            return m;
        }
        JsonNode valid = first(r, "topValiditeRQTH", "topValiditeRqth", "rqth", "valide");
        if (valid != null && !valid.isNull()) {
            boolean yes = valid.isBoolean() ? valid.asBoolean()
                    : valid.asText().trim().toLowerCase(java.util.Locale.ROOT).matches("o|oui|true|1|y|yes");
            m.put("rqth", yes ? "oui" : "non");
            if (yes) {
                put(m, "rqth_date_debut", r, "dateDebutRqth", "dateDebutRQTH", "dateDebut");
                JsonNode end = first(r, "dateFinRqth", "dateFinRQTH", "dateFin");
                if (end != null && !end.isNull() && !end.asText().startsWith("9999")) {
                    m.put("rqth_date_fin", end.asText());
                }
            }
        }
        return m;
    }

    private static JsonNode unwrap(JsonNode body, String... wrappers) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        for (String w : wrappers) {
            if (body.isObject() && body.has(w) && (body.get(w).isObject() || body.get(w).isArray())) {
                return body.get(w);
            }
        }
        return body;
    }

    private static JsonNode newest(JsonNode node, String... dateFields) {
        if (node == null || !node.isArray()) {
            return node != null && node.isObject() ? node : null;
        }
        JsonNode best = null;
        String bestDate = null;
        for (JsonNode n : node) {
            JsonNode d = first(n, dateFields);
            String date = d == null ? "" : d.asText();
            if (best == null || (bestDate != null && date.compareTo(bestDate) > 0)) {
                best = n;
                bestDate = date;
            }
        }
        return best;
    }

    private static JsonNode first(JsonNode node, String... paths) {
        if (node == null) {
            return null;
        }
        for (String p : paths) {
            JsonNode v = node.at("/" + p);
            if (!v.isMissingNode() && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    private static void put(Map<String, String> m, String attribute, JsonNode node, String... paths) {
        JsonNode v = first(node, paths);
        if (v != null && v.isValueNode() && !v.asText().isBlank()) {
            m.put(attribute, v.asText().trim());
        } else if (v != null && v.isObject() && v.has("code")) {
            m.put(attribute, v.get("code").asText());
        }
    }
}
