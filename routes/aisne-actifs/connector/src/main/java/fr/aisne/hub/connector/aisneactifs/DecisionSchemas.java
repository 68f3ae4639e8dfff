package fr.aisne.hub.connector.aisneactifs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.ValidationException;

/**
 * The JSON Schemas (draft 2020-12) of contract v1, one per decision, read from the bundle (copied at build time from
 * docs/contracts/aisne-actifs/v1/schemas, the one source) and checked with networknt json-schema-validator 1.5.9,
 * formats asserted (a date is a date). A refusal names the decision, the field (JSON pointer) and the rule, never a
 * value the platform sent.
 */
final class DecisionSchemas {
    private final Map<Decision, JsonSchema> schemas = new EnumMap<>(Decision.class);
    private final JsonSchema event;

    DecisionSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH).pathType(PathType.JSON_POINTER).build();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // the validator finds its meta-schemas and messages through the context class loader: this bundle's
        Thread.currentThread().setContextClassLoader(DecisionSchemas.class.getClassLoader());
        try {
            for (Decision d : Decision.values()) {
                JsonSchema s = factory.getSchema(read(d.schemaResource()), config);
                s.initializeValidators();
                schemas.put(d, s);
            }
            event = factory.getSchema(read("schemas/evenement.schema.json"), config);
            event.initializeValidators();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The flow's validator: the payload read within the hub's JSON limits, then checked against its schema. */
    PayloadValidator validator(Decision d) {
        return in -> check(d.path, schemas.get(d), Json.readPayload(in, "the " + d.path + " decision"));
    }

    /** Checks a decision already read; throws with the first problems found. */
    void check(Decision d, JsonNode decision) throws ValidationException {
        check(d.path, schemas.get(d), decision);
    }

    /** Checks a webhook event against the contract (the hub's own output, in the tests). */
    void checkEvent(JsonNode e) throws ValidationException {
        check("evenement", event, e);
    }

    private static void check(String what, JsonSchema schema, JsonNode node) throws ValidationException {
        Set<ValidationMessage> messages;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(DecisionSchemas.class.getClassLoader());
        try {
            messages = schema.validate(node);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        if (!messages.isEmpty()) {
            List<String> texts = messages.stream()
                    .sorted(Comparator.comparing((ValidationMessage m) -> String.valueOf(m.getInstanceLocation()))
                            .thenComparing(m -> String.valueOf(m.getType())))
                    .limit(5).map(DecisionSchemas::describe).toList();
            throw new ValidationException("the " + what + " decision does not follow its schema (contract v1): "
                    + String.join("; ", texts) + (messages.size() > 5 ? "; and " + (messages.size() - 5) + " more" : ""));
        }
    }

    /** "field /parcours: enum (does not have a value in the enumeration ...)", long digit runs masked. */
    static String describe(ValidationMessage m) {
        // the pointer's names and the message's quoted names are the platform's when they name an unknown property:
        // repeated only in the shape of a name (a date glued into one was repeated: found by benchmarks/fuzz)
        StringBuilder where = new StringBuilder();
        for (String part : String.valueOf(m.getInstanceLocation()).split("/", -1)) {
            if (!part.isEmpty()) {
                where.append('/').append(part.matches("\\d{1,6}") ? part : Redaction.name(part));
            }
        }
        String text = m.getMessage() == null ? "" : m.getMessage();
        int colon = text.indexOf(": ");
        if (colon >= 0 && colon < 80) {
            text = text.substring(colon + 2);
        }
        text = Redaction.quotedNames(text);
        String field = "field " + (where.length() == 0 ? "/" : where);
        return (field + ": " + m.getType() + " (" + text + ")").replaceAll("\\d{5,}", "…");
    }

    private static JsonNode read(String resource) {
        try (InputStream in = DecisionSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " missing from the bundle");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
