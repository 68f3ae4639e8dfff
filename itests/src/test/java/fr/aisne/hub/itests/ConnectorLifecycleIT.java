package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import fr.aisne.hub.api.Connector;

/**
 * Connectors come and go at runtime: a KAR dropped into deploy/ serves without restart, its removal
 * stops only its routes, and a message in the middle of its retries when the connector goes stays in its
 * queue and is delivered once the connector is back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorLifecycleIT extends HubTestSupport {
    private static final String ECHO = "/hub/in/echo/relay";
    private static final String PROBE = "/hub/in/probe/relay";

    @Inject
    ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                systemProperty("hub.echo.kar").value(System.getProperty("hub.echo.kar")));
    }

    @Test
    public void karDroppedAtRuntimeServesAndItsRemovalLeavesOtherConnectorsRunning() throws Exception {
        installFeature("hub-double-echo");
        uninstallFeature("hub-connector-echo");
        awaitHealthUp();
        ServiceRegistration<Connector> probe = bundleContext.registerService(Connector.class,
                new ProbeConnector("http://127.0.0.1:" + DOUBLE_PORT + "/echo"), new Hashtable<>());
        try {
            HubHttp.await("probe connector installed", Duration.ofSeconds(20),
                    () -> http().get("/hub/api/connectors").body().contains("\"id\":\"probe\""));
            assertDelivered(PROBE);
            assertEquals("no echo connector yet", 404, http().post(ECHO, "{}").status());

            Path deploy = Paths.get(System.getProperty("karaf.home"), "deploy");
            // the distribution's deploy/ watcher polls every 250 ms (Karaf's 1000 ms made a KAR wait 1 to 2 s)
            Configuration[] watchers = configAdmin.listConfigurations("(felix.fileinstall.dir=*deploy)");
            assertEquals(1, watchers.length);
            assertEquals("250", String.valueOf(watchers[0].getProperties().get("felix.fileinstall.poll")));
            Path kar = deploy.resolve("hub-connector-echo.kar");
            long dropped = System.nanoTime();
            Files.copy(Paths.get(System.getProperty("hub.echo.kar")), kar, StandardCopyOption.REPLACE_EXISTING);
            HubHttp.await("echo connector serving after the KAR drop", Duration.ofSeconds(60),
                    () -> http().post(ECHO, "{\"warmup\":true}").status() == 202);
            String corr = "it-kar-" + UUID.randomUUID();
            String id = postRelay(ECHO, "{\"kar\":1}", corr);
            awaitState(id, "DELIVERED", Duration.ofSeconds(30));
            long ms = (System.nanoTime() - dropped) / 1_000_000;
            System.out.println("FIGURE kar-drop-to-first-delivery-ms=" + ms);
            assertEquals(1, echoReceived(corr));
            assertTrue(http().get("/hub/api/connectors").body().contains("\"id\":\"probe\""));

            Files.delete(kar);
            HubHttp.await("echo connector gone after the KAR removal", Duration.ofSeconds(60),
                    () -> !http().get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
            HubHttp.await("echo endpoint gone", Duration.ofSeconds(10), () -> http().post(ECHO, "{}").status() == 404);
            assertDelivered(PROBE);
            String health = http().get("/hub/health").body();
            assertTrue(health, health.contains("\"connector:probe\":{\"status\":\"UP\""));
        } finally {
            probe.unregister();
        }
        HubHttp.await("probe connector removed with its service", Duration.ofSeconds(20),
                () -> !http().get("/hub/api/connectors").body().contains("\"id\":\"probe\""));
    }

    @Test
    public void messageInRetryWhenItsConnectorIsRemovedStaysQueuedAndIsDeliveredWhenItComesBack() throws Exception {
        installFeature("hub-double-echo");
        // the feature first: its configfile lands in etc/ and would replace settings written before it
        installFeature("hub-connector-echo");
        HubHttp.await("echo connector installed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
        Configuration cfg = configAdmin.getConfiguration("hub.connector.echo", null);
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put("retry.maxAttempts", "1000");
        props.put("retry.initialDelayMs", "300");
        props.put("retry.multiplier", "1.0");
        props.put("target.url", "http://127.0.0.1:" + DOUBLE_PORT + "/echo");
        cfg.update(props);
        awaitHealthUp();
        HubHttp.await("echo connector serving", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("maxAttempts=1000"));

        uninstallFeature("hub-double-echo");
        String corr = "it-inflight-" + UUID.randomUUID();
        String id = postRelay(ECHO, "{\"inflight\":1}", corr);
        awaitState(id, "FAILED", Duration.ofSeconds(20));

        uninstallFeature("hub-connector-echo");
        HubHttp.await("echo connector removed", Duration.ofSeconds(60),
                () -> !http().get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
        // the broker takes the unacknowledged message back when the removed consumer's session closes,
        // which may come a moment after the connector left the list
        HubHttp.await("message back in its queue", Duration.ofSeconds(20),
                () -> metric("hub_queue_depth{queue=\"hub.out.echo.relay\"}") == 1);
        assertEquals("not quarantined by the removal", "FAILED", http().stateOf(id));

        installFeature("hub-double-echo");
        installFeature("hub-connector-echo");
        awaitState(id, "DELIVERED", Duration.ofSeconds(60));
        assertEquals(1, echoReceived(corr));
    }

    private void assertDelivered(String path) {
        String corr = "it-c-" + UUID.randomUUID();
        String id = postRelay(path, "{\"c\":\"" + corr + "\"}", corr);
        awaitState(id, "DELIVERED", Duration.ofSeconds(30));
        assertEquals(1, echoReceived(corr));
    }
}
