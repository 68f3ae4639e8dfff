package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The list filters of /structures and /services, as data·inclusion applies them. */
public class FiltersTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void codeDepartementKeepsTheDepartementOnly() throws Exception {
        JsonNode aisne = ok("/api/v1/services?code_departement=02").get("items");
        JsonNode all = ok("/api/v1/services").get("items");
        assertTrue(aisne.size() >= 60 && aisne.size() < all.size());
        aisne.forEach(s -> assertTrue(s.get("id").asText(), s.get("code_insee").asText().startsWith("02")));
        JsonNode oise = ok("/api/v1/services?code_departement=60").get("items");
        assertEquals(List.of("dora--ccas-compiegne-aide-alimentaire", "dora--ccas-compiegne-domiciliation",
                "france-travail--ft-beauvais-atelier-cv"), ids(oise));
        assertEquals(ids(oise), ids(ok("/api/v1/services?slug_departement=oise").get("items")));
        JsonNode structures = ok("/api/v1/structures?code_departement=02").get("items");
        assertEquals(25 + 2, structures.size()); // with the two bad structures, served by default
        assertEquals(List.of("mission-locale--ml-reims"), ids(ok("/api/v1/structures?code_departement=51").get("items")));
    }

    @Test
    public void regionAndCommune() throws Exception {
        JsonNode hdf = ok("/api/v1/structures?code_region=32").get("items");
        assertFalse(ids(hdf).contains("mission-locale--ml-reims"));
        assertTrue(ids(hdf).contains("dora--ccas-compiegne"));
        assertEquals(ids(hdf), ids(ok("/api/v1/structures?slug_region=hauts-de-france").get("items")));
        assertEquals(List.of("mission-locale--ml-reims"), ids(ok("/api/v1/structures?slug_region=grand-est").get("items")));
        JsonNode laon = ok("/api/v1/services?code_commune=02408").get("items");
        assertTrue(laon.size() > 5);
        laon.forEach(s -> assertEquals("02408", s.get("code_insee").asText()));
    }

    @Test
    public void sourcesIsARepeatedParameter() throws Exception {
        JsonNode two = ok("/api/v1/structures?sources=mission-locale&sources=emplois-de-linclusion").get("items");
        two.forEach(s -> assertTrue(List.of("mission-locale", "emplois-de-linclusion").contains(s.get("source").asText())));
        assertEquals(5 + 1, two.size());
        // a comma is not a separator: no source is called that
        assertEquals(0, ok("/api/v1/structures?sources=dora,mission-locale").get("total").asInt());
    }

    @Test
    public void thematiquesMatchAnyAndACategoryStandsForItsThematiques() throws Exception {
        JsonNode permis = ok("/api/v1/services?thematiques=mobilite--preparer-un-permis").get("items");
        assertTrue(permis.size() >= 5);
        permis.forEach(s -> assertTrue(s.get("thematiques").toString().contains("mobilite--preparer-un-permis")));
        JsonNode mobilite = ok("/api/v1/services?thematiques=mobilite").get("items");
        assertEquals(ids(permis), ids(mobilite));
        JsonNode two = ok("/api/v1/services?thematiques=mobilite--preparer-un-permis"
                + "&thematiques=numerique--acceder-a-des-services-en-ligne").get("items");
        assertTrue(two.size() > permis.size());
    }

    @Test
    public void publicsAlsoMatchServicesForEveryone() throws Exception {
        JsonNode jeunes = ok("/api/v1/services?publics=jeunes").get("items");
        boolean sawTous = false;
        for (JsonNode s : jeunes) {
            String p = s.get("publics").toString();
            assertTrue(s.get("id").asText(), p.contains("\"jeunes\"") || p.contains("tous-publics"));
            sawTous |= p.equals("[\"tous-publics\"]");
        }
        assertTrue(sawTous);
        // asking for tous-publics does not filter at all (data·inclusion's filter_services)
        assertEquals(ok("/api/v1/services").get("total"), ok("/api/v1/services?publics=tous-publics").get("total"));
    }

    @Test
    public void fraisTypesModesAndScore() throws Exception {
        ok("/api/v1/services?frais=payant").get("items").forEach(s -> assertEquals("payant", s.get("frais").asText()));
        assertTrue(ok("/api/v1/services?frais=payant").get("total").asInt() >= 1);
        JsonNode ateliers = ok("/api/v1/services?types=atelier&types=information").get("items");
        ateliers.forEach(s -> assertTrue(List.of("atelier", "information").contains(s.get("type").asText())));
        JsonNode remote = ok("/api/v1/services?modes_accueil=a-distance").get("items");
        assertTrue(remote.size() > 3);
        remote.forEach(s -> assertTrue(s.get("modes_accueil").toString().contains("a-distance")));
        JsonNode good = ok("/api/v1/services?score_qualite_minimum=0.8").get("items");
        assertTrue(good.size() > 0 && good.size() < ok("/api/v1/services").get("total").asInt());
        good.forEach(s -> assertTrue(s.get("score_qualite").asDouble() >= 0.8));
        JsonNode jeunesText = ok("/api/v1/services?recherche_public=handicap").get("items");
        jeunesText.forEach(s -> assertTrue(s.get("publics_precisions").asText().contains("handicap")));
        assertTrue(jeunesText.size() >= 5);
    }

    @Test
    public void structuresByNetworkAndWithoutDuplicates() throws Exception {
        JsonNode ml = ok("/api/v1/structures?reseaux_porteurs=mission-locale").get("items");
        ml.forEach(s -> assertTrue(s.get("reseaux_porteurs").toString().contains("mission-locale")));
        assertTrue(ids(ml).containsAll(List.of("dora--ml-saint-quentinois", "mission-locale--ml-saint-quentin")));
        JsonNode unique = ok("/api/v1/structures?reseaux_porteurs=mission-locale&exclure_doublons=true").get("items");
        assertEquals(ml.size() - 1, unique.size());
        assertTrue(ids(unique).contains("dora--ml-saint-quentinois") ^ ids(unique).contains("mission-locale--ml-saint-quentin"));
    }

    @Test
    public void badValuesAre422WithTheirLocation() throws Exception {
        HttpResponse<String> r = api("/api/v1/services?thematiques=mobilite--preparer-un-permis&thematiques=permis"
                + "&code_departement=999&frais=gratuite&code_commune=0269&score_qualite_minimum=haut");
        assertEquals(422, r.statusCode());
        JsonNode d = json(r).get("detail");
        assertEquals(5, d.size());
        assertEquals("[\"query\",\"thematiques\",1]", d.get(0).get("loc").toString());
        assertEquals("enum", d.get(0).get("type").asText());
        assertEquals("permis", d.get(0).get("input").asText());
        assertEquals("[\"query\",\"code_departement\"]", d.get(1).get("loc").toString());
        assertTrue(d.get(1).get("msg").asText().startsWith("Input should be '01', '02', "));
        assertEquals("string_too_short", d.get(2).get("type").asText());
        assertEquals("[\"query\",\"frais\",0]", d.get(3).get("loc").toString());
        assertEquals("Input should be 'gratuit' or 'payant'", d.get(3).get("msg").asText());
        assertEquals("float_parsing", d.get(4).get("type").asText());
        JsonNode b = json(api("/api/v1/structures?exclure_doublons=peut-etre")).get("detail");
        assertEquals("bool_parsing", b.get(0).get("type").asText());
    }

    @Test
    public void unknownParametersAreIgnored() throws Exception {
        assertEquals(ok("/api/v1/services").get("total"), ok("/api/v1/services?departement=02&foo=bar").get("total"));
    }
}
