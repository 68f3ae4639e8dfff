package fr.aisne.hub.doubles.caf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.bouncycastle.util.encoders.Hex;

/**
 * OpenPGP keys of the CAF double, generated with Bouncy Castle's lightweight API (no JCA provider is
 * registered): one RSA key per party (3072 bits, the RGS figure for long-lived keys) that certifies, signs
 * and encrypts, its secret part protected by a passphrase (AES-256, iterated and salted SHA-256 S2K).
 * <p>
 * {@link #ensure(Path)} keeps the double's key folder: the CAF's signing key, a stand-in for the
 * department's key (the hub decrypts with its secret part; in production the department generates its own
 * and gives the CAF the public part) and a stranger's key (files "signed by someone else"). Each party is
 * three files: {@code <party>.sec.asc}, {@code <party>.pub.asc}, {@code <party>.passphrase}.
 */
public final class CafPgpKeys {
    public static final int RSA_BITS = 3072;
    public static final String CAF = "caf";
    public static final String DEPARTEMENT = "departement";
    public static final String STRANGER = "stranger";

    private CafPgpKeys() {
    }

    /** One party's key ring, with the passphrase of its secret part. */
    public record Party(PGPSecretKeyRing secretRing, char[] passphrase) {

        public PGPPublicKeyRing publicRing() {
            return publicOf(secretRing);
        }

        /** The key that signs and receives (the master key here). */
        public PGPPublicKey publicKey() {
            return secretRing.getPublicKey();
        }

        public PGPPrivateKey privateKey() {
            try {
                return secretRing.getSecretKey().extractPrivateKey(
                        new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase));
            } catch (PGPException e) {
                throw new IllegalStateException("cannot unlock the secret key: " + e.getMessage(), e);
            }
        }

        /** The key id as the connector names it (16 hexadecimal digits in groups of 4: "D123 4567 8901 234E"). */
        public String keyId() {
            String hex = String.format(java.util.Locale.ROOT, "%016X", publicKey().getKeyID());
            return hex.substring(0, 4) + " " + hex.substring(4, 8) + " " + hex.substring(8, 12) + " " + hex.substring(12);
        }

        /** Fingerprint in hexadecimal, as {@code gpg --fingerprint} shows it (without spaces). */
        public String fingerprint() {
            return Hex.toHexString(publicKey().getFingerprint()).toUpperCase();
        }

        public byte[] armoredSecret() {
            return armor(out -> secretRing.encode(out));
        }

        public byte[] armoredPublic() {
            return armor(out -> publicOf(secretRing).encode(out));
        }

