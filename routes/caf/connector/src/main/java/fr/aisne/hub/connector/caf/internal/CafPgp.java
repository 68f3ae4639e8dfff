package fr.aisne.hub.connector.caf.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

import fr.aisne.hub.api.Settings;

/**
 * Opens the CAF's OpenPGP files: decrypts with the department's private key and verifies the CAF's
 * signature, streaming (a 64 KiB buffer whatever the file's size). The expected shape is what
 * {@code gpg --sign --encrypt} produces: a public-key encrypted session key for the department, then an
 * integrity-protected encrypted packet holding (optionally compressed) one-pass signature, literal data
 * and signature. A signature placed before the data (older tools) is verified too.
 * <p>
 * A file is refused ({@link Rejected}, with the reason in words, never any key material) when: it is not
 * encrypted, or not to one of our keys; it has no integrity protection (no MDC) or fails the integrity
 * check (altered, truncated); it is encrypted with another algorithm than AES-128, -192 or -256 (CAST5, Triple
 * DES, IDEA...: the RGS allows AES); it is unsigned and {@code pgp.requireSignature=true}; it is signed only by
 * keys other than the CAF's; a CAF signature does not match the content; the signature uses a hash the
 * RGS rules out (MD5, SHA-1, RIPEMD-160); the CAF key that signed it has expired or is revoked (a revocation
 * in the key file of {@code pgp.partnerPublicKey}, verified); its decrypted (decompressed) content grows
 * beyond the flow's {@code maxPayloadBytes}: the decryption stops there (a compression bomb would otherwise
 * fill the disk before the signature at its end can be checked). The decrypted bytes are written to
 * {@code out} as they come, so
 * the caller must write them somewhere provisional and use them only when no exception was thrown (see
 * {@link CafPgpIntake}): the signature and the integrity check can only be verified at the end.
 * <p>
 * Bouncy Castle's lightweight API is used throughout (no JCA provider registered, nothing global changed
 * in the OSGi framework). Private keys are unlocked once, when the settings are read: a wrong passphrase is
 * a settings error at activation, not a rejected file.
 */
