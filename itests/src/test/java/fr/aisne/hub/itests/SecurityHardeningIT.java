package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 13's findings attacked on the distribution as it runs (bin/karaf as a process, its scripts and file modes):
 * the ssh console listens on loopback only, refuses SFTP and holds off password guessing; account passwords are
 * salted PBKDF2 (also when set with jaas:); every file the hub creates is owner-only; production mode refuses to
 * start without the keystore password from outside the installation, and starts with it, keeping the keys.
 */
public class SecurityHardeningIT {
    private KarafProcess hub;

    @After
    public void stop() throws Exception {
        if (hub != null) {
            hub.stop();
        }
    }

    // ------------------------------------------------------------------------------------------------ ssh console

    @Test
    public void sshListensOnLoopbackOnlyRefusesSftpAndHoldsOffGuesses() throws Exception {
        hub = KarafProcess.fresh();
        hub.put("etc/hub.core.cfg", "ssh.login.maxFailures", "3");
        hub.put("etc/hub.core.cfg", "ssh.login.windowSeconds", "20");
        hub.start();
        hub.awaitUp();
        String password = hub.adminPassword();

        assertEquals("decoder", List.of("127.0.0.1", "0.0.0.0", "127.0.0.1", "0:0:0:0:0:0:0:0"), List.of(address("0100007F"),
                address("00000000"), address("0000000000000000FFFF00000100007F"), address("0".repeat(32))));
        List<String> listening = listeningAddresses(KarafProcess.SSH);
        System.out.println("FIGURE ssh-listening=" + listening);
        assertFalse("the ssh port is listening", listening.isEmpty());
        assertEquals("loopback only, never all interfaces", List.of("127.0.0.1"), listening);

        try (SshClient client = client()) {
            try (ClientSession s = session(client, "admin", password)) {
                IOException refused = assertThrows("no SFTP subsystem", IOException.class,
                        () -> SftpClientFactory.instance().createSftpClient(s).close());
                System.out.println("FIGURE sftp-refused=" + refused.getClass().getSimpleName() + ": " + refused.getMessage());
                // the shell itself works: an account added with jaas: gets a salted hash, the file stays owner-only
                String out = s.executeRemoteCommand("jaas:realm-manage --realm karaf --module "
                        + "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule; "
                        + "jaas:user-add opsx Opsx-pw-0123456789; jaas:role-add opsx viewer; jaas:update");
                System.out.println("jaas: " + out.strip());
            }
            Path users = hub.home.resolve("etc/users.properties");
            HubHttp.await("jaas:update wrote opsx", Duration.ofSeconds(10),
                    () -> read(users).matches("(?s).*\\nopsx\\s*=\\s*\\{CRYPT\\}pbkdf2-sha256\\$600000\\$.*"));
            assertEquals("rw-------", mode(users));
            assertEquals("the jaas: password verifies in the realm", 200, new HubHttp("http://127.0.0.1:"
                    + KarafProcess.HTTP, "opsx", "Opsx-pw-0123456789").get("/hub/api/messages?limit=1").status());

            // password guessing: 3 wrong passwords, then the right one is refused for the window
            for (int i = 0; i < 3; i++) {
                assertFalse("guess " + i, authenticates(client, "admin", "guess-" + i));
            }
            long t0 = System.nanoTime();
            assertFalse("the right password, refused for the window", authenticates(client, "admin", password));
            System.out.println("FIGURE ssh-refused-after-guesses-ms=" + (System.nanoTime() - t0) / 1_000_000);
            assertTrue("karaf.log says why", hub.log().contains("too many failed passwords over ssh"));
            assertEquals("HTTP is not locked out by ssh guessing", 200,
                    hub.admin().get("/hub/api/connectors").status());
            HubHttp.await("the window of 20 s ends", Duration.ofSeconds(60), () -> authenticates(client, "admin", password));
        }
    }

