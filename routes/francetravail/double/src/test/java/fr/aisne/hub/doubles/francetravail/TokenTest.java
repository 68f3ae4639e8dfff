package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** OAuth2 client credentials: issuance, every error, expiry and scope enforcement on the APIs. */
public class TokenTest extends DoubleTestSupport {
    static final String SEARCH_SCOPES = Scopes.RECHERCHER_USAGER + " " + Scopes.RECHERCHE_USAGER_FONCTIONNEL;

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of("client.aisne-hub.secret", SECRET,
                "client.aisne-hub.scopes", ALL_SCOPES,
                "client.lecteur.secret", "lecteur-secret",
                "client.lecteur.scopes", SEARCH_SCOPES));
    }

    @Test
    public void issuesAnOpaqueBearerTokenWithTheRequestedScopes() throws Exception {
        HttpResponse<String> r = tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET, "scope", SEARCH_SCOPES));
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode j = json(r);
        assertEquals("Bearer", j.get("token_type").asText());
        assertEquals(60, j.get("expires_in").asInt());
        assertEquals(SEARCH_SCOPES, j.get("scope").asText());
        assertTrue(j.get("access_token").asText().matches("[A-Za-z0-9_-]{40,}"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(1, r.headers().allValues("Content-Type").size());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-cache", r.headers().firstValue("Pragma").orElse(""));
        assertNotEquals(j.get("access_token").asText(), token());
        assertEquals(2, json(get("/double/stats", Map.of())).get("tokensIssued").asInt());
    }

    @Test
    public void wrongSecretOrUnknownClientIsInvalidClient401() throws Exception {
        assertOAuthError(tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", "wrong", "scope", SEARCH_SCOPES)), 401, "invalid_client");
        assertOAuthError(tokenRequest(form("grant_type", "client_credentials", "client_id", "inconnu",
                "client_secret", SECRET, "scope", SEARCH_SCOPES)), 401, "invalid_client");
        // a client's secret does not open another client
        assertOAuthError(tokenRequest(form("grant_type", "client_credentials", "client_id", "lecteur",
                "client_secret", SECRET, "scope", SEARCH_SCOPES)), 401, "invalid_client");
    }

    @Test
    public void scopeNotAllowedForTheClientIsInvalidScope400() throws Exception {
        HttpResponse<String> r = tokenRequest(form("grant_type", "client_credentials", "client_id", "lecteur",
                "client_secret", "lecteur-secret", "scope", SEARCH_SCOPES + " " + Scopes.ORIENTATION));
        assertOAuthError(r, 400, "invalid_scope");
        assertTrue(json(r).get("error_description").asText().contains(Scopes.ORIENTATION));
        assertOAuthError(tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET, "scope", "api_inexistantev9")), 400, "invalid_scope");
        assertOAuthError(tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET)), 400, "invalid_scope");
        // the allowed scopes of that client are fine
        assertEquals(200, tokenRequest(form("grant_type", "client_credentials", "client_id", "lecteur",
                "client_secret", "lecteur-secret", "scope", SEARCH_SCOPES)).statusCode());
    }

    @Test
    public void malformedTokenRequestsAre400() throws Exception {
        assertOAuthError(tokenRequest(form("grant_type", "password", "client_id", CLIENT,
                "client_secret", SECRET, "scope", SEARCH_SCOPES)), 400, "unsupported_grant_type");
        assertOAuthError(tokenRequest(form("client_id", CLIENT, "client_secret", SECRET, "scope", SEARCH_SCOPES)),
                400, "invalid_request");
        assertOAuthError(tokenRequest(form("grant_type", "client_credentials", "client_secret", SECRET,
                "scope", SEARCH_SCOPES)), 400, "invalid_request");
        // wrong realm
        assertOAuthError(send("POST", FranceTravailApi.TOKEN + "?realm=%2Fagent", form("grant_type",
                "client_credentials", "client_id", CLIENT, "client_secret", SECRET, "scope", SEARCH_SCOPES),
                Map.of("Content-Type", "application/x-www-form-urlencoded")), 400, "invalid_request");
        // JSON instead of a form
        assertOAuthError(send("POST", FranceTravailApi.TOKEN + "?realm=%2Fpartenaire",
                "{\"grant_type\":\"client_credentials\"}", Map.of("Content-Type", "application/json")), 400,
                "invalid_request");
        // GET is not the token endpoint's method
        HttpResponse<String> r = get(FranceTravailApi.TOKEN + "?realm=%2Fpartenaire", Map.of());
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertEquals(5, json(get("/double/stats", Map.of())).get("tokensRefused").asInt());
    }

    @Test
    public void missingUnknownOrExpiredTokenIs401() throws Exception {
        String body = JSON.writeValueAsString(Map.of("nir", nir(10), "dateNaissance", BIRTH));
        HttpResponse<String> none = post(FranceTravailApi.SEARCH_NIR, body, Map.of());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> unknown = post(FranceTravailApi.SEARCH_NIR, body, bearer("pas-un-jeton-emis"));
        assertEquals(401, unknown.statusCode());
        assertEquals("invalid_token", json(unknown).get("error").asText());

        String token = token();
        assertEquals(200, post(FranceTravailApi.SEARCH_NIR, body, bearer(token)).statusCode());
        clock.advance(Duration.ofSeconds(59));
        assertEquals(200, post(FranceTravailApi.SEARCH_NIR, body, bearer(token)).statusCode());
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> expired = post(FranceTravailApi.SEARCH_NIR, body, bearer(token));
        assertEquals(401, expired.statusCode());
        assertEquals("invalid_token", json(expired).get("error").asText());
        assertTrue(json(expired).get("error_description").asText().contains("expiré"));
    }

    @Test
    public void aTokenWithoutTheScopeAnEndpointNeedsIs403() throws Exception {
        String body = JSON.writeValueAsString(Map.of("nir", nir(10), "dateNaissance", BIRTH));
        // rechercher-usager needs both its API scope and rechercheusager
        HttpResponse<String> r = post(FranceTravailApi.SEARCH_NIR, body, bearer(token(Scopes.RECHERCHER_USAGER)));
        assertEquals(403, r.statusCode());
        assertEquals("insufficient_scope", json(r).get("error").asText());
        assertTrue(json(r).get("error_description").asText().contains(Scopes.RECHERCHE_USAGER_FONCTIONNEL));

        // a search-only token finds the person but may not read their orientation
        String searchOnly = token(SEARCH_SCOPES);
        String jeton = jeton(searchOnly, 10);
        r = get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(searchOnly, jeton));
        assertEquals(403, r.statusCode());
        assertTrue(json(r).get("error_description").asText().contains(Scopes.ORIENTATION));

        // the API scope alone is not enough for a person-scoped call: profil_accedant is needed too
        String noProfile = token(SEARCH_SCOPES + " " + Scopes.ORIENTATION);
        jeton = jeton(noProfile, 10);
        r = get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(noProfile, jeton));
        assertEquals(403, r.statusCode());
        assertTrue(json(r).get("error_description").asText().contains(Scopes.PROFIL_ACCEDANT));

        // each API its own scope
        String orientationOnly = token(SEARCH_SCOPES + " " + Scopes.PROFIL_ACCEDANT + " " + Scopes.ORIENTATION);
        jeton = jeton(orientationOnly, 10);
        assertEquals(204, get(FranceTravailApi.LECTURE_ORIENTATION, personHeaders(orientationOnly, jeton)).statusCode());
        for (String path : new String[] {FranceTravailApi.CONTRAT, FranceTravailApi.RQTH,
            FranceTravailApi.INFORMATIONS_ADMINISTRATIVES}) {
            assertEquals(path, 403, get(path, personHeaders(orientationOnly, jeton)).statusCode());
        }
        assertEquals(403, post(FranceTravailApi.RENDEZ_VOUS, "{}", personHeaders(orientationOnly, jeton)).statusCode());
    }

    private static void assertOAuthError(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode j = json(r);
        assertEquals(error, j.get("error").asText());
        assertTrue(j.get("error_description").asText().length() > 5);
    }
}
