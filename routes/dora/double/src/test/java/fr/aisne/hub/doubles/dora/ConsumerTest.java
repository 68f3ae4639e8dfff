package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.doubles.dora.Fixtures.Item;

/**
 * The consumer pulling a feed this test serves (as the hub will: {items, total, page, size, pages}, bearer token),
 * valid and invalid, and its report.
 */
public class ConsumerTest extends DoubleTestSupport {
    static final String FEED_TOKEN = "feed-read-token-0123456789";
    static final Fixtures FIXTURES = Fixtures.build(FixturesTest.TODAY);

    private HttpServer feed;
    private String feedBase;
    private final List<JsonNode> structures = new ArrayList<>();
    private final List<JsonNode> services = new ArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile boolean lieAboutSize;

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Before
    public void startFeed() throws IOException {
        feed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        feed.createContext("/hub/offre/v1/", this::serve);
        feed.start();
        feedBase = "http://127.0.0.1:" + feed.getAddress().getPort() + "/hub/offre/v1";
    }

    @After
    public void stopFeed() {
        feed.stop(0);
    }

    /** The hub's feed as the connector will serve it: pages of the size asked, ordered as given. */
    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(path + "?" + ex.getRequestURI().getRawQuery());
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(auth));
        if (!("Bearer " + FEED_TOKEN).equals(auth)) {
            reply(ex, 401, "{\"detail\":\"Unauthorized\"}");
            return;
        }
        List<JsonNode> all = path.endsWith("/structures") ? structures : path.endsWith("/services") ? services : null;
        if (all == null) {
            reply(ex, 404, "{\"detail\":\"Not Found\"}");
            return;
        }
        Map<String, String> q = new HashMap<>();
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        int page = Integer.parseInt(q.get("page"));
        int size = Integer.parseInt(q.get("size"));
        int from = Math.min((page - 1) * size, all.size());
        List<JsonNode> items = all.subList(from, Math.min(from + size, all.size()));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("items", items);
        env.put("total", all.size());
        env.put("page", page);
        env.put("size", lieAboutSize ? size : items.size());
        env.put("pages", (all.size() + size - 1) / size);
        reply(ex, 200, JSON.writeValueAsString(env));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private void validOffer() {
        for (Item s : FIXTURES.structures) {
            if (s.bad() == null && s.codeInsee().startsWith("02")) {
                ObjectNode j = s.json().deepCopy();
                j.put("aisne_actifs_ref", "AA-" + s.id().hashCode()); // a field the schema lacks: ignored
                structures.add(j);
            }
        }
        for (Item s : FIXTURES.services) {
            if (s.bad() == null && s.codeInsee().startsWith("02")) {
                services.add(s.json());
            }
        }
    }

    private JsonNode configureAndPull(int pageSize, String token) throws Exception {
        HttpResponse<String> c = post("/double/consumer", JSON.writeValueAsString(Map.of("feedBaseUrl", feedBase + "/",
                "token", token, "pageSize", pageSize)), Map.of());
        assertEquals(c.body(), 200, c.statusCode());
        HttpResponse<String> r = post("/double/consumer/pull", "", Map.of());
        assertEquals(r.body(), 200, r.statusCode());
        return json(r);
    }

    @Test
    public void aValidFeedIsAcceptedWholePageByPage() throws Exception {
        validOffer();
        JsonNode report = configureAndPull(7, FEED_TOKEN);
        assertEquals(report.toString(), "COMPLETED", report.get("status").asText());
        assertTrue(report.get("error").isNull());
        assertEquals(25, report.get("structures").get("received").asInt());
        assertEquals(25, report.get("structures").get("accepted").asInt());
        assertEquals(60, report.get("services").get("accepted").asInt());
        assertEquals(0, report.get("rejected").size());
        assertEquals(0, report.get("envelope").size());
        assertEquals(4, report.get("pages").get("structures").asInt());
        assertEquals(9, report.get("pages").get("services").asInt());
        assertEquals(4 + 9, requests.size());
        assertEquals("/hub/offre/v1/structures?page=1&size=7", requests.get(0));
        assertEquals("/hub/offre/v1/services?page=9&size=7", requests.get(12));
        authorizations.forEach(a -> assertEquals("Bearer " + FEED_TOKEN, a));
        // a final "." is a warning, not a rejection
        assertEquals(1, report.get("warnings").size());
        assertEquals(Fixtures.WARNING_NOM_PERIOD, report.get("warnings").get(0).get("id").asText());
        assertEquals(SchemaCheck.NOM_PERIOD, report.get("warnings").get(0).get("rule").asText());
        assertEquals(60, report.get("acceptedIds").get("services").size());
        assertFalse("no token in the report", report.toString().contains(FEED_TOKEN));
        assertEquals(report, json(get("/double/consumer/report", Map.of())));
    }

    @Test
    public void badItemsAreRejectedOneByOneWithFieldAndRule() throws Exception {
        validOffer();
        for (Item s : FIXTURES.structures) {
            if (s.bad() != null) {
                structures.add(s.json());
            }
        }
        for (Item s : FIXTURES.services) {
            if (s.bad() != null) {
                services.add(s.json());
            }
        }
        // a service of an absent structure, one of a rejected structure, an id given twice
        ObjectNode orphan = services.get(0).deepCopy();
        orphan.put("id", "dora--orphan").put("structure_id", "dora--absent");
        ObjectNode ofRejected = services.get(0).deepCopy();
        ofRejected.put("id", "dora--of-rejected").put("structure_id", Fixtures.BAD_NOM);
        services.add(orphan);
        services.add(ofRejected);
        services.add(services.get(1));
        JsonNode report = configureAndPull(1000, FEED_TOKEN);
        assertEquals("COMPLETED", report.get("status").asText());
        assertEquals(25, report.get("structures").get("accepted").asInt());
        assertEquals(2, report.get("structures").get("rejected").asInt());
        assertEquals(60, report.get("services").get("accepted").asInt());
        assertEquals(4 + 3, report.get("services").get("rejected").asInt());
        Map<String, List<String>> rules = new HashMap<>();
        for (JsonNode r : report.get("rejected")) {
            List<String> l = new ArrayList<>();
            r.get("errors").forEach(e -> l.add(e.get("field").asText() + " " + e.get("rule").asText()));
            rules.merge(r.get("id").asText(), l, (a, b) -> {
                List<String> m = new ArrayList<>(a);
                m.addAll(b);
                return m;
            });
        }
        assertTrue(rules.get(Fixtures.BAD_V0_SERVICE).toString(), rules.get(Fixtures.BAD_V0_SERVICE)
                .containsAll(List.of("description schema:required", "frais schema:type")));
        assertTrue(rules.get(Fixtures.BAD_V0_STRUCTURE).contains("date_maj schema:format"));
        assertEquals(List.of("nom schema:minLength"), rules.get(Fixtures.BAD_NOM));
        assertEquals(List.of("publics " + SchemaCheck.TOUS_PUBLICS), rules.get(Fixtures.BAD_TOUS_PUBLICS));
        assertEquals(List.of("date_maj " + SchemaCheck.DATE_MAJ), rules.get(Fixtures.BAD_DATE_1999));
        assertEquals(List.of("date_maj " + SchemaCheck.DATE_MAJ), rules.get(Fixtures.BAD_DATE_FUTURE));
        assertEquals(List.of("structure_id " + OfferCheck.STRUCTURE_UNKNOWN), rules.get("dora--orphan"));
        assertEquals(List.of("structure_id " + OfferCheck.STRUCTURE_REJECTED), rules.get("dora--of-rejected"));
        assertEquals(List.of("id " + OfferCheck.ID_DUPLICATE), rules.get(services.get(1).get("id").asText()));
        for (JsonNode r : report.get("rejected")) {
            assertTrue(r.get("kind").asText().matches("structure|service"));
            r.get("errors").forEach(e -> assertTrue(e.get("message").asText().length() > 5));
        }
    }

    @Test
    public void aRefusedTokenFailsThePullAndSaysWhy() throws Exception {
        validOffer();
        JsonNode report = configureAndPull(100, "wrong-token-abcdef");
        assertEquals("FAILED", report.get("status").asText());
        String error = report.get("error").asText();
        assertTrue(error, error.startsWith("GET " + feedBase + "/structures?page=1&size=100 answered 401"));
        assertFalse(report.toString().contains("wrong-token-abcdef"));
        assertEquals(0, report.get("structures").get("accepted").asInt());
        assertEquals(1, requests.size());
    }

    @Test
    public void envelopeProblemsAreReportedAndThePullGoesOn() throws Exception {
        validOffer();
        lieAboutSize = true;
        JsonNode report = configureAndPull(10, FEED_TOKEN);
        assertEquals("COMPLETED", report.get("status").asText());
        assertEquals(60, report.get("services").get("accepted").asInt());
        // 25 structures by 10: the third page is short; 60 services by 10: no short page
        assertEquals(report.get("envelope").toString(), 1, report.get("envelope").size());
        assertEquals("structures page 3: size says 10 but 5 items came (size is the number of items returned)",
                report.get("envelope").get(0).asText());
    }

    @Test
    public void anUnconfiguredOrUnreachableFeedFails() throws Exception {
        HttpResponse<String> none = get("/double/consumer/report", Map.of());
        assertEquals(404, none.statusCode());
        JsonNode report = json(post("/double/consumer/pull", "", Map.of()));
        assertEquals("FAILED", report.get("status").asText());
        assertTrue(report.get("error").asText().contains("consumer.feedBaseUrl"));
        int port = freePort();
        post("/double/consumer", "{\"feedBaseUrl\":\"http://127.0.0.1:" + port + "/feed\",\"timeoutSeconds\":2}", Map.of());
        JsonNode refused = json(post("/double/consumer/pull", "", Map.of()));
        assertEquals("FAILED", refused.get("status").asText());
        assertTrue(refused.get("error").asText().startsWith("GET http://127.0.0.1:" + port + "/feed/structures"));
    }

    @Test
    public void theConsumerSettingsNeverShowTheToken() throws Exception {
        JsonNode c = json(post("/double/consumer", "{\"feedBaseUrl\":\"" + feedBase + "\",\"token\":\"" + FEED_TOKEN
                + "\"}", Map.of()));
        assertEquals(feedBase, c.get("feedBaseUrl").asText());
        assertTrue(c.get("tokenSet").asBoolean());
        assertNull(c.get("token"));
        assertFalse(c.toString().contains(FEED_TOKEN));
        assertEquals(1000, c.get("pageSize").asInt());
        assertEquals(400, post("/double/consumer", "{\"pageSize\":0}", Map.of()).statusCode());
        assertEquals(400, post("/double/consumer", "{\"feedBaseUrl\":\"ftp://x/y\"}", Map.of()).statusCode());
        assertEquals(400, post("/double/consumer", "{\"password\":\"x\"}", Map.of()).statusCode());
        assertEquals("pageSize: must be between 1 and 10000",
                json(post("/double/consumer", "{\"pageSize\":0}", Map.of())).get("detail").asText());
        post("/double/control/reset", "", Map.of());
        assertFalse(json(get("/double/consumer", Map.of())).get("tokenSet").asBoolean());
    }
}
