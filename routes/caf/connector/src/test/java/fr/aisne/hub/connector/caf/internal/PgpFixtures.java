package fr.aisne.hub.connector.caf.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import fr.aisne.hub.doubles.caf.CafPgpKeys;
import fr.aisne.hub.doubles.caf.CafPgpSealer;

/**
 * The double's OpenPGP keys, generated once per test JVM (three RSA-3072 keys take a few seconds) in a
 * temporary folder, and what the connector builds from them.
 */
final class PgpFixtures {
    private static CafPgpKeys.KeySet keys;

    private PgpFixtures() {
    }

    static synchronized CafPgpKeys.KeySet keys() {
        if (keys == null) {
            try {
                Path dir = Files.createTempDirectory("caf-pgp-keys");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                keys = CafPgpKeys.ensure(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    static CafPgpSealer sealer() {
        return CafPgpSealer.of(keys());
    }

    /** The department's side, as the connector reads it from its settings. */
    static CafPgp departement(boolean requireSignature) {
        CafPgpKeys.KeySet k = keys();
        return new CafPgp(CafPgp.unlock(k.secretRing(CafPgpKeys.DEPARTEMENT),
                CafPgp.readPassphrase(k.passphraseFile(CafPgpKeys.DEPARTEMENT))),
                CafPgp.readPublicKeys(k.publicRing(CafPgpKeys.CAF)), requireSignature);
    }

    /** The department's side, checking signatures against {@code partner} and stopping at {@code maxPlainBytes}. */
    static CafPgp departement(org.bouncycastle.openpgp.PGPPublicKeyRing partner, long maxPlainBytes) {
        CafPgpKeys.KeySet k = keys();
        return new CafPgp(CafPgp.unlock(k.secretRing(CafPgpKeys.DEPARTEMENT),
                CafPgp.readPassphrase(k.passphraseFile(CafPgpKeys.DEPARTEMENT))),
                new org.bouncycastle.openpgp.PGPPublicKeyRingCollection(java.util.List.of(partner)), true, maxPlainBytes);
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary folder
        }
    }
}
