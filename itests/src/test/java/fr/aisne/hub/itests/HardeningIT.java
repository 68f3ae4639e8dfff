package fr.aisne.hub.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.UUID;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;

/**
 * The hardening findings of the exchange core, each attacked on the running distribution (issue 13): bodies never
 * read before the credentials are checked, sizes bounded before and while reading, cross-site requests refused, no
 * stack trace ever answered, payloads sealed at rest and their views bounded and logged, a full disk refused with
 * 507, a clear-text partner URL refused, no personal data in a rejection.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HardeningIT extends HubTestSupport {
    private static final String RELAY = "/hub/in/echo/relay";
    private static final int LIMIT = 2 * 1024 * 1024;
    private static final String NIR = "2840575123456";

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                editConfigurationFilePut(ECHO_CFG, "maxPayloadBytes", Integer.toString(LIMIT)),
                editConfigurationFilePut("etc/users.properties", "auditor", "auditor-pw-17,viewer"));
    }

    @Before
    public void connectorAndDouble() throws Exception {
        installFeature("hub-double-echo");
        installFeature("hub-connector-echo");
        awaitHealthUp();
        HubHttp.await("echo connector serving", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
    }

    @Test
    public void aBodyIsNeverReadBeforeTheCredentialsAreChecked() {
        // 700 MB announced, 64 KB sent: a server reading the body first would wait for the rest (timeout here)
        for (String path : new String[] {RELAY, "/hub/api/messages/" + UUID.randomUUID() + "/replay",
                "/hub/api/departement/persons/lookup-by-nir"}) {
            String answer = HubHttp.declaredBody(HTTP_PORT, "POST", path, "admin", "wrong-password",
                    "application/json", 700_000_000L, 64 * 1024);
            assertTrue(path + ": " + answer, answer.startsWith("HTTP/1.1 401"));
            assertFalse(answer, answer.contains("Exception"));
        }
        // the right account, a declared size over the flow's limit: 413 naming the limit, nothing read
        String tooLarge = HubHttp.declaredBody(HTTP_PORT, "POST", RELAY, "admin", http().password(),
                "application/json", 700_000_000L, 1024);
        assertTrue(tooLarge, tooLarge.startsWith("HTTP/1.1 413"));
        assertTrue(tooLarge, tooLarge.contains(Integer.toString(LIMIT)));
    }

    @Test
    public void aStreamedBodyOverTheLimitIsCutOffAndNothingOfItIsKept() throws Exception {
        String corr = "chunked-" + UUID.randomUUID();
        byte[] body = new byte[LIMIT + 512 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        // no Content-Length: the hub counts while reading and stops at the limit
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + HTTP_PORT + RELAY)).header("Authorization", basic())
                .header("Content-Type", "application/json").header("X-Correlation-Id", corr)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 413, r.statusCode());
        String id = HubHttp.field(r.body(), "exchangeId");
        String detail = http().get("/hub/api/messages/" + id).body();
        assertTrue(detail, detail.contains("\"state\":\"QUARANTINED\""));
        assertTrue(detail, detail.contains("\"payloadAvailable\":false"));
        try (Stream<Path> files = Files.walk(payloads())) {
            assertFalse("no partial file left behind", files.anyMatch(p -> p.toString().endsWith(".part")
                    || p.getFileName().toString().equals(id)));
        }
    }

    @Test
    public void aBrowserOnAnotherSiteCannotChangeAnything() throws Exception {
        String id = postRelay(RELAY, "{\"n\":1}", "origin-" + UUID.randomUUID());
        HubHttp.Response crossSite = http().post("/hub/api/messages/" + id + "/replay", "", "Origin",
                "https://attacker.example");
        assertEquals(crossSite.body(), 403, crossSite.status());
        HubHttp.Response crossSiteIntake = http().post(RELAY, "{\"n\":2}", "Origin", "https://attacker.example");
        assertEquals(crossSiteIntake.body(), 403, crossSiteIntake.status());
        // a refusal leaves the body unread: the answer says the connection closes, so no client sends its next
        // request on it (one that did got no answer at all: -1 in CI); and it comes without waiting for the body
        try (Socket raw = new Socket("127.0.0.1", HTTP_PORT)) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(("POST " + RELAY + " HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP_PORT + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)); // no credentials, and the body is never sent
            String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer, answer.startsWith("HTTP/1.1 401"));
            assertTrue(answer, answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"));
        }
        // bodies a page can send without a CORS pre-flight
        for (String[] form : new String[][] {{"text/plain", "{\"n\":3}"}, {"multipart/form-data; boundary=x", "--x--"},
            {"application/x-www-form-urlencoded", "a=b"}}) {
            HubHttp.Response refused = http().postRaw(RELAY, form[0], form[1]);
            assertEquals(form[0] + ": " + refused.body(), 415, refused.status());
        }
        // camel-jetty parses a multipart body before the route runs unless told not to (its default in 4.14): a
        // malformed one was answered "400 bad multipart" by Jetty before anybody was authenticated
        HubHttp.Response malformed = http().postRaw(RELAY, "multipart/form-data; boundary=x", "not a multipart body");
        assertEquals(malformed.body(), 415, malformed.status());
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + HTTP_PORT + RELAY)).header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("not a multipart body")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
    }

    @Test
    public void aBugInAConnectorIsAnswered500WithAReferenceNeverAStackTrace() throws Exception {
        ServiceRegistration<Connector> buggy = bundleContext.registerService(Connector.class, new BuggyConnector(),
                new Hashtable<>());
        try {
            HubHttp.await("buggy connector serving", Duration.ofSeconds(30),
                    () -> http().get("/hub/api/connectors").body().contains("\"id\":\"buggy\""));
            HubHttp.Response r = http().post("/hub/in/buggy/in", "{\"n\":1}");
            assertEquals(r.body(), 500, r.status());
            String reference = HubHttp.field(r.body(), "reference");
            assertNotNull(r.body(), reference);
            for (String leak : new String[] {"Exception", "\tat ", "fr.aisne", "java.", "/etc/secret"}) {
                assertFalse("no " + leak + " in " + r.body(), r.body().contains(leak));
            }
            String log = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
            assertTrue("the reference leads to the log", log.contains(reference));
        } finally {
            buggy.unregister();
        }
    }

    @Test
    public void payloadsAreSealedAtRestAndTheirViewIsBoundedAndLogged() throws Exception {
        // small: kept in the journal row; large: a file. Neither holds the clear text.
        String small = postRelay(RELAY, "{\"nir\":\"" + NIR + "\"}", "sealed-" + UUID.randomUUID());
        StringBuilder big = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < 40_000; i++) {
            big.append(i == 0 ? "" : ",").append("\"").append(NIR).append("\"");
        }
        String largeBody = big.append("]}").toString();
        String large = postRelay(RELAY, largeBody, "sealed-big-" + UUID.randomUUID());
        awaitState(large, "DELIVERED", Duration.ofSeconds(30));

        byte[] row = journalPayload(small);
        assertNotNull("the small payload is in its journal row", row);
        assertFalse(new String(row, StandardCharsets.ISO_8859_1).contains(NIR));
        Path file = payloads().resolve(large.substring(0, 2)).resolve(large);
        assertTrue(file.toString(), Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(NIR));

        // the detail carries a bounded preview; the whole payload is a download, logged with its reader
        HubHttp.Response detail = http().get("/hub/api/messages/" + large);
        assertTrue("preview bounded: " + detail.body().length(), detail.body().length() < 80 * 1024);
        assertTrue(detail.body().contains("\"payloadTruncated\":true"));
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + HTTP_PORT + "/hub/api/messages/" + large + "/payload"))
                .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(largeBody.getBytes(StandardCharsets.UTF_8), download.body());
        String log = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
        // the read is logged with its reader (and recorded in the registry's access log before anything is sent)
        assertTrue("download logged with its reader", java.util.regex.Pattern.compile("Payload of exchange " + large + " read \\([^)]*\\) by admin")
                .matcher(log).find());
        assertEquals("a viewer downloads nothing", 403, http().getAs("/hub/api/messages/" + large + "/payload",
                "auditor", "auditor-pw-17").status());
    }

    @Test
    public void aNearlyFullDiskIsRefusedWith507AndShownInHealth() throws Exception {
        setCore("disk.minFreeMb", Long.toString(1L << 30)); // more than any disk has free
        try {
            HubHttp.await("health DOWN for the disk", Duration.ofSeconds(60),
                    () -> http().get("/hub/health").body().matches("(?s).*\"disk\":\\{\"status\":\"DOWN\".*"));
            HubHttp.Response[] r = {null};
            HubHttp.await("intake answers 507", Duration.ofSeconds(30), () -> {
                r[0] = http().post(RELAY, "{\"n\":1}");
                return r[0].status() == 507;
            });
            assertNotNull("Retry-After", r[0].header("Retry-After"));
            assertTrue(r[0].body(), r[0].body().contains("disk"));
        } finally {
            setCore("disk.minFreeMb", "512");
        }
        awaitHealthUp();
        HubHttp.await("intake answers 202 again", Duration.ofSeconds(60),
                () -> http().post(RELAY, "{\"after\":\"disk\"}").status() == 202);
    }

    @Test
    public void aPartnerAddressInClearTextToAnotherMachineIsRefused() throws Exception {
        setEcho("target.url", "http://partner.example/echo");
        try {
            HubHttp.await("connector:echo DOWN naming the key and the fix", Duration.ofSeconds(30), () -> {
                String h = http().get("/hub/health").body();
                return h.contains("\"connector:echo\":{\"status\":\"DOWN\"") && h.contains("target.url")
                        && h.contains("https");
            });
        } finally {
            setEcho("target.url", "http://127.0.0.1:" + DOUBLE_PORT + "/echo");
        }
        HubHttp.await("connector:echo UP again", Duration.ofSeconds(30),
                () -> http().get("/hub/health").body().contains("\"connector:echo\":{\"status\":\"UP\""));
    }

    @Test
    public void aRejectionNeverQuotesTheValueItRejects() {
        HubHttp.Response r = http().post(RELAY, "{\"nir\": " + NIR + "x, \"naissance\": \"1984-05-07\"}");
        assertEquals(r.body(), 422, r.status());
        String id = HubHttp.field(r.body(), "exchangeId");
        String detail = http().get("/hub/api/messages/" + id).body();
        String reasons = detail.replaceAll("(?s)\"payload\":\"(\\\\.|[^\"\\\\])*\"", "");
        for (String text : new String[] {r.body(), reasons, http().get("/hub/health").body()}) {
            assertFalse(text, text.contains(NIR));
            assertFalse(text, text.contains("1984-05-07"));
        }
        assertTrue("the rule, line and column instead: " + r.body(), r.body().contains("line 1"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A connector with a bug: its validator throws what no connector should. */
    static final class BuggyConnector implements Connector {
        @Override
        public String id() {
            return "buggy";
        }

        @Override
        public void configure(ConnectorContext ctx) {
            ctx.flow(Flow.inbound("buggy", "in").acceptHttp("/in/buggy/in", "admin").validator(in -> {
                throw new IllegalStateException("bug while reading /etc/secret at fr.aisne.Buggy");
            }).deliverTo(d -> fr.aisne.hub.api.DeliveryResult.delivered(null)));
        }
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + http().password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Path payloads() {
        return Paths.get(System.getProperty("karaf.data"), "hub", "payloads");
    }

    private byte[] journalPayload(String id) throws Exception {
        ServiceReference<DataSource> ref = bundleContext.getServiceReferences(DataSource.class, "(hub.datasource=main)")
                .iterator().next();
        DataSource ds = bundleContext.getService(ref);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT payload FROM hub_exchange WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    private void setCore(String key, String value) throws Exception {
        set("hub.core", key, value);
    }

    private void setEcho(String key, String value) throws Exception {
        set("hub.connector.echo", key, value);
    }

    private void set(String pid, String key, String value) throws Exception {
        org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration(pid, null);
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put(key, value);
        cfg.update(props);
    }
}
