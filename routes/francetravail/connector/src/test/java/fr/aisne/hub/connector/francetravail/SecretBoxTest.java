package fr.aisne.hub.connector.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SecretBoxTest {
    private static final String SECRET = "double-secret-change-me";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void sealedValueRoundTripsAndKeysAreCreatedOwnerOnly() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        SecretBox box = SecretBox.open(etc);
        String sealed = box.seal(SECRET);

        assertTrue(sealed, sealed.startsWith("ENC(") && sealed.endsWith(")"));
        assertFalse(sealed.contains(SECRET));
        assertTrue(SecretBox.isSealed(sealed));
        assertEquals(SECRET, box.unseal(sealed));
        assertNotEquals("a fresh IV each time", sealed, box.seal(SECRET));
        for (String f : new String[] {SecretBox.KEYSTORE, SecretBox.PASSWORD_FILE}) {
            assertEquals(f, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(f))));
        }
        // The key is kept: the hub opened again reads what it sealed before.
        assertEquals(SECRET, SecretBox.open(etc).unseal(sealed));
    }

    @Test
    public void valueInClearIsReturnedAsIs() throws Exception {
        SecretBox box = SecretBox.open(tmp.newFolder("etc").toPath());
        assertFalse(SecretBox.isSealed(SECRET));
        assertEquals(SECRET, box.unseal(SECRET));
        assertEquals(null, box.unseal(null));
    }

    @Test
    public void valueOfAnotherHubOrAlteredIsRefusedWithoutEchoingIt() throws Exception {
        String sealed = SecretBox.open(tmp.newFolder("a").toPath()).seal(SECRET);
        SecretBox other = SecretBox.open(tmp.newFolder("b").toPath());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.unseal(sealed));
        assertTrue(e.getMessage(), e.getMessage().contains("hub:encrypt-secret"));
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(e.getMessage().contains(sealed.substring(4, 20)));

        SecretBox box = SecretBox.open(tmp.getRoot().toPath().resolve("a"));
        char[] c = sealed.toCharArray();
        c[10] = c[10] == 'A' ? 'B' : 'A';
        String altered = new String(c);
        assertThrows(IllegalStateException.class, () -> box.unseal(altered));
        assertThrows(IllegalStateException.class, () -> box.unseal("ENC(bm90IGVub3VnaA==)"));
    }

    @Test
    public void aValueSealedForOneUseCannotBeOpenedForAnother() throws Exception {
        SecretBox box = SecretBox.open(tmp.newFolder("etc").toPath());
        String jeton = box.seal("jeton-xyz", "hub/francetravail/jeton");
        assertEquals("jeton-xyz", box.unseal(jeton, "hub/francetravail/jeton"));
        assertThrows(IllegalStateException.class, () -> box.unseal(jeton));
    }

    @Test
    public void missingPasswordFileIsReportedWithWhatToDo() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        SecretBox.open(etc);
        Files.delete(etc.resolve(SecretBox.PASSWORD_FILE));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> SecretBox.open(etc));
        assertTrue(e.getMessage(), e.getMessage().contains("restore"));
    }

    @Test
    public void mainEncryptsAValueReadFromStandardInput() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        java.io.InputStream in = System.in;
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try {
            System.setIn(new java.io.ByteArrayInputStream((SECRET + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            SecretBox.main(new String[] {etc.toString()});
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String sealed = printed.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(sealed, SecretBox.isSealed(sealed));
        assertEquals(SECRET, SecretBox.open(etc).unseal(sealed));
    }
}
