package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import fr.aisne.hub.api.operations.HubOperations;

/**
 * Dora / data·inclusion in the real distribution (Karaf, Artemis, Derby, HTTP), against the Dora double on port
 * 18585 (features hub-double-dora and hub-connector-dora installed at run time, the connector's tokens written
 * encrypted with the hub's own keys):
 * <ol>
 * <li>(a) the directory of the Aisne pulled from the double, page by page through the hub's journal, and answered
 * by the department API; each bad item of the double rejected alone, with its field and rule, its page delivered;
 * the figures of the full pull printed;</li>
 * <li>(b) a second pull with nothing changed writes nothing;</li>
 * <li>(c) the department's offer posted to {@code /hub/in/departement/offre}, published, pulled by the double's
 * consumer as data·inclusion pulls a source and accepted whole; the CSV accepted too;</li>
 * <li>(d) an invalid offer refused at intake with every field and rule, quarantined, the published offer unchanged.</li>
 * </ol>
 * The methods run in name order in one container.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DoraIT extends HubTestSupport {
    static final int DORA_PORT = Ports.of(18585);
    static final String DORA_CFG = "hub.connector.dora.cfg";
    /** The double's fixed token with the api scope (routes/dora/README.md); it only opens the double. */
    static final String API_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhaXNuZS1odWIiLCJzY29wZXMiOlsiYXBpIl0sImNyZWF0ZWRfYXQiOiIyMDI2LTAxLTA1VDA5OjAwOjAwKzAxOjAwIn0.9jBNaePZ4K8xN0m-I_2BJjbGfTLe9M2BaSNJA5ZEyQI";
    static final String FEED_TOKEN = "dora-it-feed-read-token-5f2c9a71";
    static final String OFFRE = "/hub/in/departement/offre";

    @Inject
    HubOperations hub;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(hubDistribution()));
        options.add(editConfigurationFilePut("etc/hub.double.dora.cfg", "http.port", Integer.toString(DORA_PORT)));
        options.add(editConfigurationFilePut("etc/hub.double.dora.cfg", "consumer.feedBaseUrl",
                "http://127.0.0.1:" + HTTP_PORT + "/hub/feed/dora"));
        options.add(editConfigurationFilePut("etc/hub.double.dora.cfg", "consumer.token", FEED_TOKEN));
        options.add(editConfigurationFilePut("etc/hub.double.dora.cfg", "consumer.pageSize", "3"));
        // the example offer of routes/dora (README, demo), read by the test inside the container
        options.add(systemProperty("dora.offer").value(new File("../routes/dora/offre-exemple.json").getAbsolutePath()));
        return OptionUtils.combine(options.toArray(new Option[0]));
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    @Test
    public void a_theDirectoryOfTheAisneIsPulledFromTheDoubleAndAnsweredByTheDepartmentApi() throws Exception {
        installFeature("hub-double-dora");
        awaitHealthUp();
        HubHttp.await("Dora double listening on " + DORA_PORT, Duration.ofSeconds(30),
                () -> dora().getAnonymous("/double/stats").status() == 200);
        // the connector's settings, its two tokens sealed with this hub's keys, before its feature (which keeps them)
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        String settings = "api.url = http://127.0.0.1:" + DORA_PORT + "/api/v1\n"
                + "api.token = " + hub.secrets().sealSetting(API_TOKEN) + "\n"
                + "feed.token = " + hub.secrets().sealSetting(FEED_TOKEN) + "\n"
                + "directory.pageSize = 10\n"
                + "directory.pullOnStart = false\n"
                + "retry.initialDelayMs = 200\n";
        Files.writeString(etc.resolve(DORA_CFG + ".tmp"), settings, StandardCharsets.UTF_8);
        Files.move(etc.resolve(DORA_CFG + ".tmp"), etc.resolve(DORA_CFG), StandardCopyOption.ATOMIC_MOVE);
        assertFalse("sealed", Files.readString(etc.resolve(DORA_CFG)).contains(API_TOKEN));
        installFeature("hub-connector-dora");
        HubHttp.await("dora connector installed and UP", Duration.ofSeconds(30),
                () -> http().get("/hub/health").body().contains("\"connector:dora\":{\"status\":\"UP\""));

        String report = pull();
        String run = HubHttp.field(report, "run");
        System.out.println("DoraIT full pull of the double's Aisne fixtures: " + figures(report));
        assertEquals(25, count(report, "structures", "inserted"));
        assertEquals(60, count(report, "services", "inserted"));
        assertEquals(27, count(report, "structures", "received"));
        assertEquals(64, count(report, "services", "received"));
        assertEquals(3, count(report, "structures", "pages"));
        assertEquals(7, count(report, "services", "pages"));
        assertEquals(85, number(report, "writes"));
        // each bad item of the double rejected alone, by the field and rule the double names
        String all = dora().getAnonymous("/double/fixtures").body();
        // the "bad" list only: "warnings" has items of the same shape that must NOT be rejected
        String fixtures = all.substring(all.indexOf("\"bad\":["), all.indexOf("\"warnings\":"));
        Matcher bad = Pattern.compile("\\{\"kind\":\"(\\w+)\",\"id\":\"([^\"]+)\",\"field\":\"([^\"]+)\",\"rule\":\"([^\"]+)\"")
                .matcher(fixtures);
        int bads = 0;
        while (bad.find()) {
            bads++;
            String rejected = rejection(report, bad.group(2));
            assertTrue(bad.group(2) + " " + rejected, rejected.contains("{\"field\":\"" + bad.group(3) + "\",\"rule\":\""
                    + bad.group(4) + "\""));
        }
        assertEquals(6, bads);
        assertTrue("the v0 shape is named", rejection(report, "dora--ccas-saint-quentin-epicerie-sociale")
                .contains("\"rule\":\"v0-shape\""));

        // every page journaled and delivered; the page of the v0 item names it in its detail
        // the handler finishes the run before the core journals its page DELIVERED: wait for the last commit
        String[] journal = {""};
        HubHttp.await("the 11 pages DELIVERED", Duration.ofSeconds(15), () -> {
            journal[0] = http().get("/hub/api/messages?partner=dora&correlationId=" + run + "&limit=100").body();
            return count(journal[0], "\"state\":\"DELIVERED\"") >= 11;
        });
        assertEquals(journal[0], 11, count(journal[0], "\"flow\":\"directory\""));
        assertEquals(journal[0], 11, count(journal[0], "\"state\":\"DELIVERED\""));
        String withV0 = pageDetailNaming(run, "dora--ccas-saint-quentin-epicerie-sociale");
        assertTrue(withV0, withV0.contains("description: schema:required"));

        // the department's query
        String services = http().get("/hub/api/departement/services?code_commune=02691&size=100").body();
        assertTrue(services, number(services, "total") > 0);
        assertTrue(services, services.contains("\"proximite\":\"commune\""));
        assertTrue(services, services.contains("\"structure\":{"));
        assertFalse("rejected items are not in the directory",
                services.contains("dora--ccas-saint-quentin-epicerie-sociale"));
        String mobilite = http().get("/hub/api/departement/services?thematique=mobilite&public=jeunes").body();
        assertTrue(mobilite, number(mobilite, "total") > 0);
        assertTrue(mobilite, mobilite.contains("\"mobilite--"));
        assertEquals(400, http().get("/hub/api/departement/services?thematique=rien").status());
        assertEquals(401, http().getAnonymous("/hub/api/departement/services").status());
        String openapi = http().getAnonymous("/hub/api/openapi.json").body();
        assertTrue(openapi.contains("\"/api/departement/services\""));
        assertTrue(openapi.contains("\"/in/departement/offre\""));
        assertTrue(openapi.contains("\"doraOffre\""));
        assertFalse("no token in the settings shown", http().get("/hub/api/connectors").body().contains(API_TOKEN));
    }

    @Test
    public void b_aSecondPullWithNothingChangedWritesNothing() {
        String report = pull();
        System.out.println("DoraIT second pull, nothing changed: " + figures(report));
        assertEquals(0, number(report, "writes"));
        assertEquals(25, count(report, "structures", "unchanged"));
        assertEquals(60, count(report, "services", "unchanged"));
    }

    @Test
    public void c_theDepartmentsOfferIsPublishedAndAcceptedByTheDoublesConsumer() throws Exception {
        String offer = Files.readString(Path.of(System.getProperty("dora.offer")), StandardCharsets.UTF_8);
        HubHttp.Response r = http().post(OFFRE, offer, "X-Message-Id", "offre-it-1");
        assertEquals(r.body(), 202, r.status());
        String id = HubHttp.field(r.body(), "exchangeId");
        awaitState(id, "DELIVERED", Duration.ofSeconds(30));
        String journal = http().get("/hub/api/messages/" + id).body();
        assertTrue(journal, journal.contains("offer published: 4 structures, 7 services (11 new"));

        String pulled = dora().post("/double/consumer/pull", "").body();
        assertTrue(pulled, pulled.contains("\"status\":\"COMPLETED\""));
        assertTrue(pulled, pulled.contains("\"structures\":{\"received\":4,\"accepted\":4,\"rejected\":0}"));
        assertTrue(pulled, pulled.contains("\"services\":{\"received\":7,\"accepted\":7,\"rejected\":0}"));
        assertTrue(pulled, pulled.contains("\"rejected\":[]"));
        assertTrue(pulled, pulled.contains("\"envelope\":[]"));

        HttpResponse<byte[]> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + HTTP_PORT + "/hub/feed/dora/offre.csv"))
                .header("Authorization", "Bearer " + FEED_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, csv.statusCode());
        HttpResponse<String> checked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + DORA_PORT + "/double/consumer/csv")).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv.body())).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(checked.body(), checked.body().contains("\"services\":{\"received\":7,\"accepted\":7,\"rejected\":0}"));
        assertEquals(401, http().getAnonymous("/hub/feed/dora/services").status());
    }

    @Test
    public void d_anInvalidOfferIsRefusedWithItsReasonAndThePublishedOneStays() throws Exception {
        String offer = Files.readString(Path.of(System.getProperty("dora.offer")), StandardCharsets.UTF_8)
                .replaceFirst("\"axe\": \"4-2\",", "\"axe\": \"4-2\", \"publics\": [\"tous-publics\", \"jeunes\"],")
                .replaceFirst("\"siret\": \"\\d{14}\"", "\"siret\": \"1234\"");
        HubHttp.Response r = http().post(OFFRE, offer, "X-Message-Id", "offre-it-2");
        assertEquals(r.body(), 422, r.status());
        assertTrue(r.body(), r.body().contains("structures[0].siret: schema:pattern"));
        // the schema first; once it passes, the rules of data·inclusion schema v1
        r = http().post(OFFRE, offer.replaceFirst("\"siret\": \"1234\"", "\"siret\": \"99900201000018\""),
                "X-Message-Id", "offre-it-3");
        assertEquals(r.body(), 422, r.status());
        assertTrue(r.body(), r.body().contains("offer refused, 1 problem: actions[0].publics: tous-publics-alone"));
        assertEquals("QUARANTINED", http().stateOf(HubHttp.field(r.body(), "exchangeId")));
        String feed = http().get("/hub/feed/dora/services?size=1").body();
        assertEquals("the published offer stays", 7, number(feed, "total"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HubHttp dora() {
        return new HubHttp("http://127.0.0.1:" + DORA_PORT, "", "");
    }

    /** Starts a pull (POST /hub/api/dora/directory/pull) and returns its report once COMPLETED. */
    private String pull() {
        HubHttp.Response started = http().post("/hub/api/dora/directory/pull", "");
        assertEquals(started.body(), 202, started.status());
        String run = HubHttp.field(started.body(), "run");
        String[] report = {null};
        HubHttp.await("pull " + run + " completed", Duration.ofSeconds(60), () -> {
            String body = http().get("/hub/api/dora/directory").body();
            int at = body.indexOf("{\"run\":\"" + run + "\"");
            if (at < 0) {
                return false;
            }
            String one = body.substring(at, end(body, at));
            report[0] = one;
            return one.contains("\"status\":\"COMPLETED\"");
        });
        return report[0];
    }

    private static String figures(String report) {
        return count(report, "structures", "received") + " structures and " + count(report, "services", "received")
                + " services in " + count(report, "structures", "pages") + " + " + count(report, "services", "pages")
                + " pages of 10, " + count(report, "structures", "rejected") + " + " + count(report, "services", "rejected")
                + " rejected, " + (count(report, "structures", "unchanged") + count(report, "services", "unchanged"))
                + " unchanged, " + number(report, "writes") + " rows written, "
                + Pattern.compile("\"seconds\":([0-9.]+)").matcher(report).results().map(m -> m.group(1)).findFirst()
                        .orElse("?") + " s from the first request to the end message delivered";
    }

    /** A count of the report's flat {"structures": {...}} or {"services": {...}} object. */
    private static int count(String report, String kind, String name) {
        Matcher m = Pattern.compile("\"" + kind + "\":\\{[^}]*\"" + name + "\":(\\d+)").matcher(report);
        assertTrue(kind + "." + name + " in " + report, m.find());
        return Integer.parseInt(m.group(1));
    }

    private static int number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(name + " in " + json, m.find());
        return Integer.parseInt(m.group(1));
    }

    /** The rejection entry of an item in a pull's report. */
    private static String rejection(String report, String id) {
        int at = report.indexOf("{\"kind\":", report.indexOf("\"rejected\":["));
        while (at >= 0) {
            String one = report.substring(at, end(report, at));
            if (one.contains("\"id\":\"" + id + "\"")) {
                return one;
            }
            at = report.indexOf("{\"kind\":", at + one.length());
        }
        throw new AssertionError(id + " not rejected: " + report);
    }

    /** The journal's detail of the pull's page that rejected an item. */
    private String pageDetailNaming(String run, String id) {
        String list = http().get("/hub/api/messages?partner=dora&correlationId=" + run + "&limit=100").body();
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(list);
        while (m.find()) {
            String one = http().get("/hub/api/messages/" + m.group(1)).body();
            if (one.contains(id + ": ")) {
                return one;
            }
        }
        throw new AssertionError("no page of " + run + " names " + id);
    }

    /** The end of the JSON object starting at {@code from} (no braces inside strings in these answers). */
    private static int end(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }
}
