package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.dora.OfferMapping.Item;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The department's offer, checked whole before anything is published (the validator of flow
 * {@code departement/offre}: a broken rule refuses the offer at intake, 422 with every place and rule, up to
 * {@value #SHOWN}):
 * <ol>
 * <li>the offer's JSON Schema ({@code offre.schema.json}, also in the hub's OpenAPI document): required fields,
 * types, formats, data·inclusion's vocabularies, no unknown field (a typo must not silently drop a value);</li>
 * <li>rules across the offer: {@value #ID_DUPLICATE} (an identifiant used twice among the structures, or among the
 * actions), {@value #PORTEUR_UNKNOWN} (an action's porteur is not among the structures), {@value #AXE_AUTRE} (an
 * action of axis "autre" names its thematiques and its type);</li>
 * <li>each structure and action once mapped to schema v1 ({@link OfferMapping}): the v1 JSON Schema and its rules
 * ({@link SchemaV1}: {@code tous-publics-alone}, {@code date_maj-range}...), reported at the department's field
 * ({@code actions[2].intitule}, not {@code nom}).</li>
 * </ol>
 * Warnings ({@code nom-final-period}) do not refuse the offer; the delivery's journal detail lists them.
 */
final class OfferCheck implements PayloadValidator {
    static final String ID_DUPLICATE = "id-duplicate";
    static final String PORTEUR_UNKNOWN = "porteur-unknown";
    static final String AXE_AUTRE = "axe-autre-needs-thematiques-and-type";
    /** Problems named in a refusal (all are counted). */
    static final int SHOWN = 12;

    /** The offer as it would be published, or why not. */
    record Result(OfferMapping.Mapped mapped, List<Problem> errors, List<Problem> warnings) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private final JsonSchema offerSchema;
    private final SchemaV1 v1;
    private final OfferMapping mapping;
    private final Clock clock;

    OfferCheck(SchemaV1 v1, OfferMapping mapping, Clock clock) {
        this.offerSchema = JsonSchemas.compile(JsonSchemas.resource("offre.schema.json"));
        this.v1 = v1;
        this.mapping = mapping;
        this.clock = clock;
    }

    @Override
    public void validate(InputStream payload) throws ValidationException, IOException {
        Result r = check(read(payload), LocalDate.ofInstant(clock.instant(), DirectoryHandler.PARIS));
        if (!r.valid()) {
            throw new ValidationException("offer refused, " + r.errors().size() + " problem"
                    + (r.errors().size() > 1 ? "s" : "") + ": " + Problem.describe(r.errors(), SHOWN));
        }
    }

    /** Reads an offer; a document that is not JSON is refused with its line and column, never its text. */
    static JsonNode read(InputStream payload) throws ValidationException, IOException {
        try {
            JsonNode doc = Json.MAPPER.readTree(payload);
            if (doc == null || !doc.isObject()) {
                throw new ValidationException("offer refused: a JSON object {\"structures\": [...], \"actions\": [...]} "
                        + "is expected");
            }
            return doc;
        } catch (java.io.CharConversionException e) {
            throw new ValidationException("offer refused: not JSON text in UTF-8");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ValidationException("offer refused: malformed JSON", at == null ? -1 : at.getLineNr(),
                    at == null ? -1 : at.getColumnNr());
        }
    }

    Result check(JsonNode offre, LocalDate today) {
        List<Problem> errors = new ArrayList<>(JsonSchemas.validate(offerSchema, offre, false));
        if (!errors.isEmpty()) {
            return new Result(null, errors, List.of());
        }
        errors.addAll(acrossTheOffer(offre));
        OfferMapping.Mapped raw = mapping.map(offre, today);
        OfferMapping.Mapped mapped = new OfferMapping.Mapped(known(Kind.STRUCTURE, raw.structures()),
                known(Kind.SERVICE, raw.services()));
        List<Problem> warnings = new ArrayList<>();
        check(Kind.STRUCTURE, mapped.structures(), today, errors, warnings);
        check(Kind.SERVICE, mapped.services(), today, errors, warnings);
        return new Result(errors.isEmpty() ? mapped : null, errors, warnings);
    }

    private List<Item> known(Kind kind, List<Item> items) {
        return items.stream().map(i -> new Item(i.origin(), v1.known(kind, i.v1()), i.dateGiven())).toList();
    }

    private void check(Kind kind, List<Item> items, LocalDate today, List<Problem> errors, List<Problem> warnings) {
        for (Item item : items) {
            SchemaV1.Check c = v1.check(kind, item.v1(), today);
            c.errors().forEach(p -> errors.add(at(kind, item, p)));
            c.warnings().forEach(p -> warnings.add(at(kind, item, p)));
        }
    }

    /** A v1 problem named where the department wrote the value. */
    private static Problem at(Kind kind, Item item, Problem p) {
        String field = p.field().equals("(item)") ? item.origin()
                : item.origin() + "." + OfferMapping.departmentField(kind, p.field());
        return new Problem(field, p.rule(), p.message());
    }

    private static List<Problem> acrossTheOffer(JsonNode offre) {
        List<Problem> out = new ArrayList<>();
        Set<String> structures = new HashSet<>();
        JsonNode list = offre.path("structures");
        for (int i = 0; i < list.size(); i++) {
            String id = list.get(i).path("identifiant").asText();
            if (!structures.add(id)) {
                out.add(new Problem("structures[" + i + "].identifiant", ID_DUPLICATE,
                        "another structure has this identifiant"));
            }
        }
        Map<String, Integer> actions = new HashMap<>();
        JsonNode acts = offre.path("actions");
        for (int i = 0; i < acts.size(); i++) {
            JsonNode a = acts.get(i);
            if (actions.putIfAbsent(a.path("identifiant").asText(), i) != null) {
                out.add(new Problem("actions[" + i + "].identifiant", ID_DUPLICATE,
                        "another action has this identifiant"));
            }
            if (!structures.contains(a.path("porteur").asText())) {
                out.add(new Problem("actions[" + i + "].porteur", PORTEUR_UNKNOWN,
                        "no structure of the offer has this identifiant"));
            }
            if ("autre".equals(a.path("axe").asText()) && (!a.hasNonNull("thematiques") || !a.hasNonNull("type"))) {
                out.add(new Problem("actions[" + i + "]", AXE_AUTRE,
                        "an action outside the axes of the call for projects names its thematiques and its type"));
            }
        }
        return out;
    }
}
