package fr.aisne.hub.connector.caf.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpSealer;
import fr.aisne.hub.doubles.caf.CafPgpSealer.Defect;

/**
 * The step before the hub: plain files pass as they are, OpenPGP files reach the hub decrypted (whatever
 * their name), refused files go to quarantine with their reason and are counted, and no decrypted content
 * stays in the staging folder.
 */
public class CafPgpIntakeTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final byte[] FLUX = new CafFluxGenerator().toBytes(CafFluxGenerator.daily(20, 9).day(1));

    private Path inbox;
    private Path staging;
    private Path quarantine;
    private final AtomicInteger counted = new AtomicInteger();
    private final List<String> reasons = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    @Before
    public void folders() throws IOException {
        inbox = tmp.newFolder("inbox").toPath();
        staging = tmp.getRoot().toPath().resolve("staging/pgp");
        quarantine = tmp.getRoot().toPath().resolve("quarantine");
    }

    private CafPgpIntake intake(CafPgp pgp, boolean acceptPlain) {
        return new CafPgpIntake(pgp, acceptPlain, staging, quarantine, (file, name, reason) -> {
            assertTrue("still in place when told", Files.exists(file));
            counted.incrementAndGet();
            reasons.add(name + ": " + reason);
        });
    }

    private boolean take(CafPgpIntake intake, String name, byte[] content) throws IOException {
        Path f = inbox.resolve(name);
        Files.write(f, content);
        return intake.take(f, name, (in, plainName) -> {
            names.add(plainName);
            contents.add(in.readAllBytes());
        });
    }

    @Test
    public void plainAndEncryptedFilesReachTheHubAsPlainXml() throws Exception {
        CafPgpIntake intake = intake(PgpFixtures.departement(true), true); // plain files accepted on purpose
        CafPgpSealer sealer = PgpFixtures.sealer();
        assertTrue(take(intake, "RSABEI-1.xml", FLUX));
        assertTrue(take(intake, "RSABEI-2.xml.pgp", sealer.seal(FLUX, "RSABEI-2.xml", false, Defect.NONE)));
        assertTrue(take(intake, "RSABEI-3.xml.asc", sealer.seal(FLUX, "RSABEI-3.xml", true, Defect.NONE)));
        // recognised by content: an encrypted file that kept the .xml name
        assertTrue(take(intake, "RSABEI-4.xml", sealer.seal(FLUX, "RSABEI-4.xml", false, Defect.NONE)));
        assertEquals(List.of("RSABEI-1.xml", "RSABEI-2.xml", "RSABEI-3.xml", "RSABEI-4.xml"), names);
        for (byte[] c : contents) {
            assertArrayEquals("the hub sees the plain content, so its digest is the same however it was sealed",
                    FLUX, c);
        }
        assertEquals(0, counted.get());
        assertStagingEmpty();
        assertTrue(intake.describe(), intake.describe().startsWith("OpenPGP on: 3 decrypted, 0 refused"));
    }

    @Test
    public void refusedFilesAreQuarantinedWithTheirReasonAndCounted() throws Exception {
        CafPgpIntake intake = intake(PgpFixtures.departement(true), false);
        byte[] wrong = PgpFixtures.sealer().seal(FLUX, "x", false, Defect.WRONG_SIGNER);
        assertFalse(take(intake, "RSABEI-wrong.xml.gpg", wrong));
        assertFalse(take(intake, "RSABEI-tampered.xml.pgp",
                CafPgpSealer.tamper(PgpFixtures.sealer().seal(FLUX, "x", false, Defect.NONE))));
        assertEquals("nothing reached the hub", List.of(), names);
        assertEquals(2, counted.get());
        assertStagingEmpty();
        List<Path> files;
        try (Stream<Path> s = Files.list(quarantine)) {
            files = s.sorted().toList();
        }
        assertEquals(files.toString(), 4, files.size());
        Path copy = files.stream().filter(p -> p.toString().endsWith("RSABEI-wrong.xml.gpg")).findFirst().orElseThrow();
        assertArrayEquals("the original, as received", wrong, Files.readAllBytes(copy));
        String reason = Files.readString(copy.resolveSibling(copy.getFileName() + ".reason.txt"));
        assertTrue(reason, reason.startsWith("RSABEI-wrong.xml.gpg: signed by another key"));
        assertTrue(intake.describe(), intake.describe().contains("2 refused (last: RSABEI-tampered.xml.pgp: "));
        // what the connector journals names the rule broken and where the operator finds the file
        assertTrue(reasons.toString(), reasons.get(0).startsWith("RSABEI-wrong.xml.gpg: signed by another key"));
        assertTrue(reasons.toString(), reasons.get(0).contains("/quarantine/pgp-")
                && reasons.get(0).contains("RSABEI-wrong.xml.gpg; to take it again once the settings are fixed"));
    }

    @Test
    public void withoutKeysAnEncryptedFileIsRefusedAndPlainOnesPass() throws Exception {
        CafPgpIntake intake = intake(null, true);
        assertFalse(take(intake, "a.xml.pgp", PgpFixtures.sealer().seal(FLUX, "a.xml", false, Defect.NONE)));
        assertTrue(take(intake, "b.xml", FLUX));
        assertEquals(List.of("b.xml"), names);
        assertEquals(1, counted.get());
        assertTrue(intake.describe(),
                intake.describe().contains("no decryption key is configured (pgp.secretKeyRing)"));
    }

    @Test
    public void withKeysPlainAndUnsignedFilesAreRefusedAndNeverReachTheHub() throws Exception {
        CafPgpIntake intake = intake(PgpFixtures.departement(true), false);
        assertFalse(take(intake, "plain.xml", FLUX));
        assertFalse(take(intake, "unsigned.xml.pgp", PgpFixtures.sealer().seal(FLUX, "x", false, Defect.UNSIGNED)));
        assertTrue(take(intake, "sealed.xml.pgp", PgpFixtures.sealer().seal(FLUX, "x", false, Defect.NONE)));
        assertEquals("only the encrypted and signed one", List.of("sealed.xml"), names);
        assertEquals(2, counted.get());
        assertTrue(reasons.get(0), reasons.get(0).startsWith("plain.xml: a plain file, neither encrypted nor signed"));
        assertTrue(reasons.get(0), reasons.get(0).contains("(pgp.acceptPlainFiles=false)"));
        assertTrue(reasons.get(1), reasons.get(1).startsWith("unsigned.xml.pgp: not signed: the CAF's signature is "
                + "required"));
        assertTrue(intake.describe(), intake.describe().endsWith("encryption required, the CAF's signature required"));
    }

    @Test
    public void aCompressionBombLeavesNothingInStaging() throws Exception {
        CafPgpIntake intake = intake(PgpFixtures.departement(PgpFixtures.keys().caf().publicRing(), 4L << 20), false);
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        PgpFixtures.sealer().compressionBomb(64L << 20, bomb);
        assertFalse(take(intake, "RSABEM-bomb.xml.pgp", bomb.toByteArray()));
        assertEquals(List.of(), names);
        assertTrue(reasons.get(0), reasons.get(0).contains("decrypted content larger than the 4194304 bytes"));
        assertStagingEmpty();
    }

    @Test
    public void aRefusalTheHubCannotJournalLeavesNoCopyAndIsNotCounted() throws Exception {
        CafPgpIntake intake = new CafPgpIntake(PgpFixtures.departement(true), false, staging, quarantine,
                (file, name, reason) -> {
                    throw new IOException("database unreachable");
                });
        Path f = inbox.resolve("RSABEI-wrong.xml.pgp");
        Files.write(f, PgpFixtures.sealer().seal(FLUX, "x", false, Defect.WRONG_SIGNER));
        IOException e = org.junit.Assert.assertThrows(IOException.class, () -> intake.take(f, "RSABEI-wrong.xml.pgp",
                (in, name) -> names.add(name)));
        assertEquals("database unreachable", e.getMessage());
        assertTrue("the file stays for a later poll", Files.exists(f));
        try (Stream<Path> s = Files.list(quarantine)) {
            assertEquals("no copy made twice when it is refused again", List.of(), s.toList());
        }
        assertTrue(intake.describe(), intake.describe().startsWith("OpenPGP on: 0 decrypted, 0 refused"));
        assertStagingEmpty();
    }

    @Test
    public void decryptedContentLeftByACrashIsDiscardedAtStart() throws Exception {
        Files.createDirectories(staging);
        Files.write(staging.resolve("3f2a.part"), FLUX);
        intake(PgpFixtures.departement(true), false);
        assertStagingEmpty();
    }

    @Test
    public void plainNames() {
        assertEquals("RSABEM.xml", CafPgpIntake.plainName("RSABEM.xml.pgp"));
        assertEquals("RSABEM.xml", CafPgpIntake.plainName("RSABEM.xml.ASC"));
        assertEquals("RSABEM", CafPgpIntake.plainName("RSABEM.gpg"));
        assertEquals(".pgp", CafPgpIntake.plainName(".pgp"));
    }

    private void assertStagingEmpty() throws IOException {
        if (Files.isDirectory(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                assertEquals(List.of(), s.toList());
            }
        }
    }
}
