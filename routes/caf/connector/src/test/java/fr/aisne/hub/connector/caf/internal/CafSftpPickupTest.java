package fr.aisne.hub.connector.caf.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpSealer.Defect;
import fr.aisne.hub.doubles.caf.CafSftpServer;
import fr.aisne.hub.doubles.caf.CafSshKeys;

/**
 * The SFTP pickup against the CAF double's real SSH server (Apache MINA SSHD on a free port): files are
 * taken once they are stable, completely, into the inbox, then removed from the server; a wrong host key
 * or a refused key stops everything with a clear reason; leftovers of an interrupted transfer are
 * discarded and the file downloaded again.
 */
public class CafSftpPickupTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final byte[] MONTHLY = new CafFluxGenerator().toBytes(CafFluxGenerator.monthly(50, 12));

    private Path etc;
    private Path data;
    private Path inbox;
    private CafSftpServer server;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @Before
    public void start() throws Exception {
        Path root = tmp.getRoot().toPath();
        etc = Files.createDirectories(root.resolve("etc"));
        data = Files.createDirectories(root.resolve("data"));
        inbox = data.resolve("inbox/caf");
        KeyPair client = CafSshKeys.generate();
        CafSshKeys.writePrivateKey(client, etc.resolve("hub-caf-sftp.key"), "hub");
        CafSshKeys.authorize(root.resolve("caf/authorized_keys"), client.getPublic(), "hub");
        server = serve(CafSftpServer.Config.defaults(root.resolve("caf")).withPort(0));
    }

    @After
    public void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private CafSftpServer serve(CafSftpServer.Config c) throws IOException {
        CafSftpServer s = new CafSftpServer(c).start();
        closing.add(s);
        return s;
    }

    private Map<String, Object> settings(CafSftpServer s) {
        Map<String, Object> m = new HashMap<>();
        m.put("sftp.enabled", "true");
        m.put("sftp.port", String.valueOf(s.port()));
        m.put("sftp.hostKeyFingerprint", server.hostKeyFingerprint());
        m.put("sftp.timeoutSeconds", "10");
        return m;
    }

    private CafSftpPickup pickup(Map<String, Object> settings) {
        CafSftpPickup p = new CafSftpPickup(CafSftpPickup.Config.from(settings, etc, data, inbox));
        closing.add(p);
        return p;
    }

    @Test
    public void aStableFileIsTakenWholeIntoTheInboxThenDeletedFromTheServer() throws Exception {
        server.publish("RSABEM-202505.xml", MONTHLY);
        CafSftpPickup p = pickup(settings(server));
        assertEquals("first seen: waits one poll to be sure it is complete", 0, p.poll());
        assertTrue(p.describe(), p.describe().contains("1 waiting to be stable"));
        assertFalse(Files.exists(inbox.resolve("RSABEM-202505.xml")));
        assertEquals(1, p.poll());
        assertArrayEquals(MONTHLY, Files.readAllBytes(inbox.resolve("RSABEM-202505.xml")));
        assertFalse("deleted on the server", Files.exists(server.depot().resolve("RSABEM-202505.xml")));
        assertTrue(p.healthy());
        assertTrue(p.describe(), p.describe().contains("1 file(s) taken (last RSABEM-202505.xml)"));
        assertEquals(0, p.poll());
        assertEquals(List.of(), list(data.resolve("staging/caf/sftp")));
    }

    @Test
    public void afterPickupMoveKeepsTheFileInTheRemoteDoneFolder() throws Exception {
        server.publish("RSABEI-20250601.xml", MONTHLY);
        Files.writeString(server.depot().resolve(".hidden.xml"), "ignored");
        Files.writeString(server.depot().resolve("notes.txt"), "not included");
        Map<String, Object> s = settings(server);
        s.put("sftp.afterPickup", "move");
        CafSftpPickup p = pickup(s);
        p.poll();
        assertEquals(1, p.poll());
        assertFalse(Files.exists(server.depot().resolve("RSABEI-20250601.xml")));
        assertArrayEquals(MONTHLY, Files.readAllBytes(server.depot().resolve(".done/RSABEI-20250601.xml")));
        assertArrayEquals(MONTHLY, Files.readAllBytes(inbox.resolve("RSABEI-20250601.xml")));
        assertTrue(Files.exists(server.depot().resolve("notes.txt")));
        assertEquals(List.of("RSABEI-20250601.xml"), list(inbox));
    }

    @Test
    public void whenTheRemoteMoveFailsOnlyTheMoveIsRetriedNotTheTransfer() throws Exception {
        server.publish("RSABEI-20250601.xml", MONTHLY);
        Path blocking = Files.writeString(server.depot().resolve(".done"), "a file where the folder should be");
        Map<String, Object> s = settings(server);
        s.put("sftp.afterPickup", "move");
        CafSftpPickup p = pickup(s);
        p.poll();
        assertEquals(0, p.poll());
        assertEquals("in the inbox, durable", List.of("RSABEI-20250601.xml"), list(inbox));
        assertTrue(p.describe(), p.describe().contains("last error"));
        assertTrue(p.healthy());
        p.poll();
        p.poll();
        assertEquals("no new copy at each poll", List.of("RSABEI-20250601.xml"), list(inbox));
        Files.delete(blocking);
        // the next poll that reaches the server moves it (one CI run saw a poll time out on the in-process server)
        for (int i = 0; i < 3 && !Files.exists(server.depot().resolve(".done/RSABEI-20250601.xml")); i++) {
            p.poll();
        }
        assertTrue(p.describe(), Files.exists(server.depot().resolve(".done/RSABEI-20250601.xml")));
        assertFalse(Files.exists(server.depot().resolve("RSABEI-20250601.xml")));
        assertEquals(List.of("RSABEI-20250601.xml"), list(inbox));
        assertFalse(p.describe(), p.describe().contains("last error"));
    }

    @Test
    public void aFileStillBeingWrittenIsNotTaken() throws Exception {
        CafSftpPickup p = pickup(settings(server));
        int half = MONTHLY.length / 2;
        try (OutputStream slow = server.publishSlowly("RSABEM-slow.xml")) {
            slow.write(MONTHLY, 0, half);
            slow.flush();
            assertEquals(0, p.poll());
            slow.write(MONTHLY, half, 1000);
            slow.flush();
            assertEquals("size changed since the last poll", 0, p.poll());
            assertEquals(List.of(), list(inbox));
            slow.write(MONTHLY, half + 1000, MONTHLY.length - half - 1000);
        }
        assertEquals("size changed again", 0, p.poll());
        assertEquals(1, p.poll());
        assertArrayEquals(MONTHLY, Files.readAllBytes(inbox.resolve("RSABEM-slow.xml")));
    }

    @Test
    public void aDifferentHostKeyIsRefusedBeforeAuthentication() throws Exception {
        server.publish("RSABEM.xml", MONTHLY);
        // the same address, another host key: a re-installed server, or an impostor
        server.close();
        CafSftpServer impostor = serve(server.config().withPort(server.port())
                .withHostKey(tmp.getRoot().toPath().resolve("other_host_key")));
        assertNotEquals(server.hostKeyFingerprint(), impostor.hostKeyFingerprint());
        CafSftpPickup p = pickup(settings(impostor));
        p.poll();
        assertEquals(0, p.poll());
        assertEquals(CafSftpPickup.Failure.HOST_KEY, p.failure());
        assertFalse(p.healthy());
        String d = p.describe();
        assertTrue(d, d.contains("host key mismatch"));
        assertTrue(d, d.contains("presented " + impostor.hostKeyFingerprint()));
        assertTrue(d, d.contains("sftp.hostKeyFingerprint " + server.hostKeyFingerprint()));
        assertEquals(List.of(), list(inbox));
        assertTrue("untouched on the server", Files.exists(impostor.depot().resolve("RSABEM.xml")));
    }

    @Test
    public void onlyRgsAlgorithmsAreNegotiated() throws Exception {
        server.publish("RSABEM.xml", MONTHLY);
        CafSftpPickup p = pickup(settings(server));
        p.poll();
        assertEquals(1, p.poll());
        String d = p.describe();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "kex (\\S+), host key (\\S+), cipher (\\S+), mac (\\S+)").matcher(d);
        assertTrue(d, m.find());
        assertTrue(d, names(CafSftpPickup.KEX).contains(m.group(1)));
        assertTrue(d, names(CafSftpPickup.SIGNATURES).contains(m.group(2)));
        assertTrue(d, names(CafSftpPickup.CIPHERS).contains(m.group(3)));
        assertTrue(d, names(CafSftpPickup.MACS).contains(m.group(4)));
        for (String weak : List.of("sha1", "ssh-rsa,", "cbc", "md5")) {
            assertFalse(weak + " offered", String.join(",", names(CafSftpPickup.KEX)).contains(weak)
                    || (String.join(",", names(CafSftpPickup.SIGNATURES)) + ",").contains(weak)
                    || String.join(",", names(CafSftpPickup.CIPHERS)).contains(weak)
                    || String.join(",", names(CafSftpPickup.MACS)).contains(weak));
        }
    }

    @Test
    public void aServerOfferingOnlyHmacSha1OrSshRsaIsRefusedWithAClearError() throws Exception {
        CafSftpServer.Algorithms rgs = CafSftpServer.Algorithms.RGS;
        Object[][] servers = {
            {CafSftpServer.Algorithms.LEGACY_SHA1, "kex"},
            {rgs.withMacs(org.apache.sshd.common.mac.BuiltinMacs.hmacsha1), "hmac-sha1"},
            {rgs.withHostKeySignatures(org.apache.sshd.common.config.keys.KeyUtils.RSA_ALGORITHM, 2048,
                    org.apache.sshd.common.signature.BuiltinSignatures.rsa), "ssh-rsa"},
        };
        int i = 0;
        for (Object[] c : servers) {
            CafSftpServer old = serve(server.config().withPort(0).withAlgorithms((CafSftpServer.Algorithms) c[0])
                    .withHostKey(tmp.getRoot().toPath().resolve("legacy_host_key_" + i++)));
            old.publish("RSABEM.xml", MONTHLY);
            Map<String, Object> s = settings(old);
            s.put("sftp.hostKeyFingerprint", old.hostKeyFingerprint()); // trusted: only the algorithms are wrong
            CafSftpPickup p = pickup(s);
            p.poll();
            assertEquals(0, p.poll());
            assertEquals(p.describe(), CafSftpPickup.Failure.ALGORITHMS, p.failure());
            assertFalse(p.healthy());
            String d = p.describe();
            assertTrue(d, d.contains("no algorithm in common with 127.0.0.1:" + old.port() + " among those the RGS "
                    + "allows: Unable to negotiate"));
            assertTrue(d, d.contains((String) c[1]));
            assertTrue(d, d.contains("ask the CAF to enable them"));
            assertEquals(List.of(), list(inbox));
            assertTrue("untouched on the server", Files.exists(old.depot().resolve("RSABEM.xml")));
        }
    }

    @Test
    public void aFileLargerThanTheLimitIsLeftOnTheServerAndReported() throws Exception {
        server.publish("RSABEM-huge.xml", MONTHLY);
        server.publish("RSABEI-small.xml", "<small/>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Map<String, Object> s = settings(server);
        s.put("maxPayloadBytes", String.valueOf(MONTHLY.length - 1));
        CafSftpPickup p = pickup(s);
        p.poll();
        assertEquals("the small one only", 1, p.poll());
        assertEquals(List.of("RSABEI-small.xml"), list(inbox));
        assertTrue("left on the server", Files.exists(server.depot().resolve("RSABEM-huge.xml")));
        assertEquals("no partial copy", List.of(), list(data.resolve("staging/caf/sftp")));
        assertFalse("an operator must act", p.healthy());
        assertTrue(p.describe(), p.describe().contains("1 file(s) larger than maxPayloadBytes (" + (MONTHLY.length - 1)
                + " bytes) left on the server: RSABEM-huge.xml"));
        assertEquals(0, p.poll());
        assertFalse(p.healthy());
        // the CAF replaces it by a file within the limit: taken, and the health clears
        server.publish("RSABEM-huge.xml", java.util.Arrays.copyOf(MONTHLY, 1000));
        p.poll();
        assertEquals(1, p.poll());
        assertTrue(p.describe(), p.healthy());
        assertTrue(p.describe(), p.describe().contains("last file too large: RSABEM-huge.xml"));
    }

    @Test
    public void withARejectedFolderATooLargeFileIsMovedThereOnTheServer() throws Exception {
        server.publish("RSABEM-huge.xml", MONTHLY);
        Map<String, Object> s = settings(server);
        s.put("maxPayloadBytes", "1000");
        s.put("sftp.rejectedDirectory", "rejected");
        CafSftpPickup p = pickup(s);
        p.poll();
        assertEquals(0, p.poll());
        assertArrayEquals(MONTHLY, Files.readAllBytes(server.depot().resolve("rejected/RSABEM-huge.xml")));
        assertFalse(Files.exists(server.depot().resolve("RSABEM-huge.xml")));
        assertEquals(List.of(), list(inbox));
        assertTrue("handled by the contract's folder", p.healthy());
        assertTrue(p.describe(), p.describe().contains("last file too large: RSABEM-huge.xml (" + MONTHLY.length
                + " bytes listed, maxPayloadBytes 1000)"));
    }

    private static List<String> names(List<? extends org.apache.sshd.common.NamedResource> l) {
        return l.stream().map(org.apache.sshd.common.NamedResource::getName).toList();
    }

    @Test
    public void aKnownHostsFilePinsTheKeyToo() throws Exception {
        server.publish("RSABEM.xml", MONTHLY);
        Path knownHosts = etc.resolve("caf_known_hosts");
        Map<String, Object> s = settings(server);
        s.remove("sftp.hostKeyFingerprint");
        s.put("sftp.knownHosts", "caf_known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + server.port() + " "
                + CafSshKeys.authorizedKeyLine(CafSshKeys.generate().getPublic(), null) + "\n");
        CafSftpPickup wrong = pickup(s);
        wrong.poll();
        assertEquals(CafSftpPickup.Failure.HOST_KEY, wrong.failure());
        assertTrue(wrong.describe(), wrong.describe().contains("sftp.knownHosts " + knownHosts));

        Files.writeString(knownHosts, "[127.0.0.1]:" + server.port() + " "
                + CafSshKeys.authorizedKeyLine(server.hostKey(), null) + "\n");
        CafSftpPickup right = pickup(s);
        right.poll();
        assertEquals(1, right.poll());
        assertTrue(right.healthy());
    }

    @Test
    public void aKeyTheCafDoesNotKnowIsRefused() throws Exception {
        server.publish("RSABEM.xml", MONTHLY);
        CafSshKeys.writePrivateKey(CafSshKeys.generate(), etc.resolve("other.key"), "not authorized");
        Map<String, Object> s = settings(server);
        s.put("sftp.privateKey", "other.key");
        CafSftpPickup p = pickup(s);
        assertEquals(0, p.poll());
        assertEquals(CafSftpPickup.Failure.AUTH, p.failure());
        assertFalse(p.healthy());
        assertTrue(p.describe(), p.describe().contains("authentication refused"));
        assertTrue(p.describe(), p.describe().contains("other.key"));

        s.put("sftp.privateKey", "hub-caf-sftp.key");
        s.put("sftp.user", "someone-else");
        CafSftpPickup otherUser = pickup(s);
        otherUser.poll();
        assertEquals(CafSftpPickup.Failure.AUTH, otherUser.failure());

        s.put("sftp.user", "caf-aisne");
        s.put("sftp.privateKey", "missing.key");
        CafSftpPickup noKey = pickup(s);
        noKey.poll();
        assertEquals(CafSftpPickup.Failure.CLIENT_KEY, noKey.failure());
        assertTrue(noKey.describe(), noKey.describe().contains("sftp.privateKey"));
    }

    @Test
    public void aTransferInterruptedByACrashIsDiscardedAndDownloadedAgain() throws Exception {
        server.publish("RSABEM.xml", MONTHLY);
        Path staging = Files.createDirectories(data.resolve("staging/caf/sftp"));
        // what a hub killed mid-transfer leaves: the first bytes only
        Files.write(staging.resolve("RSABEM.xml.part"), java.util.Arrays.copyOf(MONTHLY, 4096));
        CafSftpPickup p = pickup(settings(server)); // the restart
        assertEquals(List.of(), list(staging));
        p.poll();
        assertEquals(1, p.poll());
        assertArrayEquals(MONTHLY, Files.readAllBytes(inbox.resolve("RSABEM.xml")));
    }

    @Test
    public void aFileTakenButNotYetDeletedComesAgainWithTheSameDigest() throws Exception {
        // killed after the rename into the inbox, before the remote delete: the file is still on the server
        server.publish("RSABEM.xml", MONTHLY);
        CafSftpPickup p = pickup(settings(server));
        p.poll();
        p.poll();
        server.publish("RSABEM.xml", MONTHLY);
        CafSftpPickup restarted = pickup(settings(server));
        restarted.poll();
        assertEquals(1, restarted.poll());
        assertEquals("the first copy still waits in the inbox: the second gets a free name",
                List.of("RSABEM.1.xml", "RSABEM.xml"), list(inbox));
        assertEquals("same digest: the hub records the second as DUPLICATE",
                sha256(inbox.resolve("RSABEM.xml")), sha256(inbox.resolve("RSABEM.1.xml")));
    }

    @Test
    public void signedAndEncryptedFilesComeThroughSftpAndAreOpenedBeforeTheHub() throws Exception {
        byte[] sealed = PgpFixtures.sealer().seal(MONTHLY, "RSABEM.xml", false, Defect.NONE);
        server.publish("RSABEM.xml.pgp", sealed);
        CafSftpPickup p = pickup(settings(server));
        p.poll();
        assertEquals(1, p.poll());
        Path received = inbox.resolve("RSABEM.xml.pgp");
        assertArrayEquals(sealed, Files.readAllBytes(received));
        List<byte[]> toHub = new ArrayList<>();
        CafPgpIntake intake = new CafPgpIntake(PgpFixtures.departement(true), false, data.resolve("staging/caf/pgp"),
                data.resolve("quarantine/caf"), (file, name, reason) -> { });
        assertTrue(intake.take(received, "RSABEM.xml.pgp", (in, name) -> {
            assertEquals("RSABEM.xml", name);
            toHub.add(in.readAllBytes());
        }));
        assertArrayEquals(MONTHLY, toHub.get(0));
    }

    @Test
    public void settingsAreCheckedAndNameTheirKey() {
        Map<String, Object> s = settings(server);
        s.remove("sftp.hostKeyFingerprint");
        assertSettingsError(s, "sftp.hostKeyFingerprint");
        s = settings(server);
        s.put("sftp.afterPickup", "archive");
        assertSettingsError(s, "sftp.afterPickup");
        s = settings(server);
        s.put("sftp.pollSeconds", "0");
        assertSettingsError(s, "sftp.pollSeconds");
        s = settings(server);
        s.put("sftp.hostKeyFingerprint", server.hostKeyFingerprint().substring("SHA256:".length()));
        assertEquals(java.util.Set.of(server.hostKeyFingerprint()),
                CafSftpPickup.Config.from(s, etc, data, inbox).hostKeyFingerprints());
    }

    private void assertSettingsError(Map<String, Object> s, String key) {
        try {
            CafSftpPickup.Config.from(s, etc, data, inbox);
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(key));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
