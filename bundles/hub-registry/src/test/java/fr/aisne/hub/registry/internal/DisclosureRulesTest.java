package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.Test;

public class DisclosureRulesTest {
    private static final Path SHIPPED = Paths.get("../../karaf-assembly/src/main/resources/assembly/etc/hub.disclosure.cfg");

    private static Map<String, Object> person() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nom_naissance", "TESTNOM");
        m.put("prenom", "Camille");
        m.put("date_naissance", "1985-05-01");
        m.put("telephone", "0600000000");
        m.put("email", "camille@example.invalid");
        m.put("nir", "1850578006084");
        m.put("id.france-travail.numero", "FT0001");
        m.put("id.caf.matricule", "1234567");
        return m;
    }

    @Test
    public void parsesDiscloseKeysAndTrimsFields() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("disclose.ouiform.prescription", " nom_naissance ,prenom,, email ");
        cfg.put("disclose.france-travail.identification", "nir, date_naissance");
        cfg.put("authority.default", "caf");
        cfg.put("service.pid", "hub.disclosure");
        cfg.put("felix.fileinstall.filename", "file:/opt/hub/etc/hub.disclosure.cfg");
        cfg.put("retention.months", 24);
        DisclosureRules rules = DisclosureRules.from(cfg);
        assertEquals(Set.of("ouiform.prescription", "france-travail.identification"), rules.rules().keySet());
        assertEquals(List.of("nom_naissance", "prenom", "email"), List.copyOf(rules.rules().get("ouiform.prescription")));
        assertTrue(rules.allows("france-travail", "identification", "nir"));
        assertFalse(rules.allows("france-travail", "prescription", "nir"));
        assertFalse(rules.allows("ouiform", "prescription", "nir"));
    }

    @Test
    public void invalidKeyIsRejectedNamingIt() {
        for (String key : List.of("disclose.ouiform", "disclose.OuiForm.prescription", "disclose.ouiform.prescription.extra",
                "disclose.oui_form.prescription", "disclose..x")) {
            IllegalArgumentException e = assertThrows(key, IllegalArgumentException.class,
                    () -> DisclosureRules.from(Map.of(key, "prenom")));
            assertTrue(e.getMessage(), e.getMessage().contains(key));
        }
    }

    @Test
    public void filterKeepsOnlyListedFields() {
        DisclosureRules rules = DisclosureRules.from(Map.of("disclose.ouiform.prescription", "prenom, email, id.france-travail.numero"));
        Map<String, Object> out = rules.filter("ouiform", "prescription", person());
        assertEquals(Map.of("prenom", "Camille", "email", "camille@example.invalid", "id.france-travail.numero", "FT0001"), out);
    }

    @Test
    public void allAttributesNeverIncludesTheNirNorIdentifiers() {
        DisclosureRules rules = DisclosureRules.from(Map.of("disclose.departement.consultation", "attributes.*, id.caf.matricule"));
        Map<String, Object> out = rules.filter("departement", "consultation", person());
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance", "telephone", "email", "id.caf.matricule"), out.keySet());
        assertFalse(out.containsKey("nir"));
        assertFalse(out.containsKey("id.france-travail.numero"));
    }

    @Test
    public void nirOnlyWhenListedByName() {
        DisclosureRules rules = DisclosureRules.from(Map.of("disclose.france-travail.identification", "nir, date_naissance"));
        assertEquals(Map.of("nir", "1850578006084", "date_naissance", "1985-05-01"),
                rules.filter("france-travail", "identification", person()));
    }

    @Test
    public void unknownPartnerOrPurposeGetsNothing() {
        DisclosureRules rules = DisclosureRules.from(Map.of("disclose.ouiform.prescription", "attributes.*, nir"));
        assertEquals(Map.of(), rules.filter("ouiform", "autre", person()));
        assertEquals(Map.of(), rules.filter("inconnu", "prescription", person()));
        assertEquals(Map.of(), DisclosureRules.from(Map.of()).filter("ouiform", "prescription", person()));
        assertFalse(rules.allows("inconnu", "prescription", "nir"));
    }

    @Test
    public void shippedRulesParseAndKeepTheNirAndContactsFromImmersionFacilitee() throws Exception {
        assertTrue("run from the module directory: " + SHIPPED.toAbsolutePath(), Files.isRegularFile(SHIPPED));
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(SHIPPED, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        p.forEach((k, v) -> cfg.put(k.toString(), v));
        DisclosureRules rules = DisclosureRules.from(cfg);
        assertTrue(rules.rules().containsKey("immersion-facilitee.convention"));
        assertTrue(rules.rules().containsKey("departement.consultation"));
        assertFalse(rules.allows("immersion-facilitee", "convention", "nir"));
        assertFalse(rules.allows("immersion-facilitee", "convention", "telephone"));
        assertFalse(rules.allows("immersion-facilitee", "convention", "email"));
        assertTrue(rules.allows("immersion-facilitee", "convention", "prenom"));
        Map<String, Object> convention = rules.filter("immersion-facilitee", "convention", person());
        assertFalse(convention.containsKey("nir"));
        assertFalse(convention.containsKey("telephone"));
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance", "id.france-travail.numero"), convention.keySet());
        assertFalse("the department's consultation never gets the NIR",
                rules.filter("departement", "consultation", person()).containsKey("nir"));
        for (Map.Entry<String, Set<String>> rule : rules.rules().entrySet()) {
            if (rule.getValue().contains("nir")) {
                assertEquals("only France Travail's identification receives the NIR", "france-travail.identification",
                        rule.getKey());
            }
        }
    }

    @Test
    public void specialCategoryAttributesOnlyForARuleThatNamesThem() {
        Map<String, Object> person = person();
        person.put("rqth", "oui");
        person.put("rqth_date_debut", "2024-02-01");
        person.put("rqth_date_fin", "2029-02-01");
        person.put("orientation", "PSO");
        person.put("orientation_criteres", "{\"contrainte_sante\":\"IMPACT_FORT_RECHERCHE_EMPLOI\",\"boe\":true}");
        DisclosureRules rules = DisclosureRules.from(Map.of(
                "disclose.departement.consultation", "attributes.*, id.france-travail.numero",
                "disclose.departement.insertion-handicap", "attributes.*, rqth, rqth_date_fin",
                "disclose.france-travail.rqth", "id.france-travail.numero"));
        Map<String, Object> consultation = rules.filter("departement", "consultation", person);
        for (String special : DisclosureRules.SPECIAL_CATEGORY) {
            assertFalse(special + " is not given by attributes.*", consultation.containsKey(special));
        }
        assertEquals("PSO", consultation.get("orientation"));
        assertTrue(consultation.containsKey("prenom"));
        Map<String, Object> named = rules.filter("departement", "insertion-handicap", person);
        assertEquals("oui", named.get("rqth"));
        assertEquals("2029-02-01", named.get("rqth_date_fin"));
        assertFalse("named one by one", named.containsKey("rqth_date_debut"));
        assertFalse(named.containsKey("orientation_criteres"));
        assertEquals(Map.of("id.france-travail.numero", "FT0001"), rules.filter("france-travail", "rqth", person));
        assertTrue(DisclosureRules.isSpecialCategory("rqth"));
        assertFalse(DisclosureRules.isSpecialCategory("orientation"));
    }

    @Test
    public void shippedConsultationRuleLeavesSpecialCategoriesOut() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(SHIPPED, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        p.forEach((k, v) -> cfg.put(k.toString(), v));
        DisclosureRules rules = DisclosureRules.from(cfg);
        Map<String, Object> person = person();
        DisclosureRules.SPECIAL_CATEGORY.forEach(a -> person.put(a, "x"));
        for (Map.Entry<String, Set<String>> rule : rules.rules().entrySet()) {
            String[] key = rule.getKey().split("\\.");
            Map<String, Object> out = rules.filter(key[0], key[1], person);
            for (String special : DisclosureRules.SPECIAL_CATEGORY) {
                assertFalse(rule.getKey() + " gives " + special, out.containsKey(special));
            }
        }
    }
}
