package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import fr.aisne.hub.console.testing.ConsoleBrowser;

/**
 * The operator console in a real browser (Debian's headless Chromium driven by Selenium) against the real
 * distribution started as a process, with the echo double and connector: every page loads with no console error
 * and no CSP violation, and axe-core finds no WCAG 2.1 A/AA violation; a search finds a message; a manager
 * replays a quarantined message from its page and it ends DELIVERED; a viewer sees no replay button and is
 * answered 403 if it tries anyway; the overview updates when a message arrives, without a reload; the console
 * is usable with the keyboard. Screenshots of each page go to docs/console/ (shown in the README).
 */
public class ConsoleIT {
    private static HubProcess hub;
    private static HubHttp admin;
    private static String delivered;
    private static String deliveredCorrelation;
    private static String quarantined;
    private static String quarantinedForViewer;

    @BeforeClass
    public static void startHub() throws Exception {
        ConsoleBrowser.requireBrowser();
        hub = new HubProcess("console", Ports.of(30000));
        hub.account("val", "val-viewer-pw", "viewer");
        hub.account("max", "max-manager-pw", "manager");
        hub.start();
        admin = hub.awaitReady();

        deliveredCorrelation = "console-ok-" + UUID.randomUUID();
        delivered = post(deliveredCorrelation);
        HubHttp.await("a message delivered", Duration.ofSeconds(30), () -> "DELIVERED".equals(admin.stateOf(delivered)));

        // the partner refuses messages for good (400): they are quarantined with the reason
        hub.put("etc/hub.double.echo.cfg", "failure.status", "400");
        HubHttp echo = new HubHttp("http://127.0.0.1:" + hub.echoDouble, "", "");
        HubHttp.await("double answering 400", Duration.ofSeconds(30), () -> echo.post("/echo", "{}").status() == 400);
        quarantined = post("console-refused-" + UUID.randomUUID());
        quarantinedForViewer = post("console-refused-" + UUID.randomUUID());
        HubHttp.await("two messages quarantined", Duration.ofSeconds(30), () -> "QUARANTINED".equals(admin.stateOf(quarantined))
                && "QUARANTINED".equals(admin.stateOf(quarantinedForViewer)));
        hub.put("etc/hub.double.echo.cfg", "failure.status", "0");
        HubHttp.await("double answering again", Duration.ofSeconds(30), () -> echo.post("/echo", "{}").status() == 200);
    }

    @AfterClass
    public static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    private static String post(String correlationId) {
        HubHttp.Response r = admin.post("/hub/in/echo/relay", "{\"tag\":\"" + correlationId + "\"}", "X-Correlation-Id",
                correlationId);
        assertEquals(r.body(), 202, r.status());
        return HubHttp.field(r.body(), "exchangeId");
    }

    private static ConsoleBrowser as(String user, String password) {
        return new ConsoleBrowser(hub.baseUrl(), user, password);
    }

    private static Path screenshots() {
        return Paths.get(System.getProperty("hub.console.screenshots", "target/console-screenshots"));
    }

    /** Clean (no console error, no CSP violation, no axe violation), then photographed. */
    private static void checkAndShoot(ConsoleBrowser b, String page, String name) throws Exception {
        b.checkClean(page);
        b.screenshot(screenshots(), name);
    }

    @Test
    public void everyPageLoadsCleanAndAccessibleAndSearchFindsAMessage() throws Exception {
        try (ConsoleBrowser b = as("admin", hub.adminPassword())) {
            b.open("#/", "Vue d'ensemble", x -> b.present("tr[data-flux='echo/relay']") && b.present("#graphique canvas"));
            assertTrue(b.text("#utilisateur").contains("admin"));
            assertTrue("the platform's and the connector's health", b.text("main").contains("Courtier de messages")
                    && b.text("main").contains("Connecteur echo"));
            checkAndShoot(b, "overview", "vue-d-ensemble");

            b.open("#/journal", "Journal", x -> b.present("#f-q"));
            b.driver.findElement(By.id("f-q")).sendKeys(deliveredCorrelation);
            b.driver.findElement(By.id("rechercher")).click();
            b.waitFor(20).until(x -> b.present("#resultats"));
            assertTrue(b.text("#resultats"), b.text("#resultats").contains(deliveredCorrelation));
            assertEquals("one message found", 1, b.driver.findElements(By.cssSelector("#resultats tbody tr")).size());
            assertEquals("1 message trouvé.", b.text("#resultat-recherche"));
            assertTrue("the search is in the address, to share it", b.driver.getCurrentUrl().contains("q=" + deliveredCorrelation));
            checkAndShoot(b, "journal", "journal");

            b.open("#/journal?partner=echo&state=QUARANTINED", "Journal", x -> b.present("#resultats"));
            assertEquals(2, b.driver.findElements(By.cssSelector("#resultats tbody tr")).size());
            b.checkClean("journal (quarantined)");

            b.open("#/message/" + delivered, "Message", x -> b.present("#historique"));
            assertTrue(b.text("#historique"), b.text("#historique").matches("(?s).*Reçu.*Validé.*En file.*Livré.*"));
            assertTrue("an admin sees the payload", b.text("pre.contenu").contains(deliveredCorrelation));
            String download = b.driver.findElement(By.partialLinkText("Télécharger le contenu complet")).getAttribute("href");
            Object whole = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0]).then(r => r.text().then(t => done(r.status + ' ' + t)));", download);
            assertEquals("the download link gives the whole payload with the browser's credentials",
                    "200 {\"tag\":\"" + deliveredCorrelation + "\"}", whole);
            checkAndShoot(b, "message", "message-livre");

