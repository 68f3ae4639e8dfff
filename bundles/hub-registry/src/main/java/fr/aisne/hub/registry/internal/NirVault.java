package fr.aisne.hub.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

import fr.aisne.hub.api.operations.LocalKeys;

/**
 * Where NIRs are protected: encrypted at rest with AES-256-GCM, and found through a keyed blind index
 * (HMAC-SHA-256), so that a NIR never appears in clear in a query. Both keys live in a PKCS#12 keystore
 * under etc/ (created at first start, with a random password in a file readable by its owner only),
 * never in the code or the repository.
 * <p>
 * A sealed NIR is bound to its row: the associated data names the row ({@link #person} or {@link #candidate}),
 * so a ciphertext copied into another person's row does not open. Values sealed by earlier versions ("v1:",
 * one constant label for every row) are re-sealed bound to their row at start ({@link #reseal}).
 */
final class NirVault {
    static final String KEYSTORE = "hub-registry.p12";
    static final String PASSWORD_FILE = "hub-registry.keystore.password";
    static final String ENC_ALIAS = "nir-encryption-v1";
    private static final String INDEX_ALIAS = "nir-index-v1";
    /** Earlier format: the same associated data for every row. Only {@link #reseal} opens it. */
    static final String V1 = "v1:";
    private static final String V1_AAD = "hub-registry/nir";
    /** Current format: the associated data names the row. */
    static final String V2 = "v2:";
    private static final String V2_AAD = "hub-registry/nir/v2/";

    private final SecretKey encryptionKey;
    private final SecretKey indexKey;

    private NirVault(SecretKey encryptionKey, SecretKey indexKey) {
        this.encryptionKey = encryptionKey;
        this.indexKey = indexKey;
    }

    /** Opens the keystore in {@code etc}, creating keystore, keys and password file on first use. */
    static NirVault open(Path etc) throws IOException, GeneralSecurityException {
        Map<String, SecretKey> keys = LocalKeys.open(etc, KEYSTORE, PASSWORD_FILE, List.of(
                new LocalKeys.Spec(ENC_ALIAS, "AES", 256), new LocalKeys.Spec(INDEX_ALIAS, "HmacSHA256", 256)));
        return new NirVault(keys.get(ENC_ALIAS), keys.get(INDEX_ALIAS));
    }

    /** The row a person's NIR is bound to (table reg_nir). */
    static String person(String personId) {
        return "person:" + personId;
    }

    /** The row a waiting observation's NIR is bound to (table reg_match_candidate). */
    static String candidate(String candidateId) {
        return "candidate:" + candidateId;
    }

    /** "v2:" + base64(IV || ciphertext || tag), bound to {@code row} ({@link #person}, {@link #candidate}). */
    String encrypt(String nir13, String row) {
        return V2 + seal(nir13, V2_AAD + row);
    }

    /**
     * The NIR sealed for {@code row}. Fails, with a message that names the row and never the value, when the value
     * was sealed for another row, with another key, altered, or is still in the v1 format.
     */
    String decrypt(String stored, String row) {
        if (stored != null && stored.startsWith(V1)) {
            throw new IllegalStateException("NIR of " + row + " is still in the v1 format (not bound to its row): "
                    + "the registry re-seals such values at start; restart it");
        }
        if (stored == null || !stored.startsWith(V2)) {
            throw new IllegalStateException("NIR of " + row + ": unknown encryption format");
        }
        return open(stored.substring(V2.length()), V2_AAD + row, row);
    }

    /** Whether {@code stored} is in the earlier, row-independent format. */
    static boolean isV1(String stored) {
        return stored != null && stored.startsWith(V1);
    }

    /** A v1 value re-sealed in the current format, bound to {@code row}. */
    String reseal(String storedV1, String row) {
        if (!isV1(storedV1)) {
            throw new IllegalArgumentException("not a v1 value");
        }
        return encrypt(open(storedV1.substring(V1.length()), V1_AAD, row), row);
    }

    private String seal(String nir13, String aad) {
        try {
            return Base64.getEncoder().encodeToString(LocalKeys.seal(encryptionKey, aad,
                    nir13.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("NIR encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private String open(String base64, String aad, String row) {
        try {
            return new String(LocalKeys.open(encryptionKey, aad, Base64.getDecoder().decode(base64)),
                    StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // no cause: the provider's message is not ours to vouch for
            throw new IllegalStateException("NIR of " + row + " cannot be opened: sealed for another row, with "
                    + "another key, or altered (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Keyed blind index: equal NIRs give equal indexes; without the key the index reveals nothing. */
    String index(String nir13) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(indexKey);
            return HexFormat.of().formatHex(mac.doFinal(nir13.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("NIR index failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
