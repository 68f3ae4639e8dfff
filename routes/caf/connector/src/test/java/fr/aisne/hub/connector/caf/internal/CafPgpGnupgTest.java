package fr.aisne.hub.connector.caf.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpKeys;
import fr.aisne.hub.doubles.caf.CafPgpSealer.Defect;

/**
 * Interoperability with GnuPG, when {@code gpg} is installed (skipped otherwise): the connector opens what
 * {@code gpg --sign --encrypt} produces (binary and armored), and gpg opens and verifies what the double
 * seals. The keys are the double's, imported into a throw-away GNUPGHOME.
 */
public class CafPgpGnupgTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final byte[] FLUX = new CafFluxGenerator().toBytes(CafFluxGenerator.daily(15, 3).day(2));

    private Path home;
    private CafPgpKeys.KeySet keys;

    @Before
    public void gnupgHome() throws Exception {
        assumeTrue("gpg not installed", gpgAvailable());
        keys = PgpFixtures.keys();
        home = Files.createDirectory(tmp.getRoot().toPath().resolve("g"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        String caf = keys.passphraseFile(CafPgpKeys.CAF).toString();
        gpg("--pinentry-mode", "loopback", "--passphrase-file", caf, "--import",
                keys.secretRing(CafPgpKeys.CAF).toString());
        gpg("--import", keys.publicRing(CafPgpKeys.DEPARTEMENT).toString());
    }

    @After
    public void stopAgent() throws Exception {
        if (home != null) {
            run(List.of("gpgconf", "--kill", "gpg-agent"));
        }
    }

    @Test
    public void whatGpgSignsAndEncryptsIsOpened() throws Exception {
        Path in = tmp.getRoot().toPath().resolve("RSABEI.xml");
        Files.write(in, FLUX);
        for (boolean armor : new boolean[] {false, true}) {
            Path out = tmp.getRoot().toPath().resolve("RSABEI.xml" + (armor ? ".asc" : ".gpg"));
            List<String> args = new ArrayList<>(List.of("--pinentry-mode", "loopback", "--passphrase-file",
                    keys.passphraseFile(CafPgpKeys.CAF).toString(), "--trust-model", "always",
                    "--local-user", keys.caf().fingerprint(), "--recipient", keys.departement().fingerprint(),
                    "--output", out.toString()));
            if (armor) {
                args.add("--armor");
            }
            args.addAll(List.of("--sign", "--encrypt", in.toString()));
            gpg(args.toArray(String[]::new));
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            try (InputStream sealed = Files.newInputStream(out)) {
                CafPgp.Outcome o = PgpFixtures.departement(true).decrypt(sealed, plain);
                assertTrue(o.signer(), o.signer().startsWith("signed by "
                        + CafPgp.keyId(keys.caf().publicKey().getKeyID())));
            }
            assertArrayEquals(FLUX, plain.toByteArray());
        }
    }

    @Test
    public void gpgOpensAndVerifiesWhatTheDoubleSeals() throws Exception {
        gpg("--pinentry-mode", "loopback", "--passphrase-file",
                keys.passphraseFile(CafPgpKeys.DEPARTEMENT).toString(), "--import",
                keys.secretRing(CafPgpKeys.DEPARTEMENT).toString());
        Path sealed = tmp.getRoot().toPath().resolve("RSABEM.xml.pgp");
        Files.write(sealed, PgpFixtures.sealer().seal(FLUX, "RSABEM.xml", false, Defect.NONE));
        Path out = tmp.getRoot().toPath().resolve("RSABEM.xml");
        String said = gpg("--pinentry-mode", "loopback", "--passphrase-file",
                keys.passphraseFile(CafPgpKeys.DEPARTEMENT).toString(), "--trust-model", "always",
                "--output", out.toString(), "--decrypt", sealed.toString());
        assertTrue(said, said.contains("Good signature"));
        assertArrayEquals(FLUX, Files.readAllBytes(out));
    }

    private String gpg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--no-tty"));
        cmd.addAll(List.of(args));
        String[] said = new String[1];
        int rc = run(cmd, said);
        assertEquals(String.join(" ", cmd) + "\n" + said[0], 0, rc);
        return said[0];
    }

    private int run(List<String> cmd, String... said) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (home != null) {
            pb.environment().put("GNUPGHOME", home.toString());
        }
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gpg did not finish: " + cmd);
        }
        if (said.length > 0) {
            said[0] = out;
        }
        return p.exitValue();
    }

    private boolean gpgAvailable() {
        try {
            return run(List.of("gpg", "--version")) == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
