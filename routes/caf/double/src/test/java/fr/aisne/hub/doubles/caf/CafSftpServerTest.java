package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The CAF's SFTP server double: public key only (no password), one user, a host key kept across
 * restarts, files served from /depot and published under a temporary name; keys and fingerprints in the
 * formats of OpenSSH (checked with ssh-keygen when it is installed).
 */
public class CafSftpServerTest {
    private static final Duration T = Duration.ofSeconds(10);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private KeyPair hub;
    private SshClient client;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        dir = tmp.getRoot().toPath().resolve("caf");
        hub = CafSshKeys.generate();
        CafSshKeys.authorize(dir.resolve("authorized_keys"), hub.getPublic(), "hub");
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // the hub pins it; not the subject here
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    @After
    public void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        client.stop();
    }

    private CafSftpServer start(CafSftpServer.Config c) throws IOException {
        CafSftpServer s = new CafSftpServer(c).start();
        closing.add(s);
        return s;
    }

    private ClientSession session(CafSftpServer s, String user) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", s.port()).verify(T).getSession();
        closing.add(0, session);
        return session;
    }

    @Test
    public void theAuthorizedKeyReadsThePublishedFiles() throws Exception {
        CafSftpServer s = start(CafSftpServer.Config.defaults(dir).withPort(0));
        byte[] flux = new CafFluxGenerator().toBytes(CafFluxGenerator.monthly(10, 1));
        s.publish("RSABEM.xml", flux);
        try (var listing = Files.list(s.depot())) {
            assertEquals("no temporary file left", List.of("RSABEM.xml"),
                    listing.map(p -> p.getFileName().toString()).toList());
        }
        ClientSession session = session(s, "caf-aisne");
        session.addPublicKeyIdentity(hub);
        session.auth().verify(T);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
                InputStream in = sftp.read("/depot/RSABEM.xml")) {
            assertArrayEquals(flux, in.readAllBytes());
        }
    }

    @Test
    public void passwordsAndUnknownKeysAndOtherUsersAreRefused() throws Exception {
        CafSftpServer s = start(CafSftpServer.Config.defaults(dir).withPort(0));
        ClientSession password = session(s, "caf-aisne");
        password.addPasswordIdentity("caf-aisne");
        refused(password);

        ClientSession stranger = session(s, "caf-aisne");
        stranger.addPublicKeyIdentity(CafSshKeys.generate());
        refused(stranger);

        ClientSession otherUser = session(s, "root");
        otherUser.addPublicKeyIdentity(hub);
        refused(otherUser);
    }

    @Test
    public void theHostKeyIsKeptAcrossRestartsAndAnotherFileGivesAnotherKey() throws Exception {
        CafSftpServer first = start(CafSftpServer.Config.defaults(dir).withPort(0));
        String fingerprint = first.hostKeyFingerprint();
        assertTrue(fingerprint, fingerprint.startsWith("SHA256:"));
        first.close();
        CafSftpServer again = start(CafSftpServer.Config.defaults(dir).withPort(0));
        assertEquals(fingerprint, again.hostKeyFingerprint());
        CafSftpServer other = start(CafSftpServer.Config.defaults(dir).withPort(0).withHostKey(dir.resolve("other")));
        assertTrue(!fingerprint.equals(other.hostKeyFingerprint()));
    }

    @Test
    public void keysAndFingerprintsAreInOpenSshFormats() throws Exception {
        assumeTrue("ssh-keygen not installed", run("ssh-keygen", "-?") != null);
        CafSftpServer s = start(CafSftpServer.Config.defaults(dir).withPort(0));
        Path pub = tmp.getRoot().toPath().resolve("host.pub");
        Files.writeString(pub, CafSshKeys.authorizedKeyLine(s.hostKey(), "caf") + "\n");
        String printed = run("ssh-keygen", "-lf", pub.toString());
        assertTrue(printed, printed.contains(" " + s.hostKeyFingerprint() + " caf (ECDSA)"));

        Path demoKey = tmp.getRoot().toPath().resolve("demo/hub-caf-sftp.key");
        Path authorized = tmp.getRoot().toPath().resolve("demo/authorized_keys");
        assertTrue(CafSshKeys.ensureClientKey(authorized, demoKey));
        assertTrue("only once", !CafSshKeys.ensureClientKey(authorized, demoKey));
        String[] derived = run("ssh-keygen", "-y", "-f", demoKey.toString()).trim().split(" ");
        assertTrue(String.join(" ", derived) + " / " + Files.readString(authorized),
                Files.readString(authorized).startsWith(derived[0] + " " + derived[1] + " "));
    }

    private static void refused(ClientSession session) {
        try {
            session.auth().verify(T);
            fail("authenticated");
        } catch (IOException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("No more authentication methods"));
        }
    }

    /** Output of a command, or null when it cannot run. */
    private static String run(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return null;
        }
    }
}
