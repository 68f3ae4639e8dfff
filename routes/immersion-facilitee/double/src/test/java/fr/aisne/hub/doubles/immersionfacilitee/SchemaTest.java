package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Every convention the double gives (fixtures, created ones, webhook payloads) against the partner's
 * conventionRead.schema.json (src/test/resources/schemas, a copy of shared/specs/immersion-facilitee).
 * <p>
 * That file was generated from the platform's zod schemas and carries two artefacts of the conversion that make it
 * refuse any real convention, the platform's own OpenAPI example included: each part of its top-level
 * {@code allOf} says {@code additionalProperties: false} (so the fields of one part are "additional" to the
 * others), and its e-mail patterns lost zod's case-insensitive flag ({@code [A-Z]} only). The test states both,
 * then validates against the schema with the top-level {@code additionalProperties} moved to one
 * {@code unevaluatedProperties: false} (unknown top-level fields are still refused) and case-insensitive e-mails.
 */
public class SchemaTest extends DoubleTestSupport {
    private static JsonNode published;
    private static JsonSchema asPublished;
    private static JsonSchema repaired;

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
        try (InputStream in = SchemaTest.class.getResourceAsStream("/schemas/conventionRead.schema.json")) {
            published = JSON.readTree(in);
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        asPublished = factory.getSchema(published.deepCopy(), config);
        repaired = factory.getSchema(repair(published.deepCopy()), config);
    }

    /** Top-level additionalProperties of the allOf parts -> one unevaluatedProperties; e-mail patterns case-insensitive. */
    static JsonNode repair(JsonNode schema) {
        for (JsonNode part : schema.get("allOf")) {
            ((ObjectNode) part).remove("additionalProperties");
            if (part.has("anyOf")) {
                for (JsonNode branch : part.get("anyOf")) {
                    ((ObjectNode) branch).remove("additionalProperties");
                }
            }
        }
        ((ObjectNode) schema).put("unevaluatedProperties", false);
        caseInsensitiveEmails(schema);
        return schema;
    }

    private static void caseInsensitiveEmails(JsonNode node) {
        if (node.isObject()) {
            JsonNode pattern = node.get("pattern");
            if (pattern != null && pattern.asText().contains("@")) {
                ((ObjectNode) node).set("pattern", new TextNode(pattern.asText().replace("A-Z", "A-Za-z")));
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                caseInsensitiveEmails(it.next());
            }
        } else if (node.isArray()) {
            node.forEach(SchemaTest::caseInsensitiveEmails);
        }
    }

    private static void assertValid(String what, JsonNode convention) {
        Set<ValidationMessage> errors = repaired.validate(convention);
        assertTrue(what + ": " + errors, errors.isEmpty());
    }

    @Test
    public void thePublishedSchemaRefusesAnyConventionThatIsWhyItIsRepaired() throws Exception {
        Set<ValidationMessage> errors = asPublished.validate(json(getConvention("aisne-hub", Fixtures.MONTH_END)));
        assertFalse(errors.isEmpty());
        assertTrue(errors.toString(), errors.toString().contains("agencyName"));
    }

    @Test
    public void everyFixtureIsAValidConventionRead() throws Exception {
        List<Convention> all = Fixtures.all(Settings.from(Map.of()));
        assertEquals(152, all.size());
        for (Convention c : all) {
            assertValid(c.id, JSON.valueToTree(c.toRead()));
        }
        for (Convention c : Fixtures.all(Settings.from(Map.of("fixtures.seed", "99", "fixtures.generated", "400")))) {
            assertValid(c.id, JSON.valueToTree(c.toRead()));
        }
    }

    @Test
    public void createdConventionsInEveryStatusAndWebhookPayloadsAreValid() throws Exception {
        List<JsonNode> made = new ArrayList<>();
        for (Status s : Status.values()) {
            made.add(create("{\"agency\":\"ft-saint-quentin\",\"status\":\"" + s + "\",\"employee\":true,\"silent\":true,"
                    + "\"beneficiary\":{\"firstName\":\"Éloïse\",\"lastName\":\"D'Hondt\",\"birthdate\":\"1990-04-12\"}}"));
        }
        for (JsonNode c : made) {
            assertValid(c.get("status").asText(), c);
            assertValid("read back", json(getConvention("aisne-hub", c.get("id").asText())));
        }
        String validated = made.get(Status.ACCEPTED_BY_VALIDATOR.ordinal()).get("id").asText();
        assertValid("assessed", act(validated, "{\"action\":\"assessment\",\"status\":\"DID_NOT_SHOW\",\"endedWithAJob\":false,"
                + "\"signed\":true}", 200));
        try (Receiver hub = new Receiver()) {
            subscribe("aisne-hub", hub, Map.of("authorization", "s"));
            act(validated, "{\"action\":\"resend\"}", 200);
            await("the webhook", () -> hub.count() == 1);
            assertValid("webhook payload", hub.received().get(0).body().at("/payload/convention"));
        }
    }

    @Test
    public void theRepairedSchemaStillRefusesWhatIsWrong() throws Exception {
        ObjectNode c = (ObjectNode) json(getConvention("aisne-hub", Fixtures.MONTH_END));
        c.put("unexpectedField", 1);
        assertFalse(repaired.validate(c).isEmpty());
        ObjectNode d = (ObjectNode) json(getConvention("aisne-hub", Fixtures.MONTH_END));
        d.put("status", "DRAFT");
        assertFalse(repaired.validate(d).isEmpty());
        ObjectNode e = (ObjectNode) json(getConvention("aisne-hub", Fixtures.MONTH_END));
        ((ObjectNode) e.get("schedule").get("complexSchedule").get(0)).put("date", "2025-01-27");
        assertFalse(repaired.validate(e).isEmpty());
    }
}