final class CafPgp {
    private static final int BUFFER = 1 << 16;
    private static final Set<Integer> WEAK_HASHES = Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1,
            HashAlgorithmTags.RIPEMD160, HashAlgorithmTags.MD2);
    private static final byte[] ARMOR = "-----BEGIN PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII);
    /** The symmetric algorithms the RGS allows for the content (AES). */
    private static final Set<Integer> AES = Set.of(SymmetricKeyAlgorithmTags.AES_128, SymmetricKeyAlgorithmTags.AES_192,
            SymmetricKeyAlgorithmTags.AES_256);

    /** A file refused, with the reason an operator reads in the quarantine's .reason.txt and the logs. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason);
        }

        Rejected(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** A file opened: plain length and who signed it (key id and user id, or "unsigned"). */
    record Outcome(long bytes, String signer) {
    }

    /** A failed write of the decrypted output: a local I/O problem, not a reason to refuse the file. */
    private static final class OutputFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputFailed(IOException cause) {
            super(cause);
        }
    }

    private final Map<Long, PGPPrivateKey> privateKeys;
    private final PGPPublicKeyRingCollection partner;
    private final boolean requireSignature;
    private final long maxPlainBytes;

    CafPgp(Map<Long, PGPPrivateKey> privateKeys, PGPPublicKeyRingCollection partner, boolean requireSignature) {
        this(privateKeys, partner, requireSignature, Long.MAX_VALUE);
    }

    /** @param maxPlainBytes the most decrypted bytes a file may give (the flow's maxPayloadBytes) */
    CafPgp(Map<Long, PGPPrivateKey> privateKeys, PGPPublicKeyRingCollection partner, boolean requireSignature,
            long maxPlainBytes) {
        if (privateKeys.isEmpty()) {
            throw new IllegalArgumentException("pgp.secretKeyRing holds no usable secret key");
        }
        if (requireSignature && partner == null) {
            throw new IllegalArgumentException("pgp.requireSignature=true needs pgp.partnerPublicKey (the CAF's key)");
        }
        this.privateKeys = privateKeys;
        this.partner = partner;
        this.requireSignature = requireSignature;
        this.maxPlainBytes = maxPlainBytes;
    }

    boolean requireSignature() {
        return requireSignature;
    }

    /** The CAF keys signatures are checked against (ids and user ids), for the connector's settings. */
    String describePartner() {
        if (partner == null) {
            return "no CAF key (pgp.partnerPublicKey)";
        }
        List<String> keys = new ArrayList<>();
        for (PGPPublicKeyRing r : partner) {
            keys.add(keyId(r.getPublicKey().getKeyID()) + " " + userId(r.getPublicKey().getKeyID()));
        }
        return "CAF key " + String.join(", ", keys);
    }

    /**
     * Settings {@code pgp.secretKeyRing}, {@code pgp.passphraseFile}, {@code pgp.partnerPublicKey} (paths,
     * relative ones under etc), {@code pgp.requireSignature} (default true). Null when
     * {@code pgp.secretKeyRing} is not set (OpenPGP not used).
     *
     * @param maxPlainBytes the flow's maxPayloadBytes: the most a file may give once decrypted
     */
    static CafPgp fromSettings(Map<String, ?> config, Path etc, long maxPlainBytes) {
        Settings settings = Settings.of(config, CafConnector.FILE);
        String ring = settings.string("pgp.secretKeyRing", null);
        if (ring == null) {
            return null;
        }
        String pass = settings.string("pgp.passphraseFile", null);
        String partnerKey = settings.string("pgp.partnerPublicKey", null);
        char[] passphrase = pass == null ? new char[0] : readPassphrase(etc.resolve(pass));
        try {
            return new CafPgp(unlock(etc.resolve(ring), passphrase),
                    partnerKey == null ? null : readPublicKeys(etc.resolve(partnerKey)),
                    settings.bool("pgp.requireSignature", true), maxPlainBytes);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Unlocks every secret key of an (armored or binary) key ring file. */
    static Map<Long, PGPPrivateKey> unlock(Path ringFile, char[] passphrase) {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(ringFile))) {
            rings = new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IllegalArgumentException("pgp.secretKeyRing " + ringFile
                    + " is not a readable OpenPGP secret key ring (" + e.getClass().getSimpleName() + ")");
        }
        Map<Long, PGPPrivateKey> keys = new LinkedHashMap<>();
        for (PGPSecretKeyRing r : rings) {
            for (Iterator<PGPSecretKey> it = r.getSecretKeys(); it.hasNext();) {
                PGPSecretKey k = it.next();
                if (k.isPrivateKeyEmpty()) {
                    continue;
                }
                try {
                    keys.put(k.getKeyID(), k.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(
                            new BcPGPDigestCalculatorProvider()).build(passphrase)));
                } catch (PGPException e) {
                    throw new IllegalArgumentException("pgp.passphraseFile does not unlock key " + keyId(k.getKeyID())
                            + " of pgp.secretKeyRing " + ringFile);
                }
            }
        }
        return keys;
    }

    static PGPPublicKeyRingCollection readPublicKeys(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IllegalArgumentException("pgp.partnerPublicKey " + file + " is not a readable OpenPGP public key "
                    + "(" + e.getClass().getSimpleName() + ")");
        }
    }

    static char[] readPassphrase(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
                end--;
            }
            return s.substring(0, end).toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("pgp.passphraseFile " + file + " is not readable");
        }
    }

    /** True when the file starts like an OpenPGP message (binary packet or ASCII armor), whatever its name. */
    static boolean isOpenPgp(Path file) throws IOException {
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return isOpenPgp(head, n);
    }

    static boolean isOpenPgp(byte[] head, int n) {
        int i = 0;
        while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (n - i >= ARMOR.length && Arrays.equals(head, i, i + ARMOR.length, ARMOR, 0, ARMOR.length)) {
            return true;
        }
        int b = head[0] & 0xff;
        if ((b & 0x80) == 0) {
            return false; // XML starts with '<' (or a BOM, whose first byte is not a message packet's tag)
        }
        int tag = (b & 0x40) != 0 ? b & 0x3f : (b >> 2) & 0x0f;
        // session keys (1, 3), one-pass signature (4), signature (2), compressed (8), encrypted without and
        // with integrity (9, 18, 20), marker (10), literal (11)
        return Set.of(1, 2, 3, 4, 8, 9, 10, 11, 18, 20).contains(tag);
    }

    /**
     * Decrypts and verifies in into out.
     *
     * @throws Rejected    when the file must be refused (see the class comment)
     * @throws IOException when writing out failed
     */
    Outcome decrypt(InputStream in, OutputStream out) throws Rejected, IOException {
        try {
            return open(in, out);
        } catch (OutputFailed e) {
            throw (IOException) e.getCause();
        } catch (Rejected e) {
            throw e;
        } catch (PGPException | IOException | RuntimeException e) {
            throw new Rejected("cannot be decrypted: damaged, altered or truncated (" + describe(e) + ")", e);
        }
    }

    private Outcome open(InputStream in, OutputStream out) throws Rejected, PGPException, IOException {
        PGPObjectFactory outer = new BcPGPObjectFactory(PGPUtil.getDecoderStream(in));
        Object o = next(outer);
        if (!(o instanceof PGPEncryptedDataList list)) {
            throw new Rejected(o == null ? "no OpenPGP data" : "not encrypted (" + kind(o) + "): only files encrypted "
                    + "to the department's key are accepted");
        }
        PGPPublicKeyEncryptedData chosen = null;
        InputStream clear = null;
        List<String> recipients = new ArrayList<>();
        for (PGPEncryptedData ed : list) {
            if (!(ed instanceof PGPPublicKeyEncryptedData pk)) {
                recipients.add("passphrase");
                continue;
            }
            recipients.add(pk.getKeyID() == 0 ? "anonymous" : keyId(pk.getKeyID()));
            for (Map.Entry<Long, PGPPrivateKey> k : privateKeys.entrySet()) {
                if (pk.getKeyID() != 0 && pk.getKeyID() != k.getKey()) {
                    continue;
                }
                if (!pk.isIntegrityProtected()) {
                    throw new Rejected("encrypted without integrity protection (no MDC): refused");
                }
                try {
                    BcPublicKeyDataDecryptorFactory key = new BcPublicKeyDataDecryptorFactory(k.getValue());
                    int algorithm = pk.getSymmetricAlgorithm(key);
                    if (!AES.contains(algorithm)) {
                        throw new Rejected("encrypted with " + cipherName(algorithm) + " (OpenPGP symmetric algorithm "
                                + algorithm + "): only AES-128, AES-192 and AES-256 are accepted (RGS)");
                    }
                    clear = pk.getDataStream(key);
                    chosen = pk;
                    break;
                } catch (PGPException e) {
                    if (pk.getKeyID() != 0) {
                        throw e; // our key, and still the session key does not come out: damaged
                    }
                }
            }
            if (chosen != null) {
                break;
            }
        }
        if (chosen == null) {
            throw new Rejected("not encrypted to the department's key (recipients " + recipients + ", ours "
                    + privateKeys.keySet().stream().map(CafPgp::keyId).toList() + ")");
        }

        PGPObjectFactory inner = new BcPGPObjectFactory(clear);
        Object m = inner.nextObject();
        if (m instanceof PGPCompressedData c) {
            inner = new BcPGPObjectFactory(c.getDataStream());
            m = inner.nextObject();
        }
        List<Long> signers = new ArrayList<>();
        List<PGPOnePassSignature> onePass = new ArrayList<>();
        List<PGPSignature> before = new ArrayList<>();
        boolean trailer = false;
        if (m instanceof PGPOnePassSignatureList ops) {
            trailer = true;
            for (PGPOnePassSignature s : ops) {
                signers.add(s.getKeyID());
                PGPPublicKey k = partnerKey(s.getKeyID());
                if (k != null) {
                    s.init(new BcPGPContentVerifierBuilderProvider(), k);
                    onePass.add(s);
                }
            }
            m = inner.nextObject();
        } else if (m instanceof PGPSignatureList sigs) {
            for (PGPSignature s : sigs) {
                signers.add(s.getKeyID());
                PGPPublicKey k = partnerKey(s.getKeyID());
                if (k != null) {
                    s.init(new BcPGPContentVerifierBuilderProvider(), k);
                    before.add(s);
                }
            }
            m = inner.nextObject();
        }
        if (!(m instanceof PGPLiteralData literal)) {
            throw new Rejected("unexpected content (" + kind(m) + ") where the file's data was expected");
        }
        long bytes = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream data = literal.getInputStream()) {
            for (int n; (n = data.read(buf)) > 0;) {
                if (bytes + n > maxPlainBytes) {
                    // before writing: what was decrypted so far is deleted by the caller
                    throw new Rejected("decrypted content larger than the " + maxPlainBytes + " bytes the flow accepts "
                            + "(maxPayloadBytes): decryption stopped there and the decrypted part deleted (a compression bomb, or a "
                            + "file too large for this flow)");
                }
                for (PGPOnePassSignature s : onePass) {
                    s.update(buf, 0, n);
                }
                for (PGPSignature s : before) {
                    s.update(buf, 0, n);
                }
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    throw new OutputFailed(e);
                }
                bytes += n;
            }
        }
        PGPSignatureList after = null;
        if (trailer && inner.nextObject() instanceof PGPSignatureList l) {
            after = l; // missing: reported by verdict(), after the integrity check
        }
        // Integrity first: an altered file would otherwise be reported as a bad signature.
        if (!chosen.verify()) {
            throw new Rejected("integrity check failed (MDC): the file was altered or truncated");
        }
        return new Outcome(bytes, verdict(signers, onePass, before, after));
    }

    /** Applies the signature rules; returns who signed. */
    private String verdict(List<Long> signers, List<PGPOnePassSignature> onePass, List<PGPSignature> before,
            PGPSignatureList after) throws Rejected, PGPException {
        if (signers.isEmpty()) {
            if (requireSignature) {
                throw new Rejected("not signed: the CAF's signature is required (pgp.requireSignature=true)");
            }
            return "unsigned";
        }
        if (partner == null) {
            return "signed by " + ids(signers) + ", not checked (no pgp.partnerPublicKey)";
        }
        List<PGPSignature> checked = new ArrayList<>();
        for (PGPOnePassSignature s : onePass) {
            PGPSignature sig = after == null ? null : find(after, s.getKeyID());
            if (sig == null) {
                throw new Rejected("truncated: the signature of key " + keyId(s.getKeyID()) + " is missing");
            }
            weakHash(sig);
            if (!s.verify(sig)) {
                throw new Rejected("the CAF's signature (key " + keyId(s.getKeyID())
                        + ") does not match the content: altered, or not what the CAF signed");
            }
            usable(sig);
            checked.add(sig);
        }
        for (PGPSignature sig : before) {
            weakHash(sig);
            if (!sig.verify()) {
                throw new Rejected("the CAF's signature (key " + keyId(sig.getKeyID())
                        + ") does not match the content: altered, or not what the CAF signed");
            }
            usable(sig);
            checked.add(sig);
        }
        if (checked.isEmpty()) {
            throw new Rejected("signed by another key (" + ids(signers) + "), not by the CAF's key ("
                    + partnerIds() + ")");
        }
        long id = checked.get(0).getKeyID();
        return "signed by " + keyId(id) + " " + userId(id);
    }

    /**
     * The CAF key that made a (correct) signature must be neither revoked nor expired, now and when it signed; a
     * subkey also needs its primary key to be valid. Only revocations that verify count.
     */
    private void usable(PGPSignature sig) throws Rejected, PGPException {
        PGPPublicKeyRing ring = partner.getPublicKeyRing(sig.getKeyID());
        PGPPublicKey primary = ring.getPublicKey();
        PGPPublicKey key = ring.getPublicKey(sig.getKeyID());
        Instant now = Instant.now();
        for (PGPPublicKey k : key.isMasterKey() ? List.of(key) : List.of(primary, key)) {
            String which = "the CAF's " + (k.isMasterKey() ? "" : "sub") + "key " + keyId(k.getKeyID()) + " "
                    + userId(primary.getKeyID());
            Instant revoked = revocation(primary, k);
            if (revoked != null) {
                throw new Rejected(which + " was revoked on " + revoked + ": its signatures are refused; ask the CAF "
                        + "for its new key (pgp.partnerPublicKey)");
            }
            long valid = k.getValidSeconds();
            if (valid > 0) {
                Instant expiry = k.getCreationTime().toInstant().plusSeconds(valid);
                if (!expiry.isAfter(now) || !expiry.isAfter(sig.getCreationTime().toInstant())) {
                    throw new Rejected(which + " expired on " + expiry + ": its signatures are refused; ask the CAF "
                            + "for its new key or the extension of this one (pgp.partnerPublicKey)");
                }
            }
        }
    }

    /** When {@code key} was revoked by a revocation signature that verifies (by the primary key), or null. */
    private static Instant revocation(PGPPublicKey primary, PGPPublicKey key) throws PGPException {
        int type = key.isMasterKey() ? PGPSignature.KEY_REVOCATION : PGPSignature.SUBKEY_REVOCATION;
        for (Iterator<PGPSignature> it = key.getSignaturesOfType(type); it.hasNext();) {
            PGPSignature r = it.next();
            r.init(new BcPGPContentVerifierBuilderProvider(), primary);
            boolean verified = key.isMasterKey() ? r.verifyCertification(key) : r.verifyCertification(primary, key);
            if (verified) {
                return r.getCreationTime().toInstant();
            }
        }
        return null;
    }

    private static String cipherName(int algorithm) {
        try {
            return PGPUtil.getSymmetricCipherName(algorithm);
        } catch (RuntimeException unknown) {
            return "an unknown cipher";
        }
    }

    private static void weakHash(PGPSignature sig) throws Rejected {
        if (WEAK_HASHES.contains(sig.getHashAlgorithm())) {
            throw new Rejected("signature of key " + keyId(sig.getKeyID()) + " uses a hash the RGS refuses (algorithm "
                    + sig.getHashAlgorithm() + ", e.g. SHA-1)");
        }
    }

    private static PGPSignature find(PGPSignatureList list, long keyId) {
        for (PGPSignature s : list) {
            if (s.getKeyID() == keyId) {
                return s;
            }
        }
        return null;
    }

    private PGPPublicKey partnerKey(long id) throws PGPException {
        return partner == null ? null : partner.getPublicKey(id);
    }

    private String userId(long id) {
        PGPPublicKeyRing ring = partner.getPublicKeyRing(id);
        Iterator<String> ids = ring == null ? null : ring.getPublicKey().getUserIDs();
        return ids != null && ids.hasNext() ? "(" + ids.next() + ")" : "";
    }

    private List<String> partnerIds() {
        List<String> out = new ArrayList<>();
        for (PGPPublicKeyRing r : partner) {
            for (Iterator<PGPPublicKey> it = r.getPublicKeys(); it.hasNext();) {
                out.add(keyId(it.next().getKeyID()));
            }
        }
        return out;
    }

    private static List<String> ids(List<Long> ids) {
        return ids.stream().map(CafPgp::keyId).toList();
    }

    private static Object next(PGPObjectFactory f) throws IOException {
        Object o = f.nextObject();
        while (o instanceof PGPMarker) {
            o = f.nextObject();
        }
        return o;
    }

    /**
     * A key id as GnuPG groups a fingerprint ("D123 4567 8901 234E"). Unbroken, 13 digits or more of a random id
     * look like a NIR to {@link fr.aisne.hub.api.Redaction}, and the journal showed the operator "D[number]E".
     */
    static String keyId(long id) {
        String hex = String.format(Locale.ROOT, "%016X", id);
        return hex.substring(0, 4) + " " + hex.substring(4, 8) + " " + hex.substring(8, 12) + " " + hex.substring(12);
    }

    private static String kind(Object o) {
        return o == null ? "nothing" : o.getClass().getSimpleName().replace("PGP", "");
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(' ').append(t.getMessage());
            }
        }
        return sb.toString();
    }
}
