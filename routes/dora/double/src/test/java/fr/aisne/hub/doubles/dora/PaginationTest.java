package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Pages {items, total, page, size, pages}: size is the number of items returned, 1..10000, default 5000, by id. */
public class PaginationTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void theDefaultSizeIs5000SoOnePageHoldsEverything() throws Exception {
        for (String path : new String[] {"/api/v1/structures", "/api/v1/services", "/api/v1/search/services"}) {
            JsonNode page = ok(path);
            assertEquals(List.of("items", "total", "page", "size", "pages"), fields(page));
            int total = page.get("total").asInt();
            assertTrue(path, total > 20);
            assertEquals(total, page.get("items").size());
            assertEquals("size is the number of items returned", total, page.get("size").asInt());
            assertEquals(1, page.get("page").asInt());
            assertEquals(1, page.get("pages").asInt());
        }
    }

    @Test
    public void pagesSplitTheListAndSizeCountsTheItemsReturned() throws Exception {
        JsonNode all = ok("/api/v1/services");
        int total = all.get("total").asInt();
        List<String> collected = new ArrayList<>();
        int pages = (total + 9) / 10;
        for (int p = 1; p <= pages; p++) {
            JsonNode page = ok("/api/v1/services?size=10&page=" + p);
            assertEquals(total, page.get("total").asInt());
            assertEquals(p, page.get("page").asInt());
            assertEquals(pages, page.get("pages").asInt());
            int expected = p < pages ? 10 : total - 10 * (pages - 1);
            assertEquals(expected, page.get("items").size());
            assertEquals(expected, page.get("size").asInt());
            collected.addAll(ids(page.get("items")));
        }
        assertEquals(ids(all.get("items")), collected);
        JsonNode beyond = ok("/api/v1/services?size=10&page=" + (pages + 1));
        assertEquals(0, beyond.get("items").size());
        assertEquals(0, beyond.get("size").asInt());
        assertEquals(total, beyond.get("total").asInt());
    }

    @Test
    public void itemsAreOrderedById() throws Exception {
        for (String path : new String[] {"/api/v1/structures", "/api/v1/services", "/api/v1/search/services"}) {
            List<String> ids = ids(ok(path).get("items"));
            List<String> sorted = new ArrayList<>(ids);
            sorted.sort(null);
            assertEquals(path, sorted, ids);
        }
    }

    @Test
    public void sizeOutOfRangeIs422WithPydanticErrors() throws Exception {
        JsonNode zero = invalid("/api/v1/structures?size=0");
        assertEquals(1, zero.size());
        assertEquals("greater_than_equal", zero.get(0).get("type").asText());
        assertEquals("[\"query\",\"size\"]", zero.get(0).get("loc").toString());
        assertEquals("Input should be greater than or equal to 1", zero.get(0).get("msg").asText());
        assertEquals("0", zero.get(0).get("input").asText());
        assertEquals(1, zero.get(0).get("ctx").get("ge").asInt());

        JsonNode big = invalid("/api/v1/services?size=10001");
        assertEquals("less_than_equal", big.get(0).get("type").asText());
        assertEquals(10000, big.get(0).get("ctx").get("le").asInt());
        assertEquals(1, ok("/api/v1/services?size=10000").get("pages").asInt());

        JsonNode text = invalid("/api/v1/search/services?size=abc&page=0");
        assertEquals(2, text.size());
        assertEquals("greater_than_equal", text.get(0).get("type").asText());
        assertEquals("[\"query\",\"page\"]", text.get(0).get("loc").toString());
        assertEquals("int_parsing", text.get(1).get("type").asText());
        assertEquals("Input should be a valid integer, unable to parse string as an integer", text.get(1).get("msg").asText());
    }

    private static JsonNode invalid(String path) throws Exception {
        HttpResponse<String> r = api(path);
        assertEquals(r.body(), 422, r.statusCode());
        JsonNode detail = json(r).get("detail");
        assertTrue(r.body(), detail.isArray());
        return detail;
    }

    static List<String> fields(JsonNode node) {
        List<String> f = new ArrayList<>();
        node.fieldNames().forEachRemaining(f::add);
        return f;
    }
}
