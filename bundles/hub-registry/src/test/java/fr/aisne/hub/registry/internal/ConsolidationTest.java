package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.registry.ConsolidatedPerson.Attribute;
import fr.aisne.hub.registry.ConsolidatedPerson.Conflict;
import fr.aisne.hub.registry.ConsolidatedPerson.Provenance;

public class ConsolidationTest {
    private static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");
    private final Consolidation consolidation = new Consolidation(Map.of("telephone", "france-travail"), "caf");

    private static Consolidation.Observed obs(String name, String value, String partner, String exchange, int day) {
        return new Consolidation.Observed(name, value, new Provenance(partner, exchange, T0.plusSeconds(86_400L * day)));
    }

    @Test
    public void authorityOfAnAttribute() {
        assertEquals("france-travail", consolidation.authorityOf("telephone"));
        assertEquals("caf", consolidation.authorityOf("nom_naissance"));
    }

    @Test
    public void theAuthoritysNewestValueWinsEvenWhenAnotherSourceIsNewer() {
        Map<String, Attribute> out = consolidation.consolidate(List.of(
                obs("nom_naissance", "DUPONT", "caf", "e1", 0),
                obs("nom_naissance", "DUPOND", "immersion-facilitee", "e2", 5),
                obs("telephone", "0600000001", "france-travail", "e3", 1),
                obs("telephone", "0600000002", "caf", "e4", 9)));
        Attribute name = out.get("nom_naissance");
        assertEquals("DUPONT", name.value());
        assertEquals(new Provenance("caf", "e1", T0), name.source());
        assertEquals(List.of(new Conflict("DUPOND", new Provenance("immersion-facilitee", "e2", T0.plusSeconds(5 * 86_400L)))),
                name.conflicts());
        Attribute tel = out.get("telephone");
        assertEquals("0600000001", tel.value());
        assertEquals("france-travail", tel.source().partner());
        assertEquals(1, tel.conflicts().size());
        assertEquals("0600000002", tel.conflicts().get(0).value());
        assertEquals("caf", tel.conflicts().get(0).source().partner());
    }

    @Test
    public void withoutTheAuthoritysValueTheNewestOverallWins() {
        Map<String, Attribute> out = consolidation.consolidate(List.of(
                obs("email", "old@example.invalid", "ouiform", "e1", 3),
                obs("email", "new@example.invalid", "immersion-facilitee", "e2", 7),
                obs("email", "mid@example.invalid", "departement", "e3", 5)));
        Attribute email = out.get("email");
        assertEquals("new@example.invalid", email.value());
        assertEquals(new Provenance("immersion-facilitee", "e2", T0.plusSeconds(7 * 86_400L)), email.source());
        assertEquals(2, email.conflicts().size());
        assertTrue(email.conflicts().contains(new Conflict("old@example.invalid",
                new Provenance("ouiform", "e1", T0.plusSeconds(3 * 86_400L)))));
        assertTrue(email.conflicts().contains(new Conflict("mid@example.invalid",
                new Provenance("departement", "e3", T0.plusSeconds(5 * 86_400L)))));
    }

    @Test
    public void equalValuesOfOtherSourcesAreNotConflicts() {
        Map<String, Attribute> out = consolidation.consolidate(List.of(
                obs("prenom", "Jean", "caf", "e1", 0),
                obs("prenom", "Jean", "france-travail", "e2", 4),
                obs("prenom", "Jean", "ouiform", "e3", 6)));
        assertEquals("Jean", out.get("prenom").value());
        assertEquals("caf", out.get("prenom").source().partner());
        assertEquals(List.of(), out.get("prenom").conflicts());
    }

    @Test
    public void theNewestValuePerSourceIsUsedWhateverTheOrder() {
        Map<String, Attribute> out = consolidation.consolidate(List.of(
                obs("nom_usage", "NOUVEAU", "caf", "e2", 10),
                obs("nom_usage", "ANCIEN", "caf", "e1", 1),
                obs("nom_usage", "AUTRE", "france-travail", "e3", 2),
                obs("nom_usage", "AUTRE-PLUS-RECENT", "france-travail", "e4", 8),
                obs("nom_usage", "AUTRE-ANCIEN", "france-travail", "e5", 0)));
        Attribute a = out.get("nom_usage");
        assertEquals("NOUVEAU", a.value());
        assertEquals("e2", a.source().exchangeId());
        assertEquals("only the newest value of each other source",
                List.of(new Conflict("AUTRE-PLUS-RECENT", new Provenance("france-travail", "e4", T0.plusSeconds(8 * 86_400L)))),
                a.conflicts());
    }

    @Test
    public void anOlderAuthorityValueIsNotAConflict() {
        Map<String, Attribute> out = consolidation.consolidate(List.of(
                obs("sexe", "F", "caf", "e1", 0),
                obs("sexe", "M", "caf", "e2", 3)));
        assertEquals("M", out.get("sexe").value());
        assertEquals(List.of(), out.get("sexe").conflicts());
    }

    @Test
    public void eachAttributeIsConsolidatedOnItsOwn() {
        Map<String, Attribute> out = consolidation.consolidate(List.of(
                obs("prenom", "Jean", "france-travail", "e1", 9),
                obs("nom_naissance", "DUPONT", "france-travail", "e1", 9),
                obs("nom_naissance", "DURAND", "caf", "e0", 0)));
        assertEquals(2, out.size());
        assertEquals("Jean", out.get("prenom").value());
        assertEquals("DURAND", out.get("nom_naissance").value());
        assertEquals(Map.of(), consolidation.consolidate(List.of()));
    }
}
