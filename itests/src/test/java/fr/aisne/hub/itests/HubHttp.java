package fr.aisne.hub.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Talks to a running hub over real HTTP, as an operator or a sender would. */
public final class HubHttp {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String user;
    private final String password;

    public String password() {
        return password;
    }

    public HubHttp(String base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    public record Response(int status, String body, java.util.Map<String, java.util.List<String>> headers) {
        public Response(int status, String body) {
            this(status, body, java.util.Map.of());
        }

        /** The first value of a response header, or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response getAnonymous(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    public Response getAs(String path, String u, String p) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", basic(u, p)).GET().build());
    }

    public Response post(String path, String json, String... headers) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public Response postRaw(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", basic(user, password));
    }

    private static String basic(String u, String p) {
        return "Basic " + Base64.getEncoder().encodeToString((u + ":" + p).getBytes(StandardCharsets.UTF_8));
    }

    private Response send(HttpRequest r) {
        try {
            HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(resp.statusCode(), resp.body(), resp.headers().map());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, e.toString());
        }
    }

    /**
     * A request sent from another loopback address than 127.0.0.1 (the login throttle counts per address), over
     * a plain socket since the JDK's client cannot choose its local address. Returns the status line and headers.
     */
    public static String rawFrom(String localAddress, int port, String method, String path, String user,
            String password, String jsonBody) {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
                java.net.InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(20_000);
            String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAuthorization: Basic " + auth + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            return end < 0 ? answer : answer.substring(0, end);
        } catch (java.io.IOException e) {
            throw new AssertionError("request from " + localAddress + " failed: " + e, e);
        }
    }

    /**
     * Sends the request head declaring a body of {@code declaredLength} bytes, then only {@code sentBytes} of it, and
     * reads the answer: a server that waits for the whole body before answering times out here (the answer is then
     * "timeout"). Without {@code user}, no credentials are sent. Returns the status line, headers and body of the
     * answer.
     */
    public static String declaredBody(int port, String method, String path, String user, String password,
            String contentType, long declaredLength, int sentBytes) {
        byte[] part = new byte[sentBytes];
        java.util.Arrays.fill(part, (byte) '1');
        return partialBody(port, method, path, user, password, contentType, "Content-Length: " + declaredLength, part);
    }

    /**
     * Like {@link #declaredBody}, for a body sent in chunks (no declared length): one chunk of {@code sentBytes}, and
     * the body never ends. A server must answer from the credentials, or from what it read up to its limit.
     */
    public static String streamedBody(int port, String method, String path, String user, String password,
            String contentType, int sentBytes) {
        byte[] chunk = new byte[sentBytes];
        java.util.Arrays.fill(chunk, (byte) '1');
        byte[] head = (Integer.toHexString(sentBytes) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] part = new byte[head.length + sentBytes + 2];
        System.arraycopy(head, 0, part, 0, head.length);
        System.arraycopy(chunk, 0, part, head.length, sentBytes);
        part[part.length - 2] = '\r';
        part[part.length - 1] = '\n';
        return partialBody(port, method, path, user, password, contentType, "Transfer-Encoding: chunked", part);
    }

    private static String partialBody(int port, String method, String path, String user, String password,
            String contentType, String framing, byte[] sent) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String auth = user == null ? "" : "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\r\n";
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + auth + "Content-Type: " + contentType + "\r\n" + framing + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(sent);
            socket.getOutputStream().flush();
            byte[] buf = new byte[8192];
            StringBuilder answer = new StringBuilder();
            int n;
            // the head and a short JSON body: enough to judge, without waiting for the server to close
            try {
                while ((n = socket.getInputStream().read(buf)) > 0) {
                    answer.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    if (answer.indexOf("\r\n\r\n") > 0 && answer.indexOf("}") > 0) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                return answer.length() == 0 ? "timeout" : answer.toString();
            }
            return answer.toString();
        } catch (java.io.IOException e) {
            return "connection closed: " + e;
        }
    }

    /** The first string value of a top-level JSON field (enough for the hub's flat answers). */
    public static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** Waits until the condition holds, or fails the test with the message after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // a check that took long (a request waits up to 20 s) may have crossed the deadline: one last look
        if (condition.getAsBoolean()) {
            return;
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
    }

    /** State of a message, read from the operations API. */
    public String stateOf(String exchangeId) {
        return field(get("/hub/api/messages/" + exchangeId).body(), "state");
    }
}
