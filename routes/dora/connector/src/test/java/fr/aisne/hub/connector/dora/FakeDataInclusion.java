package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A scripted data·inclusion for the client's and the pull's tests (the real double runs in DoubleRoundTripTest):
 * each call takes the next scripted answer, or the default one; every request is recorded.
 */
final class FakeDataInclusion implements AutoCloseable {
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer ok(String body) {
            return new Answer(200, body, Map.of());
        }

        static Answer status(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    record Request(String path, String query, String authorization) {
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private volatile java.util.function.Function<Request, Answer> otherwise = r -> Answer.status(404, "{\"detail\":\"Not Found\"}");
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    FakeDataInclusion() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    synchronized void then(Answer... answers) {
        script.addAll(List.of(answers));
    }

    void otherwise(java.util.function.Function<Request, Answer> f) {
        otherwise = f;
    }

    private void handle(HttpExchange x) throws IOException {
        Request r = new Request(x.getRequestURI().getPath(), x.getRequestURI().getQuery(),
                x.getRequestHeaders().getFirst("Authorization"));
        requests.add(r);
        Answer a;
        synchronized (this) {
            a = script.isEmpty() ? otherwise.apply(r) : script.poll();
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** A page envelope of items {"id": ...} of the given ids. */
    static String page(int page, int pages, String... ids) {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\"}");
        }
        return sb.append("],\"total\":").append(ids.length).append(",\"page\":").append(page).append(",\"size\":")
                .append(ids.length).append(",\"pages\":").append(pages).append('}').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
