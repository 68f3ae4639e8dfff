package fr.aisne.hub.api.operations;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKey;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Where the keystore password comes from, in development and in production mode, and the move out of etc/. */
public class LocalKeysTest {
    private static final String KS = "test.p12";
    private static final String PW = "test.keystore.password";
    private static final List<LocalKeys.Spec> KEYS = List.of(new LocalKeys.Spec("k1", "AES", 256),
            new LocalKeys.Spec("k2", "HmacSHA256", 256));
    private static final String EXTERNAL = "an-external-password-of-32-chars";

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private Map<String, SecretKey> open(Path etc, KeystorePassword pw) throws Exception {
        return LocalKeys.open(etc, KS, PW, KEYS, pw);
    }

    private static KeystorePassword resolve(Map<String, String> env, Map<String, String> props) {
        return KeystorePassword.resolve(env::get, props::get);
    }

    @Test
    public void developmentModeWithoutAPasswordKeepsItBesideTheKeystoreAsBefore() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        Map<String, SecretKey> first = open(etc, KeystorePassword.none());
        assertTrue(Files.exists(etc.resolve(PW)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(KS))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(PW))));
        assertArrayEquals(first.get("k1").getEncoded(), open(etc, KeystorePassword.none()).get("k1").getEncoded());
    }

    @Test
    public void anExternalPasswordLeavesNoPasswordFileInEtc() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        Map<String, SecretKey> first = open(etc, KeystorePassword.of(EXTERNAL, true));
        assertTrue(Files.exists(etc.resolve(KS)));
        assertFalse("no password beside the keystore", Files.exists(etc.resolve(PW)));
        assertArrayEquals(first.get("k2").getEncoded(), open(etc, KeystorePassword.of(EXTERNAL, true)).get("k2").getEncoded());

        KeystorePassword.Refused wrong = assertThrows(KeystorePassword.Refused.class,
                () -> open(etc, KeystorePassword.of("another-password-of-32-characters", true)));
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("cannot be opened"));
        assertFalse("never the password", wrong.getMessage().contains("another-password"));
        assertThrows("without any password the keystore cannot be read", java.io.IOException.class,
                () -> open(etc, KeystorePassword.none()));
    }

    @Test
    public void productionModeWithoutAPasswordRefusesAndCreatesNothing() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        KeystorePassword pw = resolve(Map.of(), Map.of("hub.mode", "production"));
        assertTrue(pw.production());
        assertTrue(pw.refusal().orElseThrow(), pw.refusal().orElseThrow().contains(KeystorePassword.ENV));
        KeystorePassword.Refused e = assertThrows(KeystorePassword.Refused.class, () -> open(etc, pw));
        assertTrue(e.getMessage(), e.getMessage().contains("production mode"));
        try (var files = Files.list(etc)) {
            assertEquals("no key created", 0, files.count());
        }
    }

    @Test
    public void productionModeRefusesAShortPasswordOrAFileInsideTheInstallation() throws Exception {
        Path home = tmp.newFolder("hub").toPath();
        Path inside = home.resolve("etc-keystore.password");
        Files.writeString(inside, EXTERNAL + "\n");
        Map<String, String> props = new HashMap<>(Map.of("hub.mode", "production", "karaf.home", home.toString(),
                KeystorePassword.FILE_PROPERTY, inside.toString()));
        assertTrue(resolve(Map.of(), props).refusal().orElseThrow().contains("inside the installation"));
        assertTrue(resolve(Map.of(KeystorePassword.ENV, "short"), props).refusal().orElseThrow().contains("shorter"));
        props.put("hub.mode", "development");
        assertTrue("development mode: a warning only", resolve(Map.of(), props).external());
    }

    @Test
    public void thePasswordComesFromTheEnvironmentAFileOrASystemdCredential() throws Exception {
        Path outside = tmp.newFolder("secrets").toPath();
        Path file = outside.resolve("keystore.pw");
        Files.writeString(file, EXTERNAL + "\nignored second line\n");
        Path etc = tmp.newFolder("etc").toPath();
        Map<String, String> props = Map.of("hub.mode", "production", "karaf.home", tmp.newFolder("hub").toString());

        Map<String, SecretKey> byEnv = open(etc, resolve(Map.of(KeystorePassword.ENV, EXTERNAL), props));
        Map<String, String> withFile = new HashMap<>(props);
        withFile.put(KeystorePassword.FILE_PROPERTY, file.toString());
        assertArrayEquals(byEnv.get("k1").getEncoded(), open(etc, resolve(Map.of(), withFile)).get("k1").getEncoded());
        Files.writeString(outside.resolve(KeystorePassword.CREDENTIAL), EXTERNAL);
        assertArrayEquals(byEnv.get("k1").getEncoded(), open(etc,
                resolve(Map.of("CREDENTIALS_DIRECTORY", outside.toString()), props)).get("k1").getEncoded());
        withFile.put(KeystorePassword.FILE_PROPERTY, outside.resolve("missing").toString());
        assertTrue(resolve(Map.of(), withFile).refusal().orElseThrow().contains("cannot be read"));
    }

    @Test
    public void aKeystoreWithItsPasswordBesideItMovesToTheExternalPasswordWithItsKeys() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        Map<String, SecretKey> before = open(etc, KeystorePassword.none());
        String oldPassword = Files.readString(etc.resolve(PW), StandardCharsets.UTF_8).strip();

        Map<String, SecretKey> after = open(etc, KeystorePassword.of(EXTERNAL, true));

        assertArrayEquals("same keys: what they protect stays readable", before.get("k1").getEncoded(),
                after.get("k1").getEncoded());
        assertArrayEquals(before.get("k2").getEncoded(), after.get("k2").getEncoded());
        assertFalse("the password file is gone", Files.exists(etc.resolve(PW)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(KS))));
        assertThrows("the old password no longer opens it", KeystorePassword.Refused.class,
                () -> open(etc, KeystorePassword.of(oldPassword, false)));
        assertArrayEquals(before.get("k1").getEncoded(), open(etc, KeystorePassword.of(EXTERNAL, true)).get("k1").getEncoded());
    }
}
