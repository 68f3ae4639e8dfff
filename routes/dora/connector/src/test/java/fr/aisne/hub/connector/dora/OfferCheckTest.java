package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/** The offer refused at intake, whole, with the field and rule broken: each rule once. */
public class OfferCheckTest {
    private final OfferCheck check = new OfferCheck(TestItems.V1, new OfferMapping("departement-aisne", List.of("02")),
            Clock.fixed(TestItems.NOW, ZoneOffset.UTC));

    private List<String> problems(JsonNode offer) {
        return check.check(offer, TestItems.TODAY).errors().stream().map(p -> p.field() + " " + p.rule()).toList();
    }

    private static ObjectNode action(ObjectNode offer, int i) {
        return (ObjectNode) offer.get("actions").get(i);
    }

    @Test
    public void theExampleOfferPasses() throws Exception {
        ObjectNode offer = TestItems.exampleOffer();
        OfferCheck.Result r = check.check(offer, TestItems.TODAY);
        assertEquals(List.of(), r.errors());
        assertEquals(7, r.mapped().services().size());
        check.validate(new ByteArrayInputStream(Json.write(offer).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void theOffersSchemaRefusesUnknownFieldsWrongTypesAndValuesOutOfTheVocabularies() {
        ObjectNode offer = TestItems.exampleOffer();
        action(offer, 0).put("thematique", "mobilite"); // a typo of thematiques
        action(offer, 1).put("axe", "9");
        action(offer, 2).putArray("publics").add("beneficiaires-rsa");
        ((ObjectNode) offer.get("structures").get(0)).put("siret", "1234");
        action(offer, 3).remove("description");
        action(offer, 4).put("duree_semaines", "douze");
        assertEquals(List.of("actions[0].thematique schema:additionalProperties", "actions[1].axe schema:enum",
                "actions[2].publics[0] schema:enum", "actions[3].description schema:required",
                "actions[4].duree_semaines schema:type", "structures[0].siret schema:pattern"),
                problems(offer).stream().sorted().toList());
    }

    /** Found by benchmarks/fuzz (dora.offre): a field name holding a NIR was repeated in the refusal. */
    @Test
    public void anUnknownFieldIsNamedOnlyWhenItLooksLikeAName() {
        ObjectNode offer = TestItems.exampleOffer();
        ((ObjectNode) offer.get("structures").get(1)).put("reseaux_por185057800608491teurs", "x");
        ((ObjectNode) offer.get("structures").get(2)).put("contact", "x");
        ValidationException e = assertThrows(ValidationException.class, () -> check.validate(new ByteArrayInputStream(
                Json.write(offer).getBytes(StandardCharsets.UTF_8))));
        assertFalse(e.getMessage(), e.getMessage().contains("185057800608491"));
        assertTrue(e.getMessage(), e.getMessage().contains("structures[1].…: schema:additionalProperties (property '…' "));
        assertTrue(e.getMessage(), e.getMessage().contains("structures[2].contact: schema:additionalProperties "
                + "(property 'contact' "));
    }

    @Test
    public void identifiantsAreUniqueAndPorteursKnown() {
        ObjectNode offer = TestItems.exampleOffer();
        ((ObjectNode) offer.get("structures").get(1)).put("identifiant", "thierache-insertion");
        action(offer, 5).put("identifiant", "coaching-emploi-thierache");
        action(offer, 6).put("porteur", "inconnu");
        List<String> p = problems(offer);
        assertTrue(p.toString(), p.contains("structures[1].identifiant id-duplicate"));
        assertTrue(p.toString(), p.contains("actions[5].identifiant id-duplicate"));
        assertTrue(p.toString(), p.contains("actions[6].porteur porteur-unknown"));
        // the actions of the structure whose identifiant changed now name a porteur that is gone
        assertTrue(p.toString(), p.contains("actions[2].porteur porteur-unknown"));
    }

    @Test
    public void anActionOutsideTheAxesNamesItsThematiquesAndType() {
        ObjectNode offer = TestItems.exampleOffer();
        action(offer, 0).put("axe", "autre");
        assertEquals(List.of("actions[0] axe-autre-needs-thematiques-and-type"), problems(offer));
        action(offer, 0).putArray("thematiques").add("numerique--acceder-a-des-services-en-ligne");
        action(offer, 0).put("type", "atelier");
        assertEquals(List.of(), problems(offer));
    }

    @Test
    public void theRulesOfSchemaV1AreNamedWhereTheDepartmentWroteTheValue() {
        ObjectNode offer = TestItems.exampleOffer();
        action(offer, 0).putArray("publics").add("tous-publics").add("jeunes");
        action(offer, 1).put("date_maj", "1999-12-31");
        action(offer, 2).put("date_maj", TestItems.TODAY.plusDays(1).toString());
        ((ObjectNode) offer.get("structures").get(2)).put("date_maj", "2199-01-01");
        assertEquals(List.of("actions[0].publics tous-publics-alone", "actions[1].date_maj date_maj-range",
                "actions[2].date_maj date_maj-range", "structures[2].date_maj date_maj-range"),
                problems(offer).stream().sorted().toList());
    }

    @Test
    public void aFinalPeriodIsAWarningNotARefusal() {
        ObjectNode offer = TestItems.exampleOffer();
        action(offer, 0).put("intitule", "Coaching emploi en Thiérache.");
        OfferCheck.Result r = check.check(offer, TestItems.TODAY);
        assertTrue(r.valid());
        assertEquals("actions[0].intitule", r.warnings().get(0).field());
        assertEquals("nom-final-period", r.warnings().get(0).rule());
    }

    @Test
    public void theRefusalNamesFieldsAndRulesNeverTheValues() {
        ObjectNode offer = TestItems.exampleOffer();
        action(offer, 0).putObject("contact").put("courriel", "jean.dupont-SECRET");
        action(offer, 1).putArray("publics").add("tous-publics").add("jeunes");
        ValidationException e = assertThrows(ValidationException.class, () -> check.validate(
                new ByteArrayInputStream(Json.write(offer).getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().startsWith("offer refused, 1 problem: "));
        assertTrue(e.getMessage(), e.getMessage().contains("actions[0].contact.courriel: schema:format"));
        assertFalse(e.getMessage(), e.getMessage().contains("SECRET"));
        // the schema comes first: the rules of v1 are checked once it passes
        action(offer, 0).putObject("contact").put("courriel", "jean.dupont@example.org");
        e = assertThrows(ValidationException.class, () -> check.validate(
                new ByteArrayInputStream(Json.write(offer).getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("actions[1].publics: tous-publics-alone"));
    }

    @Test
    public void malformedJsonIsRefusedWithItsPosition() {
        ValidationException e = assertThrows(ValidationException.class, () -> check.validate(
                new ByteArrayInputStream("{\"structures\": [\n  {\"nom\": SECRET}]}".getBytes(StandardCharsets.UTF_8))));
        assertEquals(2, e.line());
        assertFalse(e.getMessage().contains("SECRET"));
        e = assertThrows(ValidationException.class, () -> check.validate(
                new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("JSON object"));
    }

    @Test
    public void aLongListOfProblemsIsCutButCounted() {
        ObjectNode offer = TestItems.exampleOffer();
        for (JsonNode a : offer.get("actions")) {
            ((ObjectNode) a).put("axe", "0");
        }
        ((ObjectNode) offer.get("structures").get(0)).put("siret", "1");
        ((ObjectNode) offer.get("structures").get(1)).put("siret", "1");
        ((ObjectNode) offer.get("structures").get(2)).put("siret", "1");
        ((ObjectNode) offer.get("structures").get(3)).put("siret", "1");
        ((ObjectNode) offer.get("structures").get(3)).put("code_postal", "1");
        ((ObjectNode) offer.get("structures").get(3)).put("courriel", "x");
        ValidationException e = assertThrows(ValidationException.class, () -> check.validate(
                new ByteArrayInputStream(Json.write(offer).getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().startsWith("offer refused, 13 problems: "));
        assertTrue(e.getMessage(), e.getMessage().endsWith("; and 1 more"));
    }

    /** The department's offer speaks data·inclusion's vocabularies: its enumerations are schema v1's. */
    @Test
    public void theOffersEnumerationsAreThoseOfSchemaV1() {
        JsonNode schema = JsonSchemas.resource("offre.schema.json");
        JsonNode action = schema.at("/properties/actions/items/properties");
        assertEquals(set(TestItems.V1.enumeration(Kind.SERVICE, "Thematique")), set(action.at("/thematiques/items/enum")));
        assertEquals(set(TestItems.V1.enumeration(Kind.SERVICE, "Public")), set(action.at("/publics/items/enum")));
        assertEquals(set(TestItems.V1.enumeration(Kind.SERVICE, "TypeService")), set(action.at("/type/enum")));
        assertEquals(set(TestItems.V1.enumeration(Kind.SERVICE, "ModeAccueil")), set(action.at("/modalites/items/enum")));
        assertEquals(set(TestItems.V1.enumeration(Kind.SERVICE, "ModeMobilisation")),
                set(action.at("/mobilisation/properties/modes/items/enum")));
        assertEquals(set(TestItems.V1.enumeration(Kind.STRUCTURE, "ReseauPorteur")),
                set(schema.at("/properties/structures/items/properties/reseaux_porteurs/items/enum")));
        Set<String> axes = new TreeSet<>();
        for (Axe a : Axe.values()) {
            axes.add(a.code);
        }
        assertEquals(axes, set(action.at("/axe/enum")));
    }

    private static Set<String> set(List<String> values) {
        return new TreeSet<>(values);
    }

    private static Set<String> set(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        assertFalse("no enumeration at this place", out.isEmpty());
        return new TreeSet<>(out);
    }
}
