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
 */
final class NirVault {
    static final String KEYSTORE = "hub-registry.p12";
    static final String PASSWORD_FILE = "hub-registry.keystore.password";
    private static final String ENC_ALIAS = "nir-encryption-v1";
    private static final String INDEX_ALIAS = "nir-index-v1";
    private static final String VERSION = "v1:";
    private static final String AAD = "hub-registry/nir";

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

    /** "v1:" + base64(IV || ciphertext || tag). */
    String encrypt(String nir13) {
        try {
            return VERSION + Base64.getEncoder().encodeToString(LocalKeys.seal(encryptionKey, AAD,
                    nir13.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("NIR encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    String decrypt(String stored) {
        if (stored == null || !stored.startsWith(VERSION)) {
            throw new IllegalStateException("unknown NIR encryption format");
        }
        try {
            return new String(LocalKeys.open(encryptionKey, AAD, Base64.getDecoder().decode(stored.substring(
                    VERSION.length()))), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("NIR decryption failed (wrong key or altered value)", e);
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
