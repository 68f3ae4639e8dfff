package fr.aisne.hub.connector.francetravail.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small France Travail stand-in for unit tests (JDK HttpServer on a free port): the token endpoint (checks the
 * client secret, counts requests, optional delay), and programmable answers per "METHOD path". Every request is
 * recorded with its headers and body.
 */
public final class FakeFranceTravail implements AutoCloseable {
    public static final String TOKEN_PATH = "/connexion/oauth2/access_token";

    public record Request(String method, String path, String query, Map<String, String> headers, String body,
            long atNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public Map<String, String> form() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : body.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return m;
        }
    }

    public record Response(int status, String body, Map<String, String> headers, long delayMs) {
        public static Response json(int status, String body) {
            return new Response(status, body, Map.of(), 0);
        }

        public static Response of(int status) {
            return new Response(status, "", Map.of(), 0);
        }

        public Response withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, body, h, delayMs);
        }

        public Response delayed(long ms) {
            return new Response(status, body, headers, ms);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request r) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile String acceptedSecret;
    private volatile long tokenDelayMs;
    private volatile long expiresIn = 1500;

    public FakeFranceTravail(String acceptedSecret) throws IOException {
        this.acceptedSecret = acceptedSecret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        routes.put("POST " + TOKEN_PATH, this::token);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void on(String method, String path, Handler handler) {
        routes.put(method + " " + path, handler);
    }

    public void acceptSecret(String secret) {
        this.acceptedSecret = secret;
    }

    public void tokenDelay(long ms) {
        this.tokenDelayMs = ms;
    }

    public void expiresIn(long seconds) {
        this.expiresIn = seconds;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public synchronized void clear() {
        requests.clear();
    }

    public int tokenRequests() {
        return requests(TOKEN_PATH).size();
    }

    /** The last access token issued ("tok-N"). */
    public String lastToken() {
        return "tok-" + tokensIssued.get();
    }

    private Response token(Request r) throws InterruptedException {
        if (tokenDelayMs > 0) {
            Thread.sleep(tokenDelayMs);
        }
        Map<String, String> form = r.form();
        if (!"client_credentials".equals(form.get("grant_type")) || !"/partenaire".equals(queryParam(r.query(), "realm"))) {
            return Response.json(400, "{\"error\":\"invalid_request\"}");
        }
        if (!acceptedSecret.equals(form.get("client_secret"))) {
            return Response.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
        }
        int n = tokensIssued.incrementAndGet();
        return Response.json(200, "{\"access_token\":\"tok-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                + ",\"scope\":\"" + form.get("scope") + "\"}");
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith(name + "=")) {
                return URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            Request req = new Request(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), headers, body,
                    System.nanoTime());
            synchronized (this) {
                requests.add(req);
            }
            Handler h = routes.get(ex.getRequestMethod() + " " + path);
            if (h == null) {
                // prefix routes: "DELETE /a/b/*"
                for (Map.Entry<String, Handler> e : routes.entrySet()) {
                    String k = e.getKey();
                    if (k.endsWith("/*") && (ex.getRequestMethod() + " " + path).startsWith(k.substring(0, k.length() - 1))) {
                        h = e.getValue();
                    }
                }
            }
            Response resp = h == null ? Response.json(404, "{\"message\":\"no route\"}") : h.handle(req);
            if (resp.delayMs() > 0) {
                Thread.sleep(resp.delayMs());
            }
            resp.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] out = resp.body().getBytes(StandardCharsets.UTF_8);
            if (!resp.body().isEmpty()) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
            }
            if (resp.status() == 204 || out.length == 0) {
                ex.sendResponseHeaders(resp.status(), -1);
            } else {
                ex.sendResponseHeaders(resp.status(), out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
