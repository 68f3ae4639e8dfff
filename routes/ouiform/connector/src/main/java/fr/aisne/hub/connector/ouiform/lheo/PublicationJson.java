package fr.aisne.hub.connector.ouiform.lheo;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.ouiform.contract.CodeErreur;

/**
 * Reads the JSON mapping of a publication ({@code PublicationSessions} of the OpenAPI: the REST binding of
 * publierSessions with {@code Content-Type: application/json}) into the same {@link LheoSession}s as an LHEO
 * document, streaming over its formations (one formation held at a time). Checked as the OpenAPI says: required
 * fields, patterns and lengths, no unknown field; LHEO dates and prices keep their LHEO form (sentinels, decimal
 * comma).
 */
public final class PublicationJson {
    private static final Pattern IDENTIFIANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}");
    private static final Pattern LHEO_DATE = Pattern.compile("[0-9]{4}[019][0-9][01239][0-9]");
    private static final Pattern SIRET = Pattern.compile("[0-9]{14}");
    private static final Pattern CODE_POSTAL = Pattern.compile("[0-9]{5}");
    private static final Pattern CODE_INSEE = Pattern.compile("[0-9]{5}|2[AB][0-9]{3}");
    private static final Set<String> TOP = Set.of("idPublication", "dateExtraction", "complet", "formations");
    private static final Set<String> FORMATION = Set.of("numero", "intitule", "organismeResponsable", "actions");
    private static final Set<String> ORGANISME = Set.of("siret", "raisonSociale");
    private static final Set<String> ACTION = Set.of("numero", "lieuPrincipal", "dureeHebdo", "nombreHeuresTotal",
            "prixTotalTTC", "sessions");
    private static final Set<String> LIEU = Set.of("codePostal", "ville", "codeInsee");
    private static final Set<String> SESSION = Set.of("numero", "debut", "fin", "etatRecrutement");

    /** The publication's own fields and what it held. */
    public record Publication(String idPublication, String dateExtraction, boolean complet, LheoReader.Summary summary) {
    }

    private PublicationJson() {
    }

    /** Reads the whole publication, handing each session to {@code sink} formation by formation. */
    public static Publication read(InputStream in, Consumer<LheoSession> sink) throws LheoException, IOException {
        String id = null;
        String extraction = null;
        Boolean complet = null;
        boolean formationsSeen = false;
        long[] counts = new long[3];
        Map<String, Long> warnings = new TreeMap<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw refused("a PublicationSessions object is expected", p);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!TOP.contains(name)) {
                    throw refused("unknown field " + Redaction.name(name), p);
                }
                switch (name) {
                    case "idPublication" -> id = text(p, t, name, IDENTIFIANT);
                    case "dateExtraction" -> extraction = text(p, t, name, null);
                    case "complet" -> {
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                            throw refused("complet must be true or false", p);
                        }
                        complet = t == JsonToken.VALUE_TRUE;
                    }
                    default -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw refused("formations must be an array", p);
                        }
                        formationsSeen = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode f = Json.MAPPER.readTree(p);
                            formation(f, sink, counts, warnings, p);
                        }
                    }
                }
            }
        } catch (java.io.CharConversionException e) {
            // Jackson's undecodable bytes (a cut or impossible UTF-32 character) are an IOException: the body's fault
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, "not JSON text in UTF-8", -1, -1);
        } catch (JsonProcessingException e) {
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, "not JSON: " + e.getOriginalMessage().replaceAll(
                    "'[^']*'", "'…'"), e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? -1 : e.getLocation().getColumnNr());
        }
        if (id == null || extraction == null || complet == null || !formationsSeen) {
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, "idPublication, dateExtraction, complet and formations "
                    + "are required", -1, -1);
        }
        return new Publication(id, extraction, complet, new LheoReader.Summary(counts[0], counts[1], counts[2],
                Map.copyOf(warnings)));
    }

    private static void formation(JsonNode f, Consumer<LheoSession> sink, long[] counts, Map<String, Long> warnings,
            JsonParser p) throws LheoException {
        String where = "formations[" + counts[0] + "]";
        only(f, FORMATION, where, p);
        String numero = required(f, "numero", where, null, 0, p);
        String intitule = LheoText.plain(required(f, "intitule", where, null, 255, p), 255);
        JsonNode org = object(f, "organismeResponsable", where, true, p);
        only(org, ORGANISME, where + ".organismeResponsable", p);
        String siret = required(org, "siret", where + ".organismeResponsable", SIRET, 0, p);
        String raison = LheoText.plain(required(org, "raisonSociale", where + ".organismeResponsable", null, 250, p), 250);
        JsonNode actions = f.get("actions");
        if (actions == null || !actions.isArray() || actions.isEmpty()) {
            throw refused(where + ".actions: at least one action is required", p);
        }
        int ai = 0;
        for (JsonNode a : actions) {
            String aw = where + ".actions[" + ai++ + "]";
            only(a, ACTION, aw, p);
            String actionNumero = required(a, "numero", aw, null, 0, p);
            JsonNode lieuNode = object(a, "lieuPrincipal", aw, false, p);
            LheoSession.Lieu lieu = null;
            if (lieuNode != null) {
                only(lieuNode, LIEU, aw + ".lieuPrincipal", p);
                lieu = new LheoSession.Lieu(required(lieuNode, "codePostal", aw + ".lieuPrincipal", CODE_POSTAL, 0, p),
                        required(lieuNode, "ville", aw + ".lieuPrincipal", null, 50, p),
                        optional(lieuNode, "codeInsee", aw + ".lieuPrincipal", CODE_INSEE, 0, p));
            }
            String hebdoText = optional(a, "dureeHebdo", aw, null, 10, p);
            String prixText = optional(a, "prixTotalTTC", aw, null, 10, p);
            Integer heures = null;
            if (a.has("nombreHeuresTotal")) {
                JsonNode h = a.get("nombreHeuresTotal");
                if (!h.canConvertToInt() || !h.isIntegralNumber() || h.asInt() < 0) {
                    throw refused(aw + ".nombreHeuresTotal must be a whole number of hours", p);
                }
                heures = h.asInt();
            }
            BigDecimal prix = decimal(prixText, "prixTotalTTC is not a number (kept as written)", warnings);
            BigDecimal hebdo = decimal(hebdoText, "dureeHebdo is not a number of hours", warnings);
            JsonNode sessions = a.get("sessions");
            if (sessions == null || !sessions.isArray() || sessions.isEmpty()) {
                throw refused(aw + ".sessions: at least one session is required", p);
            }
            int si = 0;
            for (JsonNode s : sessions) {
                String sw = aw + ".sessions[" + si++ + "]";
                only(s, SESSION, sw, p);
                String sn = required(s, "numero", sw, IDENTIFIANT, 0, p);
                LheoDate debut = date(required(s, "debut", sw, LHEO_DATE, 0, p), "debut", warnings);
                LheoDate fin = date(required(s, "fin", sw, LHEO_DATE, 0, p), "fin", warnings);
                String etat = optional(s, "etatRecrutement", sw, Pattern.compile("[123]"), 0, p);
                sink.accept(new LheoSession(sn, actionNumero, numero, intitule, null, null, null, false, siret, raison,
                        lieu, debut, fin, etat == null ? null : Integer.valueOf(etat), prix, prixText, hebdo, heures,
                        null));
                counts[2]++;
            }
            counts[1]++;
        }
        counts[0]++;
    }

    private static LheoDate date(String raw, String field, Map<String, Long> warnings) {
        try {
            return LheoDate.parse(raw);
        } catch (IllegalArgumentException e) {
            warnings.merge("session " + field + " is not a calendar date", 1L, Long::sum);
            return null;
        }
    }

    private static BigDecimal decimal(String raw, String warning, Map<String, Long> warnings) {
        try {
            return LheoText.decimal(raw);
        } catch (IllegalArgumentException e) {
            warnings.merge(warning, 1L, Long::sum);
            return null;
        }
    }

    private static void only(JsonNode node, Set<String> allowed, String where, JsonParser p) throws LheoException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String n = it.next();
            if (!allowed.contains(n)) {
                throw refused(where + ": unknown field " + Redaction.name(n), p);
            }
        }
    }

    private static JsonNode object(JsonNode parent, String name, String where, boolean required, JsonParser p)
            throws LheoException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw refused(where + "." + name + " is required", p);
            }
            return null;
        }
        if (!n.isObject()) {
            throw refused(where + "." + name + " must be an object", p);
        }
        return n;
    }

    private static String required(JsonNode parent, String name, String where, Pattern pattern, int maxLength,
            JsonParser p) throws LheoException {
        String v = optional(parent, name, where, pattern, maxLength, p);
        if (v == null) {
            throw refused(where + "." + name + " is required", p);
        }
        return v;
    }

    private static String optional(JsonNode parent, String name, String where, Pattern pattern, int maxLength,
            JsonParser p) throws LheoException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw refused(where + "." + name + " must be a string", p);
        }
        String v = n.asText();
        if (pattern != null && !pattern.matcher(v).matches() || maxLength > 0 && v.length() > maxLength
                || v.isEmpty()) {
            throw refused(where + "." + name + " does not follow the contract"
                    + (pattern != null ? " (pattern " + pattern.pattern() + ")" : maxLength > 0 ? " (at most "
                            + maxLength + " characters)" : ""), p);
        }
        return v;
    }

    private static String text(JsonParser p, JsonToken t, String name, Pattern pattern) throws IOException, LheoException {
        if (t != JsonToken.VALUE_STRING || pattern != null && !pattern.matcher(p.getText()).matches()) {
            throw refused(name + " does not follow the contract", p);
        }
        return p.getText();
    }

    private static LheoException refused(String rule, JsonParser p) {
        var loc = p.currentLocation();
        return new LheoException(CodeErreur.REQUETE_INVALIDE, rule, loc == null ? -1 : loc.getLineNr(),
                loc == null ? -1 : loc.getColumnNr());
    }
}
