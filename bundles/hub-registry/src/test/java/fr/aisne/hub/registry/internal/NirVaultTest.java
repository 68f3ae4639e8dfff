package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
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

    @Test
    public void encryptDecryptRoundTrip() {
        String stored = vault.encrypt(NIR);
        assertTrue(stored.startsWith("v1:"));
        assertFalse(stored.contains(NIR));
        assertEquals(NIR, vault.decrypt(stored));
        assertEquals("290052A004012", vault.decrypt(vault.encrypt("290052A004012")));
    }

    @Test
    public void twoEncryptionsDifferButTheIndexIsStable() {
        String a = vault.encrypt(NIR);
        String b = vault.encrypt(NIR);
        assertNotEquals("random IV", a, b);
        assertEquals(NIR, vault.decrypt(a));
        assertEquals(NIR, vault.decrypt(b));
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
        String stored = vault.encrypt(NIR);
        String index = vault.index(NIR);
        byte[] keystore = Files.readAllBytes(etc.resolve(NirVault.KEYSTORE));
        NirVault again = NirVault.open(etc);
        assertEquals(NIR, again.decrypt(stored));
        assertEquals(index, again.index(NIR));
        assertEquals(NIR, vault.decrypt(again.encrypt(NIR)));
        assertTrue("keystore not re-created", java.util.Arrays.equals(keystore,
                Files.readAllBytes(etc.resolve(NirVault.KEYSTORE))));
    }

    @Test
    public void aVaultInAnotherFolderCannotDecryptAndIndexesDifferently() throws Exception {
        NirVault other = NirVault.open(TMP.newFolder().toPath());
        String stored = vault.encrypt(NIR);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.decrypt(stored));
        assertFalse(e.getMessage().contains(NIR));
        assertNotEquals(vault.index(NIR), other.index(NIR));
    }

    @Test
    public void tamperedCiphertextIsRejected() {
        String stored = vault.encrypt(NIR);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        for (int pos : new int[] {0, 12, raw.length - 1}) {
            byte[] t = raw.clone();
            t[pos] ^= 0x01;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(t);
            assertThrows("byte " + pos, IllegalStateException.class, () -> vault.decrypt(tampered));
        }
        byte[] truncated = java.util.Arrays.copyOf(raw, raw.length - 1);
        assertThrows(IllegalStateException.class,
                () -> vault.decrypt("v1:" + Base64.getEncoder().encodeToString(truncated)));
        assertThrows("not base64", IllegalStateException.class, () -> vault.decrypt("v1:@@@"));
        assertThrows("unknown version", IllegalStateException.class, () -> vault.decrypt("v2:" + stored.substring(3)));
        assertThrows(IllegalStateException.class, () -> vault.decrypt(null));
    }
}
