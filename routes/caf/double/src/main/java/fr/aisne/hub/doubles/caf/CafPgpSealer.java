package fr.aisne.hub.doubles.caf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * Seals a flux file as the CAF would send it: signed by the CAF, then encrypted to the department
 * (what {@code gpg --sign --encrypt} produces: one-pass signature, literal data and signature, compressed,
 * in an integrity-protected encrypted packet, AES-256), binary or ASCII-armored. Streaming: memory does
 * not grow with the file. The {@link Defect}s are the bad cases the connector must refuse, with
 * {@link #compressionBomb} and, for keys, {@link CafPgpKeys#expired} and {@link CafPgpKeys#revoked}.
 */
public final class CafPgpSealer {
    private static final int BUFFER = 1 << 16;

    /** What is wrong with a sealed file (NONE: a correct one). */
    public enum Defect {
        NONE,
        /** Encrypted to the department but not signed at all. */
        UNSIGNED,
        /** Signed by a key that is not the CAF's (the sealer's {@code stranger}). */
        WRONG_SIGNER,
        /** Signed by the CAF, but the signature was computed over other content. */
        BAD_SIGNATURE,
        /** Encrypted without integrity protection (no MDC: the old "SED" packet). */
        NO_INTEGRITY,
        /** Correct, but encrypted with CAST5 (gpg's old default): not an algorithm the RGS allows. */
        CAST5,
        /** Correct, but encrypted with Triple DES. */
        TRIPLE_DES,
        /** Correct, but encrypted with IDEA (PGP 2). */
        IDEA
    }

    /** The symmetric algorithm of a defect (AES-256 unless the defect is the algorithm). */
    private static int cipher(Defect defect) {
        switch (defect) {
            case CAST5:
                return SymmetricKeyAlgorithmTags.CAST5;
            case TRIPLE_DES:
                return SymmetricKeyAlgorithmTags.TRIPLE_DES;
            case IDEA:
                return SymmetricKeyAlgorithmTags.IDEA;
            default:
                return SymmetricKeyAlgorithmTags.AES_256;
        }
    }

    private final CafPgpKeys.Party signer;
    private final CafPgpKeys.Party stranger;
    private final PGPPublicKey recipient;

    /**
     * @param signer    the CAF's key
     * @param stranger  another key, used only for {@link Defect#WRONG_SIGNER} (may be null otherwise)
     * @param recipient the department's public key
     */
    public CafPgpSealer(CafPgpKeys.Party signer, CafPgpKeys.Party stranger, PGPPublicKey recipient) {
        this.signer = signer;
        this.stranger = stranger;
        this.recipient = recipient;
    }

    /** The double's own keys: CAF signs, the demo department key receives. */
    public static CafPgpSealer of(CafPgpKeys.KeySet keys) {
        return new CafPgpSealer(keys.caf(), keys.stranger(), keys.departement().publicKey());
    }

    /** Files signed by {@code signer} (an expired or revoked CAF key, say) for the department of {@code keys}. */
    public static CafPgpSealer signedBy(CafPgpKeys.Party signer, CafPgpKeys.KeySet keys) {
        return new CafPgpSealer(signer, keys.stranger(), keys.departement().publicKey());
    }

    public byte[] seal(byte[] plain, String fileName, boolean armor, Defect defect) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 1024);
        try {
            seal(new ByteArrayInputStream(plain), out, fileName, armor, defect);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Signs then encrypts plain into out (out is closed). */
    public void seal(InputStream plain, OutputStream out, String fileName, boolean armor, Defect defect)
            throws IOException {
        try {
            OutputStream target = armor ? new ArmoredOutputStream(out) : out;
            PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                    new BcPGPDataEncryptorBuilder(cipher(defect))
                            .setWithIntegrityPacket(defect != Defect.NO_INTEGRITY)
                            .setSecureRandom(new SecureRandom()));
            encryption.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(recipient));
            OutputStream encrypted = encryption.open(target, new byte[BUFFER]);
            PGPCompressedDataGenerator compression = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZIP);
            OutputStream compressed = compression.open(encrypted, new byte[BUFFER]);

            CafPgpKeys.Party by = defect == Defect.WRONG_SIGNER ? stranger : signer;
            PGPSignatureGenerator signature = null;
            if (defect != Defect.UNSIGNED) {
                signature = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(
                        by.publicKey().getAlgorithm(), HashAlgorithmTags.SHA256), by.publicKey());
                signature.init(PGPSignature.BINARY_DOCUMENT, by.privateKey());
                signature.generateOnePassVersion(false).encode(compressed);
            }
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            OutputStream data = literal.open(compressed, PGPLiteralData.BINARY, fileName, new Date(),
                    new byte[BUFFER]);
            byte[] buf = new byte[BUFFER];
            boolean first = true;
            for (int n; (n = plain.read(buf)) > 0;) {
                data.write(buf, 0, n);
                if (signature != null) {
                    if (first && defect == Defect.BAD_SIGNATURE) {
                        buf[0] ^= 0x01; // the signature covers content that differs by one bit
                    }
                    signature.update(buf, 0, n);
                }
                first = false;
            }
            literal.close();
            if (signature != null) {
                signature.generate().encode(compressed);
            }
            compression.close();
            encryption.close();
            if (armor) {
                target.close();
            }
            out.close();
        } catch (PGPException e) {
            throw new IOException("OpenPGP sealing failed: " + e.getMessage(), e);
        }
    }

    /**
     * A compression bomb, streamed into {@code out} (closed): {@code plainBytes} zero bytes, compressed (about a
     * thousand to one), signed by the CAF and encrypted to the department as a correct file would be. Only its
     * decrypted size gives it away, long before the signature at its end can be checked.
     */
    public void compressionBomb(long plainBytes, OutputStream out) throws IOException {
        seal(new InputStream() {
            private long left = plainBytes;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        }, out, "RSABEM-bomb.xml", false, Defect.NONE);
    }

    /**
     * A sealed binary file with one byte of its ciphertext flipped, in the middle of the encrypted packet
     * (what an alteration in transit, or a truncated/corrupted copy, looks like).
     */
    public static byte[] tamper(byte[] sealedBinary) {
        byte[] t = sealedBinary.clone();
        int i = Math.max(t.length / 2, Math.min(t.length - 1, 600));
        t[i] ^= 0x20;
        return t;
    }
}
