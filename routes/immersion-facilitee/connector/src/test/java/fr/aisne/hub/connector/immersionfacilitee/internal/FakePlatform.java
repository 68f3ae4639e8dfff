package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.api.Json;

/**
 * Immersion Facilitée's API v2 as the connector sees it, over real HTTP on a free port (the double's behaviour, much
 * reduced): the raw key, conventions by id (403 outside the scope), the list capped at 100 newest first with the
 * start-date filters and no paging, webhook subscriptions (201 with an empty body), forced 429s and outages, and the
 * time of every call.
 */
final class FakePlatform implements AutoCloseable {
    static final String KEY = "eyJ.fake.key";

    final Map<String, ObjectNode> conventions = new ConcurrentHashMap<>();
    /** Ids the key may not read (transferred to another agency). */
    final java.util.Set<String> forbidden = ConcurrentHashMap.newKeySet();
    final List<ObjectNode> subscriptions = new CopyOnWriteArrayList<>();
    final List<Long> callNanos = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger status429Next = new AtomicInteger();
    volatile boolean outage;
    private final HttpServer server;

    FakePlatform() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v2/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
    }

    void put(ObjectNode c) {
        conventions.put(c.get("id").asText(), c);
    }

    int count(String prefix) {
        return (int) calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            callNanos.add(System.nanoTime());
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getPath().substring("/api".length());
            calls.add(method + " " + path);
            if (outage) {
                send(x, 503, "text/html", "<html><body>503 Service Temporarily Unavailable</body></html>");
                return;
            }
            if (!KEY.equals(x.getRequestHeaders().getFirst("authorization"))) {
                send(x, 401, "application/json", "{\"message\":\"incorrect Jwt\",\"status\":401}");
                return;
            }
            if (status429Next.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(x, 429, "application/json", "{\"message\":\"Too many requests, please try again later.\",\"status\":429}");
                return;
            }
            if (method.equals("GET") && path.equals("/v2/conventions")) {
                list(x);
            } else if (method.equals("GET") && path.startsWith("/v2/conventions/")) {
                String id = path.substring("/v2/conventions/".length());
                ObjectNode c = conventions.get(id);
                if (forbidden.contains(id)) {
                    send(x, 403, "application/json", "\"Accès refusé\"");
                } else if (c == null) {
                    send(x, 404, "application/json", "{\"message\":\"Aucune convention trouvée\",\"status\":404}");
                } else {
                    send(x, 200, "application/json", Json.write(c));
                }
            } else if (path.equals("/v2/webhooks") && method.equals("GET")) {
                send(x, 200, "application/json", Json.write(subscriptions));
            } else if (path.equals("/v2/webhooks") && method.equals("POST")) {
                JsonNode body = Json.MAPPER.readTree(x.getRequestBody());
                ObjectNode s = Json.MAPPER.createObjectNode();
                s.put("callbackUrl", body.get("callbackUrl").asText());
                s.put("subscribedEvent", body.get("subscribedEvent").asText());
                s.set("callbackHeaders", body.get("callbackHeaders"));
                s.put("id", UUID.randomUUID().toString());
                s.put("createdAt", Instant.now().toString());
                subscriptions.add(s);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(201, -1);
            } else if (path.startsWith("/v2/webhooks/") && method.equals("DELETE")) {
                String id = path.substring("/v2/webhooks/".length());
                boolean removed = subscriptions.removeIf(s -> s.get("id").asText().equals(id));
                if (removed) {
                    x.sendResponseHeaders(204, -1);
                } else {
                    send(x, 404, "application/json", "{\"message\":\"subscription not found\",\"status\":404}");
                }
            } else {
                send(x, 404, "text/html", "Cannot " + method + " " + path);
            }
        }
    }

    private void list(HttpExchange x) throws IOException {
        LocalDate greater = null;
        LocalDate lessOrEqual = null;
        List<String> statuses = new ArrayList<>();
        String q = x.getRequestURI().getRawQuery();
        for (String kv : q == null ? new String[0] : q.split("&")) {
            String[] p = kv.split("=", 2);
            String v = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
            switch (p[0]) {
                case "startDateGreater" -> greater = LocalDate.parse(v);
                case "startDateLessOrEqual" -> lessOrEqual = LocalDate.parse(v);
                case "withStatuses" -> statuses.add(v);
                default -> {
                    send(x, 400, "application/json", "{\"status\":400,\"message\":\"Shared-route schema 'queryParamsSchema' "
                            + "was not respected\",\"issues\":[\" : Unrecognized key\"]}");
                    return;
                }
            }
        }
        LocalDate g = greater;
        LocalDate l = lessOrEqual;
        ArrayNode out = Json.MAPPER.createArrayNode();
        conventions.values().stream()
                .filter(c -> !forbidden.contains(c.get("id").asText()))
                .filter(c -> {
                    LocalDate start = LocalDate.parse(c.get("dateStart").asText().substring(0, 10));
                    return (g == null || start.isAfter(g)) && (l == null || !start.isAfter(l))
                            && (statuses.isEmpty() || statuses.contains(c.get("status").asText()));
                })
                .sorted(Comparator.comparing((ObjectNode c) -> c.get("dateStart").asText()).reversed()
                        .thenComparing(c -> c.get("id").asText()))
                .limit(100).forEach(out::add);
        send(x, 200, "application/json", Json.write(out));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    /** The most calls seen in any window of one second. */
    int maxCallsPerSecond() {
        List<Long> t = new ArrayList<>(callNanos);
        t.sort(Long::compare);
        int max = 0;
        for (int i = 0, j = 0; i < t.size(); i++) {
            while (t.get(i) - t.get(j) >= 1_000_000_000L) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        return max;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
