package fr.aisne.hub.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.console.testing.ConsoleBrowser;

/**
 * The console's pages in Debian's headless Chromium against a stand-in of the operations API (a JDK HTTP server,
 * no Karaf): quick feedback on the pages' behaviour, CSP and accessibility. ConsoleIT (itests) drives the same
 * pages against the real distribution.
 */
public class ConsoleBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private String base;
    private final List<Map<String, Object>> messages = new CopyOnWriteArrayList<>();
    private final List<String> replays = new CopyOnWriteArrayList<>();

    @Before
    public void start() throws IOException {
        ConsoleBrowser.requireBrowser();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        messages.add(message("11111111-1111-4111-8111-111111111111", "corr-livre", "echo", "relay", "DELIVERED", null, now.minusSeconds(600)));
        messages.add(message("22222222-2222-4222-8222-222222222222", "RSABEM_20261206.xml", "caf", "flux-rsa", "QUARANTINED",
                "line 12, column 7: element MATRICULE: value '12A' is not a valid integer (rule caf-xsd)", now.minusSeconds(300)));
        messages.add(message("33333333-3333-4333-8333-333333333333", "corr-refus", "echo", "relay", "QUARANTINED",
                "partner answered HTTP 400", now.minusSeconds(120)));
        ConsoleAssets assets = new ConsoleAssets(ConsoleBrowserTest.class.getClassLoader());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hub/console/", x -> {
            if (user(x).isEmpty()) {
                return;
            }
            Optional<ConsoleAssets.Asset> a = assets.find(x.getRequestURI().getPath().substring("/hub/console/".length()));
            x.getResponseHeaders().set("Content-Security-Policy", ConsoleAssets.CSP);
            if (a.isEmpty()) {
                send(x, 404, "text/plain", new byte[0]);
            } else {
                send(x, 200, a.get().contentType(), a.get().bytes());
            }
        });
        server.createContext("/hub/api/", this::api);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @After
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static Map<String, Object> message(String id, String corr, String partner, String flow, String state,
            String reason, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("correlationId", corr);
        m.put("partner", partner);
        m.put("flow", flow);
        m.put("direction", "OUTBOUND");
        m.put("sender", "admin");
        m.put("state", state);
        m.put("contentType", "application/json");
        m.put("size", 42);
        m.put("sha256", "ab".repeat(32));
        m.put("partnerMessageId", null);
        m.put("orderingKey", null);
        m.put("queue", "hub.out." + partner + "." + flow);
        m.put("attempts", 1);
        m.put("lastReason", reason);
        m.put("payloadAvailable", true);
        m.put("createdAt", at.toString());
        m.put("updatedAt", at.plusSeconds(1).toString());
        List<Map<String, Object>> h = new ArrayList<>();
        h.add(Map.of("seq", 1, "state", "RECEIVED", "at", at.toString(), "actor", "admin"));
        h.add(Map.of("seq", 2, "state", "QUEUED", "at", at.toString()));
        h.add(reason == null ? Map.of("seq", 3, "state", state, "at", at.plusSeconds(1).toString())
                : Map.of("seq", 3, "state", state, "at", at.plusSeconds(1).toString(), "reason", reason));
        m.put("history", h);
        return m;
    }

    /** The caller's role from its Basic credentials (ada: admin, max: manager, val: viewer), or a 401 challenge. */
    private static Optional<String> user(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) {
            x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"hub\"");
            send(x, 401, "application/json", "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8));
            return Optional.empty();
        }
        String name = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":")[0];
        return Optional.of(name);
    }

    private static String role(String user) {
        return switch (user) {
            case "ada" -> "admin";
            case "max" -> "manager";
            default -> "viewer";
        };
    }

    private void api(HttpExchange x) throws IOException {
        Optional<String> u = user(x);
        if (u.isEmpty()) {
            return;
        }
        String role = role(u.get());
        String path = x.getRequestURI().getPath().substring("/hub/api/".length());
        String q = x.getRequestURI().getQuery() == null ? "" : x.getRequestURI().getQuery();
        Object body;
        if (path.equals("me")) {
            body = Map.of("name", u.get(), "roles", List.of(role), "canReplay", !role.equals("viewer"),
                    "canReadPayloads", role.equals("admin"));
        } else if (path.equals("connectors")) {
            body = List.of(connector("echo", "", "echo/relay"),
                    connector("caf", "import RSABEM_20261206.xml: 4000/16000 households, 900/s, ETA 14 s", "caf/flux-rsa"));
        } else if (path.equals("stats")) {
            body = stats(q.contains("window=day"));
        } else if (path.equals("messages")) {
            body = messages.stream().filter(m -> matches(m, q)).map(m -> {
                Map<String, Object> s = new LinkedHashMap<>(m);
                s.remove("history");
                return s;
            }).toList();
        } else if (path.matches("messages/[0-9a-f-]{36}/replay") && x.getRequestMethod().equals("POST")) {
            if (role.equals("viewer")) {
                send(x, 403, "application/json", "{\"error\":\"forbidden\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String id = path.substring(9, 45);
            replays.add(id + " by " + u.get());
            Map<String, Object> m = messages.stream().filter(e -> e.get("id").equals(id)).findFirst().orElseThrow();
            m.put("state", "DELIVERED");
            m.put("lastReason", null);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> h = (List<Map<String, Object>>) m.get("history");
            h.add(Map.of("seq", 4, "state", "REPLAYED", "at", Instant.now().toString(), "actor", u.get()));
            h.add(Map.of("seq", 5, "state", "DELIVERED", "at", Instant.now().toString()));
            body = m;
        } else if (path.matches("messages/[0-9a-f-]{36}")) {
            Map<String, Object> m = new LinkedHashMap<>(messages.stream().filter(e -> e.get("id").equals(path.substring(9)))
                    .findFirst().orElseThrow());
            if (role.equals("admin")) {
                m.put("payload", "{\"tag\":\"" + m.get("correlationId") + "\"}");
                m.put("payloadTruncated", false);
                m.put("payloadDownload", "/hub/api/messages/" + m.get("id") + "/payload");
            }
            body = m;
        } else if (path.equals("departement/matches") && u.get().equals("vic")) {
            send(x, 403, "application/json", "{\"error\":\"forbidden\"}".getBytes(StandardCharsets.UTF_8));
            return;
        } else if (path.equals("departement/matches")) {
            body = List.of(Map.of("id", "44444444-4444-4444-8444-444444444444", "candidatePersonId",
                    "55555555-5555-4555-8555-555555555555", "sourcePartner", "france-travail", "sourceExchange",
                    "66666666-6666-4666-8666-666666666666", "reason", "name and birth date", "createdAt",
                    Instant.now().toString(), "observed", Map.of("nom", "MARTIN", "prenom", "Lucie")));
        } else {
            send(x, 404, "application/json", "{\"error\":\"no such endpoint\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(x, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private static boolean matches(Map<String, Object> m, String q) {
        for (String kv : q.split("&")) {
            String[] p = kv.split("=", 2);
            if (p.length < 2 || p[0].equals("limit")) {
                continue;
            }
            String v = java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8);
            String field = p[0].equals("q") ? "correlationId" : p[0];
            if (m.containsKey(field) && !v.equals(m.get(field))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> connector(String id, String detail, String flow) {
        String[] pf = flow.split("/");
        return Map.of("id", id, "version", "0.1.0.SNAPSHOT", "status", "UP", "detail", detail, "flows",
                List.of(Map.of("flow", flow, "direction", "OUTBOUND", "queue", "hub.out." + pf[0] + "." + pf[1],
                        "concurrency", 4, "ordered", true, "retry",
                        "RetryPolicy[maxAttempts=6, initialDelayMs=2000, multiplier=2.0, maxDelayMs=300000]")),
                "routes", List.of(id + ".accept"), "settings", Map.of("target.url", "http://127.0.0.1:8282/echo"));
    }

    private Map<String, Object> stats(boolean day) {
        long bucket = day ? 3600 : 300;
        long now = Instant.now().getEpochSecond();
        Instant until = Instant.ofEpochSecond((now / bucket + 1) * bucket);
        Instant since = until.minusSeconds(day ? 86400 : 3600);
        List<Map<String, Object>> counts = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            long created = Instant.parse((String) m.get("createdAt")).getEpochSecond();
            long slot = (created - since.getEpochSecond()) / bucket;
            counts.add(Map.of("partner", m.get("partner"), "flow", m.get("flow"), "state", m.get("state"), "bucket",
                    since.plusSeconds(slot * bucket).toString(), "count", 1));
        }
        List<Map<String, Object>> totals = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            totals.add(Map.of("partner", m.get("partner"), "flow", m.get("flow"), "direction", "OUTBOUND", "state",
                    "RECEIVED", "count", 1));
        }
        return Map.of("since", since.toString(), "until", until.toString(), "bucketMinutes", bucket / 60, "counts", counts,
                "totalsSinceStart", totals, "queues", Map.of("hub.out.echo.relay", 0, "hub.out.caf.flux-rsa", 2),
                "health", Map.of("status", "UP", "components", Map.of("broker", Map.of("status", "UP"),
                        "database", Map.of("status", "UP"), "connector:echo", Map.of("status", "UP"))),
                "generatedAt", Instant.now().toString());
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    public void everyPageIsCleanAndAccessibleForAnAdmin() {
        try (ConsoleBrowser b = new ConsoleBrowser(base, "ada", "pw")) {
            b.open("#/", "Vue d'ensemble", x -> b.present("tr[data-flux='echo/relay']") && b.present("#graphique canvas"));
            String overview = b.text("main");
            assertTrue(overview, overview.contains("Imports en cours") && overview.contains("4 000 sur 16 000"));
            assertTrue("every flow the API lists, not a fixed list", b.present("tr[data-flux='caf/flux-rsa']"));
            b.checkClean("overview");
            b.script("document.querySelector('details').open = true");
            b.checkClean("overview with its data table");

            b.open("#/journal?state=QUARANTINED", "Journal", x -> b.present("#resultats"));
            assertEquals(2, b.driver.findElements(org.openqa.selenium.By.cssSelector("#resultats tbody tr")).size());
            b.checkClean("journal");

            b.open("#/message/22222222-2222-4222-8222-222222222222", "Message", x -> b.present("#historique"));
            assertTrue(b.text(".pourquoi"), b.text(".pourquoi").contains("line 12, column 7") && b.text(".pourquoi").contains("invalide"));
            assertTrue(b.text("pre.contenu").contains("RSABEM_20261206.xml"));
            b.checkClean("message");

            b.open("#/quarantaine", "Quarantaine", x -> b.present(".groupe"));
            assertTrue(b.text("main"), b.text("main").contains("Partenaire caf") && b.text("main").contains("Partenaire echo"));
            b.checkClean("quarantine");

            b.open("#/registre", "Registre", x -> b.present("table"));
            assertTrue(b.text("main").contains("name and birth date"));
            b.checkClean("registry");

            b.open("#/connecteurs", "Connecteurs", x -> b.present("section.connecteur"));
            assertTrue(b.present("progress"));
            assertTrue(b.text("main"), b.text("main").contains("6 tentatives, la 2e après 2 s, délai × 2 à chaque échec, au plus 5 min"));
            b.checkClean("connectors");
        }
    }

    @Test
    public void aManagerReplaysAfterConfirmingAndAViewerCannot() {
        try (ConsoleBrowser b = new ConsoleBrowser(base, "max", "pw")) {
            b.open("#/message/33333333-3333-4333-8333-333333333333", "Message", x -> b.present("#rejouer"));
            b.driver.findElement(org.openqa.selenium.By.id("rejouer")).click();
            b.waitFor(5).until(x -> b.present("dialog[open]"));
            b.checkClean("confirmation dialog");
            b.driver.findElement(org.openqa.selenium.By.id("confirmer")).click();
            b.waitFor(10).until(x -> b.text("#etat-actuel").contains("Livré"));
            assertEquals(List.of("33333333-3333-4333-8333-333333333333 by max"), replays);
            assertEquals(List.of(), b.errors());
        }
        try (ConsoleBrowser b = new ConsoleBrowser(base, "val", "pw")) {
            b.open("#/message/22222222-2222-4222-8222-222222222222", "Message", x -> b.present("#historique"));
            assertFalse(b.present("#rejouer"));
            b.open("#/journal?state=QUARANTINED", "Journal", x -> b.present("#resultats"));
            assertFalse(b.present("#resultats input[type=checkbox]"));
            b.checkClean("viewer's journal");
        }
    }

    /**
     * Without any help from the test driver: the credentials the browser got for the page (here in the address, as
     * a person types them in the browser's prompt) are sent again by the browser itself to the API's challenge of
     * the same realm.
     */
    @Test
    public void theBrowserItselfCarriesThePageCredentialsToTheApi() {
        try (ConsoleBrowser b = new ConsoleBrowser(base, null, null)) {
            try {
                b.openUrl(base.replace("http://", "http://ada:pw@") + "/hub/console/#/connecteurs", "Connecteurs",
                        x -> b.present("section.connecteur"));
            } catch (RuntimeException e) {
                throw new AssertionError(b.driver.getPageSource() + " " + b.errors(), e);
            }
            assertTrue(b.text("#utilisateur"), b.text("#utilisateur").contains("ada"));
        }
    }

    /** A role the registry refuses sees a plain explanation, not an error. */
    @Test
    public void aRoleWithoutTheRegistryIsToldSoCalmly() {
        try (ConsoleBrowser b = new ConsoleBrowser(base, "vic", "pw")) {
            b.open("#/registre", "Registre", x -> b.text("main").contains("ne donne pas accès"));
            assertFalse(b.present("[role=alert]"));
            List<String> logged = b.errors();
            assertEquals("only the browser's own network line for the refusal: " + logged, 1, logged.size());
            assertTrue(logged.get(0), logged.get(0).contains("departement/matches") && logged.get(0).contains("403"));
            b.checkClean("registry refused");
        }
    }
}
