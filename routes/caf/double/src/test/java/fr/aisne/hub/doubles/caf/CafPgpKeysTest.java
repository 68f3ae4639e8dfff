package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.doubles.caf.CafPgpSealer.Defect;

/**
 * The double's OpenPGP keys: generated once into its folder (secret parts owner-only, with their
 * passphrase), read back unchanged at the next start; sealed files look like OpenPGP, binary or armored.
 * Decryption and verification are tested in the connector (CafPgpTest), and against gpg.
 */
public class CafPgpKeysTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void generatedOnceThenReadBack() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("pgp");
        CafPgpKeys.KeySet first = CafPgpKeys.ensure(dir);
        CafPgpKeys.KeySet again = CafPgpKeys.ensure(dir);
        assertEquals(first.caf().fingerprint(), again.caf().fingerprint());
        assertEquals(first.departement().fingerprint(), again.departement().fingerprint());
        assertNotEquals(first.caf().fingerprint(), first.stranger().fingerprint());
        assertEquals(CafPgpKeys.RSA_BITS, first.caf().publicKey().getBitStrength());
        assertTrue(Files.readString(first.publicRing(CafPgpKeys.CAF)).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK"));
        assertTrue(Files.readString(first.secretRing(CafPgpKeys.DEPARTEMENT))
                .startsWith("-----BEGIN PGP PRIVATE KEY BLOCK"));
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(first.secretRing(CafPgpKeys.CAF)));
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(first.passphraseFile(CafPgpKeys.CAF)));
        again.departement().privateKey(); // the passphrase file unlocks it

        byte[] plain = "<Racine/>".getBytes(StandardCharsets.US_ASCII);
        CafPgpSealer sealer = CafPgpSealer.of(first);
        byte[] binary = sealer.seal(plain, "f.xml", false, Defect.NONE);
        int tag = (binary[0] & 0x40) != 0 ? binary[0] & 0x3f : (binary[0] >> 2) & 0x0f;
        assertEquals("a public-key encrypted session key packet first", 1, tag);
        byte[] armored = sealer.seal(plain, "f.xml", true, Defect.NONE);
        assertTrue(new String(armored, StandardCharsets.US_ASCII).startsWith("-----BEGIN PGP MESSAGE-----"));
        byte[] tampered = CafPgpSealer.tamper(binary);
        assertEquals(binary.length, tampered.length);
        assertNotEquals(java.util.Arrays.toString(binary), java.util.Arrays.toString(tampered));
    }
}
