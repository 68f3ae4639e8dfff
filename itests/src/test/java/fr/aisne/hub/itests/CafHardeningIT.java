package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

import fr.aisne.hub.doubles.caf.BadFlux;
import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpKeys;
import fr.aisne.hub.doubles.caf.CafPgpSealer;
import fr.aisne.hub.doubles.caf.CafSftpServer;
import fr.aisne.hub.doubles.caf.CafSshKeys;

/**
 * The CAF findings of issue 13 attacked in the real distribution (Derby, Artemis, the SSHD and Bouncy Castle
 * bundles), with the CAF double's fixtures, under a 512 MB heap (Pax Exam does not read bin/setenv; the
 * distribution's own cap is 1 GB):
 * <ul>
 * <li>a 300 MB text in APPLIEME: QUARANTINED with the element, line and rule, the hub UP, peak heap printed;</li>
 * <li>with OpenPGP keys: a plain file, an unsigned one, a compression bomb, a CAST5 one and one signed by an expired
 * CAF key are each refused (journaled QUARANTINED with the reason, never imported), nothing left in staging;</li>
 * <li>the hub's disk "nearly full" (disk.minFreeMb in etc/hub.core.cfg set huge): a file stays in the inbox, the
 * connector is DOWN with the count and the reason; disk.minFreeMb back: imported exactly once;</li>
 * <li>a NIR-like 16-digit number and a French birth date in the wrong place: never in the journal, /hub/health, the
 * quarantine reason or karaf.log;</li>
 * <li>SFTP: a server offering only SHA-1 algorithms (hmac-sha1, ssh-rsa) refused with a clear error; an RGS
 * server negotiated with RGS algorithms; a file over maxPayloadBytes left on the server, reported.</li>
 * </ul>
 * Classes of the double are used only outside lambdas (Pax Exam probe class loading).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CafHardeningIT extends HubTestSupport {
    private static final String CAF_PID = "hub.connector.caf";
    private static final long HEAP_MB = 512;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                vmOption("-Xmx" + HEAP_MB + "m"),
                editConfigurationFilePut("etc/hub.double.caf.cfg", "deliver.onStart", "false"),
                editConfigurationFilePut("etc/hub.connector.caf.cfg", "inbox.stableSeconds", "1"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding 1: one huge text element

    @Test
    public void a1HugeElementIsQuarantinedWithoutExhaustingTheHeap() throws Exception {
        startPlain();
        assertTrue("the attack is meaningful only under a capped heap: " + Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().maxMemory() <= (HEAP_MB + 16) << 20);
        System.gc();
        long before = usedHeap();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        long t0 = System.nanoTime();
        String name = "RSABEM-huge-applieme.xml";
        try (InputStream attack = BadFlux.hugeElement(BadFlux.DEFAULT_BASE, "APPLIEME", BadFlux.HUGE_DEFAULT_CHARS)) {
            drop(name, attack);
        }
        String id = awaitCafMessage(name, "QUARANTINED", Duration.ofMinutes(4));
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        String detail = withoutPayload(http().get("/hub/api/messages/" + id).body());
        assertTrue(detail, detail.matches("(?s).*" + Pattern.quote(name) + " line \\d+, column \\d+: .*"));
        assertTrue(detail, detail.contains("the text of element APPLIEME is longer than 4096 characters"));
        assertFalse("no text of the element quoted: " + detail, detail.matches("(?s).*[A-Z]{40}.*"));
        String health = http().get("/hub/health").body();
        assertTrue(health, health.startsWith("{\"status\":\"UP\""));
        assertTrue(health, health.contains("\"connector:caf\":{\"status\":\"UP\""));
        assertFalse("the plain original is not kept: the hub has it sealed", Files.exists(inbox().resolve(name)));
        System.out.println("FIGURE caf-huge-element-300MB: max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB, used before " + before / (1 << 20) + " MB, peak during the attack (sum of heap pool peaks) "
                + peak / (1 << 20) + " MB, quarantined after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Findings 2, 3 (decompression) and 6 (OpenPGP): with keys configured

    @Test
    public void a2WithKeysPlainUnsignedBombWeakCipherAndExpiredKeyAreRefusedNeverImported() throws Exception {
        installFeature("hub-double-caf"); // its classes (keys, sealer) are imported dynamically by the probe
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        CafPgpKeys.KeySet keys = CafPgpKeys.ensure(Paths.get(System.getProperty("karaf.data"), "doubles", "caf", "pgp"));
        Files.copy(keys.secretRing(CafPgpKeys.DEPARTEMENT), etc.resolve("hub-caf-pgp.sec.asc"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keys.passphraseFile(CafPgpKeys.DEPARTEMENT), etc.resolve("hub-caf-pgp.passphrase"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keys.publicRing(CafPgpKeys.CAF), etc.resolve("caf-pgp.pub.asc"), StandardCopyOption.REPLACE_EXISTING);
        long limit = 64L << 20;
        Map<String, String> pgp = Map.of("pgp.secretKeyRing", "hub-caf-pgp.sec.asc", "pgp.passphraseFile",
                "hub-caf-pgp.passphrase", "pgp.partnerPublicKey", "caf-pgp.pub.asc", "maxPayloadBytes",
                Long.toString(limit));
        start(pgp, "encryption required, the CAF's signature required");
        String log = karafLog();
        assertFalse("nothing turned off, no warning: " + log, log.contains("pgp.acceptPlainFiles=true: plain files"));

        CafPgpSealer sealer = CafPgpSealer.of(keys);
        CafFluxGenerator generator = new CafFluxGenerator();
        byte[] flux = generator.toBytes(CafFluxGenerator.daily(10, 13).day(1));
        drop("RSABEI-plain.xml", flux);
        drop("RSABEI-unsigned.xml.pgp", sealer.seal(flux, "RSABEI-unsigned.xml", false, CafPgpSealer.Defect.UNSIGNED));
        drop("RSABEI-cast5.xml.pgp", sealer.seal(flux, "RSABEI-cast5.xml", false, CafPgpSealer.Defect.CAST5));
        Path bombFile = inbox().resolve(".RSABEM-bomb.xml.pgp.part");
        try (OutputStream out = Files.newOutputStream(bombFile)) {
            sealer.compressionBomb(1L << 30, out); // 1 GB once decompressed
        }
        long bombBytes = Files.size(bombFile);
        Files.move(bombFile, inbox().resolve("RSABEM-bomb.xml.pgp"), StandardCopyOption.ATOMIC_MOVE);
        String[][] refused = {
            {"RSABEI-plain.xml", "a plain file, neither encrypted nor signed"},
            {"RSABEI-unsigned.xml.pgp", "not signed: the CAF's signature is required"},
            {"RSABEI-cast5.xml.pgp", "encrypted with CAST5 (OpenPGP symmetric algorithm 3): only AES-128, AES-192 and "
                + "AES-256 are accepted (RGS)"},
            {"RSABEM-bomb.xml.pgp", "decrypted content larger than the " + limit + " bytes the flow accepts "
                + "(maxPayloadBytes): decryption stopped there and the decrypted part deleted"},
        };
        for (String[] r : refused) {
            assertRefusedNeverImported(r[0], r[1]);
        }
        assertTrue("a small file: " + bombBytes, bombBytes < (2 << 20));
        assertEquals("no decrypted content left", List.of(), list(data().resolve("staging/caf/pgp")));
        // what is kept holds NIRs in clear (quarantine) or sealed (originals): owner-only
        assertOwnerOnly(data().resolve("quarantine/caf"), "rwx------");
        List<Path> quarantined = list(data().resolve("quarantine/caf"));
        assertTrue(quarantined.toString(), quarantined.size() >= 2 * refused.length);
        for (Path q : quarantined) {
            assertOwnerOnly(q, "rw-------");
        }
        drop("RSABEI-sealed.xml.pgp", sealer.seal(flux, "RSABEI-sealed.xml", false, CafPgpSealer.Defect.NONE));
        awaitCafMessage("RSABEI-sealed.xml", "DELIVERED", Duration.ofSeconds(90));
        Path done = inbox().resolve(".done");
        HubHttp.await("the original in .done/", Duration.ofSeconds(10),
                () -> Files.exists(done.resolve("RSABEI-sealed.xml.pgp")));
        assertOwnerOnly(done, "rwx------");
        assertOwnerOnly(done.resolve("RSABEI-sealed.xml.pgp"), "rw-------");

        // The CAF's key expires: the department still holds it (an operator did not notice)
        CafPgpKeys.Party expired = CafPgpKeys.expired("CAF (expired) <caf-expired@example.invalid>", 2048, 10);
        Files.write(etc.resolve("caf-expired.pub.asc"), expired.armoredPublic());
        Map<String, String> expiredKey = new java.util.HashMap<>(pgp);
        expiredKey.put("pgp.partnerPublicKey", "caf-expired.pub.asc");
        start(expiredKey, "CAF key " + expired.keyId());
        byte[] signedByExpired = CafPgpSealer.signedBy(expired, keys).seal(flux, "RSABEI-expired-key.xml", false, CafPgpSealer.Defect.NONE);
        drop("RSABEI-expired-key.xml.pgp", signedByExpired);
        assertRefusedNeverImported("RSABEI-expired-key.xml.pgp", "the CAF's key " + expired.keyId()
                + " (CAF (expired) <caf-expired@example.invalid>) expired on ");

        // Checks off on purpose: said at start as a WARN
        Map<String, String> lax = new java.util.HashMap<>(pgp);
        lax.put("pgp.acceptPlainFiles", "true");
        lax.put("pgp.requireSignature", "false");
        start(lax, "plain files accepted (pgp.acceptPlainFiles=true), unsigned files accepted");
        HubHttp.await("the WARN at start", Duration.ofSeconds(10), () -> karafLog().contains(
                "pgp.acceptPlainFiles=true: plain files dropped into the inbox are imported unencrypted and unsigned"));
        assertTrue(karafLog().contains("pgp.requireSignature=false: encrypted files that the CAF did not sign"));
    }

    private void assertRefusedNeverImported(String name, String reason) {
        String id = awaitCafMessage(name, "QUARANTINED", Duration.ofSeconds(90));
        String detail = http().get("/hub/api/messages/" + id).body();
        assertTrue(detail, detail.contains("refused before import: " + reason));
        assertTrue(detail, detail.contains("\"payloadAvailable\":false"));
        String journal = http().get("/hub/api/messages?partner=caf&limit=1000").body();
        assertEquals("journaled once: " + journal, 1, count(journal, "\"correlationId\":\"" + name + "\""));
        if (name.endsWith(".pgp")) {
            assertFalse("never imported: " + journal, journal.contains("\"correlationId\":\""
                    + name.substring(0, name.length() - 4) + "\""));
        }
        HubHttp.await(name + " gone from the inbox", Duration.ofSeconds(10), () -> !Files.exists(inbox().resolve(name)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding 4: a file the hub cannot journal

    @Test
    public void a3AFileTheHubCannotJournalStaysIsReportedAndIsImportedOnceLater() throws Exception {
        startPlain();
        String name = "RSABEM-disk-full.xml";
        byte[] flux = new CafFluxGenerator().toBytes(CafFluxGenerator.monthly(8, 404));
        org.osgi.service.cm.Configuration core = configAdmin.getConfiguration("hub.core", null);
        Dictionary<String, Object> props = core.getProperties();
        Object minFree = props.get("disk.minFreeMb");
        try {
            props.put("disk.minFreeMb", Long.toString(1L << 30)); // a petabyte: "nearly full" whatever the disk
            core.update(props);
            HubHttp.await("core restarted: disk DOWN, caf connector back", Duration.ofSeconds(90), () -> {
                String h = http().get("/hub/health").body();
                return h.contains("\"connector:caf\"") && h.contains("\"disk\":{\"status\":\"DOWN\"");
            });
            drop(name, flux);
            HubHttp.await("connector:caf DOWN naming the file count and the reason", Duration.ofSeconds(60), () -> {
                String h = http().get("/hub/health").body();
                return h.contains("\"connector:caf\":{\"status\":\"DOWN\",\"detail\":\"inbox: 1 file(s) not journaled")
                        && h.contains("disk is nearly full");
            });
            Thread.sleep(3000);
            assertTrue("kept where it is", Files.exists(inbox().resolve(name)));
            assertFalse(Files.exists(inbox().resolve(".failed")));
            assertFalse(http().get("/hub/api/messages?partner=caf&limit=1000").body().contains(name));
        } finally {
            props.put("disk.minFreeMb", minFree == null ? "512" : minFree);
            core.update(props);
        }
        String id = awaitCafMessage(name, "DELIVERED", Duration.ofSeconds(120));
        assertTrue(http().get("/hub/api/messages/" + id).body().contains("8 households"));
        HubHttp.await("connector:caf UP", Duration.ofSeconds(30),
                () -> http().get("/hub/health").body().contains("\"connector:caf\":{\"status\":\"UP\""));
        Thread.sleep(3000);
        String journal = http().get("/hub/api/messages?partner=caf&limit=1000").body();
        assertEquals("imported exactly once: " + journal, 1, count(journal, "\"correlationId\":\"" + name + "\""));
        assertFalse(Files.exists(inbox().resolve(name)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding 7: personal data in error texts

    @Test
    public void a4ANirOrABirthDateInABadElementIsNeverRepeated() throws Exception {
        startPlain();
        BadFlux.Spoiled date = BadFlux.badDateValue(BadFlux.DEFAULT_BASE);
        drop("RSABEM-bad-nir.xml", BadFlux.badNirValue(BadFlux.DEFAULT_BASE));
        String nirId = awaitCafMessage("RSABEM-bad-nir.xml", "QUARANTINED", Duration.ofSeconds(60));
        drop("RSABEM-bad-date.xml", date.bytes());
        String dateId = awaitCafMessage("RSABEM-bad-date.xml", "QUARANTINED", Duration.ofSeconds(60));
        // the admin's detail carries a preview of the payload (the file as sent): the reasons are the rest
        String nirReason = withoutPayload(http().get("/hub/api/messages/" + nirId).body());
        assertTrue(nirReason, nirReason.contains("cvc-maxLength-valid: the value of element NIR is longer than its type "
                + "allows (value not shown)"));
        assertTrue(nirReason, nirReason.contains("RSABEM-bad-nir.xml line "));
        String dateReason = withoutPayload(http().get("/hub/api/messages/" + dateId).body());
        assertTrue(dateReason, dateReason.contains("cvc-datatype-valid.1.2.1: the value of element DTNAI is not of the "
                + "type the schema gives it"));
        String health = http().get("/hub/health").body();
        assertTrue("the import's last rejection is in the health: " + health, health.contains("rejected: cvc-"));
        List<String> where = new ArrayList<>(List.of(nirReason, dateReason, health, karafLog(),
                http().get("/hub/api/messages?partner=caf&limit=1000").body()));
        for (Path reason : list(data().resolve("quarantine/caf"))) {
            if (reason.toString().endsWith(".reason.txt")) {
                where.add(Files.readString(reason, StandardCharsets.UTF_8));
            }
        }
        for (String text : where) {
            assertFalse("the 16-digit number", text.contains(BadFlux.BAD_NIR));
            assertFalse("its first 13 digits", text.contains(BadFlux.BAD_NIR.substring(0, 13)));
            assertFalse("the birth date " + date.value(), text.contains(date.value()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding 6 (SSH) and 3 (SFTP downloads)

    @Test
    public void a5SftpOnlyRgsAlgorithmsAndNoDownloadOverTheLimit() throws Exception {
        installFeature("hub-double-caf");
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        Path dir = data().resolve("it-sftp");
        KeyPair client = CafSshKeys.generate();
        CafSshKeys.writePrivateKey(client, etc.resolve("hub-caf-sftp-it.key"), "hub");
        CafSshKeys.authorize(dir.resolve("authorized_keys"), client.getPublic(), "hub");
        try (CafSftpServer legacy = new CafSftpServer(CafSftpServer.Config.defaults(dir).withPort(0)
                .withHostKey(dir.resolve("legacy_host_key")).withAlgorithms(CafSftpServer.Algorithms.LEGACY_SHA1))
                .start()) {
            legacy.publish("RSABEI-legacy.xml", new CafFluxGenerator().toBytes(CafFluxGenerator.daily(5, 7).day(1)));
            start(sftp(legacy.port(), legacy.hostKeyFingerprint(), "10000000"), "caf-aisne@127.0.0.1:" + legacy.port() + "/depot every 1 s");
            HubHttp.await("connector:caf DOWN: no RGS algorithm in common", Duration.ofSeconds(60), () -> {
                String h = http().get("/hub/health").body();
                return h.contains("\"connector:caf\":{\"status\":\"DOWN\"") && h.contains("no algorithm in common");
            });
            String health = http().get("/hub/health").body();
            assertTrue(health, health.contains("among those the RGS allows: Unable to negotiate"));
            assertTrue(health, health.contains("ask the CAF to enable them"));
            assertTrue("nothing taken", Files.exists(legacy.depot().resolve("RSABEI-legacy.xml")));
        }
        Path rgsDir = data().resolve("it-sftp-rgs");
        CafSshKeys.authorize(rgsDir.resolve("authorized_keys"), client.getPublic(), "hub");
        try (CafSftpServer rgs = new CafSftpServer(CafSftpServer.Config.defaults(rgsDir).withPort(0)).start()) {
            byte[] small = new CafFluxGenerator().toBytes(CafFluxGenerator.daily(5, 8).day(1));
            rgs.publish("RSABEI-rgs.xml", small);
            byte[] large = new byte[300_000];
            java.util.Arrays.fill(large, (byte) 'x');
            rgs.publish("RSABEM-too-large.xml", large);
            start(sftp(rgs.port(), rgs.hostKeyFingerprint(), "200000"), "caf-aisne@127.0.0.1:" + rgs.port() + "/depot every 1 s");
            awaitCafMessage("RSABEI-rgs.xml", "DELIVERED", Duration.ofSeconds(60));
            HubHttp.await("the file over the limit reported", Duration.ofSeconds(30), () -> http().get("/hub/health")
                    .body().contains("1 file(s) larger than maxPayloadBytes (200000 bytes) left on the server: "
                            + "RSABEM-too-large.xml"));
            String health = http().get("/hub/health").body();
            assertTrue(health, health.contains("\"connector:caf\":{\"status\":\"DOWN\""));
            Matcher m = Pattern.compile("kex ([^,]+), host key ([^,]+), cipher ([^,]+), mac ([^;\"]+)").matcher(health);
            assertTrue(health, m.find());
            System.out.println("FIGURE caf-sftp-negotiated: " + m.group());
            assertTrue(m.group(1), m.group(1).matches("curve25519-sha256(@libssh.org)?|ecdh-sha2-nistp(256|384|521)"
                    + "|diffie-hellman-group1[68]-sha512|diffie-hellman-group-exchange-sha256"));
            assertTrue(m.group(2), m.group(2).matches("ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512)"));
            assertTrue(m.group(3), m.group(3).matches("aes(128|256)-gcm@openssh.com|aes(128|192|256)-ctr"
                    + "|chacha20-poly1305@openssh.com"));
            assertTrue(m.group(4), m.group(4).matches("hmac-sha2-(256|512)(-etm@openssh.com)?"));
            assertTrue("left on the server", Files.exists(rgs.depot().resolve("RSABEM-too-large.xml")));
            assertEquals("no partial download", List.of(), list(data().resolve("staging/caf/sftp")));
            assertFalse(Files.exists(inbox().resolve("RSABEM-too-large.xml")));
        } finally {
            startPlain(); // SFTP off again
        }
    }

    /** The SFTP settings for a server of the double (no double type in a signature: probe class loading). */
    private static Map<String, String> sftp(int port, String hostKeyFingerprint, String maxPayloadBytes) {
        return Map.of("sftp.enabled", "true", "sftp.port", Integer.toString(port), "sftp.pollSeconds", "1",
                "sftp.hostKeyFingerprint", hostKeyFingerprint, "sftp.privateKey", "hub-caf-sftp-it.key",
                "maxPayloadBytes", maxPayloadBytes);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Installs the double (fixtures) and the connector, with exactly these settings (plus a 1 s stability), and
     * waits until /hub/api/connectors shows {@code applied}: the connector rebuilt with them.
     */
    private void start(Map<String, String> settings, String applied) throws Exception {
        boolean first = !features.isInstalled(features.getFeature("hub-connector-caf"));
        installFeature("hub-double-caf");
        configureCaf(settings);
        installFeature("hub-connector-caf");
        if (first) {
            awaitHealthUp();
        }
        awaitSettings(applied);
        Files.createDirectories(inbox());
    }

    /** No OpenPGP key, no SFTP: plain files dropped into the inbox are taken. */
    private void startPlain() throws Exception {
        start(Map.of(), "no key configured: plain files taken unchecked");
    }

    /** Replaces the connector's settings (the file etc/hub.connector.caf.cfg follows); the connector is rebuilt. */
    private void configureCaf(Map<String, String> settings) throws IOException {
        org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration(CAF_PID, null);
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        for (String k : java.util.Collections.list(props.keys())) {
            if (!k.equals("service.pid") && !k.startsWith("felix.fileinstall")) {
                props.remove(k);
            }
        }
        props.put("inbox.stableSeconds", "1");
        settings.forEach(props::put);
        cfg.update(props);
    }

    private void awaitSettings(String text) {
        HubHttp.await("connector rebuilt with: " + text, Duration.ofSeconds(60),
                () -> http().get("/hub/api/connectors").body().contains(text));
    }

    private static Path data() {
        return Paths.get(System.getProperty("karaf.data"));
    }

    private static Path inbox() {
        return data().resolve("inbox").resolve("caf");
    }

    private static void drop(String name, byte[] content) throws IOException {
        drop(name, new java.io.ByteArrayInputStream(content));
    }

    /** As a careful sender: a hidden temporary name, then an atomic rename. */
    private static void drop(String name, InputStream content) throws IOException {
        Path tmp = inbox().resolve("." + name + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            content.transferTo(out);
        }
        Files.move(tmp, inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A message's detail without its payload preview. */
    private static String withoutPayload(String detail) {
        // scanned, not a regular expression: one over a 64 KiB preview overflows the stack
        String key = "\"payload\":\"";
        int start = detail.indexOf(key);
        if (start < 0) {
            return detail;
        }
        int i = start + key.length();
        while (i < detail.length() && detail.charAt(i) != '"') {
            i += detail.charAt(i) == '\\' ? 2 : 1;
        }
        return detail.substring(0, start) + detail.substring(Math.min(i + 1, detail.length()));
    }

    private static void assertOwnerOnly(Path p, String expected) throws IOException {
        assertEquals(p.toString(), expected,
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String karafLog() {
        try {
            return Files.readString(data().resolve("log").resolve("karaf.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
