package fr.aisne.hub.connector.caf.internal;

import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.doubles.caf.CafPgpKeys;
import fr.aisne.hub.doubles.caf.CafPgpSealer;

/**
 * Run in a JVM with a small heap by {@link CafPgpStreamingTest}: generates a monthly flux, signs and
 * encrypts it, decrypts and verifies it, through pipes (nothing is ever whole in memory or on disk), and
 * prints the plain length and the SHA-256 of what was sent and of what came out.
 * Arguments: key folder (the double's), households.
 */
public final class PgpStreamingMain {
    private PgpStreamingMain() {
    }

    public static void main(String[] args) throws Exception {
        CafPgpKeys.KeySet keys = CafPgpKeys.ensure(Path.of(args[0]));
        int households = Integer.parseInt(args[1]);
        CafPgp pgp = new CafPgp(CafPgp.unlock(keys.secretRing(CafPgpKeys.DEPARTEMENT),
                CafPgp.readPassphrase(keys.passphraseFile(CafPgpKeys.DEPARTEMENT))),
                CafPgp.readPublicKeys(keys.publicRing(CafPgpKeys.CAF)), true);
        AtomicReference<Throwable> failed = new AtomicReference<>();

        PipedOutputStream plainOut = new PipedOutputStream();
        PipedInputStream plainIn = new PipedInputStream(plainOut, 1 << 16);
        PipedOutputStream sealedOut = new PipedOutputStream();
        PipedInputStream sealedIn = new PipedInputStream(sealedOut, 1 << 16);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Thread generator = new Thread(() -> {
            try (OutputStream out = new DigestOutputStream(plainOut, sent)) {
                new CafFluxGenerator().write(CafFluxGenerator.monthly(households, 2025), out);
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "generator");
        Thread sealer = new Thread(() -> {
            try {
                CafPgpSealer.of(keys).seal(plainIn, sealedOut, "large.xml", false, CafPgpSealer.Defect.NONE);
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "sealer");
        generator.start();
        sealer.start();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        CafPgp.Outcome o = pgp.decrypt(sealedIn, new DigestOutputStream(OutputStream.nullOutputStream(), received));
        generator.join();
        sealer.join();
        if (failed.get() != null) {
            throw new IllegalStateException(failed.get());
        }
        System.out.println("bytes=" + o.bytes() + " sent=" + HexFormat.of().formatHex(sent.digest()) + " received="
                + HexFormat.of().formatHex(received.digest()) + " maxHeapMB="
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " " + o.signer());
    }
}
