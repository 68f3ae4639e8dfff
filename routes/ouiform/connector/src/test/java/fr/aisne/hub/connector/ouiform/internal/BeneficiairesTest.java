package fr.aisne.hub.connector.ouiform.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.ouiform.contract.Messages;
import fr.aisne.hub.connector.ouiform.testing.FakeRegistry;

/**
 * The beneficiary is made of what the disclosure rule gave, and only of the contract's fields: the rule decides, the
 * contract bounds.
 */
public class BeneficiairesTest {

    private static Map<String, Object> disclosed(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    public void onlyTheContractsFieldsFromWhatWasDisclosed() {
        Beneficiaires.Filled f = Beneficiaires.fill(disclosed("nom_naissance", "DUPONT", "nom_usage", "BERNARD", "prenom",
                "Camille", "date_naissance", "1990-02-14", "commune_insee", "02408", "commune_code_postal", "02000",
                "commune_libelle", "Laon", "id.france-travail.numero", "12345678901", "nir", "2900202408123",
                "email", "c@example.org", "soumis_droits_devoirs", "1", "household", List.of()), null);
        Messages.Beneficiaire b = f.beneficiaire();
        assertEquals("the birth name, as the contract says", "DUPONT", b.nom());
        assertEquals("Camille", b.prenom());
        assertEquals("1990-02-14", b.dateNaissance());
        assertEquals(new Messages.Commune("02408", "02000", "Laon"), b.commune());
        assertEquals("12345678901", b.numeroFranceTravail());
        assertTrue(f.missing().isEmpty());
        assertEquals("what a rule gave beyond the contract is named, never sent",
                Set.of("email", "household", "nir", "soumis_droits_devoirs"), f.notSent());
        String json = Json.write(b);
        assertFalse(json, json.contains("2900202408123") || json.contains("c@example.org") || json.contains("BERNARD"));
    }

    @Test
    public void whatTheRuleDoesNotGiveIsMissingNotLookedUpElsewhere() {
        Beneficiaires.Filled f = Beneficiaires.fill(disclosed("nom_usage", "BERNARD", "prenom", "Camille",
                "commune_insee", "02408", "id.france-travail.numero", "1253359X-old"), null);
        assertEquals("the usage name when the rule gives no birth name", "BERNARD", f.beneficiaire().nom());
        assertEquals(List.of("beneficiaire/dateNaissance", "beneficiaire/commune"), f.missing());
        assertNull("a number of another form than the contract's is not sent", f.beneficiaire().numeroFranceTravail());

        Messages.Commune given = new Messages.Commune("02691", null, "Saint-Quentin");
        Beneficiaires.Filled withRequest = Beneficiaires.fill(disclosed("nom_naissance", "X", "prenom", "Y",
                "date_naissance", "2000-01-01"), given);
        assertEquals(given, withRequest.beneficiaire().commune());
        assertTrue(withRequest.communeGiven());
        assertTrue(withRequest.sent().contains("beneficiaire/commune (from the request)"));

        Beneficiaires.Filled registryFirst = Beneficiaires.fill(disclosed("nom_naissance", "X", "prenom", "Y",
                "date_naissance", "2000-01-01", "commune_insee", "02408", "commune_libelle", "Laon"), given);
        assertEquals("the registry's commune first", "02408", registryFirst.beneficiaire().commune().codeInsee());
        assertFalse(registryFirst.communeGiven());
    }

    @Test
    public void theDisclosureRuleDecidesEndToEnd() {
        FakeRegistry narrow = new FakeRegistry().rule("ouiform", "prescription", "nom_naissance", "prenom");
        String p = narrow.person(Map.of("nom_naissance", "DUPONT", "prenom", "Camille", "date_naissance", "1990-02-14",
                "commune_insee", "02408", "commune_libelle", "Laon"), Map.of("france-travail:numero", "12345678901"), "x");
        Beneficiaires.Filled f = Beneficiaires.fill(narrow.disclose(p, "ouiform", "prescription", "ex-1"), null);
        assertEquals("held by the registry, not given by the rule: not sent", List.of("beneficiaire/dateNaissance",
                "beneficiaire/commune"), f.missing());
        assertNull(f.beneficiaire().numeroFranceTravail());
        assertEquals(Set.of("nom_naissance", "prenom"), narrow.disclosures.get(0).fields());

        FakeRegistry none = new FakeRegistry();
        String q = none.person(Map.of("nom_naissance", "DUPONT"), Map.of(), null);
        assertEquals("no rule, no field", 4, Beneficiaires.fill(none.disclose(q, "ouiform", "prescription", "ex-2"), null)
                .missing().size());
    }
}
