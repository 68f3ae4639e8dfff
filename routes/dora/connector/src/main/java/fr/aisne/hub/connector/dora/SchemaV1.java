package fr.aisne.hub.connector.dora;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;

import fr.aisne.hub.api.Json;

/**
 * An item of data·inclusion schema v1.0.8 (a structure or a service), checked as data·inclusion's reference
 * validator checks it: the JSON Schema of v1 (embedded copy of {@code shared/specs/dora-data-inclusion/schemas/v1}),
 * then the rules the JSON Schema does not express:
 * <ul>
 * <li>{@value #TOUS_PUBLICS}: {@code tous-publics} cannot be combined with another public;</li>
 * <li>{@value #DATE_MAJ}: {@code date_maj} between 2000-01-01 and today (Europe/Paris);</li>
 * <li>{@value #NOM_LENGTH}: {@code nom} of 3 to 150 characters, counted in code points (when the schema's
 * minLength/maxLength have not already said so);</li>
 * <li>{@value #NOM_PERIOD}: a {@code nom} ending with "." (but not "etc.") is a <b>warning</b>, the item is kept.</li>
 * </ul>
 * An item that fails and carries fields of the older v0 shape ({@code presentation_resume}, {@code typologie},
 * {@code profils}...) gets one more problem, {@value #V0_SHAPE}, saying so. Fields the schema does not know are
 * otherwise ignored, never an error. Thread-safe.
 */
final class SchemaV1 {
    static final String TOUS_PUBLICS = "tous-publics-alone";
    static final String DATE_MAJ = "date_maj-range";
    static final String NOM_LENGTH = "nom-length";
    static final String NOM_PERIOD = "nom-final-period";
    static final String V0_SHAPE = "v0-shape";
    static final LocalDate MIN_DATE_MAJ = LocalDate.of(2000, 1, 1);
    /** Fields that only the v0 schema had: their presence in an invalid item tells why it fails. */
    static final Set<String> V0_FIELDS = Set.of("presentation_resume", "presentation_detail", "typologie",
            "labels_nationaux", "labels_autres", "types", "profils", "profils_precisions", "pre_requis", "justificatifs",
            "modes_orientation_accompagnateur", "modes_orientation_beneficiaire", "zone_diffusion_type",
            "zone_diffusion_code", "zone_diffusion_nom", "date_creation", "date_suspension", "recurrence", "cumulable",
            "contact_public", "prise_rdv", "formulaire_en_ligne", "page_web", "frais_autres", "antenne", "rna");

    enum Kind {
        STRUCTURE("structure", "structures"), SERVICE("service", "services");

        final String label;
        final String collection;

        Kind(String label, String collection) {
            this.label = label;
            this.collection = collection;
        }

        static Kind ofCollection(String collection) {
            for (Kind k : values()) {
                if (k.collection.equals(collection)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no collection " + collection);
        }
    }

    /** What the check found: errors reject the item, warnings do not. */
    record Check(List<Problem> errors, List<Problem> warnings) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private final Map<Kind, JsonNode> documents = new EnumMap<>(Kind.class);
    private final Map<Kind, JsonSchema> schemas = new EnumMap<>(Kind.class);
    private final Map<Kind, List<String>> properties = new EnumMap<>(Kind.class);

    SchemaV1() {
        for (Kind k : Kind.values()) {
            JsonNode doc = JsonSchemas.resource("schema/v1/" + k.label + ".json");
            documents.put(k, doc);
            schemas.put(k, JsonSchemas.compile(doc));
            Set<String> names = new TreeSet<>();
            doc.path("properties").fieldNames().forEachRemaining(names::add);
            properties.put(k, List.copyOf(names)); // sorted
        }
    }

    Check check(Kind kind, JsonNode item, LocalDate today) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        if (item == null || !item.isObject()) {
            errors.add(new Problem("(item)", "schema:type", "a JSON object is expected"));
            return new Check(errors, warnings);
        }
        errors.addAll(JsonSchemas.validate(schemas.get(kind), item, true));
        Set<String> flagged = new LinkedHashSet<>();
        errors.forEach(p -> flagged.add(p.field()));
        nom(item, flagged, errors, warnings);
        dateMaj(item, today, flagged, errors);
        if (kind == Kind.SERVICE) {
            publics(item, flagged, errors);
        }
        if (!errors.isEmpty()) {
            v0Shape(item, errors);
        }
        return new Check(errors, warnings);
    }

