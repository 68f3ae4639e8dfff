package fr.aisne.hub.doubles.dora;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

/**
 * Validates one structure or service as data·inclusion does: the JSON Schema of schema v1 (formats asserted:
 * {@code date}, {@code email}, {@code uri}), then the rules its reference validator (pydantic) adds and the JSON
 * Schema cannot say:
 * <ul>
 * <li>{@code tous-publics} cannot be combined with another public (rule {@value #TOUS_PUBLICS});</li>
 * <li>{@code date_maj} between 2000-01-01 and today (rule {@value #DATE_MAJ});</li>
 * <li>{@code nom} of 3 to 150 characters (rule {@value #NOM_LENGTH}, when the schema has not already said so);</li>
 * <li>a {@code nom} ending with "." (but not "etc.") is only a warning (rule {@value #NOM_PERIOD}).</li>
 * </ul>
 * Fields the schema does not know are ignored, as data·inclusion ignores them. Thread-safe.
 */
final class SchemaCheck {
    static final String TOUS_PUBLICS = "tous-publics-alone";
    static final String DATE_MAJ = "date_maj-range";
    static final String NOM_LENGTH = "nom-length";
    static final String NOM_PERIOD = "nom-final-period";
    static final LocalDate MIN_DATE_MAJ = LocalDate.of(2000, 1, 1);

    enum Kind {
        STRUCTURE("structure"), SERVICE("service");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One problem: the item's top-level field, the rule ({@code schema:<keyword>} or one of the rules above), why. */
    record Problem(String field, String rule, String message) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", field);
            m.put("rule", rule);
            m.put("message", message);
            return m;
        }
    }

    /** Errors reject the item; warnings do not. */
    record Outcome(List<Problem> errors, List<Problem> warnings) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private final JsonSchema structureSchema;
    private final JsonSchema serviceSchema;

    SchemaCheck(Vocabulary vocabulary) {
        // Pydantic writes $defs, the 2020-12 keyword; the schema files carry no $schema
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH).pathType(PathType.JSON_POINTER).build();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // The validator looks its resources up through the context class loader: make it this bundle's
        Thread.currentThread().setContextClassLoader(SchemaCheck.class.getClassLoader());
        try {
            structureSchema = factory.getSchema(vocabulary.structureSchema, config);
            serviceSchema = factory.getSchema(vocabulary.serviceSchema, config);
            structureSchema.initializeValidators();
            serviceSchema.initializeValidators();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    Outcome check(Kind kind, JsonNode item, LocalDate today) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        if (item == null || !item.isObject()) {
            errors.add(new Problem("(item)", "schema:type", "a JSON object is expected"));
            return new Outcome(errors, warnings);
        }
        Set<ValidationMessage> messages;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SchemaCheck.class.getClassLoader());
        try {
            messages = (kind == Kind.STRUCTURE ? structureSchema : serviceSchema).validate(item);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        errors.addAll(schemaProblems(messages));
        Set<String> flagged = new LinkedHashSet<>();
        errors.forEach(p -> flagged.add(p.field()));

        String noun = kind == Kind.STRUCTURE ? "de la structure" : "du service";
        JsonNode nom = item.get("nom");
        if (nom != null && nom.isTextual()) {
            String s = nom.asText();
            int length = s.codePointCount(0, s.length());
            if (!flagged.contains("nom") && (length < 3 || length > 150)) {
                errors.add(new Problem("nom", NOM_LENGTH, "Le nom " + noun
                        + " doit comporter entre 3 et 150 caractères (" + length + ")."));
            }
            if (s.endsWith(".") && !s.endsWith("etc.")) {
                warnings.add(new Problem("nom", NOM_PERIOD, "Le nom " + noun + " ne doit pas se terminer par un point."));
            }
        }
        JsonNode date = item.get("date_maj");
        if (date != null && date.isTextual() && !flagged.contains("date_maj")) {
            try {
                LocalDate d = LocalDate.parse(date.asText());
                if (d.isBefore(MIN_DATE_MAJ)) {
                    errors.add(new Problem("date_maj", DATE_MAJ, "La date de dernière modification doit être au 21e siècle."));
                } else if (d.isAfter(today)) {
                    errors.add(new Problem("date_maj", DATE_MAJ,
                            "La date de dernière modification ne peut pas être dans le futur."));
                }
            } catch (DateTimeParseException e) {
                // the schema's format check has said it
            }
        }
        JsonNode publics = item.get("publics");
        if (kind == Kind.SERVICE && publics != null && publics.isArray() && publics.size() > 1
                && !flagged.contains("publics")) {
            for (JsonNode p : publics) {
                if ("tous-publics".equals(p.asText())) {
                    errors.add(new Problem("publics", TOUS_PUBLICS,
                            "`tous-publics` ne peut pas être utilisé avec d’autres valeurs."));
                    break;
                }
            }
        }
        return new Outcome(errors, warnings);
    }

    /**
     * One problem per field. The schema's optional fields are {@code anyOf [<type>, null]}: the validator reports
     * each branch, so "null expected" and the anyOf summary are dropped when a more telling message remains.
     */
    private static List<Problem> schemaProblems(Set<ValidationMessage> messages) {
        Map<String, List<ValidationMessage>> byField = new LinkedHashMap<>();
        List<ValidationMessage> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(m -> String.valueOf(m.getType())).thenComparing(ValidationMessage::getMessage));
        for (ValidationMessage m : sorted) {
            byField.computeIfAbsent(field(m), k -> new ArrayList<>()).add(m);
        }
        List<Problem> problems = new ArrayList<>();
        byField.forEach((field, list) -> {
            List<ValidationMessage> telling = list.stream().filter(m -> !isNullBranch(m) && !"anyOf".equals(m.getType()))
                    .toList();
            List<ValidationMessage> kept = new ArrayList<>(telling.isEmpty() ? list : telling);
            // the type of a value tells more than the enumeration it is not in
            kept.sort(Comparator.comparingInt(m -> PRIORITY.indexOf(m.getType()) < 0 ? PRIORITY.size()
                    : PRIORITY.indexOf(m.getType())));
            Set<String> texts = new LinkedHashSet<>();
            kept.forEach(m -> texts.add(m.getMessage().startsWith(": ") ? m.getMessage().substring(2) : m.getMessage()));
            problems.add(new Problem(field, "schema:" + kept.get(0).getType(), String.join("; ", texts)));
        });
        return problems;
    }

    private static final List<String> PRIORITY = List.of("required", "type", "format", "minLength", "maxLength",
            "pattern", "enum");

    private static boolean isNullBranch(ValidationMessage m) {
        Object[] args = m.getArguments();
        return "type".equals(m.getType()) && args != null && args.length >= 2 && "null".equals(String.valueOf(args[1]));
    }

    /** The top-level field a message is about: where it points, or the missing property of a "required". */
    private static String field(ValidationMessage m) {
        if (m.getInstanceLocation() != null && m.getInstanceLocation().getNameCount() > 0) {
            return m.getInstanceLocation().getName(0);
        }
        return m.getProperty() != null ? m.getProperty() : "(item)";
    }
}
