package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/** errors.style = platform: the bodies the platform's code gives (checked in its repository, 2026-08). */
public class PlatformErrorsTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("errors.style", "platform"));
    }

    @Test
    public void aMissingHeaderFailsTheRequestValidationAnEmptyOneIsUnauthenticated() throws Exception {
        HttpResponse<String> r = get("/api/v2/conventions/" + Fixtures.MONTH_END, Map.of());
        assertEquals(400, r.statusCode());
        assertEquals(JSON.readTree("{\"issues\":[\"authorization : Invalid input: expected string, received undefined\"],"
                + "\"message\":\"Shared-route schema 'headersSchema' was not respected in adapter 'express'.\\n"
                + "Route: GET /v2/conventions/:conventionId\",\"status\":400}"), json(r));
        HttpResponse<String> empty = get("/api/v2/conventions/" + Fixtures.MONTH_END, Map.of("authorization", ""));
        assertEquals(401, empty.statusCode());
        assertEquals("unauthenticated", json(empty).get("message").asText());
    }

    @Test
    public void forbiddenBodiesAreObjects() throws Exception {
        HttpResponse<String> noRights = get("/api/v2/conventions", auth("no-rights"));
        assertEquals(403, noRights.statusCode());
        assertEquals(JSON.readTree("{\"message\":\"Accès refusé\",\"status\":403}"), json(noRights));
        HttpResponse<String> scope = getConvention("aisne-hub", Fixtures.OUT_OF_SCOPE);
        assertEquals(403, scope.statusCode());
        assertEquals("Le consomateur API 'a15e0000-0000-4000-8000-0000000000a1' n'a pas de droits sur la convention '"
                + Fixtures.OUT_OF_SCOPE + "'.", json(scope).get("message").asText());
    }
}