    /** The item as kept and published: the fields schema v1 knows, without nulls, in name order (stable digests). */
    ObjectNode known(Kind kind, JsonNode item) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String name : properties.get(kind)) { // sorted
            JsonNode v = item.get(name);
            if (v != null && !v.isNull()) {
                out.set(name, v);
            }
        }
        return out;
    }

    /** The fields of schema v1, in name order. */
    List<String> properties(Kind kind) {
        return properties.get(kind);
    }

    /** The values of one of the schema's enumerations ({@code $defs/Thematique}, {@code $defs/Public}...). */
    List<String> enumeration(Kind kind, String definition) {
        List<String> out = new ArrayList<>();
        documents.get(kind).path("$defs").path(definition).path("enum").forEach(v -> out.add(v.asText()));
        if (out.isEmpty()) {
            throw new IllegalStateException("schema v1 " + kind.label + " has no enumeration " + definition);
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------------------------------------- rules

    private static void nom(JsonNode item, Set<String> flagged, List<Problem> errors, List<Problem> warnings) {
        JsonNode nom = item.get("nom");
        if (nom == null || !nom.isTextual()) {
            return;
        }
        String s = nom.asText();
        int length = s.codePointCount(0, s.length());
        if (!flagged.contains("nom") && (length < 3 || length > 150)) {
            errors.add(new Problem("nom", NOM_LENGTH, "3 to 150 characters, " + length + " given"));
        }
        if (s.endsWith(".") && !s.endsWith("etc.")) {
            warnings.add(new Problem("nom", NOM_PERIOD, "should not end with a period"));
        }
    }

    private static void dateMaj(JsonNode item, LocalDate today, Set<String> flagged, List<Problem> errors) {
        JsonNode date = item.get("date_maj");
        if (date == null || !date.isTextual() || flagged.contains("date_maj")) {
            return;
        }
        try {
            LocalDate d = LocalDate.parse(date.asText());
            if (d.isBefore(MIN_DATE_MAJ)) {
                errors.add(new Problem("date_maj", DATE_MAJ, "before 2000-01-01"));
            } else if (d.isAfter(today)) {
                errors.add(new Problem("date_maj", DATE_MAJ, "in the future"));
            }
        } catch (DateTimeParseException e) {
            errors.add(new Problem("date_maj", "schema:format", "not a date"));
        }
    }

    private static void publics(JsonNode item, Set<String> flagged, List<Problem> errors) {
        JsonNode publics = item.get("publics");
        if (publics == null || !publics.isArray() || publics.size() < 2 || flagged.contains("publics")) {
            return;
        }
        for (JsonNode p : publics) {
            if ("tous-publics".equals(p.asText())) {
                errors.add(new Problem("publics", TOUS_PUBLICS, "tous-publics cannot be combined with another public"));
                return;
            }
        }
    }

    private static void v0Shape(JsonNode item, List<Problem> errors) {
        List<String> v0 = new ArrayList<>();
        for (Iterator<String> names = item.fieldNames(); names.hasNext();) {
            String n = names.next();
            if (V0_FIELDS.contains(n)) {
                v0.add(n);
            }
        }
        if (!v0.isEmpty()) {
            errors.add(new Problem("(item)", V0_SHAPE, "fields of the older schema v0 ("
                    + String.join(", ", v0.subList(0, Math.min(4, v0.size()))) + (v0.size() > 4 ? ", ..." : "")
                    + "): the API v1 serves schema v1 only"));
        }
    }
}
