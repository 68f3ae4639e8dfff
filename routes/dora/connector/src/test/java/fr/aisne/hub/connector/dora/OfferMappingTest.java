package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/** The department's offer in data·inclusion's terms: ids, fields, and what each axis fills in. */
public class OfferMappingTest {
    private final OfferMapping mapping = new OfferMapping("departement-aisne", List.of("02"));

    private static ObjectNode offer(ObjectNode action) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode s = o.putArray("structures").addObject();
        s.put("identifiant", "asso").put("nom", "Association d'insertion").put("adresse", "1 rue Haute")
                .put("code_postal", "02000").put("code_insee", "02408").put("commune", "Laon").put("latitude", 49.56)
                .put("longitude", 3.62).put("telephone", "+33323000000");
        s.put("lien", "https://www.aisne-actifs.com/structures/asso");
        o.putArray("actions").add(action);
        return o;
    }

    private static ObjectNode action(String axe) {
        ObjectNode a = Json.MAPPER.createObjectNode();
        a.put("identifiant", "action-1").put("porteur", "asso").put("axe", axe).put("intitule", "Coaching emploi")
                .put("description", "Trois mois de coaching pour reprendre un emploi.");
        return a;
    }

    private JsonNode service(ObjectNode action) {
        return mapping.map(offer(action), TestItems.TODAY).services().get(0).v1();
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    public void idsAreSourceThenIdentifiantAndTheStructureFieldsKeepTheirNames() {
        OfferMapping.Mapped m = mapping.map(offer(action("4-2")), TestItems.TODAY);
        JsonNode st = m.structures().get(0).v1();
        assertEquals("departement-aisne--asso", st.get("id").asText());
        assertEquals("departement-aisne", st.get("source").asText());
        assertEquals("https://www.aisne-actifs.com/structures/asso", st.get("lien_source").asText());
        assertEquals("Laon", st.get("commune").asText());
        assertEquals("no date given: today", TestItems.TODAY.toString(), st.get("date_maj").asText());
        assertFalse(m.structures().get(0).dateGiven());
        assertEquals("structures[0]", m.structures().get(0).origin());
        JsonNode sv = m.services().get(0).v1();
        assertEquals("departement-aisne--action-1", sv.get("id").asText());
        assertEquals("departement-aisne--asso", sv.get("structure_id").asText());
        assertEquals("Coaching emploi", sv.get("nom").asText());
        assertEquals("actions[0]", m.services().get(0).origin());
    }

    @Test
    public void theAxisGivesTypeThematiquesAndPublics() {
        JsonNode coaching = service(action("4-2"));
        assertEquals("accompagnement", coaching.get("type").asText());
        assertTrue(strings(coaching.get("thematiques")).contains("trouver-un-emploi--convaincre-un-recruteur-en-entretien"));
        assertEquals(List.of("beneficiaires-des-minimas-sociaux", "jeunes"), strings(coaching.get("publics")));
        assertTrue(coaching.get("publics_precisions").asText().contains("jeunes sortants de l'ASE"));

        JsonNode permis = service(action("3-2"));
        assertEquals("formation", permis.get("type").asText());
        assertEquals(List.of("mobilite--preparer-un-permis"), strings(permis.get("thematiques")));

        JsonNode independants = service(action("1-1"));
        assertEquals("RSA only: the axis does not name the young from the ASE",
                List.of("beneficiaires-des-minimas-sociaux"), strings(independants.get("publics")));
        assertEquals(List.of("beneficiaires-des-minimas-sociaux", "jeunes", "familles"),
                strings(service(action("3-6")).get("publics")));
    }

    @Test
    public void whatTheActionSaysWinsOverTheAxis() {
        ObjectNode a = action("4-2");
        a.putArray("thematiques").add("numerique--maitriser-les-fondamentaux-du-numerique");
        a.put("type", "atelier");
        a.putArray("publics").add("seniors");
        JsonNode s = service(a);
        assertEquals(List.of("numerique--maitriser-les-fondamentaux-du-numerique"), strings(s.get("thematiques")));
        assertEquals("atelier", s.get("type").asText());
        assertEquals(List.of("seniors"), strings(s.get("publics")));
        assertFalse("the axis' precision is about its own public", s.has("publics_precisions"));
    }

    @Test
    public void everyAxisButAutreIsValidSchemaV1() {
        for (Axe axe : Axe.values()) {
            if (axe == Axe.AUTRE) {
                continue;
            }
            JsonNode s = service(action(axe.code));
            assertEquals(axe.code + ": " + s, List.of(), TestItems.V1.check(Kind.SERVICE, s, TestItems.TODAY).errors());
        }
        JsonNode autre = service(action("autre"));
        assertFalse(autre.has("type"));
        assertFalse(autre.has("thematiques"));
    }

    @Test
    public void freeOnSiteAtTheStructureForTheDepartementMobilisedByTheReferent() {
        JsonNode s = service(action("4-2"));
        assertEquals("gratuit", s.get("frais").asText());
        assertEquals(List.of("en-presentiel"), strings(s.get("modes_accueil")));
        assertEquals("the porteur's address", "1 rue Haute", s.get("adresse").asText());
        assertEquals("02408", s.get("code_insee").asText());
        assertEquals(49.56, s.get("latitude").asDouble(), 0);
        assertEquals(List.of("02"), strings(s.get("zone_eligibilite")));
        assertEquals(List.of("professionnels"), strings(s.get("mobilisable_par")));
        assertEquals(OfferMapping.ORIENTATION, s.get("mobilisation_precisions").asText());
        assertFalse("no contact, no way of mobilising named", s.has("modes_mobilisation"));
        assertFalse("the structure's phone is the structure's", s.has("telephone"));
    }

    @Test
    public void whatTheDepartmentSaysInstead() {
        ObjectNode a = action("3-1");
        a.put("gratuit", false).put("frais_precisions", "2 euros par jour de location");
        a.putArray("modalites").add("a-distance");
        a.putArray("zone_eligibilite").add("02691").add("200071892");
        a.putObject("contact").put("nom_prenom", "Camille Martin").put("telephone", "+33323000111")
                .put("courriel", "c.martin@example.org");
        a.putObject("mobilisation").put("lien", "https://example.org/rdv");
        a.put("duree_semaines", 12).put("heures_hebdomadaires", 6.5).put("lien", "https://www.aisne-actifs.com/a/1")
                .put("date_maj", "2026-01-15");
        JsonNode s = service(a);
        assertEquals("payant", s.get("frais").asText());
        assertEquals("2 euros par jour de location", s.get("frais_precisions").asText());
        assertEquals(List.of("a-distance"), strings(s.get("modes_accueil")));
        assertFalse("remote only: no address taken from the structure", s.has("adresse"));
        assertEquals(List.of("02691", "200071892"), strings(s.get("zone_eligibilite")));
        assertEquals(List.of("envoyer-un-courriel", "telephoner", "utiliser-lien-mobilisation"),
                strings(s.get("modes_mobilisation")));
        assertEquals("https://example.org/rdv", s.get("lien_mobilisation").asText());
        assertEquals("Camille Martin", s.get("contact_nom_prenom").asText());
        assertEquals("+33323000111", s.get("telephone").asText());
        assertEquals("c.martin@example.org", s.get("courriel").asText());
        assertEquals(12, s.get("nombre_semaines").asInt());
        assertEquals(6.5, s.get("volume_horaire_hebdomadaire").asDouble(), 0);
        assertEquals("https://www.aisne-actifs.com/a/1", s.get("lien_source").asText());
        assertEquals("2026-01-15", s.get("date_maj").asText());

        ObjectNode lieu = action("3-7");
        lieu.putObject("lieu").put("adresse", "14 rue de Mulhouse").put("code_insee", "02691");
        assertEquals("14 rue de Mulhouse", service(lieu).get("adresse").asText());
        assertEquals("02691", service(lieu).get("code_insee").asText());
        assertFalse("only the lieu's fields", service(lieu).has("latitude"));
    }

    @Test
    public void errorsAreNamedWithTheDepartmentsFields() {
        assertEquals("intitule", OfferMapping.departmentField(Kind.SERVICE, "nom"));
        assertEquals("porteur", OfferMapping.departmentField(Kind.SERVICE, "structure_id"));
        assertEquals("lieu.code_insee", OfferMapping.departmentField(Kind.SERVICE, "code_insee"));
        assertEquals("contact.courriel", OfferMapping.departmentField(Kind.SERVICE, "courriel"));
        assertEquals("courriel", OfferMapping.departmentField(Kind.STRUCTURE, "courriel"));
        assertEquals("publics", OfferMapping.departmentField(Kind.SERVICE, "publics"));
    }

    @Test
    public void theExampleOfferMapsToValidItems() {
        OfferMapping.Mapped m = mapping.map(TestItems.exampleOffer(), TestItems.TODAY);
        assertEquals(4, m.structures().size());
        assertEquals(7, m.services().size());
        for (OfferMapping.Item i : m.structures()) {
            assertTrue(i.v1().toString(), TestItems.V1.check(Kind.STRUCTURE, i.v1(), TestItems.TODAY).valid());
        }
        for (OfferMapping.Item i : m.services()) {
            assertTrue(i.v1().toString(), TestItems.V1.check(Kind.SERVICE, i.v1(), TestItems.TODAY).valid());
        }
    }
}
