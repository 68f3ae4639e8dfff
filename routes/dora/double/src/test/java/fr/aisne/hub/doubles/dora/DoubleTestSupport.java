package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.Before;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.aisne.hub.api.testing.MutableClock;

/**
 * Starts the double (without OSGi) on a free port with a clock the tests move, and talks to it over real HTTP. Each
 * test starts from a reset double (POST /double/control/reset).
 */
abstract class DoubleTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The fixed tokens documented in the settings file (default secret). */
    static final String API_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhaXNuZS1odWIiLCJzY29wZXMiOlsiYXBpIl0sImNyZWF0ZWRfYXQiOiIyMDI2LTAxLTA1VDA5OjAwOjAwKzAxOjAwIn0.9jBNaePZ4K8xN0m-I_2BJjbGfTLe9M2BaSNJA5ZEyQI";
    static final String WIDGET_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhaXNuZS13aWRnZXQiLCJzY29wZXMiOlsid2lkZ2V0Il0sImNyZWF0ZWRfYXQiOiIyMDI2LTAxLTA1VDA5OjAwOjAwKzAxOjAwIiwiYWxsb3dlZF9ob3N0cyI6WyIxMjcuMC4wLjEiXX0.KS1CdqmI87muRM9D8gc1FUijwIPpSaxcu-gmddQBgr0";
    /** 2026-03-16, 10:00 in Paris: after every fixture's date_maj. */
    static final Instant NOW = Instant.parse("2026-03-16T09:00:00Z");

    static MutableClock clock;
    static DoraServer server;
    static String base;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static void startDouble(Map<String, Object> settings) throws Exception {
        int port = freePort();
        Map<String, Object> config = new HashMap<>();
        config.put("http.host", "127.0.0.1");
        config.put("http.port", String.valueOf(port));
        config.putAll(settings);
        clock = new MutableClock(NOW);
        server = new DoraServer(Settings.from(config), clock);
        server.start();
        base = "http://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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
        clock.set(NOW);
        HttpResponse<String> r = post("/double/control/reset", "", Map.of());
        assertEquals(r.body(), 200, r.statusCode());
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    static HttpResponse<String> send(String method, String path, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        Map<String, String> h = new HashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/json");
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), h);
    }

    static HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** GET with the fixed api token. */
    static HttpResponse<String> api(String path) throws IOException, InterruptedException {
        return get(path, bearer(API_TOKEN));
    }

    /** GET with the fixed api token, 200 expected, the JSON body. */
    static JsonNode ok(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = api(path);
        assertEquals(r.body(), 200, r.statusCode());
        return JSON.readTree(r.body());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.has("service") ? i.get("service").get("id").asText() : i.get("id").asText()));
        return ids;
    }

    static void control(String json) throws Exception {
        HttpResponse<String> r = post("/double/control", json, Map.of());
        assertEquals(r.body(), 200, r.statusCode());
    }
}
