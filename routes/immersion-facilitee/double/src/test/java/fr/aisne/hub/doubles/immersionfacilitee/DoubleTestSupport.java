package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.AfterClass;
import org.junit.Before;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.api.testing.MutableClock;

/**
 * Starts the double (without OSGi) on a free port with a clock the tests move, and talks to it over real HTTP.
 * Each test starts from a reset double (POST /double/control/reset): fixtures back, no subscription, no limit
 * unless the test class asks for one.
 */
abstract class DoubleTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-01-15T09:00:00Z");

    static MutableClock clock;
    static ImmersionFaciliteeServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts the double with the test defaults (no rate limit, 2 s webhook timeout) overridden by {@code settings}. */
    static void startDouble(Map<String, Object> settings) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("http.host", "127.0.0.1");
        config.put("http.port", String.valueOf(freePort()));
        config.put("rateLimitPerSecond", "0");
        config.put("webhookTimeoutMillis", "2000");
        config.putAll(settings);
        clock = new MutableClock(START);
        server = new ImmersionFaciliteeServer(Settings.from(config), clock);
        server.start();
        base = "http://127.0.0.1:" + config.get("http.port");
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
        clock.set(START);
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
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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

    /** The raw API key of a built-in consumer (the header carries it as is, no "Bearer"). */
    static String key(String consumer) {
        return server.api().keyOf(consumer);
    }

    static Map<String, String> auth(String consumer) {
        return Map.of("authorization", key(consumer));
    }

    /** GET /api/v2/conventions/{id} with the key of {@code consumer}. */
    static HttpResponse<String> getConvention(String consumer, String id) throws Exception {
        return get("/api/v2/conventions/" + id, auth(consumer));
    }

    /** A control action on a convention; asserts the expected status. */
    static JsonNode act(String id, String body, int expected) throws Exception {
        HttpResponse<String> r = post("/double/control/conventions/" + id, body, Map.of());
        assertEquals(r.body(), expected, r.statusCode());
        return json(r);
    }

    /** Creates a convention through the control API; returns the convention read. */
    static JsonNode create(String body) throws Exception {
        HttpResponse<String> r = post("/double/control/conventions", body, Map.of());
        assertEquals(r.body(), 201, r.statusCode());
        return json(r);
    }

    static void control(String body) throws Exception {
        HttpResponse<String> r = post("/double/control", body, Map.of());
        assertEquals(r.body(), 200, r.statusCode());
    }

    static JsonNode stats() throws Exception {
        return json(get("/double/stats", Map.of()));
    }

    /** Subscribes {@code consumer} with the callback of {@code receiver} and the given static headers. */
    static void subscribe(String consumer, Receiver receiver, Map<String, String> headers) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callbackUrl", receiver.url());
        body.put("subscribedEvent", "convention.updated");
        body.put("callbackHeaders", headers);
        HttpResponse<String> r = post("/api/v2/webhooks", JSON.writeValueAsString(body), auth(consumer));
        assertEquals(r.body(), 201, r.statusCode());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 10, condition);
    }

    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    /** A request the receiver got: headers (lower-case names) and the parsed body. */
    record Received(Map<String, String> headers, JsonNode body, String path) {
        String conventionId() {
            return body.path("payload").path("convention").path("id").asText();
        }

        String status() {
            return body.path("payload").path("convention").path("status").asText();
        }
    }

    /** A small HTTP server standing for the hub's webhook endpoint: records every call, answers as told. */
    static final class Receiver implements AutoCloseable {
        private final HttpServer http;
        private final List<Received> received = new ArrayList<>();
        volatile int answerStatus = 200;
        volatile long answerDelayMillis;

        Receiver() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(8));
            http.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
                synchronized (received) {
                    received.add(new Received(headers, JSON.readTree(body), exchange.getRequestURI().getPath()));
                }
                try {
                    if (answerDelayMillis > 0) {
                        Thread.sleep(answerDelayMillis);
                    }
                    exchange.sendResponseHeaders(answerStatus, -1);
                } catch (InterruptedException | IOException e) {
                    // the double gave up (timeout): nothing to answer
                } finally {
                    exchange.close();
                }
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/hub/in/immersion-facilitee/webhook";
        }

        List<Received> received() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }

        int count() {
            return received().size();
        }

        @Override
        public void close() {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
    }
}
