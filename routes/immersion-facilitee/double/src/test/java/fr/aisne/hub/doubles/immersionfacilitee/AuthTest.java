package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The raw key in {@code authorization} (no "Bearer"), the platform's 401 messages, the 403 bodies of
 * docs/PARTNERS.md (errors.style = partners, the default).
 */
public class AuthTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    private static void assert401(HttpResponse<String> r, String message) throws Exception {
        assertEquals(r.body(), 401, r.statusCode());
        assertEquals(JSON.readTree("{\"message\":\"" + message + "\",\"status\":401}"), json(r));
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    private static HttpResponse<String> read(Map<String, String> headers) throws Exception {
        return get("/api/v2/conventions/" + Fixtures.MONTH_END, headers);
    }

    @Test
    public void theRawKeyOpensTheApi() throws Exception {
        HttpResponse<String> r = read(auth("aisne-hub"));
        assertEquals(r.body(), 200, r.statusCode());
        assertEquals(Fixtures.MONTH_END, json(r).get("id").asText());
    }

    @Test
    public void noHeaderOrAnEmptyOneIsUnauthenticated() throws Exception {
        assert401(read(Map.of()), "unauthenticated");
        assert401(read(Map.of("authorization", "")), "unauthenticated");
        assert401(get("/api/v2/conventions?withStatuses=ACCEPTED_BY_VALIDATOR", Map.of()), "unauthenticated");
        assert401(get("/api/v2/webhooks", Map.of()), "unauthenticated");
    }

    @Test
    public void aBearerPrefixOrAMalformedKeyIsAnIncorrectJwt() throws Exception {
        assert401(read(Map.of("authorization", "Bearer " + key("aisne-hub"))), "incorrect Jwt");
        assert401(read(Map.of("authorization", "not-a-jwt")), "incorrect Jwt");
        assert401(read(Map.of("authorization", "a.b.c")), "incorrect Jwt");
        // right shape, signature of another secret
        String key = key("aisne-hub");
        String forged = key.substring(0, key.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert401(read(Map.of("authorization", forged)), "incorrect Jwt");
    }

    @Test
    public void aKeyInTheQueryStringDoesNotAuthenticate() throws Exception {
        assert401(get("/api/v2/conventions/" + Fixtures.MONTH_END + "?authorization=" + key("aisne-hub"), Map.of()),
                "unauthenticated");
        // with both, the header counts (Camel keeps both values, the header first)
        assertEquals(200, get("/api/v2/conventions/" + Fixtures.MONTH_END + "?authorization=garbage", auth("aisne-hub"))
                .statusCode());
        assert401(get("/api/v2/conventions/" + Fixtures.MONTH_END + "?authorization=" + key("aisne-hub"),
                Map.of("authorization", "garbage")), "incorrect Jwt");
    }

    @Test
    public void unknownRevokedExpiredAndRenewedConsumers() throws Exception {
        HttpResponse<String> minted = post("/double/control/keys",
                "{\"consumerId\":\"99999999-0000-4000-8000-000000000000\"}", Map.of());
        assertEquals(200, minted.statusCode());
        assert401(read(Map.of("authorization", json(minted).get("key").asText())), "consumer not found");
        assert401(read(auth("revoked")), "api consumer revoked");
        assert401(read(auth("expired")), "expired token");
        // a key issued before the consumer's current one
        HttpResponse<String> old = post("/double/control/keys",
                "{\"consumer\":\"aisne-hub\",\"issuedAt\":\"2024-06-01T00:00:00Z\"}", Map.of());
        assert401(read(Map.of("authorization", json(old).get("key").asText())), "api key has been renewed");
    }

    @Test
    public void aConsumerWithoutRightsIsRefusedWithTheJsonStringAccesRefuse() throws Exception {
        for (HttpResponse<String> r : new HttpResponse[] {read(auth("no-rights")),
            get("/api/v2/conventions", auth("no-rights")), get("/api/v2/webhooks", auth("no-rights")),
            post("/api/v2/webhooks", "{\"callbackUrl\":\"https://hub.example/cb\",\"subscribedEvent\":\"convention.updated\","
                    + "\"callbackHeaders\":{}}", auth("no-rights"))}) {
            assertEquals(r.body(), 403, r.statusCode());
            assertEquals("\"Accès refusé\"", r.body());
        }
    }

    @Test
    public void aConventionOutsideTheScopeIs403() throws Exception {
        HttpResponse<String> r = getConvention("aisne-hub", Fixtures.OUT_OF_SCOPE);
        assertEquals(403, r.statusCode());
        assertEquals("Accès refusé", json(r).asText());
        assertEquals(200, getConvention("somme-partner", Fixtures.OUT_OF_SCOPE).statusCode());
        // through agencyRefersTo: a France Travail agency that refers to the department
        HttpResponse<String> refers = getConvention("aisne-hub", Fixtures.DST_SPRING);
        assertEquals(200, refers.statusCode());
        assertEquals("conseil-departemental", json(refers).at("/agencyRefersTo/kind").asText());
        assertEquals(403, getConvention("somme-partner", Fixtures.DST_SPRING).statusCode());
    }

    @Test
    public void unknownAndMalformedConventionIds() throws Exception {
        HttpResponse<String> r = getConvention("aisne-hub", "6f1c0000-0000-4000-8000-000000000000");
        assertEquals(404, r.statusCode());
        assertEquals(404, json(r).get("status").asInt());
        assertTrue(json(r).get("message").asText().startsWith("Aucune convention trouvée"));
        HttpResponse<String> bad = getConvention("aisne-hub", "not-a-uuid");
        assertEquals(400, bad.statusCode());
        assertEquals("conventionId : Invalid UUID", json(bad).get("issues").get(0).asText());
    }

    @Test
    public void pathsAreUnderApiAndOthersAreExpress404Pages() throws Exception {
        HttpResponse<String> r = get("/v2/conventions/" + Fixtures.MONTH_END, auth("aisne-hub"));
        assertEquals(404, r.statusCode());
        assertTrue(r.body(), r.body().contains("Cannot GET /v2/conventions/"));
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertEquals(404, send("PUT", "/api/v2/conventions/" + Fixtures.MONTH_END, "{}", auth("aisne-hub")).statusCode());
        assertFalse(stats().toString().contains(Fixtures.MONTH_END));
    }
}
