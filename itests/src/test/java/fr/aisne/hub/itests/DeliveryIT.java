package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import javax.inject.Inject;

import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The exchange core's delivery in the real distribution (Artemis, Derby, the echo double over HTTP): a message
 * whose partner keeps failing holds neither its flow nor the other keys, and its own key's messages follow it in
 * order once it passes; one body under two partner message ids is two messages; a broker that is away means 503
 * with Retry-After, and the sender's retry is delivered once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeliveryIT extends HubTestSupport {
    private static final String RELAY = "/hub/in/echo/relay";

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                editConfigurationFilePut(ECHO_CFG, "retry.maxAttempts", "200"),
                editConfigurationFilePut(ECHO_CFG, "retry.initialDelayMs", "500"),
                editConfigurationFilePut(ECHO_CFG, "retry.multiplier", "1.0"),
                editConfigurationFilePut(ECHO_CFG, "delivery.concurrency", "8"));
    }

    @Before
    public void connectorAndDouble() throws Exception {
        installFeature("hub-double-echo");
        installFeature("hub-connector-echo");
        awaitHealthUp();
        HubHttp.await("echo connector listed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
        HubHttp.await("echo double up", Duration.ofSeconds(30), () -> double_().post("/echo/control/reset", "{}").status() == 200);
    }

    private static HubHttp double_() {
        return new HubHttp("http://127.0.0.1:" + DOUBLE_PORT, "", "");
    }

    private String post(String corr, String key) {
        HubHttp.Response r = http().post(RELAY, "{\"corr\":\"" + corr + "\"}", "X-Correlation-Id", corr,
                "X-Ordering-Key", key);
        assertEquals(r.body(), 202, r.status());
        return HubHttp.field(r.body(), "exchangeId");
    }

    @Test
    public void aFailingKeyHoldsNeitherTheFlowNorOtherKeysAndItsOwnMessagesFollowInOrder() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a1 = "ord-" + run + "-A1";
        // the partner refuses A1 (503) until the test lets it pass: the other keys must not wait for it
        assertEquals(200, double_().post("/echo/control/fail?correlationId=" + a1 + "&seconds=600", "").status());
        String first = post(a1, "A-" + run);
        awaitState(first, "FAILED", Duration.ofSeconds(30));
        String second = post("ord-" + run + "-A2", "A-" + run);
        String third = post("ord-" + run + "-A3", "A-" + run);
        long t0 = System.nanoTime();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            others.add(post("oth-" + run + "-" + i, "K" + i + "-" + run));
        }
        for (String id : others) {
            awaitState(id, "DELIVERED", Duration.ofSeconds(20));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("FIGURE other-keys-delivered-while-one-fails-ms=" + ms);
        assertTrue("the other keys were delivered while A1 still fails (" + ms + " ms)",
                "FAILED".equals(http().stateOf(first)) || "REPLAYED".equals(http().stateOf(first)));
        awaitState(second, "HELD", Duration.ofSeconds(30));
        assertEquals("HELD", http().stateOf(third));
        assertTrue(http().get("/hub/api/messages/" + second).body().contains("waiting behind exchange " + first));

        // once A1 passes, A2 and A3 follow, in their order
        assertEquals(200, double_().post("/echo/control/fail?correlationId=" + a1 + "&seconds=0", "").status());
        awaitState(first, "DELIVERED", Duration.ofSeconds(60));
        awaitState(third, "DELIVERED", Duration.ofSeconds(30));
        assertEquals("DELIVERED", http().stateOf(second));
        String order = double_().getAnonymous("/echo/log?prefix=ord-" + run).body();
        assertEquals("[\"" + a1 + "\",\"ord-" + run + "-A2\",\"ord-" + run + "-A3\"]", order);
        assertEquals("A1 delivered once, after its retries", 1, echoReceived(a1));
    }

    @Test
    public void oneBodyUnderTwoPartnerMessageIdsIsDeliveredTwiceAndTheSameIdOnce() {
        String corr = "twice-" + UUID.randomUUID();
        String body = "{\"orientation\":\"PSP\"}";
        HubHttp.Response a = http().post(RELAY, body, "X-Correlation-Id", corr, "X-Message-Id", "psp-" + corr.hashCode());
        HubHttp.Response b = http().post(RELAY, body, "X-Correlation-Id", corr, "X-Message-Id", "psp2-" + corr.hashCode());
        assertEquals(a.body(), 202, a.status());
        assertEquals("a new message id is a new message: " + b.body(), 202, b.status());
        HubHttp.Response again = http().post(RELAY, body, "X-Correlation-Id", corr, "X-Message-Id", "psp-" + corr.hashCode());
        assertEquals("the same message id again is a duplicate: " + again.body(), 200, again.status());
        assertTrue(again.body().contains("\"outcome\":\"DUPLICATE\""));
        awaitState(HubHttp.field(a.body(), "exchangeId"), "DELIVERED", Duration.ofSeconds(20));
        awaitState(HubHttp.field(b.body(), "exchangeId"), "DELIVERED", Duration.ofSeconds(20));
        assertEquals(2, echoReceived(corr));
    }

    @Test
    public void aBrokerThatIsAwayMeans503WithRetryAfterAndTheRetryIsDeliveredOnce() throws Exception {
        Bundle broker = null;
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().contains("artemis-server-osgi")) {
                broker = b;
            }
        }
        assertNotNull("the embedded broker's bundle", broker);
        String corr = "broker-away-" + UUID.randomUUID();
        String messageId = "m-" + Math.abs(corr.hashCode());
        broker.stop();
        try {
            HubHttp.Response refused = null;
            for (int i = 0; i < 50 && (refused == null || refused.status() != 503); i++) {
                refused = http().post(RELAY, "{\"n\":1}", "X-Correlation-Id", corr, "X-Message-Id", messageId);
                assertTrue(refused.body(), refused.status() == 503 || refused.status() == 202);
                Thread.sleep(200);
            }
            assertEquals(refused.body(), 503, refused.status());
            assertNotNull("Retry-After tells when to come back", refused.header("Retry-After"));
            String refusedId = HubHttp.field(refused.body(), "exchangeId");
            assertEquals("journaled as refused, not accepted", "REFUSED", http().stateOf(refusedId));
        } finally {
            broker.start();
        }
        awaitHealthUp();
        HubHttp.Response[] accepted = {null};
        HubHttp.await("the sender's retry is taken", Duration.ofSeconds(60), () -> {
            accepted[0] = http().post(RELAY, "{\"n\":1}", "X-Correlation-Id", corr, "X-Message-Id", messageId);
            return accepted[0].status() == 202;
        });
        awaitState(HubHttp.field(accepted[0].body(), "exchangeId"), "DELIVERED", Duration.ofSeconds(60));
        assertEquals("delivered once", 1, echoReceived(corr));
    }

    @Test
    public void aConnectorRebuiltWithNewSettingsLeavesNoMessageBehindInTheBroker() throws Exception {
        // A rebuilt connector's old consumers must really close: kept open in a connection cache, each went on
        // taking its prefetch of messages (10) that nobody delivered (found by the benchmark, fixed in HubCore).
        org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration("hub.connector.echo", null);
        java.util.Dictionary<String, Object> props = cfg.getProperties();
        props.put("delivery.concurrency", "3");
        cfg.update(props);
        HubHttp.await("echo connector rebuilt", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"delivery.concurrency\":\"3\""));
        awaitHealthUp();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(post("rebuilt-" + run + "-" + i, "R" + i + "-" + run));
        }
        for (String id : ids) {
            awaitState(id, "DELIVERED", Duration.ofSeconds(30));
        }
        assertEquals(0L, metric("hub_queue_depth{queue=\"hub.out.echo.relay\"}"));
    }
}
