package fr.aisne.hub.connector.francetravail.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * France Travail answers mapped to registry attributes (names: lower-case words joined by '_'). The shapes are
 * those of the partner APIs as the double serves them (lectureOrientation: an array in snake_case; contrat-usager:
 * {@code m_contrat} with {@code m_*} fields; informations-administratives: {@code numeroFranceTravail},
 * {@code etatCivil}, {@code structureSuivi}...); a few older field names are still accepted after them. An unknown
 * field is ignored, an absent one leaves the attribute out (nothing is recorded as empty).
 */
final class FtMapping {
    /**
     * Attributes of a special category (RGPD art. 9, health: RQTH, and the orientation criteria, which carry
     * health constraints and the disabled-worker status): the registry never gives them through
     * {@code attributes.*}, only to a disclosure rule that names them.
     */
    static final String[] SPECIAL_CATEGORY = {"rqth", "rqth_date_debut", "rqth_date_fin", "orientation_criteres"};

    private FtMapping() {
    }

    /**
     * lectureOrientation: the orientation in force. France Travail answers an array (the open one, etat OUVERT,
     * is preferred; among several, the one that started last).
     */
    static Map<String, String> orientation(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode o = current(unwrap(body, "orientations", "orientation"));
        if (o == null) {
            return m;
        }
        put(m, "orientation", o, "parcours", "typeParcours", "codeParcours");
        put(m, "orientation_organisme", o, "organisme", "codeOrganisme", "organismeReferent");
        put(m, "orientation_structure", o, "structure/libelle_structure", "structure/libelle");
        put(m, "orientation_date", o, "date_entree_parcours", "decision/date_decision", "date_creation",
                "dateOrientation", "dateDecision");
        put(m, "orientation_origine", o, "origine");
        put(m, "orientation_etat", o, "etat", "etatOrientation", "statut");
        JsonNode criteria = first(o, "criteres_orientation", "criteres", "criteresOrientation");
        if (criteria != null && !criteria.isNull()) {
            String compact = criteria.isValueNode() ? criteria.asText() : criteria.toString();
            m.put("orientation_criteres", compact.length() > 2000 ? compact.substring(0, 2000) : compact);
        }
        return m;
    }

    /** contrat-usager v2 ({@code m_contrat}): the registration status at France Travail. */
    static Map<String, String> contrat(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode c = unwrap(body, "m_contrat", "contrat");
        if (c == null) {
            return m;
        }
        put(m, "ft_inscription_statut", c, "m_statut", "codeStatutInscription", "statut");
        put(m, "ft_inscription_date", c, "m_date_effet_statut", "dateInscription");
        put(m, "ft_inscription_categorie", c, "m_categ_inscription_code", "codeCategorieInscription");
        put(m, "ft_inscription_categorie_libelle", c, "m_categ_inscription_lib");
        put(m, "ft_inscription_motif", c, "m_motif_inscription_code");
        put(m, "ft_inscription_motif_libelle", c, "m_motif_inscription_lib");
        put(m, "ft_inscription_motif_cloture", c, "m_motif_cloture_code");
        put(m, "ft_inscription_duree_12_mois", c, "m_duree_inscription_12");
        return m;
    }

    /** informations-administratives v1: the person's file at France Travail (structure following them). */
    static Map<String, String> informationsAdministratives(JsonNode body) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode u = unwrap(body, "usager", "informationsAdministratives");
        if (u == null) {
            return m;
        }
        put(m, "ft_structure_code", u, "structureSuivi/codeSafir", "structureSuivi/codeAurore", "codeStructure");
        put(m, "ft_structure_libelle", u, "structureSuivi/libelle", "libelleStructure");
        put(m, "ft_date_inscription", u, "dateInscription", "dateDerniereInscription");
        put(m, "ft_modalite_accompagnement", u, "modaliteAccompagnement", "codeModaliteAccompagnement");
        put(m, "ft_conseiller", u, "conseiller/nom", "nomConseiller");
        return m;
    }

    /** The France Travail number in any answer that carries it. */
    static String numero(JsonNode body) {
        JsonNode u = unwrap(body, "usager", "informationsAdministratives");
        if (u == null) {
            return null;
        }
        JsonNode v = first(u, "numeroFranceTravail", "identifiantFranceTravail");
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

    /** The orientation in force: the object itself, or in an array the open one that started last. */
    private static JsonNode current(JsonNode node) {
        if (node == null || !node.isArray()) {
            return node != null && node.isObject() ? node : null;
        }
        JsonNode best = null;
        for (JsonNode n : node) {
            if (!n.isObject()) {
                continue;
            }
            if (best == null || rank(n).compareTo(rank(best)) > 0) {
                best = n;
            }
        }
        return best;
    }

    /** Open before closed, then the later start (ISO dates compare as text). */
    private static String rank(JsonNode o) {
        JsonNode etat = first(o, "etat", "etatOrientation");
        JsonNode start = first(o, "date_entree_parcours", "decision/date_decision", "date_creation", "dateOrientation",
                "dateDecision");
        boolean closed = etat != null && etat.asText().toUpperCase(java.util.Locale.ROOT).startsWith("CLO");
        return (closed ? "0" : "1") + (start == null ? "" : start.asText());
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