    /** Local addresses LISTENing on the port, from /proc/net/tcp and tcp6 (what `ss -ltn` shows). */
    static List<String> listeningAddresses(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if ("0A".equals(f[3]) && Integer.parseInt(local[1], 16) == port) {
                    out.add(address(local[0]));
                }
            }
        }
        return out;
    }

    /**
     * /proc/net/tcp's address: 32-bit words in host (little-endian) byte order, 1 word for tcp, 4 for tcp6; an
     * IPv4-mapped IPv6 address (::ffff:127.0.0.1, where Java listens by default) comes out as its IPv4 address.
     */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + (3 - i)) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return java.net.InetAddress.getByAddress(bytes).getHostAddress();
    }

    private static SshClient client() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        // one password per attempt (keyboard-interactive would try the same password a second time)
        client.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        client.start();
        return client;
    }

    private static ClientSession session(SshClient client, String user, String password) throws IOException {
        ClientSession s = client.connect(user, "127.0.0.1", KarafProcess.SSH).verify(Duration.ofSeconds(15)).getSession();
        s.addPasswordIdentity(password);
        s.auth().verify(Duration.ofSeconds(15));
        return s;
    }

    private static boolean authenticates(SshClient client, String user, String password) {
        try (ClientSession s = session(client, user, password)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------ file modes

    @Test
    public void everyFileTheHubCreatesIsOwnerOnly() throws Exception {
        hub = KarafProcess.fresh();
        hub.put("etc/hub.connector.echo.cfg", "maxPayloadBytes", "1000000");
        Set<Path> shipped = filesUnder(hub.home);
        hub.start();
        hub.awaitUp();
        HubHttp admin = hub.admin();
        hub.awaitEchoConnector(admin);
        // a payload above 32,000 bytes is sealed into data/hub/payloads
        String corr = "modes-" + UUID.randomUUID();
        HubHttp.Response r = admin.post("/hub/in/echo/relay", "{\"tag\":\"" + corr + "\",\"pad\":\"" + "x".repeat(40_000)
                + "\"}", "X-Correlation-Id", corr);
        assertEquals(r.body(), 202, r.status());
        String id = HubHttp.field(r.body(), "exchangeId");
        HubHttp.await("delivered", Duration.ofSeconds(30), () -> "DELIVERED".equals(admin.stateOf(id)));
        try (Stream<Path> payloads = Files.list(hub.home.resolve("data/hub/payloads"))) {
            assertTrue("a payload file was written", payloads.findAny().isPresent());
        }

        // every file and directory of the installation, those of the archive included (shipped 644/755, made owner-only
        // by bin/setenv before Java starts); only this test's own capture of the console is left out
        List<String> open = new ArrayList<>();
        for (Path p : filesUnder(hub.home)) {
            if (Files.exists(p) && !Files.isSymbolicLink(p) && !p.startsWith(hub.home.resolve("karaf-console.log"))) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP_") || x.name().startsWith("OTHERS_"))) {
                    open.add(hub.home.relativize(p) + " " + PosixFilePermissions.toString(perms));
                }
            }
        }
        for (String f : List.of("etc/users.properties", "etc/hub-core.p12", "etc/hub-secrets.p12",
                "etc/hub-registry.p12", "etc/hub-admin.password", "etc/hub-internal.password", "data/log/karaf.log",
                "data/hub/payloads", "data/hub/db", "data/artemis")) {
            System.out.println("FIGURE mode " + f + " " + mode(hub.home.resolve(f)));
        }
        System.out.println("FIGURE mode (archive) etc/org.apache.karaf.features.cfg "
                + mode(hub.home.resolve("etc/org.apache.karaf.features.cfg")) + ", data/tmp " + mode(hub.home.resolve("data/tmp"))
                + ", system " + mode(hub.home.resolve("system")) + ", bin/karaf " + mode(hub.home.resolve("bin/karaf"))
                + " (" + shipped.size() + " entries in the archive)");
        assertEquals("files and directories of the installation that others may read", List.of(), open);
    }

    /** Every file and directory under {@code root} (bin/karaf's console capture excluded by the caller). */
    private static Set<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return new java.util.TreeSet<>(all.filter(p -> !p.equals(root)).toList());
        }
    }

    // ------------------------------------------------------------------------------------------------ keystores

    @Test
    public void productionModeNeedsTheKeystorePasswordFromOutsideAndKeepsTheKeys() throws Exception {
        hub = KarafProcess.fresh();
        hub.env("HUB_KEYSTORE_PASSWORD", null);
        hub.env("CREDENTIALS_DIRECTORY", null);
        hub.append("etc/system.properties", "\nhub.mode = production\n");

        // 1. production mode, no password: DOWN with the reason, nothing created, no stack trace
        hub.start();
        HubHttp anonymous = hub.anonymous();
        HubHttp.await("health answers", Duration.ofSeconds(180), () -> anonymous.getAnonymous("/hub/health").status() > 0);
        HubHttp.Response h = anonymous.getAnonymous("/hub/health");
        assertEquals(h.body(), 503, h.status());
        assertTrue(h.body(), h.body().contains("\"status\":\"DOWN\""));
        String detail = hub.admin().get("/hub/health").body();
        System.out.println("FIGURE production-without-password-health=" + detail);
        assertTrue(detail, detail.contains("\"core\":{\"status\":\"DOWN\"") && detail.contains("HUB_KEYSTORE_PASSWORD"));
        assertEquals("no keystore created", List.of(), keystoreFiles());
        String log = hub.log();
        assertTrue(log.contains("Hub core not started: production mode"));
        assertFalse("no stack trace", log.contains("\tat fr.aisne.hub") || log.contains("KeystorePassword$Refused"));
        hub.stop();

        // 2. development mode, no password: as before, the password beside the keystore, with a warning
        hub.put("etc/system.properties", "hub.mode", "development");
        hub.start();
        hub.awaitUp();
        HubHttp admin = hub.admin();
        hub.awaitEchoConnector(admin);
        assertTrue(keystoreFiles().containsAll(List.of("hub-core.keystore.password", "hub-core.p12")));
        assertTrue(hub.log().contains("Development mode: the password of hub-core.p12 sits beside it"));
        String corr = "kept-" + UUID.randomUUID();
        HubHttp.Response r = admin.post("/hub/in/echo/relay", "{\"tag\":\"" + corr + "\"}", "X-Correlation-Id", corr);
        assertEquals(r.body(), 202, r.status());
        String id = HubHttp.field(r.body(), "exchangeId");
        HubHttp.await("delivered", Duration.ofSeconds(30), () -> "DELIVERED".equals(admin.stateOf(id)));
        hub.stop();

        // 3. production mode with the password in the environment: keystores moved out of etc/, same keys
        hub.put("etc/system.properties", "hub.mode", "production");
        hub.env("HUB_KEYSTORE_PASSWORD", "it-" + UUID.randomUUID());
        hub.start();
        hub.awaitUp();
        List<String> files = keystoreFiles();
        assertTrue(files.toString(), files.containsAll(List.of("hub-core.p12", "hub-secrets.p12", "hub-registry.p12")));
        assertFalse("no password beside any keystore: " + files, files.stream().anyMatch(f -> f.endsWith(".password")
                && !f.startsWith("hub-admin") && !f.startsWith("hub-internal")));
        String message = admin.get("/hub/api/messages/" + id).body();
        assertTrue("the payload sealed before is still readable: " + message, message.contains(corr));
    }

    private List<String> keystoreFiles() throws IOException {
        try (Stream<Path> etc = Files.list(hub.home.resolve("etc"))) {
            return etc.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".p12") || n.endsWith(".keystore.password")).sorted().toList();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
