package fr.aisne.hub.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Boots the real hub distribution (the tar.gz the build produced) with Pax Exam, on ports of its own so
 * that a hub started by hand on the default ports does not disturb the tests, shifted per fork ({@link Ports}).
 * Retries are shortened so that quarantine happens within seconds.
 */
public abstract class HubTestSupport {
    protected static final int HTTP_PORT = Ports.of(18181);
    protected static final int BROKER_PORT = Ports.of(16161);
    protected static final int DOUBLE_PORT = Ports.of(18282);
    protected static final String ECHO_CFG = "etc/hub.connector.echo.cfg";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService features;

    /** Injected once the boot features are installed: installing more before that races with them. */
    @Inject
    protected org.apache.karaf.features.BootFinished bootFinished;

    private HubHttp http;

    protected Option[] hubDistribution() {
        String localRepo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        String unpack = System.getProperty("hub.itest.dir", "target") + "/exam";
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(System.getProperty("hub.distribution")).toURI().toString())
                    .karafVersion(System.getProperty("karaf.version")).name("hub")
                    .unpackDirectory(new File(unpack)).useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            // Pax Exam installs its probe from the build's repository; keep system/ first.
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepo),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                    "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                            + "file:" + localRepo + "@id=build@snapshots"),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/system.properties", "hub.broker.port", Integer.toString(BROKER_PORT)),
            editConfigurationFilePut("etc/hub.core.cfg", "http.port", Integer.toString(HTTP_PORT)),
            editConfigurationFilePut("etc/hub.core.cfg", "broker.url", "amqp://127.0.0.1:" + BROKER_PORT),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(Ports.of(18101))),
            editConfigurationFilePut("etc/hub.double.echo.cfg", "http.port", Integer.toString(DOUBLE_PORT)),
            editConfigurationFilePut(ECHO_CFG, "target.url", "http://127.0.0.1:" + DOUBLE_PORT + "/echo"),
            editConfigurationFilePut(ECHO_CFG, "retry.maxAttempts", "3"),
            editConfigurationFilePut(ECHO_CFG, "retry.initialDelayMs", "200"),
            editConfigurationFilePut(ECHO_CFG, "retry.multiplier", "2.0"),
            editConfigurationFilePut(ECHO_CFG, "maxPayloadBytes", "4096"),
            systemProperty("hub.itest").value("true"),
            // the test methods run inside the container: its ports must be this fork's too
            systemProperty("hub.itest.fork").value(System.getProperty("hub.itest.fork", "1")),
            // the probe and @Inject wait for services while the boot features still start, and each wait has its
            // own 10 s default, too short with two containers booting on 2 cores: @Inject's, the extender's wait
            // for the JUnit invoker factory when the probe bundle starts (past it, no ProbeInvoker is ever
            // registered and the test JVM gives up after 180 s), and swissbox's, for the probe's injector
            systemProperty("pax.exam.service.timeout").value("120000"),
            systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("120000"),
            systemProperty("org.ops4j.pax.swissbox.tracker.ServiceLookup.DEFAULT_TIMEOUT").value("120000"),
            // a component activating for more than SCR's 5 s lock timeout (migrations on a loaded machine, two
            // containers booting at once) makes the probe's getService fail, and its tracker never asks again
            // ("Service factory exception: Could not obtain lock", then "gave up waiting for service")
            systemProperty("ds.lock.timeout.milliseconds").value("60000"),
            org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder(),
        };
    }

    /** The admin account generated at first start, read where the README says it is. */
    protected HubHttp http() {
        if (http == null) {
            try {
                Path pw = Paths.get(System.getProperty("karaf.etc"), "hub-admin.password");
                http = new HubHttp("http://127.0.0.1:" + HTTP_PORT, "admin",
                        Files.readString(pw, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new AssertionError("etc/hub-admin.password was not written at first start", e);
            }
        }
        return http;
    }

    /**
     * Registers an {@link ObservationConnector} for each {partner, flow} (posting to /hub/in/partner/flow records
     * observations in the registry) and waits until the last one is installed.
     */
    protected List<ServiceRegistration<Connector>> observationConnectors(PersonRegistry registry, String[]... partnerFlows) {
        List<ServiceRegistration<Connector>> out = new ArrayList<>();
        for (String[] pf : partnerFlows) {
            out.add(bundleContext.registerService(Connector.class, new ObservationConnector(pf[0], pf[1], registry),
                    new Hashtable<>()));
        }
        String last = "\"id\":\"it-" + partnerFlows[partnerFlows.length - 1][0] + "\"";
        HubHttp.await("observation connectors installed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains(last));
        return out;
    }

    protected void installFeature(String name) throws Exception {
        if (!features.isInstalled(features.getFeature(name))) {
            features.installFeature(name, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    protected void uninstallFeature(String name) throws Exception {
        if (features.isInstalled(features.getFeature(name))) {
            features.uninstallFeature(name, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    protected void awaitHealthUp() {
        HubHttp.await("GET /hub/health answers UP", Duration.ofSeconds(60),
                () -> http().getAnonymous("/hub/health").body().contains("\"status\":\"UP\""));
    }

    /** Posts to the echo relay flow and returns the exchange id. */
    protected String postRelay(String path, String json, String correlationId) {
        HubHttp.Response r = http().post(path, json, "X-Correlation-Id", correlationId);
        if (r.status() != 202) {
            throw new AssertionError("expected 202 from " + path + ", got " + r.status() + " " + r.body());
        }
        return HubHttp.field(r.body(), "exchangeId");
    }

    protected void awaitState(String exchangeId, String state, Duration timeout) {
        HubHttp.await("exchange " + exchangeId + " in state " + state, timeout,
                () -> state.equals(http().stateOf(exchangeId)));
    }

    protected long echoReceived(String correlationId) {
        HubHttp.Response r = new HubHttp("http://127.0.0.1:" + DOUBLE_PORT, "", "")
                .getAnonymous("/echo/received?correlationId=" + correlationId);
        if (r.status() != 200) {
            return -1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"forCorrelationId\":(\\d+)").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The value of one series of /hub/metrics (0 when absent). */
    protected long metric(String series) {
        String metrics = http().getAnonymous("/hub/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)").matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** How many times {@code needle} occurs in {@code haystack}, without overlaps. */
    protected static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** The id of the CAF exchange whose correlation id is the file name, once in the given state. */
    protected String awaitCafMessage(String fileName, String state) {
        return awaitMessage("caf", fileName, state, Duration.ofSeconds(60));
    }

    /** The id of the CAF exchange whose correlation id is the file name, once in the given state. */
    protected String awaitCafMessage(String fileName, String state, Duration timeout) {
        return awaitMessage("caf", fileName, state, timeout);
    }

    /** The id of the partner's exchange with this correlation id, once in the given state. */
    protected String awaitMessage(String partner, String correlationId, String state, Duration timeout) {
        String[] id = {null};
        String[] last = {""};
        try {
            HubHttp.await(partner + " " + correlationId + " " + state, timeout, () -> {
                String body = http().get("/hub/api/messages?partner=" + partner + "&correlationId=" + correlationId).body();
                last[0] = body;
                Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(body);
                if (m.find() && body.contains("\"state\":\"" + state + "\"")) {
                    id[0] = m.group(1);
                    return true;
                }
                return false;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
        }
        return id[0];
    }

    /** Drops a file into an inbox as a transfer would: written aside, then moved in at once. */
    protected static void drop(Path inbox, String name, byte[] content) throws Exception {
        Path tmp = inbox.resolve("." + name + ".part");
        Files.write(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