            b.open("#/message/" + quarantined, "Message", x -> b.present("#historique"));
            assertTrue(b.text(".pourquoi"), b.text(".pourquoi").contains("partner answered HTTP 400")
                    && b.text(".pourquoi").contains("Que faire"));
            checkAndShoot(b, "quarantined message", "message-en-quarantaine");

            b.open("#/quarantaine", "Quarantaine", x -> b.present(".groupe"));
            assertTrue(b.text("main"), b.text("main").contains("Partenaire echo")
                    && b.text("main").contains("2 messages du flux relay"));
            checkAndShoot(b, "quarantine", "quarantaine");

            b.open("#/registre", "Registre", x -> !b.text("main").contains("Chargement"));
            checkAndShoot(b, "registry", "registre");

            b.open("#/connecteurs", "Connecteurs", x -> b.present("section.connecteur"));
            assertTrue(b.text("main"), b.text("main").contains("echo/relay") && b.text("main").contains("Réglages"));
            checkAndShoot(b, "connectors", "connecteurs");
        }
    }

    @Test
    public void theOverviewUpdatesWhenAMessageArrivesWithoutReloading() throws Exception {
        try (ConsoleBrowser b = as("val", "val-viewer-pw")) {
            String total = "tr[data-flux='echo/relay'] td.total";
            b.open("#/", "Vue d'ensemble", x -> b.present(total));
            int before = Integer.parseInt(b.text(total).replaceAll("\\D", ""));
            b.script("window.sameDocument = 'yes'");
            String id = post("console-live-" + UUID.randomUUID());
            HubHttp.await("delivered", Duration.ofSeconds(30), () -> "DELIVERED".equals(admin.stateOf(id)));
            b.waitFor(30).until(x -> Integer.parseInt(b.text(total).replaceAll("\\D", "")) > before);
            assertEquals("updated in place, not reloaded", "yes", b.script("return window.sameDocument"));
            assertEquals(List.of(), b.errors());
        }
    }

    @Test
    public void aManagerReplaysAQuarantinedMessageAndItEndsDelivered() throws Exception {
        try (ConsoleBrowser b = as("max", "max-manager-pw")) {
            b.open("#/message/" + quarantined, "Message", x -> b.present("#rejouer"));
            b.driver.findElement(By.id("rejouer")).click();
            WebElement dialog = b.waitFor(30).until(x -> x.findElement(By.cssSelector("dialog.confirmation[open]")));
            assertTrue(dialog.getText(), dialog.getText().contains("Rejouer le message"));
            dialog.findElement(By.id("confirmer")).click();
            b.waitFor(60).until(x -> b.text("#etat-actuel").contains("Livré"));
            assertEquals("DELIVERED", admin.stateOf(quarantined));
            String history = admin.get("/hub/api/messages/" + quarantined).body();
            assertTrue("replayed by the manager: " + history, history.contains("\"actor\":\"max\""));
            assertTrue(b.text("#historique").contains("Rejoué"));
            assertFalse("no replay button once delivered", b.present("#rejouer"));
            assertEquals(List.of(), b.errors());
            b.screenshot(screenshots(), "message-rejoue");
        }
    }

    @Test
    public void aViewerSeesNoReplayButtonAndIsRefusedIfItTries() throws Exception {
        try (ConsoleBrowser b = as("val", "val-viewer-pw")) {
            b.open("#/message/" + quarantinedForViewer, "Message", x -> b.present("#historique"));
            assertTrue(b.text(".pourquoi").contains("partner answered HTTP 400"));
            assertFalse("no replay button for a viewer", b.present("#rejouer"));
            assertTrue("no payload for a viewer", b.text("main").contains("n'est visible que par les administrateurs"));
            b.open("#/quarantaine", "Quarantaine", x -> b.present(".groupe"));
            assertFalse(b.present(".rejouer-groupe"));
            b.open("#/journal?state=QUARANTINED", "Journal", x -> b.present("#resultats"));
            assertFalse("nothing to select", b.present("#resultats input[type=checkbox]"));
            assertFalse(b.present("#rejouer-selection"));
            b.checkClean("viewer's journal");

            // what the console would send, with the viewer's credentials: refused by the API
            HubHttp viewer = new HubHttp(hub.baseUrl(), "val", "val-viewer-pw");
            HubHttp.Response r = viewer.post("/hub/api/messages/" + quarantinedForViewer + "/replay", "{}");
            assertEquals(r.body(), 403, r.status());
            Object status = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/hub/api/messages/" + quarantinedForViewer + "/replay', {method: 'POST',"
                    + " headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => done(r.status));");
            assertEquals("refused from the viewer's browser too", 403L, status);
            assertEquals("QUARANTINED", admin.stateOf(quarantinedForViewer));
        }
    }

    @Test
    public void theConsoleIsUsableWithTheKeyboard() throws Exception {
        try (ConsoleBrowser b = as("admin", hub.adminPassword())) {
            b.open("#/", "Vue d'ensemble", x -> b.present("tr[data-flux='echo/relay']"));
            b.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            assertEquals("the first stop is the skip link", "Aller au contenu", b.driver.switchTo().activeElement().getText());
            b.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            assertEquals("contenu", b.driver.switchTo().activeElement().getAttribute("id"));

            // from the skip link, Tab reaches the menu; Enter on "Journal" opens it and moves focus to its title
            b.driver.findElement(By.cssSelector("a.skip")).sendKeys(Keys.TAB);
            for (int i = 0; i < 10 && !"Journal".equals(b.driver.switchTo().activeElement().getText()); i++) {
                b.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            }
            assertEquals("Journal", b.driver.switchTo().activeElement().getText());
            b.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            b.waitFor(30).until(x -> "Journal des messages".equals(x.switchTo().activeElement().getText()));

            // the form's fields in order, then Enter searches
            b.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            assertEquals("f-partner", b.driver.switchTo().activeElement().getAttribute("id"));
            for (int i = 0; i < 5 && !"f-q".equals(b.driver.switchTo().activeElement().getAttribute("id")); i++) {
                b.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            }
            assertEquals("f-q", b.driver.switchTo().activeElement().getAttribute("id"));
            b.driver.switchTo().activeElement().sendKeys(quarantinedForViewer, Keys.ENTER);
            b.waitFor(20).until(x -> b.present("#resultats"));
            assertEquals("found by its journal id", 1, b.driver.findElements(By.cssSelector("#resultats tbody tr")).size());

            // the replay dialog: focus inside, Escape cancels and nothing is replayed
            b.open("#/message/" + quarantinedForViewer, "Message", x -> b.present("#rejouer"));
            b.driver.findElement(By.id("rejouer")).sendKeys(Keys.ENTER);
            b.waitFor(30).until(x -> b.present("dialog.confirmation[open]"));
            assertEquals("Annuler", b.driver.switchTo().activeElement().getText());
            b.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            b.waitFor(30).until(x -> !b.present("dialog.confirmation"));
            assertEquals("QUARANTINED", admin.stateOf(quarantinedForViewer));
            assertEquals(List.of(), b.errors());
        }
    }

    /** The console's answers carry the strict policy; readers only; other methods and files refused. */
    @Test
    public void theConsoleIsServedWithItsSecurityHeadersToReadersOnly() {
        HubHttp.Response page = admin.get("/hub/console/");
        assertEquals(200, page.status());
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp, csp.contains("script-src 'self';") && !csp.contains("unsafe"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals(401, admin.getAnonymous("/hub/console/").status());
        assertEquals(404, admin.get("/hub/console/vendor/uplot/LICENSE").status());
        assertEquals(200, admin.get("/hub/console/vendor/lit-html/lit-html.js").status());
        assertEquals("the console only reads", 405, admin.post("/hub/console/index.html", "{}").status());
    }
}
