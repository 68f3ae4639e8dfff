package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class NirVaultTest {
    private static final String NIR = "1850578006084";
    private static final String OTHER_NIR = "2920302123456";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static Path etc;
    private static NirVault vault;

    @BeforeClass
    public static void openVault() throws Exception {
        etc = TMP.newFolder("etc").toPath();
        vault = NirVault.open(etc);
    }

    @Test
    public void openCreatesKeystoreAndPasswordFileReadableByTheOwnerOnly() throws Exception {
        Path ks = etc.resolve(NirVault.KEYSTORE);
        Path pw = etc.resolve(NirVault.PASSWORD_FILE);
        assertEquals("hub-registry.p12", ks.getFileName().toString());
        assertTrue(Files.isRegularFile(ks));
        assertTrue(Files.isRegularFile(pw));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ks)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pw)));
        String password = Files.readString(pw, StandardCharsets.UTF_8).strip();
        assertTrue("a random password of some length", password.length() >= 20);
        assertFalse("no temporary file left", Files.exists(etc.resolve(NirVault.KEYSTORE + ".tmp")));
    }

    private static final String ROW = NirVault.person("3b0c6d8e-0000-4000-8000-000000000001");
    private static final String OTHER_ROW = NirVault.person("3b0c6d8e-0000-4000-8000-000000000002");

    @Test
    public void encryptDecryptRoundTrip() {
        String stored = vault.encrypt(NIR, ROW);
        assertTrue(stored.startsWith("v2:"));
        assertFalse(stored.contains(NIR));
        assertEquals(NIR, vault.decrypt(stored, ROW));
        assertEquals("290052A004012", vault.decrypt(vault.encrypt("290052A004012", ROW), ROW));
    }

    @Test
    public void aCiphertextMovedToAnotherRowDoesNotOpenAndTheErrorNamesTheRowNotTheNir() {
        String stored = vault.encrypt(NIR, ROW);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vault.decrypt(stored, OTHER_ROW));
        assertTrue(e.getMessage(), e.getMessage().contains(OTHER_ROW) && e.getMessage().contains("sealed for another row"));
        assertFalse(e.getMessage().contains(NIR));
        assertNull("no provider exception carried along", e.getCause());
        IllegalStateException candidate = assertThrows(IllegalStateException.class,
                () -> vault.decrypt(stored, NirVault.candidate("3b0c6d8e-0000-4000-8000-000000000001")));
        assertFalse("a person's row and a candidate's row with the same id differ", candidate.getMessage().contains(NIR));
    }

    @Test
    public void aV1ValueIsResealedBoundToItsRowAndIsNotReadAsItWas() throws Exception {
        String v1 = sealV1(etc, NIR);
        assertTrue(NirVault.isV1(v1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vault.decrypt(v1, ROW));
        assertTrue(e.getMessage(), e.getMessage().contains("v1 format"));
        String v2 = vault.reseal(v1, ROW);
        assertTrue(v2.startsWith("v2:"));
        assertEquals(NIR, vault.decrypt(v2, ROW));
        assertThrows(IllegalStateException.class, () -> vault.decrypt(v2, OTHER_ROW));
        assertThrows("only v1 values are re-sealed", IllegalArgumentException.class, () -> vault.reseal(v2, ROW));
        byte[] raw = Base64.getDecoder().decode(v1.substring(3));
        raw[raw.length - 1] ^= 0x01;
        IllegalStateException altered = assertThrows(IllegalStateException.class,
                () -> vault.reseal("v1:" + Base64.getEncoder().encodeToString(raw), ROW));
        assertFalse(altered.getMessage().contains(NIR));
    }

    /** What versions before the row binding wrote: AES-GCM under the vault's key, one label for every row. */
    static String sealV1(Path etc, String nir13) throws Exception {
        var key = fr.aisne.hub.api.operations.LocalKeys.open(etc, NirVault.KEYSTORE, NirVault.PASSWORD_FILE,
                java.util.List.of(new fr.aisne.hub.api.operations.LocalKeys.Spec(NirVault.ENC_ALIAS, "AES", 256)))
                .get(NirVault.ENC_ALIAS);
        return "v1:" + Base64.getEncoder().encodeToString(fr.aisne.hub.api.operations.LocalKeys.seal(key,
                "hub-registry/nir", nir13.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    public void twoEncryptionsDifferButTheIndexIsStable() {
        String a = vault.encrypt(NIR, ROW);
        String b = vault.encrypt(NIR, ROW);
        assertNotEquals("random IV", a, b);
        assertEquals(NIR, vault.decrypt(a, ROW));
        assertEquals(NIR, vault.decrypt(b, ROW));
        assertEquals(vault.index(NIR), vault.index(NIR));
        assertTrue(vault.index(NIR).matches("[0-9a-f]{64}"));
    }

    @Test
    public void indexDiffersBetweenNirsAndDoesNotContainTheNir() {
        String idx = vault.index(NIR);
        assertNotEquals(idx, vault.index(OTHER_NIR));
        assertNotEquals(idx, vault.index("1850578006085"));
        assertFalse(idx.contains(NIR));
        assertFalse(idx.contains(NIR.substring(0, 7)));
    }

    @Test
    public void reopeningFromTheSameFolderKeepsTheKeys() throws Exception {
        String stored = vault.encrypt(NIR, ROW);
        String index = vault.index(NIR);
        byte[] keystore = Files.readAllBytes(etc.resolve(NirVault.KEYSTORE));
        NirVault again = NirVault.open(etc);
        assertEquals(NIR, again.decrypt(stored, ROW));
        assertEquals(index, again.index(NIR));
        assertEquals(NIR, vault.decrypt(again.encrypt(NIR, ROW), ROW));
        assertTrue("keystore not re-created", java.util.Arrays.equals(keystore,
                Files.readAllBytes(etc.resolve(NirVault.KEYSTORE))));
    }

    @Test
    public void aVaultInAnotherFolderCannotDecryptAndIndexesDifferently() throws Exception {
        NirVault other = NirVault.open(TMP.newFolder().toPath());
        String stored = vault.encrypt(NIR, ROW);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.decrypt(stored, ROW));
        assertFalse(e.getMessage().contains(NIR));
        assertNotEquals(vault.index(NIR), other.index(NIR));
    }

    @Test
    public void tamperedCiphertextIsRejected() {
        String stored = vault.encrypt(NIR, ROW);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        for (int pos : new int[] {0, 12, raw.length - 1}) {
            byte[] t = raw.clone();
            t[pos] ^= 0x01;
            String tampered = "v2:" + Base64.getEncoder().encodeToString(t);
            assertThrows("byte " + pos, IllegalStateException.class, () -> vault.decrypt(tampered, ROW));
        }
        byte[] truncated = java.util.Arrays.copyOf(raw, raw.length - 1);
        assertThrows(IllegalStateException.class,
                () -> vault.decrypt("v2:" + Base64.getEncoder().encodeToString(truncated), ROW));
        assertThrows("not base64", IllegalStateException.class, () -> vault.decrypt("v2:@@@", ROW));
        assertThrows("unknown version", IllegalStateException.class, () -> vault.decrypt("v3:" + stored.substring(3), ROW));
        assertThrows(IllegalStateException.class, () -> vault.decrypt(null, ROW));
    }
}
