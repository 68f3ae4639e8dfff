package fr.aisne.hub.registry;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.Json;

/**
 * The JSON form of a {@link PersonObservation}, for a connector whose partner sends observations ready made: the
 * connector's delivery handler validates it ({@link #validator()}) and records it through {@link PersonRegistry};
 * the source partner and exchange are the delivery's, never taken from the payload. See docs/REGISTRY.md.
 * <pre>{"nir": "...", "identifiers": {"caf:matricule": "..."}, "attributes": {"nom_naissance": "..."},
 *  "household": {"numorg": "021", "matricule": "...", "role": "DEM"}, "observedAt": "2026-..."}</pre>
 */
public final class ObservationJson {
    private static final Set<String> FIELDS = Set.of("nir", "identifiers", "attributes", "household", "observedAt");
    private static final Set<String> ROLES = Set.of("DEM", "CJT", "ENF", "AUT", "RDP", "CON");

    private ObservationJson() {
    }

    /**
     * Checks an observation before it is queued; errors name the field and the rule, never a value (nor the token
     * a JSON syntax error stopped at, nor a field name that could be one).
     */
    public static PayloadValidator validator() {
        return in -> parse(in, "validation", null, Instant.EPOCH);
    }

    public static PersonObservation parse(InputStream in, String sourcePartner, String sourceExchange, Instant now)
            throws ValidationException, IOException {
        // within the hub's JSON limits; errors never quote the token the parser stopped at (a NIR, a birth date)
        JsonNode root = Json.readPayload(in, "observation");
        if (root == null || !root.isObject()) {
            throw new ValidationException("observation must be a JSON object");
        }
        for (var it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new ValidationException("unknown field " + name(f) + "; expected " + FIELDS);
            }
        }
        String nir = text(root, "nir");
        if (nir != null) {
            try {
                Nir.canonical(nir);
            } catch (InvalidNirException e) {
                throw new ValidationException("field nir: " + e.getMessage());
            }
        }
        Map<String, String> identifiers = strings(root, "identifiers");
        for (String k : identifiers.keySet()) {
            if (!k.matches("[a-z][a-z0-9-]*:[a-z][a-z0-9-]*")) {
                throw new ValidationException("identifier keys are partner:kind, e.g. caf:matricule; got " + name(k));
            }
            if (k.equals(PersonObservation.REGISTRY_ID)) {
                // a partner's message never names a registry row: only a connector's own code may
                throw new ValidationException("identifier " + k + " is the registry's own id: a partner cannot give it");
            }
        }
        Map<String, String> attributes = strings(root, "attributes");
        for (String k : attributes.keySet()) {
            if (!k.matches("[a-z][a-z0-9_]{0,59}")) {
                throw new ValidationException("attribute names are lower-case words joined by '_'; got " + name(k));
            }
            if (k.contains("nir") || k.contains("securite_sociale")) {
                throw new ValidationException("attribute " + k + ": a NIR goes in the field nir, which is encrypted");
            }
        }
        for (String dateField : new String[] {"date_naissance", "date_sortie_rsa"}) {
            String v = attributes.get(dateField);
            if (v != null && !v.isEmpty()) {
                try {
                    LocalDate.parse(v);
                } catch (DateTimeParseException e) {
                    throw new ValidationException("attribute " + dateField + " must be a date yyyy-MM-dd");
                }
            }
        }
        PersonObservation.Household household = null;
        JsonNode h = root.get("household");
        if (h != null && !h.isNull()) {
            String numorg = text(h, "numorg");
            String matricule = text(h, "matricule");
            String role = text(h, "role");
            if (numorg == null || !numorg.matches("\\d{3}") || matricule == null || !matricule.matches("\\d{1,15}")) {
                throw new ValidationException("household needs numorg (3 digits) and matricule (up to 15 digits)");
            }
            if (role == null || !ROLES.contains(role)) {
                throw new ValidationException("household role must be one of " + ROLES);
            }
            household = new PersonObservation.Household(numorg, matricule, role);
        }
        if (nir == null && identifiers.isEmpty() && attributes.isEmpty()) {
            throw new ValidationException("observation says nothing: no nir, identifier or attribute");
        }
        Instant observedAt = now;
        String at = text(root, "observedAt");
        if (at != null) {
            try {
                observedAt = Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new ValidationException("observedAt must be an ISO-8601 instant");
            }
        }
        return new PersonObservation(sourcePartner, sourceExchange, observedAt, nir, identifiers, attributes, household);
    }

    /**
     * A field name as an error may repeat it: only a name of letters, '_', '-' and ':' (no digit, so never a NIR
     * or a date a partner put where a name goes).
     */
    private static String name(String key) {
        return key.matches("[A-Za-z_:-]{1,60}") ? key : "(a name with digits or other characters, not repeated)";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode root, String field) throws ValidationException {
        JsonNode n = root.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new ValidationException("field " + field + " must be an object of strings");
        }
        for (var it = n.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new ValidationException("field " + field + "." + name(e.getKey()) + " must be a string");
            }
            out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return out;
    }
}
