package fr.aisne.hub.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpKeys;
import fr.aisne.hub.doubles.caf.CafPgpSealer;

/**
 * The CAF connector fetching the CAF's files over SFTP, signed and encrypted with OpenPGP, in the real
 * distribution (Artemis, Derby, the SSHD and Bouncy Castle bundles it ships), from the CAF double's embedded
 * SFTP server ({@code deliver.to=sftp}, {@code pgp.encrypt=true}). Covered:
 * <ul>
 * <li>the double's keys used as an operator would: the SFTP client key, the department's OpenPGP secret
 * key and passphrase and the CAF's public key copied into etc/, the server's host key pinned through a
 * known_hosts file; the connector's settings written before its feature is installed (the feature's own
 * settings file does not replace them);</li>
 * <li>the monthly and daily files taken over SFTP, decrypted, their CAF signature verified and DELIVERED,
 * the wrong-totals file QUARANTINED; each taken exactly once (one journal entry per file, no DUPLICATE) and
 * the remote depot left empty;</li>
 * <li>a file signed by another key than the CAF's, placed on the depot: refused before import, copied
 * to {@code data/quarantine/caf/pgp-*} with a reason, journaled QUARANTINED with that reason, its digest and
 * no payload (so not replayable from the journal), counted once more in {@code hub_messages_total}
 * QUARANTINED, and still taken off the depot;</li>
 * <li>a changed pinned host key (settings updated at runtime through ConfigurationAdmin): the connector is
 * DOWN in {@code /hub/health} with a message naming the fingerprint presented and the one pinned, and a file
 * then published stays on the server (nothing taken from a server that is not trusted);</li>
 * <li>karaf.log holds no NIR of the files, no private key and no passphrase.</li>
 * </ul>
 * Not covered here (unit-tested in the connector module against the real SSHD and Bouncy Castle): the other
 * OpenPGP defects, a hub killed mid-transfer, a failing remote delete, an unauthorized client key.
 * Classes of the double are used only outside lambdas (Pax Exam probe class loading).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CafSftpIT extends HubTestSupport {
    private static final int SFTP_PORT = Ports.of(18222);
    private static final String DOUBLE_CFG = "etc/hub.double.caf.cfg";
    private static final String CAF_CFG = "etc/hub.connector.caf.cfg";
    private static final int HOUSEHOLDS = 20;
    private static final long SEED = 2026; // the double's default seed: its file names and content
    private static final String MONTHLY = "RSABEM-" + HOUSEHOLDS + "-" + SEED + ".xml";
    private static final String DAILY = "RSABEI-" + HOUSEHOLDS + "-" + SEED + "-day1.xml";
    private static final String WRONG_TOTALS = "RSABEI-wrong-totals.xml";
    private static final String QUARANTINED_METRIC =
            "hub_messages_total{partner=\"caf\",flow=\"flux-rsa\",direction=\"inbound\",state=\"QUARANTINED\"}";

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(hubDistribution(),
                // the CAF double: SFTP server on a port of its own, deliveries signed and encrypted, on its depot
                editConfigurationFilePut(DOUBLE_CFG, "sftp.enabled", "true"),
                editConfigurationFilePut(DOUBLE_CFG, "sftp.port", Integer.toString(SFTP_PORT)),
                editConfigurationFilePut(DOUBLE_CFG, "deliver.to", "sftp"),
                editConfigurationFilePut(DOUBLE_CFG, "pgp.encrypt", "true"),
                editConfigurationFilePut(DOUBLE_CFG, "households", Integer.toString(HOUSEHOLDS)),
                editConfigurationFilePut(DOUBLE_CFG, "seed", Long.toString(SEED)),
                // the connector's settings, there before its feature is installed (key files copied at runtime)
                editConfigurationFilePut(CAF_CFG, "inbox.stableSeconds", "1"),
                editConfigurationFilePut(CAF_CFG, "sftp.enabled", "true"),
                editConfigurationFilePut(CAF_CFG, "sftp.host", "127.0.0.1"),
                editConfigurationFilePut(CAF_CFG, "sftp.port", Integer.toString(SFTP_PORT)),
                editConfigurationFilePut(CAF_CFG, "sftp.pollSeconds", "1"),
                editConfigurationFilePut(CAF_CFG, "sftp.privateKey", "hub-caf-sftp.key"),
                editConfigurationFilePut(CAF_CFG, "sftp.knownHosts", "caf_known_hosts"),
                editConfigurationFilePut(CAF_CFG, "pgp.secretKeyRing", "hub-caf-pgp.sec.asc"),
                editConfigurationFilePut(CAF_CFG, "pgp.passphraseFile", "hub-caf-pgp.passphrase"),
                editConfigurationFilePut(CAF_CFG, "pgp.partnerPublicKey", "caf-pgp.pub.asc"));
    }

    @Test
    public void signedAndEncryptedFilesAreTakenOverSftpExactlyOnce() throws Exception {
        long started = System.nanoTime();
        Path data = Paths.get(System.getProperty("karaf.data"));
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        Path doubleDir = data.resolve("doubles").resolve("caf");
        Path pgpDir = doubleDir.resolve("pgp");
        Path depot = doubleDir.resolve("sftp").resolve("depot");

        // The CAF's side: its server starts, its keys are generated, the monthly file waits in the depot.
        installFeature("hub-double-caf");
        awaitHealthUp();
        HubHttp.await("a first sealed file in the CAF's depot", Duration.ofSeconds(120),
                () -> !visibleFiles(depot).isEmpty());
        assertEquals(List.of(MONTHLY + ".pgp"), visibleFiles(depot));

        // The operator's side: the keys exchanged with the CAF go into etc/, the host key is pinned.
        Files.copy(doubleDir.resolve("hub-caf-sftp.key"), etc.resolve("hub-caf-sftp.key"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pgpDir.resolve("departement.sec.asc"), etc.resolve("hub-caf-pgp.sec.asc"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pgpDir.resolve("departement.passphrase"), etc.resolve("hub-caf-pgp.passphrase"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pgpDir.resolve("caf.pub.asc"), etc.resolve("caf-pgp.pub.asc"), StandardCopyOption.REPLACE_EXISTING);
        String hostKeyLine = Files.readString(doubleDir.resolve("ssh_host_ecdsa_key.pub"), StandardCharsets.US_ASCII)
                .strip();
        Files.writeString(etc.resolve("caf_known_hosts"), "[127.0.0.1]:" + SFTP_PORT + " " + hostKeyLine + "\n",
                StandardCharsets.US_ASCII);
        String hostKeyFingerprint = fingerprint(hostKeyLine);

        installFeature("hub-connector-caf");
        HubHttp.await("caf connector installed", Duration.ofSeconds(30),
                () -> http().get("/hub/api/connectors").body().contains("\"id\":\"caf\""));
        String connectors = http().get("/hub/api/connectors").body();
        assertTrue("the settings written before the feature are kept: " + connectors,
                connectors.contains("caf-aisne@127.0.0.1:" + SFTP_PORT + "/depot every 1 s"));

        // The double publishes the next file once the previous one is taken: all three end in the journal.
        String monthly = awaitCafMessage(MONTHLY, "DELIVERED");
        String daily = awaitCafMessage(DAILY, "DELIVERED");
        String wrongTotals = awaitCafMessage(WRONG_TOTALS, "QUARANTINED");
        assertTrue(http().get("/hub/api/messages/" + monthly).body().contains(HOUSEHOLDS + " households"));
        assertTrue(http().get("/hub/api/messages/" + wrongTotals).body()
                .contains("control total NBTOTDOSRSATRANSM"));
        HubHttp.await("the CAF's depot emptied", Duration.ofSeconds(10), () -> visibleFiles(depot).isEmpty());
        String journal = http().get("/hub/api/messages?partner=caf&limit=1000").body();
        for (String name : List.of(MONTHLY, DAILY, WRONG_TOTALS)) {
            assertEquals("taken exactly once: " + name + " in " + journal, 1, count(journal, "\"correlationId\":\"" + name + "\""));
        }
        assertFalse("no file transferred twice: " + journal, journal.contains("\"state\":\"DUPLICATE\""));
        assertEquals("three files, three journal entries: " + journal, 3, count(journal, "\"partner\":\"caf\""));
        String health = http().get("/hub/health").body();
        assertTrue(health, health.contains("\"connector:caf\":{\"status\":\"UP\""));
        assertTrue(health, health.contains("3 decrypted, 0 refused"));
        assertTrue(health, health.contains("3 file(s) taken"));

        // A file signed by someone else than the CAF: refused before import, quarantined, journaled, counted.
        long quarantinedBefore = metric(QUARANTINED_METRIC);
        assertEquals("the wrong-totals file", 1, quarantinedBefore);
        CafPgpKeys.KeySet keys = CafPgpKeys.ensure(pgpDir); // the double's keys, already there: read, not generated
        CafPgpSealer sealer = CafPgpSealer.of(keys);
        CafFluxGenerator generator = new CafFluxGenerator();
        String strangerName = "RSABEI-" + HOUSEHOLDS + "-" + SEED + "-day2.xml";
        byte[] wrongSigner = sealer.seal(generator.toBytes(CafFluxGenerator.daily(HOUSEHOLDS, SEED).day(2)),
                strangerName, false, CafPgpSealer.Defect.WRONG_SIGNER);
        publish(depot, strangerName + ".pgp", wrongSigner);
        Path quarantine = data.resolve("quarantine").resolve("caf");
        HubHttp.await("the wrong signer's file quarantined", Duration.ofSeconds(30),
                () -> reasonFile(quarantine, strangerName + ".pgp") != null);
        Path reasonFile = reasonFile(quarantine, strangerName + ".pgp");
        String reason = Files.readString(reasonFile, StandardCharsets.UTF_8);
        assertTrue(reason, reason.startsWith(strangerName + ".pgp: signed by another key"));
        String copy = reasonFile.getFileName().toString().replace(".reason.txt", "");
        assertTrue("the refused file itself is kept: " + copy, Files.exists(quarantine.resolve(copy)));
        HubHttp.await("QUARANTINED counted once more", Duration.ofSeconds(10),
                () -> metric(QUARANTINED_METRIC) == quarantinedBefore + 1);
        assertTrue(visibleFiles(depot).isEmpty());
        String refused = awaitCafMessage(strangerName + ".pgp", "QUARANTINED");
        String detail = http().get("/hub/api/messages/" + refused).body();
        assertTrue(detail, detail.contains("signed by another key") && detail.contains("kept as quarantine/caf/pgp-"));
        assertTrue("journaled with the received file's digest: " + detail, detail.contains("\"sha256\":\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wrongSigner)) + "\""));
        assertTrue("the content the hub could not read is not kept in the journal: " + detail,
                detail.contains("\"payloadAvailable\":false"));
        journal = http().get("/hub/api/messages?partner=caf&limit=1000").body();
        assertFalse("never imported: " + journal, journal.contains("\"correlationId\":\"" + strangerName + "\""));
        health = http().get("/hub/health").body();
        assertTrue(health, health.contains("3 decrypted, 1 refused (last: " + strangerName + ".pgp: "));

        // The CAF's server now presents a key that is not the pinned one: DOWN, and nothing is taken.
        String pinned = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("not the CAF's host key".getBytes(StandardCharsets.UTF_8)));
        org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration("hub.connector.caf", null);
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put("sftp.hostKeyFingerprint", pinned);
        props.put("sftp.knownHosts", "");
        cfg.update(props);
        HubHttp.await("connector:caf DOWN on the host key mismatch", Duration.ofSeconds(30), () -> {
            String h = http().get("/hub/health").body();
            return h.contains("\"connector:caf\":{\"status\":\"DOWN\"") && h.contains("host key mismatch");
        });
        health = http().get("/hub/health").body();
        assertTrue(health, health.contains("\"status\":\"DOWN\""));
        assertTrue("the key presented is named: " + health, health.contains("presented " + hostKeyFingerprint));
        assertTrue("the key pinned is named: " + health, health.contains("sftp.hostKeyFingerprint " + pinned));
        String lateName = "RSABEI-" + HOUSEHOLDS + "-" + SEED + "-day3.xml";
        publish(depot, lateName + ".pgp", sealer.seal(
                generator.toBytes(CafFluxGenerator.daily(HOUSEHOLDS, SEED).day(3)), lateName, false,
                CafPgpSealer.Defect.NONE));
        Instant published = Instant.now();
        // two polls after the file appeared: a trusted server would have had it taken by then
        HubHttp.await("two more polls", Duration.ofSeconds(30),
                () -> lastPoll(http().get("/hub/health").body()).isAfter(published.plusMillis(2500)));
        assertEquals("nothing taken from an untrusted server", List.of(lateName + ".pgp"), visibleFiles(depot));
        assertFalse(Files.exists(data.resolve("inbox").resolve("caf").resolve(lateName + ".pgp")));
        health = http().get("/hub/health").body();
        assertTrue(health, health.contains("\"connector:caf\":{\"status\":\"DOWN\""));
        assertTrue(health, health.contains("0 file(s) taken"));
        journal = http().get("/hub/api/messages?partner=caf&limit=1000").body();
        assertFalse(journal, journal.contains(lateName));

        // The log: no NIR of the files, no private key, no passphrase.
        String log = Files.readString(data.resolve("log").resolve("karaf.log"), StandardCharsets.UTF_8);
        List<String> nirs = nirs(generator.toBytes(CafFluxGenerator.monthly(HOUSEHOLDS, SEED)));
        assertTrue("the flux has NIRs", nirs.size() >= HOUSEHOLDS);
        for (String nir : nirs) {
            assertFalse("NIR " + nir.substring(0, 3) + "... in karaf.log", log.contains(nir));
        }
        assertFalse(log.contains("PRIVATE KEY"));
        for (String party : List.of(CafPgpKeys.CAF, CafPgpKeys.DEPARTEMENT, CafPgpKeys.STRANGER)) {
            String passphrase = Files.readString(pgpDir.resolve(party + ".passphrase"), StandardCharsets.UTF_8).strip();
            assertTrue(passphrase.length() >= 16);
            assertFalse("the " + party + " passphrase in karaf.log", log.contains(passphrase));
            for (String line : armoredBody(pgpDir.resolve(party + ".sec.asc"))) {
                assertFalse("the " + party + " secret key in karaf.log", log.contains(line));
            }
        }
        for (String line : armoredBody(etc.resolve("hub-caf-sftp.key"))) {
            assertFalse("the SFTP client key in karaf.log", log.contains(line));
        }
        System.out.println("FIGURE caf-sftp-it-test-ms=" + (System.nanoTime() - started) / 1_000_000);
    }

    /** The files of a folder a client would see (no hidden temporary files), sorted. */
    private static List<String> visibleFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** As the CAF publishes: a hidden temporary name, then an atomic rename. */
    private static void publish(Path depot, String name, byte[] content) throws Exception {
        Path tmp = depot.resolve("." + name + ".part");
        Files.write(tmp, content);
        Files.move(tmp, depot.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path reasonFile(Path quarantine, String name) {
        if (!Files.isDirectory(quarantine)) {
            return null;
        }
        try (Stream<Path> s = Files.list(quarantine)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("pgp-") && n.endsWith("-" + name + ".reason.txt");
            }).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The fingerprint ssh-keygen -lf prints for a public key line ("type base64 comment"). */
    private static String fingerprint(String publicKeyLine) throws Exception {
        byte[] blob = Base64.getDecoder().decode(publicKeyLine.split("\\s+")[1]);
        return "SHA256:" + Base64.getEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    }

    /** The time of the pickup's last poll, from the connector's health detail. */
    private static Instant lastPoll(String health) {
        Matcher m = Pattern.compile("last poll ([0-9T:.Z-]+)").matcher(health);
        return m.find() ? Instant.parse(m.group(1)) : Instant.EPOCH;
    }


    private static List<String> nirs(byte[] flux) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<NIR>([0-9A-Z]{13,15})</NIR>")
                .matcher(new String(flux, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The base64 lines of an armored key file (long enough to be unmistakable if they were logged). */
    private static List<String> armoredBody(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.length() >= 40 && !line.startsWith("-----") && !line.contains(":")) {
                out.add(line.strip());
            }
        }
        assertFalse("key material read from " + file, out.isEmpty());
        return out;
    }
}
