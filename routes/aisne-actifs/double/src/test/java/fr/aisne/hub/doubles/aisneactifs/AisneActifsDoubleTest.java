package fr.aisne.hub.doubles.aisneactifs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/** The double over real HTTP: signed webhooks accepted once, bad ones refused with 401; decisions sent to a hub. */
public class AisneActifsDoubleTest {
    private static final String KEY = "test-key-of-at-least-thirty-two-characters";
    private final HttpClient http = HttpClient.newHttpClient();
    private final AisneActifsDouble platform = new AisneActifsDouble();
    private final List<String> hubGot = new ArrayList<>();
    private HttpServer hub;
    private int port;

    @Before
    public void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/hub/in/aisne-actifs/", x -> {
            hubGot.add(x.getRequestURI().getPath() + " " + x.getRequestHeaders().getFirst("Authorization") + " "
                    + x.getRequestHeaders().getFirst("X-Message-Id") + " " + new String(x.getRequestBody().readAllBytes(),
                            StandardCharsets.UTF_8));
            byte[] answer = "{\"outcome\":\"QUEUED\"}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(202, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        hub.start();
        platform.activate(Map.of("http.port", Integer.toString(port), "webhook.secret", KEY, "hub.url",
                "http://127.0.0.1:" + hub.getAddress().getPort() + "/hub", "hub.user", "aa", "hub.password", "pw"));
    }

    @After
    public void stop() {
        platform.deactivate();
        hub.stop(0);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode recus() throws Exception {
        return AisneActifsDouble.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/double/control/recus")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    public void aSignedFreshEventIsRecordedOnceAndBadOnesAreRefusedWith401() throws Exception {
        String body = "{\"id\":\"evt-1\",\"seq\":1,\"type\":\"dossier.clos\",\"personId\":\"p-1\"}";
        String now = Long.toString(System.currentTimeMillis() / 1000);
        String sig = AisneActifsDouble.sign(KEY, now, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, post("/aisne-actifs/webhook", body, "X-Hub-Timestamp", now, "X-Hub-Signature", sig).statusCode());
        assertEquals("a retry of the same event", 200,
                post("/aisne-actifs/webhook", body, "X-Hub-Timestamp", now, "X-Hub-Signature", sig).statusCode());

        HttpResponse<String> tampered = post("/aisne-actifs/webhook", body.replace("clos", "suspendu"), "X-Hub-Timestamp", now,
                "X-Hub-Signature", sig);
        assertEquals(401, tampered.statusCode());
        assertTrue(tampered.body(), tampered.body().contains("does not match"));
        assertFalse(tampered.body(), tampered.body().contains(sig.substring(3)));
        String old = Long.toString(System.currentTimeMillis() / 1000 - 301);
        assertEquals("replayed", 401, post("/aisne-actifs/webhook", body, "X-Hub-Timestamp", old, "X-Hub-Signature",
                AisneActifsDouble.sign(KEY, old, body.getBytes(StandardCharsets.UTF_8))).statusCode());
        assertEquals("unsigned", 401, post("/aisne-actifs/webhook", body).statusCode());
        assertEquals("another key", 401, post("/aisne-actifs/webhook", body, "X-Hub-Timestamp", now, "X-Hub-Signature",
                AisneActifsDouble.sign(KEY + "x", now, body.getBytes(StandardCharsets.UTF_8))).statusCode());
        assertEquals("signature in the query string only", 401, post("/aisne-actifs/webhook?X-Hub-Timestamp=" + now
                + "&X-Hub-Signature=" + sig, body).statusCode());

        JsonNode r = recus();
        assertEquals(1, r.path("evenements").size());
        assertEquals("evt-1", r.path("evenements").get(0).path("id").asText());
        assertEquals(5, r.path("refuses").asInt());
        assertEquals(1, r.path("doublons").asInt());
    }

    @Test
    public void failuresCanBeInjected() throws Exception {
        post("/double/control", "{\"failNext\":1,\"failStatus\":503}");
        String body = "{\"id\":\"evt-2\"}";
        String now = Long.toString(System.currentTimeMillis() / 1000);
        String sig = AisneActifsDouble.sign(KEY, now, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(503, post("/aisne-actifs/webhook", body, "X-Hub-Timestamp", now, "X-Hub-Signature", sig).statusCode());
        assertEquals(200, post("/aisne-actifs/webhook", body, "X-Hub-Timestamp", now, "X-Hub-Signature", sig).statusCode());
    }

    @Test
    public void aDecisionIsSentToTheHubWithItsIdAndCredentials() throws Exception {
        HttpResponse<String> r = post("/double/control/envoyer", "{\"type\":\"orientation\",\"decision\":{\"decisionId\":"
                + "\"AA-ORI-1\",\"personId\":\"p-1\",\"parcours\":\"PSO\"}}");
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode answer = AisneActifsDouble.JSON.readTree(r.body());
        assertEquals(202, answer.path("status").asInt());
        assertEquals("QUEUED", answer.path("body").path("outcome").asText());
        assertEquals(1, hubGot.size());
        assertTrue(hubGot.get(0), hubGot.get(0).startsWith("/hub/in/aisne-actifs/orientation Basic YWE6cHc= AA-ORI-1 {"));
        assertEquals(400, post("/double/control/envoyer", "{\"type\":\"inconnu\",\"decision\":{}}").statusCode());
    }

    @Test
    public void checkNamesTheProblem() {
        assertNull(platform.check("100", AisneActifsDouble.sign(KEY, "100", new byte[0]), new byte[0], 100));
        assertTrue(platform.check("abc", "v1=00", new byte[0], 100).contains("Timestamp"));
    }
}
