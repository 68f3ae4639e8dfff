package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution this build produced, unpacked fresh and run as a plain process (bin/karaf server) on ports of
 * its own, with the echo double and connector among its boot features: the hub as an operator runs it.
 */
final class HubProcess implements AutoCloseable {
    final int http;
    final int broker;
    final int ssh;
    final int echoDouble;
    final Path home;
    private Process karaf;

    /** Ports are the usual ones (8181, 6161, 8101, 8282) plus {@code portBase}. */
    HubProcess(String name, int portBase) throws Exception {
        this.http = portBase + 8181;
        this.broker = portBase + 6161;
        this.ssh = portBase + 8101;
        this.echoDouble = portBase + 8282;
        Path archive = Paths.get(System.getProperty("hub.distribution")).toAbsolutePath();
        Path dir = Paths.get(System.getProperty("hub.itest.dir", "target"), name + "-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString()).directory(dir.toFile()).inheritIO().start();
        assertEquals("tar xzf " + archive, 0, tar.waitFor());
        try (var entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        put("etc/hub.core.cfg", "http.port", Integer.toString(http));
        put("etc/hub.core.cfg", "broker.url", "amqp://127.0.0.1:" + broker);
        append("etc/system.properties", "\nhub.broker.port = " + broker + "\n");
        put("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ssh));
        put("etc/hub.double.echo.cfg", "http.port", Integer.toString(echoDouble));
        put("etc/hub.connector.echo.cfg", "target.url", "http://127.0.0.1:" + echoDouble + "/echo");
        Path features = home.resolve("etc/org.apache.karaf.features.cfg");
        String cfg = Files.readString(features);
        Matcher m = Pattern.compile("(featuresBoot\\s*=\\s*\\\\\\s*\\n(?:.*\\\\\\s*\\n)*.*)").matcher(cfg);
        assertTrue("featuresBoot found", m.find());
        Files.writeString(features, cfg.substring(0, m.end()) + ", \\\n    hub-double-echo, \\\n    hub-connector-echo"
                + cfg.substring(m.end()));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + http;
    }

    /** Adds an account (the core replaces its clear password by its hash at start). */
    void account(String user, String password, String role) throws IOException {
        append("etc/users.properties", "\n" + user + " = " + password + ", " + role + "\n");
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        pb.directory(home.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("karaf-console.log").toFile()));
        karaf = pb.start();
    }

    /** Health UP, then the admin's client once the echo connector serves. */
    HubHttp awaitReady() throws IOException {
        HubHttp anonymous = new HubHttp(baseUrl(), "", "");
        HubHttp.await("health UP", Duration.ofSeconds(120),
                () -> anonymous.getAnonymous("/hub/health").body().contains("\"status\":\"UP\""));
        HubHttp admin = new HubHttp(baseUrl(), "admin", adminPassword());
        HubHttp.await("echo connector serving", Duration.ofSeconds(60),
                () -> admin.get("/hub/api/connectors").body().contains("\"id\":\"echo\""));
        return admin;
    }

    String adminPassword() throws IOException {
        return Files.readString(home.resolve("etc/hub-admin.password")).strip();
    }

    /** Sets key = value in a .cfg file (replacing an existing line), atomically: the hub re-reads it. */
    void put(String file, String key, String value) throws IOException {
        Path p = home.resolve(file);
        List<String> lines = Files.exists(p) ? Files.readAllLines(p) : new ArrayList<>();
        lines.removeIf(l -> l.matches("\\s*" + Pattern.quote(key) + "\\s*=.*"));
        lines.add(key + " = " + value);
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void append(String file, String text) throws IOException {
        Files.writeString(home.resolve(file), text, StandardOpenOption.APPEND);
    }

    /** Stops the hub cleanly (SIGTERM to bin/karaf and its Java child), forcibly after a minute; returns once both are gone. */
    @Override
    public void close() throws Exception {
        ProcessTree.terminate(karaf, 60);
    }
}
