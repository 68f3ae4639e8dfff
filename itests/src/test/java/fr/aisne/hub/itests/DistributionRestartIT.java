package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * The distribution as an operator runs it: a fresh unpack started as a process (first start, no
 * default password), then killed with SIGKILL while messages wait for a failing partner, and started
 * again: the journal and the queued messages are still there and get delivered.
 */
public class DistributionRestartIT {
    private static final int HTTP = KarafProcess.HTTP;
    private static final int DOUBLE = KarafProcess.DOUBLE;

    private KarafProcess hubProcess;
    private Path home;

    @After
    public void stop() throws Exception {
        if (hubProcess != null) {
            hubProcess.stop();
        }
    }

    @Test
    public void journalAndQueuedMessagesSurviveAKill() throws Exception {
        freshHub();

        long t0 = System.nanoTime();
        start();
        HubHttp anonymous = new HubHttp("http://127.0.0.1:" + HTTP, "", "");
        hubProcess.awaitUp();
        System.out.println("FIGURE first-start-to-health-up-ms=" + (System.nanoTime() - t0) / 1_000_000);
        assertEquals("bin/setenv's heap cap is applied to the running JVM (Karaf 4.4 ignores JAVA_MAX_MEM)",
                "1073741824", vmFlag("MaxHeapSize"));
        assertTrue("bin/setenv's collector is the running JVM's", vmFlags().contains("-XX:+UseParallelGC"));

        Path passwordFile = home.resolve("etc/hub-admin.password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        String password = Files.readString(passwordFile).strip();
        String users = Files.readString(home.resolve("etc/users.properties"));
        assertFalse("the clear password is not stored", users.contains(password));
        assertTrue(users, users.contains("admin = {CRYPT}"));
        assertFalse("the log says where the password is, not what it is",
                Files.readString(home.resolve("data/log/karaf.log")).contains(password));
        HubHttp hub = new HubHttp("http://127.0.0.1:" + HTTP, "admin", password);
        hubProcess.awaitEchoConnector(hub);

        String before = post(hub, "before-restart");
        HubHttp.await("first message delivered", Duration.ofSeconds(30), () -> "DELIVERED".equals(hub.stateOf(before)));

        // The partner starts failing: the next messages keep being retried.
        setDoubleFailure(503);
        HubHttp.await("double answering 503", Duration.ofSeconds(30),
                () -> new HubHttp("http://127.0.0.1:" + DOUBLE, "", "").post("/echo", "{}").status() == 503);
        String inFlight = post(hub, "in-flight");
        String waiting = post(hub, "waiting");
        HubHttp.await("first failure journaled", Duration.ofSeconds(30), () -> "FAILED".equals(hub.stateOf(inFlight)));

        kill();
        assertEquals("the hub is really down", -1, anonymous.getAnonymous("/hub/health").status());
        setDoubleFailure(0);

        start();
        hubProcess.awaitUp();
        assertEquals("no new password on the second start", password,
                Files.readString(passwordFile).strip());
        assertEquals("DELIVERED", hub.stateOf(before));
        HubHttp.await("queued messages delivered after the restart", Duration.ofSeconds(120),
                () -> "DELIVERED".equals(hub.stateOf(inFlight)) && "DELIVERED".equals(hub.stateOf(waiting)));
        String history = hub.get("/hub/api/messages/" + inFlight).body();
        assertTrue(history, history.matches("(?s).*RECEIVED.*QUEUED.*FAILED.*DELIVERED.*"));
        HubHttp.await("queue drained", Duration.ofSeconds(20), () -> anonymous.getAnonymous("/hub/metrics").body()
                .contains("hub_queue_depth{queue=\"hub.out.echo.relay\"} 0"));
    }

    /**
     * A fresh hub whose fault injection halts it at {@code fault} for the echo flow: one message posted (no answer:
     * the JVM halts), then the fault disarmed and the hub started again, up.
     */
    private HubHttp postHaltAndRestart(String fault, String corr) throws Exception {
        HubHttp hub = startWithFaultInjection(fault, "echo/relay");
        HubHttp.Response r = hub.post("/hub/in/echo/relay", "{\"tag\":\"" + corr + "\"}", "X-Correlation-Id", corr);
        assertEquals("no answer: the hub died before answering (" + r.body() + ")", -1, r.status());
        assertTrue("the JVM halted", karaf().waitFor(60, TimeUnit.SECONDS));
        put("etc/hub.core.cfg", fault, "");
        start();
        hubProcess.awaitUp();
        return hub;
    }

    /** A fresh hub with the fault injection armed and one core setting, up with its echo connector serving. */
    private HubHttp startWithFaultInjection(String coreKey, String value) throws Exception {
        freshHub();
        append("etc/system.properties", "\nhub.faultInjection = true\n");
        put("etc/hub.core.cfg", coreKey, value);
        start();
        hubProcess.awaitUp();
        HubHttp hub = admin();
        hubProcess.awaitEchoConnector(hub);
        return hub;
    }

    /**
     * Killed at the worst moment: the message is journaled (the sender gets no answer), the broker does not have it
     * yet. At restart the hub sends the flow's exchanges journaled QUEUED and never attempted: delivered once. Aimed
     * with the hub's fault injection (a signal cannot hit between two writes), which halts the JVM as SIGKILL would.
     */
    @Test
    public void aHubKilledBetweenJournalAndBrokerDeliversTheMessageOnceAfterRestart() throws Exception {
        String corr = "killed-" + UUID.randomUUID();
        HubHttp hub = postHaltAndRestart("test.fault.haltAfterJournal", corr);
        String[] id = {null};
        HubHttp.await("the journaled message delivered after the restart", Duration.ofSeconds(120), () -> {
            String list = hub.get("/hub/api/messages?correlationId=" + corr).body();
            Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(list);
            if (m.find()) {
                id[0] = m.group(1);
            }
            return list.contains("\"state\":\"DELIVERED\"");
        });
        String history = hub.get("/hub/api/messages/" + id[0]).body();
        assertTrue(history, history.matches("(?s).*RECEIVED.*VALIDATED.*QUEUED.*DELIVERED.*"));
        assertEquals("delivered once", 1, echoReceived(corr));
    }

    /**
     * Killed just after the broker took the message, before the sender was answered: at restart the hub cannot know
     * the broker has it and sends it again (the flow's exchanges journaled QUEUED and never attempted). The partner
     * gets it once: the broker drops the copy by its duplicate-detection id (the exchange id; and the delivery would
     * drop a copy that got through, see DeliveryServiceTest).
     */
    @Test
    public void aHubKilledAfterTheBrokerTookTheMessageDeliversItOnceAfterRestart() throws Exception {
        String corr = "sent-" + UUID.randomUUID();
        HubHttp hub = postHaltAndRestart("test.fault.haltAfterSend", corr);
        HubHttp anonymous = new HubHttp("http://127.0.0.1:" + HTTP, "", "");
        HubHttp.await("the message delivered after the restart", Duration.ofSeconds(120),
                () -> hub.get("/hub/api/messages?correlationId=" + corr).body().contains("\"state\":\"DELIVERED\""));
        assertTrue("the hub sent it again at start", Files.readString(home.resolve("data/log/karaf.log"))
                .contains("Flow echo/relay: 1 exchange(s) journaled QUEUED sent to the broker again at start"));
        HubHttp.await("queue drained", Duration.ofSeconds(20), () -> anonymous.getAnonymous("/hub/metrics").body()
                .contains("hub_queue_depth{queue=\"hub.out.echo.relay\"} 0"));
        assertEquals("delivered once", 1, echoReceived(corr));
    }

    /**
     * A send that timed out although the broker had stored the message (a broker slow to confirm): a consumer
     * delivers it meanwhile, so the sender must not be told 503, since its retry would then be a second delivery.
     * Aimed with the fault injection: the first send of the echo flow reaches the broker, then reports a failure 3 s
     * later. Whichever way the race goes (the consumer first: 202; the withdrawal first: 503, REFUSED, the copy
     * dropped at delivery, the retry delivered), the partner gets the message once.
     */
    @Test
    public void aSendThatTimedOutAfterTheBrokerTookTheMessageStillMeansOneDelivery() throws Exception {
        HubHttp hub = startWithFaultInjection("test.fault.sendTimesOutOnce", "echo/relay");
        HubHttp anonymous = new HubHttp("http://127.0.0.1:" + HTTP, "", "");
        String corr = "timed-out-" + UUID.randomUUID();
        String body = "{\"tag\":\"" + corr + "\"}";
        String messageId = "t-" + Math.abs(corr.hashCode());
        HubHttp.Response first = hub.post("/hub/in/echo/relay", body, "X-Correlation-Id", corr, "X-Message-Id", messageId);
        assertTrue("the fault fired", Files.readString(home.resolve("data/log/karaf.log"))
                .contains("Fault injection: the broker took the message; its send reports a timeout"));
        HubHttp.Response last = first;
        for (int i = 0; i < 20 && last.status() == 503; i++) {
            Thread.sleep(500); // the sender's retry, as its Retry-After asks
            last = hub.post("/hub/in/echo/relay", body, "X-Correlation-Id", corr, "X-Message-Id", messageId);
        }
        assertEquals(last.body(), 202, last.status());
        String id = HubHttp.field(last.body(), "exchangeId");
        HubHttp.await("delivered", Duration.ofSeconds(30), () -> "DELIVERED".equals(hub.stateOf(id)));
        HubHttp.await("queue drained", Duration.ofSeconds(20), () -> anonymous.getAnonymous("/hub/metrics").body()
                .contains("hub_queue_depth{queue=\"hub.out.echo.relay\"} 0"));
        assertEquals("delivered once (first answer " + first.status() + ")", 1, echoReceived(corr));
    }

    /**
     * A message the hub itself dies on (an out-of-memory while delivering it, say) is not redelivered forever: the
     * broker persists its delivery count, and after {@code delivery.maxBrokerDeliveries} the hub quarantines it,
     * even though every delivery ended in a dead JVM.
     */
    @Test
    public void aMessageTheHubDiesOnIsQuarantinedAfterNDeliveriesAcrossRestarts() throws Exception {
        HubHttp hub = startWithFaultInjection("delivery.maxBrokerDeliveries", "2");
        kill();
        // from now on, every delivery of echo/relay kills the hub
        put("etc/hub.core.cfg", "test.fault.haltOnDelivery", "echo/relay");
        start();
        hubProcess.awaitUp();
        String id = post(hub, "poison");
        for (int crash = 1; crash <= 2; crash++) {
            // the broker hands the message back at each start (delivery 1, then 2): the hub dies again
            assertTrue("crash " + crash + " while delivering", karaf().waitFor(120, TimeUnit.SECONDS));
            start();
        }
        // delivery 3 > delivery.maxBrokerDeliveries: quarantined before the handler runs
        hubProcess.awaitUp();
        HubHttp.await("quarantined as poison", Duration.ofSeconds(120), () -> "QUARANTINED".equals(hub.stateOf(id)));
        String detail = hub.get("/hub/api/messages/" + id).body();
        assertTrue(detail, detail.contains("handed back by the broker 3 times"));
        assertTrue("the hub stays up", karaf().isAlive());
    }

    private void freshHub() throws Exception {
        hubProcess = KarafProcess.fresh();
        home = hubProcess.home;
        put("etc/hub.connector.echo.cfg", "retry.maxAttempts", "1000");
        put("etc/hub.connector.echo.cfg", "retry.initialDelayMs", "300");
        put("etc/hub.connector.echo.cfg", "retry.multiplier", "1.0");
    }

    private HubHttp admin() throws IOException {
        return hubProcess.admin();
    }

    private static long echoReceived(String correlationId) {
        HubHttp.Response r = new HubHttp("http://127.0.0.1:" + DOUBLE, "", "")
                .getAnonymous("/echo/received?correlationId=" + correlationId);
        Matcher m = Pattern.compile("\"forCorrelationId\":(\\d+)").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private void kill() throws InterruptedException {
        hubProcess.kill();
    }

    private static String post(HubHttp hub, String tag) {
        String corr = tag + "-" + UUID.randomUUID();
        HubHttp.Response r = hub.post("/hub/in/echo/relay", "{\"tag\":\"" + corr + "\"}", "X-Correlation-Id", corr);
        assertEquals(r.body(), 202, r.status());
        return HubHttp.field(r.body(), "exchangeId");
    }

    private void setDoubleFailure(int status) throws IOException {
        put("etc/hub.double.echo.cfg", "failure.status", Integer.toString(status));
    }

    private void put(String file, String key, String value) throws IOException {
        hubProcess.put(file, key, value);
    }

    private void append(String file, String text) throws IOException {
        hubProcess.append(file, text);
    }

    /** A flag of the running hub's JVM, as `jcmd <pid> VM.flags` shows it. */
    private String vmFlag(String name) throws Exception {
        String out = vmFlags();
        Matcher m = Pattern.compile("-XX:" + name + "=(\\S+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in jcmd VM.flags: " + out);
        }
        return m.group(1);
    }

    private String vmFlags() throws Exception {
        ProcessHandle jvm = karaf().descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .findFirst().orElseThrow(() -> new AssertionError("no Java process under bin/karaf"));
        Process jcmd = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(jvm.pid()), "VM.flags").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private void start() throws IOException {
        hubProcess.start();
    }

    /** The bin/karaf process of the last start. */
    private Process karaf() {
        return hubProcess.process();
    }
}