        /** Writes {@code <name>.sec.asc}, {@code <name>.pub.asc} and {@code <name>.passphrase} into dir. */
        public void save(Path dir, String name) throws IOException {
            Files.createDirectories(dir);
            writePrivate(dir.resolve(name + ".sec.asc"), armoredSecret());
            writePrivate(dir.resolve(name + ".passphrase"), new String(passphrase).getBytes(StandardCharsets.UTF_8));
            Files.write(dir.resolve(name + ".pub.asc"), armoredPublic());
        }
    }

    /** The double's three parties, read from (or generated at first use into) a folder. */
    public record KeySet(Path dir, Party caf, Party departement, Party stranger) {
        public Path secretRing(String party) {
            return dir.resolve(party + ".sec.asc");
        }

        public Path publicRing(String party) {
            return dir.resolve(party + ".pub.asc");
        }

        public Path passphraseFile(String party) {
            return dir.resolve(party + ".passphrase");
        }
    }

    /** Reads the key folder, generating the missing parties (first start of the double). */
    public static synchronized KeySet ensure(Path dir) throws IOException {
        return new KeySet(dir, ensure(dir, CAF, "CAF double (signature des flux RSA) <caf-double@example.invalid>"),
                ensure(dir, DEPARTEMENT, "Departement de l'Aisne (demo) <hub-caf@example.invalid>"),
                ensure(dir, STRANGER, "Not the CAF <stranger@example.invalid>"));
    }

    private static Party ensure(Path dir, String name, String userId) throws IOException {
        Path sec = dir.resolve(name + ".sec.asc");
        Path pass = dir.resolve(name + ".passphrase");
        if (Files.exists(sec) && Files.exists(pass)) {
            try (InputStream in = Files.newInputStream(sec)) {
                return new Party(readSecretRing(in),
                        Files.readString(pass, StandardCharsets.UTF_8).strip().toCharArray());
            }
        }
        Party p = generate(userId, randomPassphrase(), RSA_BITS);
        p.save(dir, name);
        return p;
    }

    /** A new RSA key ring for userId, its secret part protected by passphrase. */
    public static Party generate(String userId, char[] passphrase, int bits) {
        return generate(userId, passphrase, bits, new Date(), 0);
    }

    /**
     * A CAF key that has expired: created {@code daysAgo} days ago, valid for one day (the signatures it makes
     * today are still cryptographically correct: only its expiry says not to trust them).
     */
    public static Party expired(String userId, int bits, int daysAgo) {
        return generate(userId, randomPassphrase(), bits,
                new Date(System.currentTimeMillis() - daysAgo * 86_400_000L), 86_400);
    }

    /**
     * The public key ring of {@code party} with a revocation of its key ("key compromised"), signed by the key
     * itself, as the CAF would publish it: what the department's etc/ holds once it learns of the revocation.
     */
    public static PGPPublicKeyRing revoked(Party party) {
        try {
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setRevocationReason(false, org.bouncycastle.bcpg.sig.RevocationReasonTags.KEY_COMPROMISED,
                    "key compromised (CAF double)");
            PGPSignatureGenerator g = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(
                    party.publicKey().getAlgorithm(), HashAlgorithmTags.SHA256), party.publicKey());
            g.init(PGPSignature.KEY_REVOCATION, party.privateKey());
            g.setHashedSubpackets(hashed.generate());
            PGPPublicKey revokedKey = PGPPublicKey.addCertification(party.publicKey(),
                    g.generateCertification(party.publicKey()));
            return PGPPublicKeyRing.insertPublicKey(party.publicRing(), revokedKey);
        } catch (PGPException e) {
            throw new IllegalStateException("OpenPGP revocation failed: " + e.getMessage(), e);
        }
    }

    /** Armored public key ring (what goes into the department's etc/ as pgp.partnerPublicKey). */
    public static byte[] armored(PGPPublicKeyRing ring) {
        return armor(ring::encode);
    }

    private static Party generate(String userId, char[] passphrase, int bits, Date created, long validSeconds) {
        try {
            RSAKeyPairGenerator g = new RSAKeyPairGenerator();
            g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), bits, 100));
            AsymmetricCipherKeyPair kp = g.generateKeyPair();
            PGPKeyPair master = new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PGPPublicKey.RSA_GENERAL, kp, created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            if (validSeconds > 0) {
                hashed.setKeyExpirationTime(false, validSeconds);
            }
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA | KeyFlags.ENCRYPT_COMMS
                    | KeyFlags.ENCRYPT_STORAGE);
            hashed.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512});
            hashed.setPreferredSymmetricAlgorithms(false,
                    new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            hashed.setPreferredCompressionAlgorithms(false,
                    new int[] {CompressionAlgorithmTags.ZIP, CompressionAlgorithmTags.UNCOMPRESSED});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            BcPGPDigestCalculatorProvider digests = new BcPGPDigestCalculatorProvider();
            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, master, userId,
                    digests.get(HashAlgorithmTags.SHA1), // the v4 secret key checksum, fixed by RFC 4880
                    hashed.generate(), null,
                    new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256),
                    new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256,
                            digests.get(HashAlgorithmTags.SHA256), 0xc0).build(passphrase));
            return new Party(gen.generateSecretKeyRing(), passphrase);
        } catch (PGPException e) {
            throw new IllegalStateException("OpenPGP key generation failed: " + e.getMessage(), e);
        }
    }

    public static PGPSecretKeyRing readSecretRing(InputStream in) throws IOException {
        try {
            return new PGPSecretKeyRing(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (PGPException e) {
            throw new IOException("not an OpenPGP secret key ring: " + e.getMessage(), e);
        }
    }

    public static PGPPublicKeyRing readPublicRing(InputStream in) throws IOException {
        return new PGPPublicKeyRing(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
    }

    static PGPPublicKeyRing publicOf(PGPSecretKeyRing ring) {
        java.util.List<PGPPublicKey> keys = new java.util.ArrayList<>();
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext();) {
            keys.add(it.next());
        }
        return new PGPPublicKeyRing(keys);
    }

    private static char[] randomPassphrase() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    private static byte[] armor(Encoder e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream out = new ArmoredOutputStream(bytes)) {
            e.encode(out);
        } catch (IOException io) {
            throw new IllegalStateException(io);
        }
        return bytes.toByteArray();
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data folder's own permissions apply
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
