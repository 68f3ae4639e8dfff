package fr.aisne.hub.core.security;

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

public class HubSecretsTest {
    private static final String SECRET = "double-secret-change-me";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void sealedValueRoundTripsAndKeysAreCreatedOwnerOnly() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        HubSecrets box = HubSecrets.open(etc);
        String sealed = box.sealSetting(SECRET);

        assertTrue(sealed, sealed.startsWith("ENC(") && sealed.endsWith(")"));
        assertFalse(sealed.contains(SECRET));
        assertTrue(box.isSealed(sealed));
        assertEquals(SECRET, box.reveal(sealed));
        assertNotEquals("a fresh IV each time", sealed, box.sealSetting(SECRET));
        for (String f : new String[] {HubSecrets.KEYSTORE, HubSecrets.PASSWORD_FILE}) {
            assertEquals(f, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(f))));
        }
        // The key is kept: the hub opened again reads what it sealed before.
        assertEquals(SECRET, HubSecrets.open(etc).reveal(sealed));
    }

    @Test
    public void valueInClearIsReturnedAsIs() throws Exception {
        HubSecrets box = HubSecrets.open(tmp.newFolder("etc").toPath());
        assertFalse(box.isSealed(SECRET));
        assertEquals(SECRET, box.reveal(SECRET));
        assertEquals(null, box.reveal(null));
    }

    @Test
    public void valueOfAnotherHubOrAlteredIsRefusedWithoutEchoingIt() throws Exception {
        String sealed = HubSecrets.open(tmp.newFolder("a").toPath()).sealSetting(SECRET);
        HubSecrets other = HubSecrets.open(tmp.newFolder("b").toPath());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.reveal(sealed));
        assertTrue(e.getMessage(), e.getMessage().contains("hub:encrypt-secret"));
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(e.getMessage().contains(sealed.substring(4, 20)));

        HubSecrets box = HubSecrets.open(tmp.getRoot().toPath().resolve("a"));
        char[] c = sealed.toCharArray();
        c[10] = c[10] == 'A' ? 'B' : 'A';
        String altered = new String(c);
        assertThrows(IllegalStateException.class, () -> box.reveal(altered));
        assertThrows(IllegalStateException.class, () -> box.reveal("ENC(bm90IGVub3VnaA==)"));
    }

    @Test
    public void aValueSealedForOneUseCannotBeOpenedForAnother() throws Exception {
        HubSecrets box = HubSecrets.open(tmp.newFolder("etc").toPath());
        String jeton = box.seal("jeton-xyz", "hub/francetravail/jeton");
        assertEquals("jeton-xyz", box.open(jeton, "hub/francetravail/jeton"));
        assertThrows(IllegalStateException.class, () -> box.reveal(jeton));
    }

    @Test
    public void missingPasswordFileIsReportedWithWhatToDo() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        HubSecrets.open(etc);
        Files.delete(etc.resolve(HubSecrets.PASSWORD_FILE));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> HubSecrets.open(etc));
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
            HubSecrets.main(new String[] {etc.toString()});
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String sealed = printed.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(sealed, sealed.startsWith("ENC("));
        assertEquals(SECRET, HubSecrets.open(etc).reveal(sealed));
    }
}
