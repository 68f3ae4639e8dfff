package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Bearer tokens as data·inclusion checks them: 401 without or with a bad token, 403 without the api scope. */
public class AuthTest extends DoubleTestSupport {
    private static final String[] SECURED = {"/api/v1/structures", "/api/v1/services", "/api/v1/search/services",
        "/api/v1/sources", "/api/v1/structures/dora--mds-laon", "/api/v1/services/dora--mds-laon-accompagnement-rsa"};

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void noTokenIs401NotAuthenticatedWithABearerChallenge() throws Exception {
        for (String path : SECURED) {
            HttpResponse<String> r = get(path, Map.of());
            assertEquals(path, 401, r.statusCode());
            assertEquals("{\"detail\":\"Not authenticated\"}", r.body());
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        }
        assertEquals(401, get(SECURED[0], Map.of("Authorization", "Bearer ")).statusCode());
        HttpResponse<String> basic = get(SECURED[0], Map.of("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
        assertEquals(401, basic.statusCode());
        assertEquals("Invalid authentication credentials", json(basic).get("detail").asText());
    }

    @Test
    public void anInvalidTokenIs401Unauthorized() throws Exception {
        String other = Jwt.sign(claims("x", List.of("api")), "another-secret-of-enough-length");
        String tampered = API_TOKEN.substring(0, API_TOKEN.length() - 3) + "AAA";
        for (String token : new String[] {"not-a-token", other, tampered, "a.b.c"}) {
            HttpResponse<String> r = get(SECURED[1], bearer(token));
            assertEquals(token, 401, r.statusCode());
            assertEquals("{\"detail\":\"Unauthorized\"}", r.body());
        }
    }

    @Test
    public void aTokenWithoutTheApiScopeIs403() throws Exception {
        for (String path : SECURED) {
            HttpResponse<String> r = get(path, bearer(WIDGET_TOKEN));
            assertEquals(path, 403, r.statusCode());
            assertEquals("{\"detail\":\"Forbidden\"}", r.body());
        }
        // a current-shape token without scopes at all
        Map<String, Object> c = claims("nobody", null);
        c.remove("scopes");
        assertEquals(403, get(SECURED[0], bearer(Jwt.sign(c, Settings.DEFAULT_TOKEN_SECRET))).statusCode());
    }

    @Test
    public void theFixedApiTokenOpensEveryRoute() throws Exception {
        for (String path : SECURED) {
            assertEquals(path, 200, api(path + (path.contains("search") ? "?size=1" : "")).statusCode());
        }
    }

    @Test
    public void theDocRoutesAndTheOpenApiNeedNoToken() throws Exception {
        HttpResponse<String> r = get("/api/v1/doc/thematiques", Map.of());
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r);
        assertEquals(69, doc.size());
        assertTrue(doc.get(0).has("value") && doc.get(0).has("label"));
        assertEquals(200, get("/api/openapi.json", Map.of()).statusCode());
        assertEquals("data·inclusion API", json(get("/api/openapi.json", Map.of())).get("info").get("title").asText());
    }

    @Test
    public void mintedTokensAreVerifiedLikeTheFixedOnes() throws Exception {
        HttpResponse<String> r = post("/double/tokens", "{\"sub\":\"it@aisne.example\"}", Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        String token = json(r).get("access").asText();
        assertEquals(200, api(SECURED[0]).statusCode());
        assertEquals(200, get(SECURED[0], bearer(token)).statusCode());
        JsonNode payload = Jwt.verify(token, Settings.DEFAULT_TOKEN_SECRET, Instant.now());
        assertEquals("it@aisne.example", payload.get("sub").asText());
        assertEquals("[\"api\"]", payload.get("scopes").toString());
        assertTrue(payload.has("created_at"));
        assertTrue("never expires", !payload.has("exp"));

        String widget = json(post("/double/tokens", "{\"scopes\":[\"widget\"]}", Map.of())).get("access").asText();
        assertEquals(403, get(SECURED[0], bearer(widget)).statusCode());
        assertEquals(400, post("/double/tokens", "{\"scopes\":\"api\"}", Map.of()).statusCode());
        assertEquals(400, post("/double/tokens", "{not json", Map.of()).statusCode());
    }

    @Test
    public void legacyTokensStillWork() throws Exception {
        // {sub, admin}: the API; {sub, allowed_origins}: the widget only
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("sub", "legacy.user@example.com");
        legacy.put("admin", false);
        assertEquals(200, get(SECURED[0], bearer(Jwt.sign(legacy, Settings.DEFAULT_TOKEN_SECRET))).statusCode());
        Map<String, Object> widget = new LinkedHashMap<>();
        widget.put("sub", "legacy-widget@example.com");
        widget.put("allowed_origins", List.of("example.com"));
        assertEquals(403, get(SECURED[0], bearer(Jwt.sign(widget, Settings.DEFAULT_TOKEN_SECRET))).statusCode());
        Map<String, Object> noSub = new LinkedHashMap<>();
        noSub.put("scopes", List.of("api"));
        assertEquals(401, get(SECURED[0], bearer(Jwt.sign(noSub, Settings.DEFAULT_TOKEN_SECRET))).statusCode());
    }

    @Test
    public void anExpiredTokenIsRefusedAsPyJwtRefusesIt() throws Exception {
        Map<String, Object> c = claims("x", List.of("api"));
        c.put("exp", NOW.getEpochSecond() - 1);
        assertEquals(401, get(SECURED[0], bearer(Jwt.sign(c, Settings.DEFAULT_TOKEN_SECRET))).statusCode());
        c.put("exp", NOW.getEpochSecond() + 3600);
        assertEquals(200, get(SECURED[0], bearer(Jwt.sign(c, Settings.DEFAULT_TOKEN_SECRET))).statusCode());
    }

    @Test
    public void theTokensDocumentedInTheSettingsFileAreTheOnesTested() throws Exception {
        String cfg = Files.readString(Path.of("src/main/cfg/hub.double.dora.cfg"));
        assertTrue(cfg.contains("scope api (200):     " + API_TOKEN + "\n"));
        assertTrue(cfg.contains("scope widget (403):  " + WIDGET_TOKEN + "\n"));
        assertTrue(cfg.contains("token.secret = " + Settings.DEFAULT_TOKEN_SECRET + "\n"));
    }

    @Test
    public void aTokenInTheQueryIsNotAHeader() throws Exception {
        String q = "?size=1&Authorization=Bearer%20" + API_TOKEN;
        assertEquals(401, get("/api/v1/services" + q, Map.of()).statusCode());
        assertEquals(401, get("/api/v1/services?authorization=Bearer%20" + API_TOKEN, Map.of()).statusCode());
        assertEquals(200, get("/api/v1/services" + q, bearer(API_TOKEN)).statusCode());
        assertEquals(401, get("/api/v1/services?Authorization=Bearer%20" + API_TOKEN, bearer("bogus")).statusCode());
    }

    @Test
    public void authIsCheckedBeforeTheParameters() throws Exception {
        assertEquals(401, get("/api/v1/services?size=0", Map.of()).statusCode());
        assertEquals(403, get("/api/v1/services?size=0", bearer(WIDGET_TOKEN)).statusCode());
        assertEquals(422, api("/api/v1/services?size=0").statusCode());
    }

    static Map<String, Object> claims(String sub, List<String> scopes) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", sub);
        c.put("scopes", scopes);
        c.put("created_at", "2026-01-05T09:00:00+01:00");
        return c;
    }
}
