package fr.aisne.hub.doubles.francetravail;

import fr.aisne.hub.api.testing.MutableClock;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.Before;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts the double (without OSGi) on a free port with a clock the tests move, and talks to it over real HTTP.
 * Each test starts from a reset double (POST /double/control/reset).
 */
abstract class DoubleTestSupport {
    static final String CLIENT = "aisne-hub";
    static final String SECRET = "double-secret-change-me";
    static final String ALL_SCOPES = String.join(" ", Scopes.ALL);
    static final ObjectMapper JSON = new ObjectMapper();

    static MutableClock clock;
    static FranceTravailServer server;
    static String base;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts the double with the test defaults (no rate limit) overridden by {@code settings}. */
    static void startDouble(Map<String, Object> settings) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> config = new HashMap<>();
        config.put("http.host", "127.0.0.1");
        config.put("http.port", String.valueOf(port));
        config.put("rateLimitPerSecond", "0");
        config.putAll(settings);
        clock = new MutableClock(Instant.parse("2025-03-14T08:00:00Z"));
        server = new FranceTravailServer(Settings.from(config), clock);
        server.start();
        base = "http://127.0.0.1:" + port;
    }

    @AfterClass
    public static void stopDouble() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Before
    public void resetDouble() throws Exception {
        HttpResponse<String> r = post("/double/control/reset", "", Map.of());
        assertEquals(r.body(), 200, r.statusCode());
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        Map<String, String> h = new HashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/json");
        return send("POST", path, json, h);
    }

    static HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static String form(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    static HttpResponse<String> tokenRequest(String formBody) throws IOException, InterruptedException {
        return send("POST", FranceTravailApi.TOKEN + "?realm=%2Fpartenaire", formBody,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    /** An access token of the default client with {@code scopes}. */
    static String token(String scopes) throws Exception {
        HttpResponse<String> r = tokenRequest(form("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET, "scope", scopes));
        assertEquals(r.body(), 200, r.statusCode());
        return json(r).get("access_token").asText();
    }

    static String token() throws Exception {
        return token(ALL_SCOPES);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    // ------------------------------------------------------------------------------------------------ persons

    /** A valid 15-character NIR of a man born in May 1985 in Laon whose order number ends with {@code xx}. */
    static String nir(int xx) {
        return nir(1, 85, 5, 400 + xx);
    }

    static String nir(int sex, int yy, int mm, int order) {
        return Nir.withKey(String.format("%d%02d%02d02408%03d", sex, yy, mm, order));
    }

    static final String BIRTH = "1985-05-17";

    static HttpResponse<String> searchByNir(String token, String nir, String date) throws Exception {
        return post(FranceTravailApi.SEARCH_NIR, JSON.writeValueAsString(Map.of("nir", nir, "dateNaissance", date)),
                bearer(token));
    }

    /** The jeton usager of the person behind {@code nir(xx)}. */
    static String jeton(String token, int xx) throws Exception {
        HttpResponse<String> r = searchByNir(token, nir(xx), BIRTH);
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode j = json(r);
        assertEquals("S001", j.get("codeRetour").asText());
        assertNotNull(j.get("jetonUsager").textValue());
        return j.get("jetonUsager").asText();
    }

    /** The headers of a person-scoped call made by a batch. */
    static Map<String, String> personHeaders(String token, String jeton) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + token);
        h.put("ft-jeton-usager", jeton);
        h.put("pa-identifiant-agent", "BATCH");
        h.put("pa-nom-agent", "hub-aisne");
        h.put("pa-prenom-agent", "orientation");
        return h;
    }
}
