package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/** Schema v1 and each rule data·inclusion adds, one broken at a time. */
public class SchemaV1Test {
    private static final SchemaV1 V1 = TestItems.V1;

    private static SchemaV1.Check service(ObjectNode item) {
        return V1.check(Kind.SERVICE, item, TestItems.TODAY);
    }

    private static List<String> rules(SchemaV1.Check c) {
        return c.errors().stream().map(p -> p.field() + " " + p.rule()).toList();
    }

    @Test
    public void validItemsPass() {
        assertEquals(List.of(), service(TestItems.service("dora--a", "dora--s")).errors());
        assertEquals(List.of(), V1.check(Kind.STRUCTURE, TestItems.structure("dora--s"), TestItems.TODAY).errors());
    }

    @Test
    public void unknownFieldsAreIgnoredAndNotKept() {
        ObjectNode s = TestItems.service("dora--a", "dora--s");
        s.put("score_qualite", 0.7);
        s.putArray("doublons").addObject().put("id", "x");
        s.put("adresse_certifiee", true);
        s.putNull("telephone");
        assertTrue(service(s).valid());
        ObjectNode kept = V1.known(Kind.SERVICE, s);
        assertFalse(kept.has("score_qualite"));
        assertFalse(kept.has("doublons"));
        assertFalse("nulls are dropped", kept.has("telephone"));
        List<String> names = new java.util.ArrayList<>();
        kept.fieldNames().forEachRemaining(names::add);
        assertEquals("name order, for stable digests", names.stream().sorted().toList(), names);
    }

    @Test
    public void tousPublicsCannotBeCombined() {
        ObjectNode s = TestItems.service("dora--a", "dora--s");
        s.putArray("publics").add("tous-publics").add("jeunes");
        assertEquals(List.of("publics tous-publics-alone"), rules(service(s)));
        s.putArray("publics").add("tous-publics");
        assertTrue("alone it is fine", service(s).valid());
    }

    @Test
    public void dateMajFromTheYear2000ToToday() {
        ObjectNode s = TestItems.service("dora--a", "dora--s");
        s.put("date_maj", "1999-12-31");
        assertEquals(List.of("date_maj date_maj-range"), rules(service(s)));
        s.put("date_maj", "2000-01-01");
        assertTrue(service(s).valid());
        s.put("date_maj", TestItems.TODAY.toString());
        assertTrue(service(s).valid());
        s.put("date_maj", TestItems.TODAY.plusDays(1).toString());
        assertEquals(List.of("date_maj date_maj-range"), rules(service(s)));
        ObjectNode st = TestItems.structure("dora--s");
        st.put("date_maj", "2199-01-01");
        assertEquals(List.of("date_maj date_maj-range"), rules(V1.check(Kind.STRUCTURE, st, TestItems.TODAY)));
    }

    @Test
    public void nomOfThreeTo150CharactersSaidOnce() {
        ObjectNode s = TestItems.service("dora--a", "dora--s");
        s.put("nom", "ML");
        assertEquals("the schema's minLength says it; the rule does not repeat it", List.of("nom schema:minLength"),
                rules(service(s)));
        s.put("nom", "x".repeat(151));
        assertEquals(List.of("nom schema:maxLength"), rules(service(s)));
        s.put("nom", "é".repeat(150));
        assertTrue(service(s).valid());
    }

    @Test
    public void aFinalPeriodIsOnlyAWarning() {
        ObjectNode s = TestItems.service("dora--a", "dora--s");
        s.put("nom", "Aide alimentaire.");
        SchemaV1.Check c = service(s);
        assertTrue(c.valid());
        assertEquals("nom-final-period", c.warnings().get(0).rule());
        s.put("nom", "Colis, repas, etc.");
        assertEquals(List.of(), service(s).warnings());
    }

    @Test
    public void anItemOfTheV0ShapeIsRejectedWithWhatIsWrong() {
        // as data·inclusion's v0 served it: presentation_* instead of description, frais and types as lists
        ObjectNode v0 = TestItems.service("dora--v0", "dora--s");
        v0.remove("description");
        v0.remove("type");
        v0.put("presentation_resume", "Produits à prix réduit.");
        v0.putArray("types").add("aide-materielle");
        v0.putArray("frais").add("payant");
        v0.putArray("profils").add("familles-enfants");
        List<String> rules = rules(service(v0));
        assertTrue(rules.toString(), rules.contains("description schema:required"));
        assertTrue(rules.toString(), rules.contains("frais schema:type"));
        assertTrue(rules.toString(), rules.contains("(item) v0-shape"));
        String why = service(v0).errors().stream().filter(p -> p.rule().equals("v0-shape")).findFirst().get().message();
        assertTrue(why, why.contains("presentation_resume"));

        ObjectNode v0s = TestItems.structure("dora--v0s");
        v0s.put("date_maj", "2023-06-12T09:30:00+02:00");
        v0s.put("typologie", "CS");
        v0s.putArray("labels_nationaux");
        List<String> structureRules = rules(V1.check(Kind.STRUCTURE, v0s, TestItems.TODAY));
        assertEquals(List.of("date_maj schema:format", "(item) v0-shape"), structureRules);
    }

    @Test
    public void theSchemaSaysFieldAndKeywordWithoutTheValue() {
        ObjectNode s = TestItems.service("dora--a", "dora--s");
        s.put("courriel", "pas-une-adresse-SECRET");
        s.put("code_postal", "2100");
        s.put("frais", "cher");
        SchemaV1.Check c = service(s);
        assertEquals(List.of("code_postal schema:minLength", "courriel schema:format", "frais schema:enum"), rules(c));
        c.errors().forEach(p -> assertFalse(p.message(), p.message().contains("SECRET")));
    }

    @Test
    public void notAnObject() {
        assertEquals(List.of("(item) schema:type"), rules(service(null)));
    }

    @Test
    public void enumerationsComeFromTheSchema() {
        assertTrue(V1.enumeration(Kind.SERVICE, "Thematique").contains("mobilite--preparer-un-permis"));
        assertEquals(14, V1.enumeration(Kind.SERVICE, "Public").size());
        assertTrue(V1.properties(Kind.STRUCTURE).containsAll(Set.of("id", "source", "nom", "date_maj", "siret")));
    }

    /** The embedded schema files are the shared specifications', unchanged (skipped where they are absent). */
    @Test
    public void theEmbeddedSchemaIsTheSharedSpecifications() throws Exception {
        Path specs = Path.of(System.getProperty("dora.specs.dir", "../../../../shared/specs/dora-data-inclusion"));
        assumeTrue("shared specs not found at " + specs.toAbsolutePath(), Files.isDirectory(specs));
        for (String f : List.of("structure.json", "service.json")) {
            try (var in = SchemaV1.class.getResourceAsStream("schema/v1/" + f)) {
                assertArrayEquals(f, Files.readAllBytes(specs.resolve("schemas/v1/" + f)), in.readAllBytes());
            }
        }
    }
}
