package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** GET /v2/conventions/{id} and the list: a bare array, at most 100, newest start first, the key's scope only. */
public class ConventionsApiTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    private static JsonNode list(String query) throws Exception {
        HttpResponse<String> r = get("/api/v2/conventions" + query, auth("aisne-hub"));
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode a = json(r);
        assertTrue("a bare array", a.isArray());
        return a;
    }

    @Test
    public void theListIsABareArrayOfAtMost100NewestStartFirstWithoutPagination() throws Exception {
        JsonNode all = list("");
        assertEquals(100, all.size());
        String previous = "9999";
        for (JsonNode c : all) {
            String start = c.get("dateStart").asText();
            assertTrue(start + " after " + previous, start.compareTo(previous) <= 0);
            previous = start;
        }
        // more than 100 are in scope: the oldest of the page is not the oldest there is
        JsonNode older = list("?startDateLessOrEqual=" + previous.substring(0, 10));
        assertTrue(older.size() > 1);
        // no pagination parameter exists
        assertEquals(400, get("/api/v2/conventions?page=2", auth("aisne-hub")).statusCode());
    }

    @Test
    public void onlyTheKeysScopeIsListed() throws Exception {
        Set<String> agencies = new HashSet<>();
        for (JsonNode c : list("?startDateGreater=2024-01-01&startDateLessOrEqual=2024-12-31")) {
            agencies.add(c.get("agencyId").asText());
        }
        assertTrue(agencies.contains(Agency.CD02.id()));
        assertTrue("through agencyRefersTo", agencies.contains(Agency.FT_SAINT_QUENTIN.id()));
        assertFalse(agencies.contains(Agency.FT_AMIENS.id()));
    }

    @Test
    public void datesAndStatusesFilter() throws Exception {
        // startDateGreater is strict, startDateLessOrEqual inclusive; the month-end fixture starts on 2025-01-27
        assertTrue(ids(list("?startDateGreater=2025-01-26&startDateLessOrEqual=2025-01-27")).contains(Fixtures.MONTH_END));
        assertFalse(ids(list("?startDateGreater=2025-01-27&startDateLessOrEqual=2025-01-31")).contains(Fixtures.MONTH_END));
        assertFalse(ids(list("?startDateGreater=2025-01-20&startDateLessOrEqual=2025-01-26")).contains(Fixtures.MONTH_END));
        for (JsonNode c : list("?withStatuses=IN_REVIEW")) {
            assertEquals("IN_REVIEW", c.get("status").asText());
        }
        Set<String> statuses = new HashSet<>();
        for (JsonNode c : list("?withStatuses=IN_REVIEW&withStatuses=REJECTED")) {
            statuses.add(c.get("status").asText());
        }
        assertEquals(Set.of("IN_REVIEW", "REJECTED"), statuses);
        for (JsonNode c : list("?withStatuses%5B%5D=CANCELLED")) {
            assertEquals("CANCELLED", c.get("status").asText());
        }
        assertTrue(list("?startDateGreater=2025-01-26T00:00:00.000Z&startDateLessOrEqual=2025-01-27").size() >= 1);
    }

    @Test
    public void anUnknownQueryParameterIsA400BeforeAnyAuthentication() throws Exception {
        HttpResponse<String> r = get("/api/v2/conventions?updatedSince=2025-01-01", Map.of("authorization", "whatever"));
        assertEquals(400, r.statusCode());
        assertEquals(JSON.readTree("{\"issues\":[\" : Unrecognized key: \\\"updatedSince\\\"\"],"
                + "\"message\":\"Shared-route schema 'queryParamsSchema' was not respected in adapter 'express'.\\n"
                + "Route: GET /v2/conventions\",\"status\":400}"), json(r));
        HttpResponse<String> dates = get("/api/v2/conventions?startDateGreater=hier", auth("aisne-hub"));
        assertEquals(400, dates.statusCode());
        assertEquals("startDateGreater : Invalid input: expected date, received Date", json(dates).get("issues").get(0).asText());
        assertEquals(400, get("/api/v2/conventions?withStatuses=DRAFT", auth("aisne-hub")).statusCode());
        assertEquals(400, get("/api/v2/conventions?withStatuses=IN_REVIEW,REJECTED", auth("aisne-hub")).statusCode());
    }

    @Test
    public void theConventionReadHasTheAgencyFieldsAndTheSignatories() throws Exception {
        JsonNode c = json(getConvention("aisne-hub", Fixtures.EMPLOYEE));
        assertEquals("conseil-departemental", c.get("agencyKind").asText());
        assertEquals("02", c.get("agencyDepartment").asText());
        assertTrue(c.at("/signatories/beneficiaryCurrentEmployer").isObject());
        assertTrue(c.at("/signatories/beneficiary/birthdate").asText().matches("\\d{4}-\\d{2}-\\d{2}"));
        assertTrue(c.get("dateStart").asText().endsWith("T00:00:00.000Z"));
        assertFalse(c.has("agencyRefersTo"));
        JsonNode ft = json(getConvention("aisne-hub", Fixtures.FT_LAON_ONLY));
        assertEquals("pole-emploi", ft.get("agencyKind").asText());
        JsonNode legacy = json(getConvention("aisne-hub", Fixtures.LEGACY_TOTAL_HOURS));
        assertFalse("legacy conventions have no updatedAt", legacy.has("updatedAt"));
        assertEquals("FINISHED", legacy.at("/assessment/status").asText());
        JsonNode review = json(getConvention("aisne-hub", Fixtures.IN_REVIEW_NEXT_MONTH));
        assertTrue(review.get("assessment").isNull());
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> ids = new HashSet<>();
        list.forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }
}
