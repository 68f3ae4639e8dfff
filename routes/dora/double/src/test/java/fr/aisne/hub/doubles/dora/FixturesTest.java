package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.doubles.dora.Fixtures.Item;
import fr.aisne.hub.doubles.dora.SchemaCheck.Kind;
import fr.aisne.hub.doubles.dora.SchemaCheck.Outcome;
import fr.aisne.hub.doubles.dora.SchemaCheck.Problem;

/** The fixtures: valid against schema v1 except the marked bad items, each caught by the right rule; realistic. */
public class FixturesTest {
    static final LocalDate TODAY = LocalDate.of(2026, 3, 16);
    static final Fixtures FIXTURES = Fixtures.build(TODAY);
    static final SchemaCheck CHECK = new SchemaCheck(Vocabulary.get());

    @Test
    public void everyItemThatIsNotMarkedBadIsValidAgainstSchemaV1() {
        int checked = 0;
        for (Item s : FIXTURES.structures) {
            if (s.bad() == null) {
                Outcome o = CHECK.check(Kind.STRUCTURE, s.json(), TODAY);
                assertTrue(s.id() + ": " + o.errors(), o.valid());
                assertTrue(s.id() + ": " + o.warnings(), o.warnings().isEmpty());
                checked++;
            }
        }
        for (Item s : FIXTURES.services) {
            if (s.bad() == null) {
                Outcome o = CHECK.check(Kind.SERVICE, s.json(), TODAY);
                assertTrue(s.id() + ": " + o.errors(), o.valid());
                if (s.id().equals(Fixtures.WARNING_NOM_PERIOD)) {
                    assertEquals(List.of(SchemaCheck.NOM_PERIOD), o.warnings().stream().map(Problem::rule).toList());
                } else {
                    assertTrue(s.id() + ": " + o.warnings(), o.warnings().isEmpty());
                }
                checked++;
            }
        }
        assertEquals(28 + 64, checked);
    }

    @Test
    public void eachBadItemIsCaughtByItsRule() {
        Set<String> expected = Set.of(Fixtures.BAD_V0_SERVICE, Fixtures.BAD_V0_STRUCTURE, Fixtures.BAD_TOUS_PUBLICS,
                Fixtures.BAD_DATE_1999, Fixtures.BAD_DATE_FUTURE, Fixtures.BAD_NOM);
        Set<String> seen = new HashSet<>();
        for (List<Item> list : List.of(FIXTURES.structures, FIXTURES.services)) {
            for (Item i : list) {
                if (i.bad() == null) {
                    continue;
                }
                seen.add(i.id());
                Kind kind = list == FIXTURES.structures ? Kind.STRUCTURE : Kind.SERVICE;
                Outcome o = CHECK.check(kind, i.json(), TODAY);
                assertFalse(i.id() + " passed", o.valid());
                assertTrue(i.id() + ": expected " + i.bad() + " in " + o.errors(), o.errors().stream()
                        .anyMatch(p -> p.field().equals(i.bad().field()) && p.rule().equals(i.bad().rule())));
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    public void theV0ServiceFailsOnTheV1RequiredFieldsAndTypes() {
        Item v0 = item(FIXTURES.services, Fixtures.BAD_V0_SERVICE);
        Outcome o = CHECK.check(Kind.SERVICE, v0.json(), TODAY);
        assertTrue(o.errors().toString(), o.errors().stream().anyMatch(p -> p.field().equals("description")
                && p.rule().equals("schema:required")));
        assertTrue(o.errors().toString(), o.errors().stream().anyMatch(p -> p.field().equals("frais")
                && p.rule().equals("schema:type")));
    }

    @Test
    public void theFutureDateMovesWithToday() {
        Item future = item(FIXTURES.services, Fixtures.BAD_DATE_FUTURE);
        assertEquals(TODAY.plusDays(400).toString(), future.json().get("date_maj").asText());
    }

    @Test
    public void theAisneHasAtLeast25StructuresAnd60ServicesFromSeveralSources() {
        List<Item> structures = FIXTURES.structures.stream().filter(i -> i.bad() == null && i.codeInsee().startsWith("02"))
                .toList();
        List<Item> services = FIXTURES.services.stream().filter(i -> i.bad() == null && i.codeInsee().startsWith("02"))
                .toList();
        assertEquals(25, structures.size());
        assertEquals(60, services.size());
        Set<String> sources = new HashSet<>();
        structures.forEach(s -> sources.add(s.json().get("source").asText()));
        assertEquals(Set.of("dora", "france-travail", "mission-locale", "emplois-de-linclusion", "mediation-numerique"),
                sources);
        // a few from elsewhere, for the geographic filters
        assertEquals(3, FIXTURES.structures.stream().filter(i -> !i.codeInsee().startsWith("02")).count());
    }

    @Test
    public void idsAreSourceDashDashIdAndUnique() {
        Set<String> ids = new HashSet<>();
        for (List<Item> list : List.of(FIXTURES.structures, FIXTURES.services)) {
            for (Item i : list) {
                assertTrue(i.id(), ids.add(i.id()));
                assertEquals(i.json().get("source").asText() + "--", i.id().substring(0, i.id().indexOf("--") + 2));
                assertEquals(i.id(), i.json().get("id").asText());
            }
        }
    }

    @Test
    public void everyServiceHasItsStructureAndEveryStructureAService() {
        Set<String> structures = new HashSet<>();
        FIXTURES.structures.forEach(s -> structures.add(s.id()));
        Set<String> withService = new HashSet<>();
        for (Item s : FIXTURES.services) {
            assertTrue(s.id(), structures.contains(s.structureId()));
            assertEquals(s.structureId(), s.json().get("structure_id").asText());
            withService.add(s.structureId());
        }
        for (Item s : FIXTURES.structures) {
            if (s.bad() == null) {
                assertTrue(s.id(), withService.contains(s.id()));
            }
        }
    }

    @Test
    public void communesAndPostcodesAreThoseOfTheTable() {
        for (List<Item> list : List.of(FIXTURES.structures, FIXTURES.services)) {
            for (Item i : list) {
                Communes.Commune c = Communes.byCode(i.codeInsee());
                assertNotNull(i.id(), c);
                assertEquals(i.id(), c.codePostal(), i.json().get("code_postal").asText());
                assertEquals(i.id(), c.nom(), i.json().get("commune").asText());
                assertEquals(c.codePostal().substring(0, 2), c.departement());
            }
        }
    }

    @Test
    public void siretsPassTheLuhnCheck() {
        for (Item s : FIXTURES.structures) {
            JsonNode siret = s.json().get("siret");
            if (siret != null && siret.isTextual()) {
                assertTrue(s.id(), Fixtures.luhnValid(siret.asText()));
                assertTrue(s.id(), Fixtures.luhnValid(siret.asText().substring(0, 9)));
            }
        }
    }

    @Test
    public void deterministic() {
        Fixtures again = Fixtures.build(TODAY);
        assertEquals(FIXTURES.structures.size(), again.structures.size());
        for (int i = 0; i < again.services.size(); i++) {
            assertEquals(FIXTURES.services.get(i).json(), again.services.get(i).json());
            assertEquals(FIXTURES.services.get(i).scoreQualite(), again.services.get(i).scoreQualite(), 0);
        }
    }

    static Item item(List<Item> items, String id) {
        return items.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }
}
