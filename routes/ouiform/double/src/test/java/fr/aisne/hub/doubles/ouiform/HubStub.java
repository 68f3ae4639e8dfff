package fr.aisne.hub.doubles.ouiform;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * A small stand-in for the hub's side of the contract, for the tests: records every request and answers as the
 * contract says (notifierStatutReponse ACCEPTE, publierSessionsReponse; JSON for REST), unless answers were queued
 * with {@link #next(int, String, String)}.
 */
final class HubStub implements AutoCloseable {
    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private record Canned(int status, String contentType, String body) {
    }

    private static final Pattern ID_EVENEMENT = Pattern.compile("idEvenement\"?\\s*[:>]\\s*\"?([A-Za-z0-9._:-]+)");

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Canned> canned = new ConcurrentLinkedDeque<>();

    HubStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(r);
            Canned c = canned.poll();
            if (c == null) {
                c = answer(r);
            }
            byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", c.contentType());
            exchange.sendResponseHeaders(c.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String soapUrl() {
        return "http://127.0.0.1:" + port() + "/hub/ouiform/soap/v1";
    }

    String restUrl() {
        return "http://127.0.0.1:" + port() + "/hub/ouiform/api";
    }

    /** The next {@code n} requests are answered so. */
    void next(int n, int status, String contentType, String body) {
        for (int i = 0; i < n; i++) {
            canned.add(new Canned(status, contentType, body));
        }
    }

    void next(int n, String contentType, String body) {
        next(n, 200, contentType, body);
    }

    private static Canned answer(Request r) {
        String id = null;
        Matcher m = ID_EVENEMENT.matcher(r.body());
        if (m.find()) {
            id = m.group(1);
        }
        boolean soap = r.body().contains("http://schemas.xmlsoap.org/soap/envelope/");
        if (soap && r.body().contains("notifierStatut")) {
            return new Canned(200, "text/xml;charset=UTF-8", envelope("<of:notifierStatutReponse xmlns:of=\"urn:fr:aisne:hub:ouiform:v1\">"
                    + "<of:idEvenement>" + id + "</of:idEvenement><of:etat>ACCEPTE</of:etat></of:notifierStatutReponse>"));
        }
        if (soap && r.body().contains("publierSessions")) {
            return new Canned(200, "text/xml;charset=UTF-8", envelope("<of:publierSessionsReponse xmlns:of=\"urn:fr:aisne:hub:ouiform:v1\">"
                    + "<of:idPublication>PUB-1</of:idPublication><of:nombreFormations>5</of:nombreFormations>"
                    + "<of:nombreActions>6</of:nombreActions><of:nombreSessions>8</of:nombreSessions></of:publierSessionsReponse>"));
        }
        if (r.path().endsWith("/statuts")) {
            return new Canned(200, "application/json", "{\"idEvenement\":\"" + id + "\",\"etat\":\"ACCEPTE\"}");
        }
        if (r.path().endsWith("/v1/sessions")) {
            return new Canned(200, "application/json",
                    "{\"idPublication\":\"PUB-1\",\"nombreFormations\":5,\"nombreActions\":6,\"nombreSessions\":8}");
        }
        return new Canned(404, "application/json", "{\"code\":\"REQUETE_INVALIDE\",\"message\":\"inconnu\"}");
    }

    static String envelope(String body) {
        return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>" + body
                + "</soapenv:Body></soapenv:Envelope>";
    }

    /** Waits up to {@code seconds} for a request matching {@code which}; the matching requests so far. */
    List<Request> await(Predicate<Request> which, int count, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<Request> found = new ArrayList<>(requests.stream().filter(which).toList());
            if (found.size() >= count || System.nanoTime() > end) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
