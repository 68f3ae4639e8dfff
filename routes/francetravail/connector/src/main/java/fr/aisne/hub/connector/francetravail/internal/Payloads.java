package fr.aisne.hub.connector.francetravail.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.Json;

/**
 * The JSON payloads of the connector's flows, checked when they are received (a broken one is answered 422 and
 * quarantined) and read again at delivery. Errors name the field and the rule, never a value. Payloads carry
 * registry person ids, never a NIR.
 */
final class Payloads {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final Set<String> PARCOURS = Set.of("PSP", "PSO", "PED");
    static final Set<String> ACTIONS = Set.of("create", "update", "cancel");

    private Payloads() {
    }

    /** {"personId": "...", "event"?: 12, "type"?: "..."}. */
    record PersonRequest(String personId, String batch) {
    }

    record OrientationRequest(String personId, String parcours, String origine, Agent agent) {
    }

    record RendezVousRequest(String personId, String action, String reference, String id, ObjectNode fields, Agent agent) {
    }

    static PayloadValidator identificationValidator() {
        return in -> person(read(in));
    }

    static PayloadValidator refreshValidator() {
        return in -> person(read(in));
    }

    static PayloadValidator orientationValidator() {
        return in -> orientation(read(in));
    }

    static PayloadValidator rendezVousValidator() {
        return in -> rendezVous(read(in));
    }

    static PayloadValidator batchValidator() {
        return in -> read(in);
    }

    static ObjectNode read(InputStream in) throws ValidationException, IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ValidationException("not JSON: " + e.getOriginalMessage(), at == null ? -1 : at.getLineNr(),
                    at == null ? -1 : at.getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("payload must be a JSON object");
        }
        if (root.has("nir")) {
            throw new ValidationException("field nir is not accepted: send the registry's personId; the NIR is read "
                    + "from the registry under the disclosure rules");
        }
        return (ObjectNode) root;
    }

    static PersonRequest person(ObjectNode root) throws ValidationException {
        return new PersonRequest(id(root, "personId", true), optional(root, "batch", 64));
    }

    static OrientationRequest orientation(ObjectNode root) throws ValidationException {
        String personId = id(root, "personId", true);
        String parcours = optional(root, "parcours", 3);
        if (parcours == null || !PARCOURS.contains(parcours)) {
            throw new ValidationException("field parcours must be one of PSP, PSO, PED");
        }
        String origine = optional(root, "origine", 60);
        if (origine == null) {
            throw new ValidationException("field origine is required (at most 60 characters)");
        }
        return new OrientationRequest(personId, parcours, origine, agent(root));
    }

    static RendezVousRequest rendezVous(ObjectNode root) throws ValidationException {
        String personId = id(root, "personId", true);
        String action = optional(root, "action", 10);
        if (action == null || !ACTIONS.contains(action)) {
            throw new ValidationException("field action must be one of create, update, cancel");
        }
        String reference = id(root, "reference", false);
        String id = id(root, "id", false);
        if (!"create".equals(action) && id == null && reference == null) {
            throw new ValidationException("update and cancel need the appointment's id (France Travail's) or its reference");
        }
        ObjectNode fields = root.deepCopy();
        fields.remove(java.util.List.of("personId", "action", "reference", "id", "agent"));
        if ("create".equals(action) && fields.isEmpty()) {
            throw new ValidationException("an appointment to create needs its fields (date, duration, place, subject...)");
        }
        return new RendezVousRequest(personId, action, reference, id, fields, agent(root));
    }

    /** The acting agent, when the department names one: {"agent": {"id", "nom", "prenom"}}. */
    private static Agent agent(ObjectNode root) throws ValidationException {
        JsonNode a = root.get("agent");
        if (a == null || a.isNull()) {
            return null;
        }
        if (!a.isObject()) {
            throw new ValidationException("field agent must be an object {id, nom, prenom}");
        }
        try {
            return new Agent(text(a, "id", 64), text(a, "nom", 100), text(a, "prenom", 100));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("field agent needs id, nom and prenom, each 1 to 100 characters of plain "
                    + "ASCII (no accents: they travel to France Travail as HTTP headers)");
        }
    }

    private static String text(JsonNode n, String field, int max) throws ValidationException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode() || v.asText().length() > max) {
            throw new ValidationException("field agent." + field + " must be a string of at most " + max + " characters");
        }
        return v.asText().trim();
    }

    private static String id(ObjectNode root, String field, boolean required) throws ValidationException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ValidationException("field " + field + " is required");
            }
            return null;
        }
        if (!v.isValueNode() || !ID.matcher(v.asText()).matches()) {
            throw new ValidationException("field " + field + " must be an id of 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        return v.asText();
    }

    private static String optional(ObjectNode root, String field, int max) throws ValidationException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank() || v.asText().length() > max) {
            throw new ValidationException("field " + field + " must be a non-empty string of at most " + max + " characters");
        }
        return v.asText().trim();
    }
}
