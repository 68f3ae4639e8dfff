package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/** The department's query over the local directory: each filter, the nearest first, and what it refuses. */
public class ServiceQueryTest {
    private DirectoryStore store;
    private final List<String> thematiques = TestItems.V1.enumeration(Kind.SERVICE, "Thematique");
    private final List<String> publics = TestItems.V1.enumeration(Kind.SERVICE, "Public");

    @Before
    public void setUp() {
        fr.aisne.hub.api.ModuleDatabase database = TestTables.empty();
        store = new DirectoryStore(database.jdbc(), new MutableClock(TestItems.NOW));
        store.apply(Kind.STRUCTURE, List.of(TestItems.V1.known(Kind.STRUCTURE, TestItems.structure("dora--ccas-laon"))),
                List.of());
        List<ObjectNode> services = new ArrayList<>();
        // in Laon, on site
        services.add(service("dora--laon-alimentation", "02408", null, false, "equipement-et-alimentation--alimentation",
                "familles", "gratuit"));
        // in Saint-Quentin, for the people of Laon too (its zone names the commune)
        services.add(service("dora--sq-permis", "02691", "02408", false, "mobilite--preparer-un-permis", "jeunes", "payant"));
        // remote, for the whole département
        services.add(service("dora--remote-numerique", null, "02", true, "numerique--acceder-a-des-services-en-ligne",
                "tous-publics", "gratuit"));
        // remote, no zone
        services.add(service("dora--remote-any", null, null, true, "mobilite--financer-ma-mobilite", "seniors", "gratuit"));
        // on site in Hirson, zone the département: not for a person in Laon
        services.add(service("dora--hirson-cv", "02381", "02", false,
                "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation", "demandeurs-emploi", "gratuit"));
        store.apply(Kind.SERVICE, services, List.of());
    }

    private static ObjectNode service(String id, String commune, String zone, boolean remote, String thematique,
            String pub, String frais) {
        ObjectNode s = TestItems.service(id, "dora--ccas-laon");
        s.remove("code_insee");
        if (commune != null) {
            s.put("code_insee", commune);
        }
        if (zone != null) {
            s.putArray("zone_eligibilite").add(zone);
        }
        s.putArray("modes_accueil").add(remote ? "a-distance" : "en-presentiel");
        s.putArray("thematiques").add(thematique);
        s.putArray("publics").add(pub);
        s.put("frais", frais);
        return TestItems.V1.known(Kind.SERVICE, s);
    }

    private List<String> ids(String query) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode i : page(query).items()) {
            out.add(i.get("id").asText());
        }
        return out;
    }

    private DirectoryStore.QueryPage page(String query) throws Exception {
        return store.services(ServiceQuery.parse(query, thematiques, publics));
    }

    @Test
    public void everythingOrderedByIdWithoutFilters() throws Exception {
        assertEquals(List.of("dora--hirson-cv", "dora--laon-alimentation", "dora--remote-any", "dora--remote-numerique",
                "dora--sq-permis"), ids(null));
        JsonNode first = page(null).items().get(1);
        assertEquals("each service comes with its structure", "dora--ccas-laon", first.get("structure").get("id").asText());
    }

    @Test
    public void theServicesAvailableToAPersonOfLaonNearestFirst() throws Exception {
        DirectoryStore.QueryPage p = page("code_commune=02408");
        assertEquals(List.of("dora--laon-alimentation", "dora--sq-permis", "dora--remote-any", "dora--remote-numerique"),
                ids("code_commune=02408"));
        assertEquals(List.of("commune", "zone", "a-distance", "a-distance"),
                p.items().stream().map(i -> i.get("proximite").asText()).toList());
        assertEquals(List.of("dora--hirson-cv", "dora--remote-any", "dora--remote-numerique"), ids("code_commune=02381"));
    }

    @Test
    public void thematiqueOrCategoryPublicWithTousPublicsAndFrais() throws Exception {
        assertEquals(List.of("dora--remote-any", "dora--sq-permis"), ids("thematique=mobilite"));
        assertEquals(List.of("dora--sq-permis"), ids("thematique=mobilite--preparer-un-permis"));
        assertEquals(List.of("dora--remote-any", "dora--remote-numerique", "dora--sq-permis"),
                ids("thematique=mobilite,numerique"));
        assertEquals(List.of("dora--remote-numerique", "dora--sq-permis"), ids("public=jeunes"));
        assertEquals("tous-publics filters nothing", 5, ids("public=tous-publics").size());
        assertEquals(List.of("dora--sq-permis"), ids("frais=payant"));
        assertEquals(List.of("dora--sq-permis"), ids("thematique=mobilite&public=jeunes&frais=payant&code_commune=02408"));
    }

    @Test
    public void pagesInDataInclusionsEnvelope() throws Exception {
        Map<String, Object> env = page("size=2&page=3").envelope();
        assertEquals(5L, env.get("total"));
        assertEquals(3, env.get("page"));
        assertEquals("size is the number of items returned", 1, env.get("size"));
        assertEquals(3L, env.get("pages"));
    }

    @Test
    public void refusedParametersSayWhatIsAccepted() {
        for (String q : List.of("thematique=mobilit", "public=rsa", "frais=cher", "code_commune=2408",
                "code_commune=02408,02691", "page=0", "size=1001", "size=abc", "departement=02", "thematique=%ZZ")) {
            ServiceQuery.Invalid e = assertThrows(q, ServiceQuery.Invalid.class,
                    () -> ServiceQuery.parse(q, thematiques, publics));
            assertTrue(e.getMessage(), e.getMessage().length() > 10);
        }
    }
}
