package fr.aisne.hub.connector.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.doubles.dora.DoubleForTests;

/**
 * Both directions against the real Dora double over real HTTP, without OSGi (DoraIT does it in the distribution):
 * the connector's REST routes on Jetty, its pages delivered in the order the hub would deliver them. Prints the
 * figures of a full pull of the double's Aisne fixtures and of a second pull with nothing changed.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DoubleRoundTripTest {
    static final String FEED_TOKEN = "feed-read-token-for-the-round-trip";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static DoubleForTests dora;
    static TestConnectorContext ctx;
    static DefaultCamelContext camel;
    static String hub;
    static int delivered;
    static JsonNode firstPull;

    @BeforeClass
    public static void start() throws Exception {
        dora = DoubleForTests.start(freePort(), Map.of());
        ctx = new TestConnectorContext("dora", TestTables.empty(), Clock.systemUTC());
        int port = freePort();
        hub = "http://127.0.0.1:" + port;
        DoraConnector connector = new DoraConnector();
        connector.activate(TestConnectorContext.settings("api.url", dora.baseUrl() + "/api/v1",
                "api.token", ctx.secrets().sealSetting(DoubleForTests.API_TOKEN), "directory.pageSize", "10",
                "directory.pullOnStart", "false", "feed.token", ctx.secrets().sealSetting(FEED_TOKEN)));
        connector.configure(withHttp(ctx, new TestHttp(port, "agent", "pw", Set.of("departement", "manager"))));
        camel = new DefaultCamelContext();
        for (RoutesBuilder r : ctx.routeBuilders()) {
            camel.addRoutes(r);
        }
        camel.start();
    }

    @AfterClass
    public static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (dora != null) {
            dora.close();
        }
    }

    @Test
    public void a_aFullPullOfTheAisneRejectsEachBadItemAlone() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("POST", hub + "/hub/api/dora/directory/pull", null, basic());
        assertEquals(r.body(), 202, r.statusCode());
        String run = Json.MAPPER.readTree(r.body()).get("run").asText();
        deliverAll();
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode report = pull(run);
        firstPull = report;
        assertEquals("COMPLETED", report.get("status").asText());

        JsonNode fixtures = Json.MAPPER.readTree(send("GET", dora.baseUrl() + "/double/fixtures", null, Map.of()).body());
        int structures = fixtures.at("/structures/validByDepartement/02").asInt();
        int services = fixtures.at("/services/validByDepartement/02").asInt();
        List<String> expected = new ArrayList<>();
        for (JsonNode bad : fixtures.get("bad")) {
            expected.add(bad.get("id").asText() + " " + bad.get("field").asText() + " " + bad.get("rule").asText());
        }
        assertEquals(structures, report.at("/structures/inserted").asInt());
        assertEquals(services, report.at("/services/inserted").asInt());
        assertEquals(structures + 2, report.at("/structures/received").asInt());
        assertEquals(services + 4, report.at("/services/received").asInt());
        List<String> rejected = new ArrayList<>();
        for (JsonNode x : report.get("rejected")) {
            List<String> rules = new ArrayList<>();
            x.get("errors").forEach(e -> rules.add(e.get("field").asText() + " " + e.get("rule").asText()));
            String id = x.get("id").asText();
            String want = expected.stream().filter(s -> s.startsWith(id + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(id + " rejected but not a bad item of the double"));
            assertTrue(id + ": " + rules, rules.contains(want.substring(id.length() + 1)));
            rejected.add(want);
        }
        assertEquals(expected.stream().sorted().toList(), rejected.stream().sorted().toList());
        System.out.printf("Full pull of the double's Aisne fixtures: %d structures + %d services received in %d + %d "
                + "pages of 10, %d rejected, %d rows written, %.2f s%n", report.at("/structures/received").asInt(),
                report.at("/services/received").asInt(), report.at("/structures/pages").asInt(),
                report.at("/services/pages").asInt(), report.get("rejected").size(), report.get("writes").asInt(), seconds);
    }

    @Test
    public void b_aSecondPullWithNothingChangedWritesNothing() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("POST", hub + "/hub/api/dora/directory/pull", null, basic());
        String run = Json.MAPPER.readTree(r.body()).get("run").asText();
        deliverAll();
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode report = pull(run);
        assertEquals("COMPLETED", report.get("status").asText());
        assertEquals(0, report.get("writes").asInt());
        assertEquals(firstPull.at("/services/inserted").asInt(), report.at("/services/unchanged").asInt());
        System.out.printf("Second pull, nothing changed: %d items unchanged, %d rows written, %.2f s%n",
                report.at("/structures/unchanged").asInt() + report.at("/services/unchanged").asInt(),
                report.get("writes").asInt(), seconds);
    }

    @Test
    public void c_theDepartmentFindsTheServicesNearAPerson() throws Exception {
        HttpResponse<String> r = send("GET", hub + "/hub/api/departement/services?code_commune=02691&thematique=mobilite",
                null, basic());
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode page = Json.MAPPER.readTree(r.body());
        assertTrue(r.body(), page.get("total").asInt() > 0);
        for (JsonNode s : page.get("items")) {
            assertTrue(s.toString(), s.get("thematiques").toString().contains("mobilite--"));
            assertTrue(s.toString(), List.of("commune", "zone", "a-distance").contains(s.get("proximite").asText()));
            assertTrue("with its structure", s.get("structure").has("nom"));
        }
        assertEquals(400, send("GET", hub + "/hub/api/departement/services?thematique=rien", null, basic()).statusCode());
        assertEquals(401, send("GET", hub + "/hub/api/departement/services", null, Map.of()).statusCode());
    }

    @Test
    public void d_theOfferIsPublishedAndAcceptedByDataInclusionsConsumer() throws Exception {
        Flow offre = ctx.flow("offre");
        byte[] body = Json.write(TestItems.exampleOffer()).getBytes(StandardCharsets.UTF_8);
        offre.validator().validate(new ByteArrayInputStream(body));
        offre.deliveryHandler().deliver(new TestDelivery("00000000-0000-0000-0000-00000000000d", "c", "departement",
                "offre", "application/json", null, null, "agent", 1, body));

        assertEquals(200, send("POST", dora.baseUrl() + "/double/consumer", Json.write(Map.of("feedBaseUrl",
                hub + "/hub/feed/dora", "token", FEED_TOKEN, "pageSize", 3)), Map.of()).statusCode());
        JsonNode report = Json.MAPPER.readTree(send("POST", dora.baseUrl() + "/double/consumer/pull", "", Map.of()).body());
        assertEquals(report.toString(), "COMPLETED", report.get("status").asText());
        assertEquals(report.toString(), 4, report.at("/structures/accepted").asInt());
        assertEquals(report.toString(), 7, report.at("/services/accepted").asInt());
        assertEquals(report.toString(), 0, report.get("rejected").size());
        assertEquals(report.toString(), 0, report.get("envelope").size());
        assertEquals("pages of 3", 3, report.at("/pages/services").asInt());

        HttpResponse<byte[]> csv = HTTP.send(HttpRequest.newBuilder(URI.create(hub + "/hub/feed/dora/offre.csv"))
                .header("Authorization", "Bearer " + FEED_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        HttpResponse<String> checked = HTTP.send(HttpRequest.newBuilder(URI.create(dora.baseUrl() + "/double/consumer/csv"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode csvReport = Json.MAPPER.readTree(checked.body());
        assertEquals(checked.body(), 4, csvReport.at("/structures/accepted").asInt());
        assertEquals(checked.body(), 7, csvReport.at("/services/accepted").asInt());
        assertEquals(checked.body(), 0, csvReport.get("rejected").size());
        assertEquals(checked.body(), 0, csvReport.get("warnings").size());
    }

    @Test
    public void e_anInvalidOfferIsRefusedWithItsReasonAndNothingChanges() throws Exception {
        var offer = TestItems.exampleOffer();
        ((com.fasterxml.jackson.databind.node.ObjectNode) offer.get("actions").get(3)).putArray("publics")
                .add("tous-publics").add("jeunes");
        ValidationException e = assertThrows(ValidationException.class, () -> ctx.flow("offre").validator()
                .validate(new ByteArrayInputStream(Json.write(offer).getBytes(StandardCharsets.UTF_8))));
        assertEquals("offer refused, 1 problem: actions[3].publics: tous-publics-alone (tous-publics cannot be combined "
                + "with another public)", e.getMessage());
    }

    @Test
    public void f_theFeedIsForTheReadTokenOrAnAccount() throws Exception {
        assertEquals(401, send("GET", hub + "/hub/feed/dora/services", null, Map.of()).statusCode());
        assertEquals(401, send("GET", hub + "/hub/feed/dora/services", null, Map.of("Authorization", "Bearer nope"))
                .statusCode());
        HttpResponse<String> r = send("GET", hub + "/hub/feed/dora/services?size=2&page=4", null, basic());
        assertEquals(200, r.statusCode());
        JsonNode page = Json.MAPPER.readTree(r.body());
        assertEquals(1, page.get("size").asInt());
        assertEquals(7, page.get("total").asInt());
        assertEquals(4, page.get("pages").asInt());
        assertFalse("the request's headers are not echoed", r.headers().firstValue("Authorization").isPresent());
        HttpResponse<String> bad = send("GET", hub + "/hub/feed/dora/services?size=0", null, basic());
        assertEquals(422, bad.statusCode());
        assertTrue(bad.body(), bad.body().contains("greater_than_equal"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** What the hub would do: deliver each message handed to the intake, in order, to its flow's handler. */
    static void deliverAll() throws Exception {
        List<TestConnectorContext.Accepted> all = ctx.accepted();
        for (; delivered < all.size(); delivered++) {
            TestConnectorContext.Accepted a = all.get(delivered);
            a.flow().deliveryHandler().deliver(new TestDelivery(a.exchangeId(), a.metadata().correlationId(),
                    a.flow().partner(), a.flow().name(), a.metadata().contentType(), a.metadata().partnerMessageId(),
                    a.metadata().orderingKey(), a.metadata().sender(), 1, a.payload()));
        }
    }

    static JsonNode pull(String run) throws Exception {
        JsonNode d = Json.MAPPER.readTree(send("GET", hub + "/hub/api/dora/directory", null, basic()).body());
        for (JsonNode p : d.get("pulls")) {
            if (p.get("run").asText().equals(run)) {
                return p;
            }
        }
        throw new AssertionError("no pull " + run + " in " + d);
    }

    static Map<String, String> basic() {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("agent:pw".getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> send(String method, String url, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The test context, with a listener of its own. */
    static ConnectorContext withHttp(TestConnectorContext c, HttpSecurity http) {
        return new ConnectorContext() {
            @Override
            public String connectorId() {
                return c.connectorId();
            }

            @Override
            public Flow flow(Flow flow) {
                return c.flow(flow);
            }

            @Override
            public void routes(RoutesBuilder routes) {
                c.routes(routes);
            }

            @Override
            public void describeApi(String openApiJson) {
                c.describeApi(openApiJson);
            }

            @Override
            public Intake intake() {
                return c.intake();
            }

            @Override
            public ModuleDatabase database() {
                return c.database();
            }

            @Override
            public PartnerGuard partnerGuard(String partner, PartnerLimits limits) {
                return c.partnerGuard(partner, limits);
            }

            @Override
            public HttpSecurity http() {
                return http;
            }

            @Override
            public Secrets secrets() {
                return c.secrets();
            }

            @Override
            public Clock clock() {
                return c.clock();
            }
        };
    }
}
