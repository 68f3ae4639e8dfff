package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution as an operator runs it: the archive unpacked afresh, {@code bin/karaf server} started as a
 * process (its scripts, bin/setenv and file modes included), stopped with SIGTERM or killed with SIGKILL. Ports are
 * those of the process-level tests, shifted per fork ({@link Ports}).
 */
final class KarafProcess {
    static final int HTTP = Ports.of(28181);
    static final int BROKER = Ports.of(26161);
    static final int DOUBLE = Ports.of(28282);
    static final int SSH = Ports.of(28101);

    final Path home;
    private final Map<String, String> env = new HashMap<>();
    private Process karaf;

    private KarafProcess(Path home) {
        this.home = home;
    }

    /** A fresh unpack of the archive under test, its ports set, the echo double and connector started at boot. */
    static KarafProcess fresh() throws Exception {
        Path archive = Paths.get(System.getProperty("hub.distribution")).toAbsolutePath();
        Path dir = Paths.get(System.getProperty("hub.itest.dir", "target"), "process-" + System.nanoTime());
        Files.createDirectories(dir);
        run(dir, "tar", "xzf", archive.toString());
        Path home;
        try (var entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        KarafProcess k = new KarafProcess(home);
        k.configure();
        return k;
    }

    private void configure() throws IOException {
        put("etc/hub.core.cfg", "http.port", Integer.toString(HTTP));
        put("etc/hub.core.cfg", "broker.url", "amqp://127.0.0.1:" + BROKER);
        append("etc/system.properties", "\nhub.broker.port = " + BROKER + "\n");
        put("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(SSH));
        put("etc/hub.double.echo.cfg", "http.port", Integer.toString(DOUBLE));
        put("etc/hub.connector.echo.cfg", "target.url", "http://127.0.0.1:" + DOUBLE + "/echo");
        Path features = home.resolve("etc/org.apache.karaf.features.cfg");
        String cfg = Files.readString(features);
        Matcher m = Pattern.compile("(featuresBoot\\s*=\\s*\\\\\\s*\\n(?:.*\\\\\\s*\\n)*.*)").matcher(cfg);
        assertTrue("featuresBoot found", m.find());
        Files.writeString(features, cfg.substring(0, m.end()) + ", \\\n    hub-double-echo, \\\n    hub-connector-echo"
                + cfg.substring(m.end()));
    }

    /** Sets key = value in a .cfg or .properties file, replacing an existing line. */
    void put(String file, String key, String value) throws IOException {
        Path p = home.resolve(file);
        List<String> lines = Files.exists(p) ? Files.readAllLines(p) : new java.util.ArrayList<>();
        lines.removeIf(l -> l.matches("\\s*" + Pattern.quote(key) + "\\s*=.*"));
        lines.add(key + " = " + value);
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    void append(String file, String text) throws IOException {
        Files.writeString(home.resolve(file), text, java.nio.file.StandardOpenOption.APPEND);
    }

    /** An environment variable of the next starts (null: removed from the test's own environment). */
    void env(String name, String value) {
        env.put(name, value);
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        pb.directory(home.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("karaf-console.log").toFile()));
        karaf = pb.start();
    }

    Process process() {
        return karaf;
    }

    /**
     * SIGTERM to bin/karaf and its Java child (Karaf shuts down cleanly), SIGKILL after 60 s; returns once the Java
     * process is gone too (a new start would otherwise find the root instance still running).
     */
    void stop() throws InterruptedException {
        ProcessTree.terminate(karaf, 60);
    }

    /** SIGKILL to bin/karaf and its Java child, as a crash would. */
    void kill() throws InterruptedException {
        List<ProcessHandle> tree = karaf.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        karaf.destroyForcibly();
        for (ProcessHandle p : tree) {
            p.onExit().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
        assertTrue(karaf.waitFor(30, TimeUnit.SECONDS));
    }

    HubHttp anonymous() {
        return new HubHttp("http://127.0.0.1:" + HTTP, "", "");
    }

    String adminPassword() throws IOException {
        return Files.readString(home.resolve("etc/hub-admin.password")).strip();
    }

    HubHttp admin() throws IOException {
        return new HubHttp("http://127.0.0.1:" + HTTP, "admin", adminPassword());
    }

    void awaitUp() {
        HubHttp.await("health UP", Duration.ofSeconds(180),
                () -> anonymous().getAnonymous("/hub/health").body().contains("\"status\":\"UP\""));
    }

    void awaitEchoConnector(HubHttp hub) {
        HubHttp.await("echo connector serving", Duration.ofSeconds(120),
                () -> hub.get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
    }

    String log() throws IOException {
        return Files.readString(home.resolve("data/log/karaf.log"));
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        assertEquals(String.join(" ", cmd), 0, p.waitFor());
    }
}
