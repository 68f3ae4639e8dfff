package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** GET /api/v1/search/services: {service: {..., structure}, distance} items; by commune or point; no code_departement. */
public class SearchTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void eachItemIsTheServiceWithItsStructureAndADistance() throws Exception {
        JsonNode items = ok("/api/v1/search/services?code_commune=02691").get("items");
        assertTrue(items.size() > 10);
        for (JsonNode item : items) {
            assertEquals(List.of("service", "distance"), PaginationTest.fields(item));
            JsonNode service = item.get("service");
            JsonNode structure = service.get("structure");
            assertTrue(structure.isObject());
            assertEquals(service.get("structure_id").asText(), structure.get("id").asText());
            assertTrue(service.has("score_qualite") && service.has("adresse_certifiee"));
            assertTrue(structure.has("adresse_certifiee"));
            assertFalse("BaseStructure has no score", structure.has("score_qualite"));
        }
    }

    @Test
    public void byCommuneDistancesAscendNullsLastWithin50Km() throws Exception {
        JsonNode items = ok("/api/v1/search/services?code_commune=02691").get("items");
        List<Integer> distances = new ArrayList<>();
        boolean nulls = false;
        for (JsonNode item : items) {
            JsonNode d = item.get("distance");
            if (d.isNull()) {
                nulls = true;
                assertTrue("remote", item.get("service").get("modes_accueil").toString().contains("a-distance"));
            } else {
                assertFalse("a distance after a null", nulls);
                assertTrue(d.asInt() <= 50);
                distances.add(d.asInt());
            }
        }
        assertTrue(nulls);
        List<Integer> sorted = new ArrayList<>(distances);
        sorted.sort(null);
        assertEquals(sorted, distances);
        assertEquals(0, distances.get(0).intValue());
        // Saint-Quentin is about 74 km from Château-Thierry and 86 km from Villers-Cotterêts: out of range
        List<String> ids = ids(items);
        assertFalse(ids.contains("dora--mds-chateau-thierry-accompagnement-social"));
        assertTrue(ids.contains("dora--mds-laon-accompagnement-social")); // 37 km
        // the remote-only service of an agency out of range is still found
        assertTrue(ids.contains("france-travail--ft-chateau-thierry-trouver-formation"));
        // another département's services are out of their zone_eligibilite
        assertFalse(ids.contains("dora--ccas-compiegne-aide-alimentaire"));
    }

    @Test
    public void zoneEligibiliteOfACommuneKeepsItsServicesHome() throws Exception {
        List<String> laon = ids(ok("/api/v1/search/services?code_commune=02408").get("items"));
        assertTrue(laon.contains("dora--ccas-laon-aide-alimentaire"));
        assertFalse("zone_eligibilite [02691]", laon.contains("dora--ccas-saint-quentin-aide-alimentaire"));
        assertTrue("no zone, within range", laon.contains("dora--pcb-fere-en-tardenois-point-conseil-budget"));
    }

    @Test
    public void latLonMoveThePointOfACommuneSearch() throws Exception {
        JsonNode fromSq = ok("/api/v1/search/services?code_commune=02691&size=1").get("items").get(0);
        JsonNode fromLaon = ok("/api/v1/search/services?code_commune=02691&lat=49.564&lon=3.62&size=1").get("items").get(0);
        assertTrue(fromSq.get("service").get("code_insee").asText().equals("02691"));
        assertEquals("02408", fromLaon.get("service").get("code_insee").asText());
    }

    @Test
    public void withoutACommuneNoDistanceAndOrderedById() throws Exception {
        JsonNode items = ok("/api/v1/search/services?lat=49.84&lon=3.28").get("items");
        items.forEach(i -> assertTrue(i.get("distance").isNull()));
        List<String> ids = ids(items);
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids);
        assertEquals(ok("/api/v1/services").get("total"), ok("/api/v1/search/services").get("total"));
    }

    @Test
    public void thereIsNoCodeDepartementHere() throws Exception {
        JsonNode all = ok("/api/v1/search/services");
        JsonNode oise = ok("/api/v1/search/services?code_departement=60");
        assertEquals("code_departement is not a parameter of the search: ignored", all.get("total"), oise.get("total"));
        assertTrue(ids(oise.get("items")).contains("dora--mds-laon-accompagnement-social"));
        // and invalid values of it are not even checked
        assertEquals(200, api("/api/v1/search/services?code_departement=999").statusCode());
    }

    @Test
    public void anUnknownCommuneIs422WithAString() throws Exception {
        HttpResponse<String> r = api("/api/v1/search/services?code_commune=02999");
        assertEquals(422, r.statusCode());
        assertEquals("{\"detail\":\"This `code_commune` does not exist.\"}", r.body());
        HttpResponse<String> shape = api("/api/v1/search/services?code_commune=2A0");
        assertEquals(422, shape.statusCode());
        assertTrue(json(shape).get("detail").isArray());
    }

    @Test
    public void latWithoutLonIs422WithAString() throws Exception {
        HttpResponse<String> r = api("/api/v1/search/services?lat=49.8");
        assertEquals(422, r.statusCode());
        assertEquals("The `lat` and `lon` must be simultaneously filled.", json(r).get("detail").asText());
    }

    @Test
    public void filtersApplyToTheSearch() throws Exception {
        JsonNode items = ok("/api/v1/search/services?code_commune=02722&thematiques=numerique&frais=gratuit"
                + "&modes_accueil=en-presentiel&publics=jeunes&types=atelier&types=accompagnement&sources=dora")
                .get("items");
        assertTrue(items.size() > 0);
        for (JsonNode i : items) {
            JsonNode s = i.get("service");
            assertEquals("dora", s.get("source").asText());
            assertTrue(s.get("thematiques").toString().contains("numerique--"));
        }
        JsonNode best = ok("/api/v1/search/services?score_qualite_minimum=0.9").get("items");
        best.forEach(i -> assertTrue(i.get("service").get("score_qualite").asDouble() >= 0.9));
    }

    @Test
    public void exclureDoublonsKeepsTheServicesOfTheBestStructureOfACluster() throws Exception {
        List<String> all = ids(ok("/api/v1/search/services?code_commune=02691&thematiques=mobilite").get("items"));
        assertTrue(all.contains("dora--ml-saint-quentinois-permis"));
        assertTrue(all.contains("mission-locale--ml-saint-quentin-permis"));
        List<String> unique = ids(ok("/api/v1/search/services?code_commune=02691&thematiques=mobilite"
                + "&exclure_doublons=true").get("items"));
        assertEquals(all.size() - 1, unique.size());
        assertTrue(unique.contains("dora--ml-saint-quentinois-permis") ^ unique.contains("mission-locale--ml-saint-quentin-permis"));
    }
}
