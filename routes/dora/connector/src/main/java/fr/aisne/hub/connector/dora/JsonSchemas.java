package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;

/**
 * The JSON Schema library (networknt json-schema-validator, embedded in the bundle) as the connector uses it: draft
 * 2020-12 (pydantic writes {@code $defs}; the schema files carry no {@code $schema}), formats asserted ({@code date},
 * {@code email}, {@code uri}: 2020-12 only annotates them otherwise), English messages, and the problems reduced to
 * one per place. The library finds its meta-schemas and messages through the thread context class loader: inside
 * OSGi it must be this bundle's while schemas are built and run.
 */
final class JsonSchemas {
    /** Keywords, most telling first: the type of a value says more than the enumeration it is not in. */
    private static final List<String> PRIORITY = List.of("required", "additionalProperties", "type", "format",
            "minLength", "maxLength", "pattern", "enum", "minItems", "maxItems", "uniqueItems", "minimum", "maximum");
    /** Longest message kept (an enumeration of 75 thematiques is not a reason). */
    private static final int MESSAGE_MAX = 160;

    private JsonSchemas() {
    }

    static JsonNode resource(String name) {
        try (InputStream in = JsonSchemas.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the bundle");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("resource " + name + " is not JSON", e);
        }
    }

    static JsonSchema compile(JsonNode schema) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH).pathType(PathType.JSON_PATH).build();
        return withBundleLoader(() -> {
            JsonSchema s = factory.getSchema(schema, config);
            s.initializeValidators();
            return s;
        });
    }

    /**
     * The problems of {@code node}, one per place: the top-level field only (an item of data·inclusion), or the
     * whole path ({@code actions[2].publics[0]}: the department's offer).
     */
    static List<Problem> validate(JsonSchema schema, JsonNode node, boolean topLevelFieldOnly) {
        Set<ValidationMessage> messages = withBundleLoader(() -> schema.validate(node));
        Map<String, List<ValidationMessage>> byPlace = new LinkedHashMap<>();
        List<ValidationMessage> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing((ValidationMessage m) -> place(m, false))
                .thenComparing(m -> String.valueOf(m.getType())).thenComparing(ValidationMessage::getMessage));
        for (ValidationMessage m : sorted) {
            byPlace.computeIfAbsent(place(m, topLevelFieldOnly), k -> new ArrayList<>()).add(m);
        }
        List<Problem> problems = new ArrayList<>();
        byPlace.forEach((place, list) -> {
            // optional fields are anyOf [<type>, null]: "null expected" and the anyOf summary say nothing useful
            List<ValidationMessage> telling = list.stream().filter(m -> !isNullBranch(m) && !"anyOf".equals(m.getType()))
                    .toList();
            List<ValidationMessage> kept = new ArrayList<>(telling.isEmpty() ? list : telling);
            kept.sort(Comparator.comparingInt(m -> rank(m.getType())));
            Set<String> texts = new LinkedHashSet<>();
            kept.forEach(m -> texts.add(text(m)));
            problems.add(new Problem(place, "schema:" + kept.get(0).getType(), String.join("; ", texts)));
        });
        return problems;
    }

    static <T> T withBundleLoader(Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(JsonSchemas.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static int rank(String type) {
        int i = PRIORITY.indexOf(type);
        return i < 0 ? PRIORITY.size() : i;
    }

    /**
     * The message without its leading path (the problem names the place) and without long enumerations; a quoted
     * name (an unknown property: the partner's) kept only when it looks like a name ({@link Redaction#name}).
     */
    private static String text(ValidationMessage m) {
        String s = m.getMessage();
        int colon = s.indexOf(": ");
        if (colon >= 0 && s.startsWith("$")) {
            s = s.substring(colon + 2);
        }
        s = Redaction.quotedNames(s);
        if (s.length() > MESSAGE_MAX) {
            int bracket = s.indexOf('[');
            s = (bracket > 0 ? s.substring(0, bracket) + "[...]" : s.substring(0, MESSAGE_MAX) + "…");
        }
        return s;
    }

    private static boolean isNullBranch(ValidationMessage m) {
        Object[] args = m.getArguments();
        return "type".equals(m.getType()) && args != null && args.length >= 2 && "null".equals(String.valueOf(args[1]));
    }

    /**
     * Where a message points: its instance location, with the missing or extra property for {@code required} and
     * {@code additionalProperties} (reported on the parent object); "(item)" for the root.
     */
    private static String place(ValidationMessage m, boolean topLevelFieldOnly) {
        JsonNodePath at = m.getInstanceLocation();
        List<Object> parts = new ArrayList<>();
        if (at != null) {
            for (int i = 0; i < at.getNameCount(); i++) {
                parts.add(at.getElement(i));
            }
        }
        if (("required".equals(m.getType()) || "additionalProperties".equals(m.getType())) && m.getProperty() != null) {
            parts.add(m.getProperty());
        }
        if (parts.isEmpty()) {
            return "(item)";
        }
        if (topLevelFieldOnly) {
            Object field = parts.get(0);
            return field instanceof Integer ? String.valueOf(field) : Redaction.name(String.valueOf(field));
        }
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Integer) {
                sb.append('[').append(p).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(Redaction.name(String.valueOf(p)));
            }
        }
        return sb.toString();
    }
}
