package fr.aisne.hub.connector.caf.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpKeys;
import fr.aisne.hub.doubles.caf.CafPgpSealer.Defect;
import fr.aisne.hub.doubles.caf.CafSftpServer;
import fr.aisne.hub.doubles.caf.CafSshKeys;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The connector's own routes, as CafConnector builds them from its settings, in a plain CamelContext:
 * the {@code caf.sftp} timer polls the CAF double's SFTP server into the inbox, the {@code caf.inbox}
 * route opens OpenPGP files and hands plain XML to the hub. The hub is a stand-in recording what
 * {@code hub.accept} receives (the journal, queues and import are hub-core's and CafImport's, tested
 * there and in the Pax Exam scenario); SSH and OpenPGP are real.
 */
public class CafConnectorRoutesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final byte[] MONTHLY = new CafFluxGenerator().toBytes(CafFluxGenerator.monthly(25, 5));
    private static final byte[] DAILY = new CafFluxGenerator().toBytes(CafFluxGenerator.daily(25, 5).day(1));

    private Path etc;
    private Path data;
    private CafSftpServer server;
    private CafConnector connector;
    private CamelContext camel;
    private TestConnectorContext ctx;
    private TestDatabase db;
    private final MutableClock clock = new MutableClock(java.time.Instant.now());

    @Before
    public void setUp() throws Exception {
        Path root = tmp.getRoot().toPath();
        etc = Files.createDirectories(root.resolve("etc"));
        data = Files.createDirectories(root.resolve("data"));
        System.setProperty("karaf.etc", etc.toString());
        System.setProperty("karaf.data", data.toString());
        KeyPair client = CafSshKeys.generate();
        CafSshKeys.writePrivateKey(client, etc.resolve("hub-caf-sftp.key"), "hub");
        CafSshKeys.authorize(root.resolve("caf/authorized_keys"), client.getPublic(), "hub");
        server = new CafSftpServer(CafSftpServer.Config.defaults(root.resolve("caf")).withPort(0)).start();
        CafPgpKeys.KeySet keys = PgpFixtures.keys();
        Files.copy(keys.secretRing(CafPgpKeys.DEPARTEMENT), etc.resolve("hub-caf-pgp.sec.asc"));
        Files.copy(keys.passphraseFile(CafPgpKeys.DEPARTEMENT), etc.resolve("hub-caf-pgp.passphrase"));
        Files.copy(keys.publicRing(CafPgpKeys.CAF), etc.resolve("caf-pgp.pub.asc"));
    }

    @After
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (connector != null) {
            connector.deactivate();
        }
        server.close();
        if (db != null) {
            db.close();
        }
        System.clearProperty("karaf.etc");
        System.clearProperty("karaf.data");
    }

    private Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        m.put("inbox.stableSeconds", "1");
        m.put("sftp.enabled", "true");
        m.put("sftp.port", String.valueOf(server.port()));
        m.put("sftp.pollSeconds", "1");
        m.put("sftp.hostKeyFingerprint", server.hostKeyFingerprint());
        m.put("pgp.secretKeyRing", "hub-caf-pgp.sec.asc");
        m.put("pgp.passphraseFile", "hub-caf-pgp.passphrase");
        m.put("pgp.partnerPublicKey", "caf-pgp.pub.asc");
        return m;
    }

    private void start(Map<String, Object> settings) throws Exception {
        connector = new CafConnector();
        inject("registry", Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PersonRegistry.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no import in this test");
                }));
        inject("departmentEvents", Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DepartmentEvents.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no events in this test");
                }));
        db = TestDatabase.embeddedDerby(tmp.getRoot().toPath().resolve("db").toString());
        ctx = new TestConnectorContext("caf", db.database(), clock);
        connector.activate(settings);
        connector.configure(ctx);
        assertEquals(List.of("departement/evenements-rsa", "caf/flux-rsa"),
                ctx.flows().stream().map(f -> f.key()).toList());
        camel = new DefaultCamelContext();
        for (RoutesBuilder b : ctx.routeBuilders()) {
            camel.addRoutes(b);
        }
        camel.start();
    }

    /** What reached the intake, by correlation id (the file name). */
    private Map<String, byte[]> accepted() {
        Map<String, byte[]> out = new ConcurrentHashMap<>();
        ctx.accepted().forEach(a -> {
            assertEquals("caf/flux-rsa", a.flow().key());
            out.put(a.metadata().correlationId(), a.payload());
        });
        return out;
    }

    private Map<String, String> refused() {
        Map<String, String> out = new ConcurrentHashMap<>();
        ctx.refused().forEach(r -> {
            assertEquals("caf/flux-rsa", r.flow().key());
            out.put(r.metadata().correlationId(), r.reason());
        });
        return out;
    }

    private void inject(String field, Object value) throws Exception {
        Field f = CafConnector.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(connector, value);
    }

    @Test
    public void sftpFilesReachTheHubDecryptedAndRefusedOnesAreQuarantinedAndCounted() throws Exception {
        server.publish("RSABEM-202505.xml.pgp", PgpFixtures.sealer().seal(MONTHLY, "RSABEM-202505.xml", false,
                Defect.NONE));
        server.publish("RSABEI-20250601.xml", DAILY);
        server.publish("RSABEI-20250602.xml.asc", PgpFixtures.sealer().seal(DAILY, "x", true, Defect.WRONG_SIGNER));
        start(settings());
        assertTrue(camel.getRoute("caf.sftp") != null && camel.getRoute("caf.inbox") != null);

        await("one file accepted and two refused", () -> accepted().size() == 1 && refused().size() == 2);
        assertArrayEquals(MONTHLY, accepted().get("RSABEM-202505.xml"));
        // journaled by the hub as refused (QUARANTINED, counted there), with the rule broken and the copy's place
        assertEquals(refused().toString(), java.util.Set.of("RSABEI-20250601.xml", "RSABEI-20250602.xml.asc"),
                refused().keySet());
        String reason = refused().get("RSABEI-20250602.xml.asc");
        assertTrue(reason, reason.startsWith("refused before import: signed by another key")
                && reason.contains("kept as quarantine/caf/pgp-"));
        // keys are configured: a plain file proves nothing about its sender and never reaches the hub
        String plain = refused().get("RSABEI-20250601.xml");
        assertTrue(plain, plain.startsWith("refused before import: a plain file, neither encrypted nor signed"));
        try (Stream<Path> s = Files.list(server.depot())) {
            assertEquals("taken from the server", List.of(), s.filter(Files::isRegularFile).toList());
        }
        await("inbox emptied", () -> list(data.resolve("inbox/caf")).isEmpty());
        // only the encrypted original is kept (the hub holds the content sealed); refused files are in quarantine
        assertEquals(List.of("RSABEM-202505.xml.pgp"), list(data.resolve("inbox/caf/.done")));
        assertEquals(4, quarantined().size());
        assertOwnerOnly(data.resolve("inbox/caf/.done"));
        assertOwnerOnly(data.resolve("quarantine/caf"));
        assertOwnerOnly(data.resolve("staging/caf"));
        assertFalse("no .failed folder any more", Files.exists(data.resolve("inbox/caf/.failed")));

        Health h = connector.health();
        assertTrue(h.detail(), h.up());
        assertTrue(h.detail(), h.detail().contains("OpenPGP on: 1 decrypted, 2 refused"));
        assertTrue(h.detail(), h.detail().contains("3 file(s) taken"));
        assertTrue(connector.describeSettings().toString(), connector.describeSettings().get("sftp")
                .contains(server.hostKeyFingerprint()));
    }

    @Test
    public void aFileTheHubCannotJournalStaysInTheInboxIsOfferedAgainAndImportedOnce() throws Exception {
        start(new HashMap<>(Map.of("inbox.stableSeconds", "1")));
        java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
        ctx.answer(a -> {
            offered.incrementAndGet();
            return fr.aisne.hub.api.IngestResult.Outcome.NO_SPACE;
        });
        Path inbox = data.resolve("inbox/caf");
        Files.write(inbox.resolve(".x.part"), DAILY);
        Files.move(inbox.resolve(".x.part"), inbox.resolve("RSABEI-1.xml"));
        await("health down", () -> !connector.health().up());
        String detail = connector.health().detail();
        assertTrue(detail, detail.startsWith("inbox: 1 file(s) not journaled, kept in the inbox and offered again "));
        assertTrue(detail, detail.contains("refused by test"));
        Thread.sleep(2500); // a few polls: the file is neither moved nor taken while the hub refuses
        assertEquals(List.of("RSABEI-1.xml"), list(inbox));
        assertFalse(Files.exists(inbox.resolve(".failed")));
        assertEquals(Map.of(), accepted());
        assertEquals("not offered again before its delay (5 s at least)", 1, offered.get());

        // the database fails instead: still kept, the reason changes
        ctx.answer(a -> {
            offered.incrementAndGet();
            throw new IllegalStateException("database unreachable");
        });
        clock.advance(java.time.Duration.ofMinutes(6));
        await("the failure of the database in the health", () -> connector.health().detail().contains(
                "IllegalStateException: database unreachable"));
        assertEquals(List.of("RSABEI-1.xml"), list(inbox));
        assertFalse(connector.health().up());

        // the hub takes files again: journaled once, the clear file deleted, the health clears
        assertEquals(2, offered.get());
        ctx.answer(a -> fr.aisne.hub.api.IngestResult.Outcome.QUEUED);
        clock.advance(java.time.Duration.ofMinutes(6));
        await("taken", () -> accepted().containsKey("RSABEI-1.xml"));
        await("inbox emptied", () -> list(inbox).isEmpty());
        assertEquals(1, ctx.accepted().size());
        assertArrayEquals(DAILY, accepted().get("RSABEI-1.xml"));
        assertEquals("a plain file is not kept: the hub has it sealed", List.of(), list(inbox.resolve(".done")));
        assertTrue(connector.health().detail(), connector.health().up());
        Thread.sleep(1500);
        assertEquals("exactly once", 1, ctx.accepted().size());
    }

    @Test
    public void aRefusalThatCannotBeJournaledKeepsTheFileAndFilesSetAsideByAnEarlierVersionAreTakenAgain()
            throws Exception {
        Path inbox = Files.createDirectories(data.resolve("inbox/caf"));
        Files.createDirectories(inbox.resolve(".failed"));
        Files.write(inbox.resolve(".failed/RSABEI-old.xml"), DAILY);
        Map<String, Object> s = settings();
        s.remove("sftp.enabled");
        start(s);
        // keys are configured: that plain file is refused, and its refusal journaled
        await("refused", () -> refused().containsKey("RSABEI-old.xml"));
        await("inbox emptied", () -> list(inbox).isEmpty());
        assertEquals(List.of(), list(inbox.resolve(".failed")));
        assertTrue(connector.health().up());
    }

    @Test
    public void theRetentionPassPurgesOldOriginalsAndClearCopiesAndNarrowsTheRest() throws Exception {
        Path done = Files.createDirectories(data.resolve("inbox/caf/.done"));
        Path quarantine = Files.createDirectories(data.resolve("quarantine/caf"));
        byte[] sealed = PgpFixtures.sealer().seal(DAILY, "x.xml", false, Defect.NONE);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(31)));
        Files.write(done.resolve("old.xml.pgp"), sealed);
        Files.setLastModifiedTime(done.resolve("old.xml.pgp"), old);
        Files.write(done.resolve("recent.xml.pgp"), sealed);
        Files.write(done.resolve("clear-from-an-earlier-version.xml"), DAILY);
        Files.write(quarantine.resolve("pgp-old.xml.pgp"), sealed);
        Files.setLastModifiedTime(quarantine.resolve("pgp-old.xml.pgp"), old);
        Files.write(quarantine.resolve("pgp-recent.xml.pgp.reason.txt"), "why".getBytes());
        start(new HashMap<>(Map.of("retention.days", "30")));
        await("purged at start", () -> list(done).equals(List.of("recent.xml.pgp"))
                && list(quarantine).equals(List.of("pgp-recent.xml.pgp.reason.txt")));
        assertOwnerOnly(done);
        assertOwnerOnly(quarantine);
        assertTrue(connector.describeSettings().get("originals").contains("kept 30 days (retention.days)"));
    }

    /** The folder and every file in it are owner-only (rwx------ / rw-------). */
    private static void assertOwnerOnly(Path dir) throws IOException {
        assertEquals(dir.toString(), "rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir)));
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(p.toString(), Files.isDirectory(p) ? "rwx------" : "rw-------", perms);
            }
        }
    }

    @Test
    public void aHostKeyMismatchSetsTheConnectorDown() throws Exception {
        server.publish("RSABEI-20250601.xml", DAILY);
        Map<String, Object> s = settings();
        s.put("sftp.hostKeyFingerprint", CafSshKeys.fingerprint(CafSshKeys.generate().getPublic()));
        start(s);
        await("health down", () -> !connector.health().up());
        String detail = connector.health().detail();
        assertTrue(detail, detail.contains("host key mismatch"));
        assertTrue(detail, detail.contains("presented " + server.hostKeyFingerprint()));
        assertFalse(accepted().containsKey("RSABEI-20250601.xml"));
        assertTrue(Files.exists(server.depot().resolve("RSABEI-20250601.xml")));
    }

    @Test
    public void withoutSftpThereIsNoPollerAndPlainInboxFilesStillPass() throws Exception {
        Map<String, Object> s = Map.of("inbox.stableSeconds", "1");
        start(new HashMap<>(s));
        assertEquals(null, camel.getRoute("caf.sftp"));
        Path inbox = Files.createDirectories(data.resolve("inbox/caf"));
        Files.write(inbox.resolve(".x.part"), DAILY);
        Files.move(inbox.resolve(".x.part"), inbox.resolve("RSABEI-1.xml"));
        await("accepted", () -> accepted().containsKey("RSABEI-1.xml"));
        assertArrayEquals(DAILY, accepted().get("RSABEI-1.xml"));
        assertTrue(connector.health().detail(), connector.health().detail().contains("OpenPGP off"));
    }

    @Test
    public void theShippedSettingsStartWithoutSftpNorOpenPgp() throws Exception {
        java.util.Properties shipped = new java.util.Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/cfg/hub.connector.caf.cfg"))) {
            shipped.load(in);
        }
        Map<String, Object> m = new HashMap<>();
        shipped.forEach((k, v) -> m.put(k.toString(), v));
        assertEquals("(?i).+\\.(xml|pgp|gpg|asc)", m.get("sftp.include"));
        start(m);
        assertEquals(null, camel.getRoute("caf.sftp"));
        assertTrue(connector.health().up());
        m.put("sftp.enabled", "true");
        CafConnector unpinned = new CafConnector();
        unpinned.activate(m);
        try {
            unpinned.configure(new TestConnectorContext("caf", db.database(), new MutableClock(java.time.Instant.now())));
            throw new AssertionError("an unpinned SFTP server was accepted");
        } catch (SettingsException e) {
            assertEquals("sftp.hostKeyFingerprint", e.key());
            assertTrue(e.getMessage(), e.getMessage().startsWith("etc/hub.connector.caf.cfg: sftp.hostKeyFingerprint"));
        }
    }

    private List<String> quarantined() throws IOException {
        return list(data.resolve("quarantine/caf"));
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
