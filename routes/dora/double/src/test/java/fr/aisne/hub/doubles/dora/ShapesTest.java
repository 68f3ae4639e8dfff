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

/** What the items carry beyond the schema, the single-item routes, and the API's 404/405/307 habits. */
public class ShapesTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void structuresCarryScoreDuplicatesAndCertifiedAddress() throws Exception {
        for (JsonNode s : ok("/api/v1/structures").get("items")) {
            assertTrue(s.get("id").asText(), s.get("score_qualite").isNumber());
            assertTrue(s.get("adresse_certifiee").isBoolean());
            assertTrue(s.get("doublons").isArray());
        }
        JsonNode ml = ok("/api/v1/structures?code_commune=02691&reseaux_porteurs=mission-locale").get("items");
        assertEquals(2, ml.size());
        assertEquals("[{\"source\":\"mission-locale\",\"id\":\"mission-locale--ml-saint-quentin\"}]",
                ml.get(0).get("doublons").toString());
        assertEquals("[{\"source\":\"dora\",\"id\":\"dora--ml-saint-quentinois\"}]", ml.get(1).get("doublons").toString());
    }

    @Test
    public void servicesCarryScoreAndCertifiedAddressButNotTheirStructure() throws Exception {
        for (JsonNode s : ok("/api/v1/services").get("items")) {
            double score = s.get("score_qualite").asDouble();
            assertTrue(score >= 0 && score <= 1);
            assertTrue(s.get("adresse_certifiee").isBoolean());
            assertFalse(s.has("structure"));
        }
        // every schema field is present, null when unknown (pydantic serializes them all)
        JsonNode one = ok("/api/v1/services/dora--mds-laon-accompagnement-rsa");
        for (String field : List.of("frais_precisions", "contact_nom_prenom", "mobilisation_precisions")) {
            assertTrue(field, one.has(field) && one.get(field).isNull());
        }
    }

    @Test
    public void singleItemRoutes() throws Exception {
        JsonNode s = ok("/api/v1/structures/dora--ml-saint-quentinois");
        assertEquals("Mission Locale du Saint-Quentinois", s.get("nom").asText());
        assertEquals(3, s.get("services").size());
        assertEquals("mission-locale--ml-saint-quentin", s.get("doublons").get(0).get("id").asText());
        assertTrue("duplicates in full", s.get("doublons").get(0).has("nom"));
        JsonNode sv = ok("/api/v1/services/dora--ml-saint-quentinois-cej");
        assertEquals("dora--ml-saint-quentinois", sv.get("structure").get("id").asText());
        assertEquals(52, sv.get("nombre_semaines").asInt());
        HttpResponse<String> missing = api("/api/v1/services/dora--nothing-here");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"detail\":\"Not Found\"}", missing.body());
        assertEquals(404, api("/api/v1/structures/dora--nothing-here").statusCode());
    }

    @Test
    public void sourcesAndDocs() throws Exception {
        JsonNode sources = ok("/api/v1/sources");
        assertEquals(5, sources.size());
        assertEquals("dora", sources.get(0).get("slug").asText());
        assertTrue(sources.get(0).has("nom") && sources.get(0).has("description"));
        for (String doc : Vocabulary.DOCS.keySet()) {
            assertEquals(doc, 200, get("/api/v1/doc/" + doc, Map.of()).statusCode());
        }
        JsonNode frais = json(get("/api/v1/doc/frais", Map.of()));
        assertEquals("gratuit", frais.get(0).get("value").asText());
        assertEquals(404, get("/api/v1/doc/nothing", Map.of()).statusCode());
    }

    @Test
    public void notFoundMethodNotAllowedAndTrailingSlash() throws Exception {
        HttpResponse<String> r = api("/api/v2/structures");
        assertEquals(404, r.statusCode());
        assertEquals("{\"detail\":\"Not Found\"}", r.body());
        HttpResponse<String> post = post("/api/v1/services", "{}", bearer(API_TOKEN));
        assertEquals(405, post.statusCode());
        assertEquals("{\"detail\":\"Method Not Allowed\"}", post.body());
        assertEquals("GET", post.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> slash = api("/api/v1/services/?size=1");
        assertEquals(307, slash.statusCode());
        assertEquals("/api/v1/services?size=1", slash.headers().firstValue("Location").orElse(null));
    }

    @Test
    public void badItemsAreServedByDefaultAndCanBeLeftOut() throws Exception {
        List<String> withBad = ids(ok("/api/v1/services").get("items"));
        assertTrue(withBad.containsAll(List.of(Fixtures.BAD_V0_SERVICE, Fixtures.BAD_TOUS_PUBLICS,
                Fixtures.BAD_DATE_1999, Fixtures.BAD_DATE_FUTURE)));
        assertTrue(ids(ok("/api/v1/structures").get("items")).containsAll(List.of(Fixtures.BAD_NOM,
                Fixtures.BAD_V0_STRUCTURE)));
        JsonNode v0 = ok("/api/v1/services/" + Fixtures.BAD_V0_SERVICE);
        assertTrue(v0.has("presentation_resume") && !v0.has("description") && v0.get("frais").isArray());
        assertEquals("1999-12-31", ok("/api/v1/services/" + Fixtures.BAD_DATE_1999).get("date_maj").asText());
        assertEquals("2027-04-20", ok("/api/v1/services/" + Fixtures.BAD_DATE_FUTURE).get("date_maj").asText());

        control("{\"includeBadItems\":false}");
        List<String> without = ids(ok("/api/v1/services").get("items"));
        assertEquals(withBad.size() - 4, without.size());
        assertFalse(without.contains(Fixtures.BAD_V0_SERVICE));
        assertEquals(404, api("/api/v1/services/" + Fixtures.BAD_V0_SERVICE).statusCode());
        assertEquals(404, api("/api/v1/structures/" + Fixtures.BAD_NOM).statusCode());
        assertFalse(ids(ok("/api/v1/search/services").get("items")).contains(Fixtures.BAD_TOUS_PUBLICS));
        assertEquals(28, ok("/api/v1/structures").get("total").asInt());
    }

    @Test
    public void theFixturesEndpointListsTheBadItemsAndTheirRules() throws Exception {
        JsonNode f = json(get("/double/fixtures", Map.of()));
        assertEquals(28, f.get("structures").get("valid").asInt());
        assertEquals(2, f.get("structures").get("bad").asInt());
        assertEquals(64, f.get("services").get("valid").asInt());
        assertEquals(4, f.get("services").get("bad").asInt());
        assertEquals(60, f.get("services").get("validByDepartement").get("02").asInt());
        assertEquals(6, f.get("bad").size());
        for (JsonNode b : f.get("bad")) {
            assertTrue(b.has("id") && b.has("field") && b.has("rule") && b.has("why"));
        }
    }
}
