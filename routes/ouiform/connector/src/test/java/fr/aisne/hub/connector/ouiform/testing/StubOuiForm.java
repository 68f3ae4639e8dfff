package fr.aisne.hub.connector.ouiform.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * OuiForm's side as a scripted HTTP server, for the client's unit tests: each request is kept, each answer is the next
 * one queued (or the default). The IT uses the real double; this stub gives the exact bytes of the contract's examples.
 */
public final class StubOuiForm implements AutoCloseable {
    public record Request(String method, String path, Map<String, String> headers, String body) {
    }

    public record Answer(int status, String contentType, String body, Map<String, String> headers, long delayMillis) {
        public static Answer of(int status, String contentType, String body) {
            return new Answer(status, contentType, body, Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Answer> next = new ConcurrentLinkedDeque<>();
    private volatile Answer otherwise = Answer.of(500, "text/plain", "no answer scripted");
    public final CopyOnWriteArrayList<Request> requests = new CopyOnWriteArrayList<>();

    public StubOuiForm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach((k, v) -> h.put(k, String.join(",", v)));
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), h,
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer a = next.poll();
            if (a == null) {
                a = otherwise;
            }
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", a.contentType());
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-ouiform");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public StubOuiForm then(Answer a) {
        next.add(a);
        return this;
    }

    public StubOuiForm otherwise(Answer a) {
        otherwise = a;
        return this;
    }

    public Request last() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
