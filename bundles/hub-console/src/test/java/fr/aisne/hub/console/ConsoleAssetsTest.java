package fr.aisne.hub.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

public class ConsoleAssetsTest {
    private final ConsoleAssets assets = new ConsoleAssets(ConsoleAssetsTest.class.getClassLoader());

    @Test
    public void theIndexIsServedForTheConsoleRootAndFilesWithTheirTypes() throws Exception {
        ConsoleAssets.Asset index = assets.find("").orElseThrow();
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertFalse(index.immutable());
        assertEquals("text/javascript; charset=utf-8", assets.find("js/app.js").orElseThrow().contentType());
        assertEquals("text/css; charset=utf-8", assets.find("console.css").orElseThrow().contentType());
        assertTrue("WebJar files are copied at build time", assets.find("vendor/lit-html/lit-html.js").orElseThrow().immutable());
        assertTrue(assets.find("vendor/uplot/uPlot.esm.js").isPresent());
    }

    @Test
    public void nothingOutsideTheConsoleFolderCanBeRead() throws Exception {
        for (String p : List.of("../fr/aisne/hub/console/Console.class", "js/../../META-INF/MANIFEST.MF", "/etc/passwd",
                "js//app.js", "js/%2e%2e/x.js", "fr/aisne/hub/console/Console.class", "vendor/uplot/LICENSE",
                ".hidden.js", "js/app.js?x=1", "js\\app.js", "no-such.js")) {
            assertFalse(p, assets.find(p).isPresent());
        }
    }

    /** The CSP forbids inline scripts: the pages must not need any, nor load anything from elsewhere. */
    @Test
    public void thePagesNeedNoInlineScriptStyleOrForeignOrigin() throws Exception {
        assertFalse(ConsoleAssets.CSP.contains("unsafe"));
        assertTrue(ConsoleAssets.CSP.contains("script-src 'self';"));
        String html = new String(assets.find("index.html").orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<html lang=\"fr\">"));
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int n = 0;
        while (scripts.find()) {
            n++;
            assertTrue("external scripts only: " + scripts.group(), scripts.group(1).contains("src=") && scripts.group(2).isBlank());
        }
        assertEquals(1, n);
        assertFalse("no style attribute nor element", html.contains("style=") || html.contains("<style"));
        assertFalse("nothing from another origin", html.contains("http:") || html.contains("https:") || html.contains("//"));
    }
}
