package fr.aisne.hub.console.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.HasAuthentication;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * Debian's headless Chromium driven by Selenium, logged in to the console with HTTP Basic: what the console's
 * browser tests share (this module's fast test against a stand-in API, and itests' ConsoleIT against the real
 * distribution). Selenium Manager never runs: the browser and its driver are the system's.
 */
public final class ConsoleBrowser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    public final ChromeDriver driver;
    private final String consoleUrl;

    /** Fails with what to install when the browser is missing: the tests are part of ./mvnw verify. */
    public static void requireBrowser() {
        if (!Files.isExecutable(Paths.get(CHROMIUM)) || !Files.isExecutable(Paths.get(CHROMEDRIVER))) {
            fail("The console's browser tests need Debian's browser and its driver: "
                    + "apt-get install -y chromium chromium-driver (.ci/run installs them)");
        }
    }

    /**
     * A browser for {@code base} (http://host:port), answering its Basic challenges as {@code user} (through the
     * DevTools protocol); with a null user, the browser has only what it is given in an address.
     */
    public ConsoleBrowser(String base, String user, String password) {
        requireBrowser();
        this.consoleUrl = base + "/hub/console/";
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=fr-FR");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Paths.get(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        if (user != null) {
            String host = java.net.URI.create(base).getHost();
            ((HasAuthentication) driver).register(uri -> host.equals(uri.getHost()), UsernameAndPassword.of(user, password));
        }
    }

    public WebDriverWait waitFor(int seconds) {
        // a page redraws its content: an element found a moment ago may be gone
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(seconds))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Opens a page of the console ({@code hash}: "#/journal"...) and waits for its title and {@code ready}. */
    public void open(String hash, String h1, Predicate<ChromeDriver> ready) {
        openUrl(consoleUrl + hash, h1, ready);
    }

    public void openUrl(String url, String h1, Predicate<ChromeDriver> ready) {
        driver.get(url);
        waitFor(60).until(x -> {
            List<WebElement> hs = x.findElements(By.cssSelector("main h1"));
            return !hs.isEmpty() && hs.get(0).getText().startsWith(h1) && ready.test(driver);
        });
    }

    public boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** The element's text, French number spaces (U+202F, U+00A0) made plain spaces. */
    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText().replace('\u202f', ' ').replace('\u00a0', ' ');
    }

    public Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    /** Console errors and warnings, CSP and Trusted Types violations since the last call. */
    public List<String> errors() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue() || e.getMessage().contains("Content Security Policy")
                    || e.getMessage().contains("Trusted Type")) {
                out.add(e.getLevel() + " " + e.getMessage());
            }
        }
        return out;
    }

    /** No console error, no CSP violation, no WCAG 2.1 A/AA violation found by axe-core. */
    public void checkClean(String page) {
        assertEquals(page + ": browser console", List.of(), errors());
        Results axe = new AxeBuilder().withTags(WCAG_21_AA).analyze(driver);
        assertFalse(page + ": axe-core ran (" + axe.getErrorMessage() + ")", axe.isErrored());
        String violations = axe.getViolations().stream().map(ConsoleBrowser::describe).collect(Collectors.joining("\n"));
        assertEquals(page + ": WCAG 2.1 AA violations found by axe-core", "", violations);
        errors(); // what axe's own script logged is not the page's
    }

    private static String describe(Rule r) {
        return r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " " + r.getNodes().stream()
                .map(n -> n.getHtml() + " — " + n.getFailureSummary()).collect(Collectors.joining(" | "));
    }

    /** The whole page as a PNG in {@code dir} (the window is stretched to the page's height for the shot). */
    public void screenshot(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Dimension before = driver.manage().window().getSize();
        long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        driver.manage().window().setSize(new Dimension(1400, (int) Math.min(Math.max(height + 120, 700), 4000)));
        Thread.sleep(300); // the chart redraws at its new width
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = dir.resolve(name + ".png");
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        driver.manage().window().setSize(before);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
