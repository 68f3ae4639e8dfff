package fr.aisne.hub.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

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
    private static final byte[] AAD = "hub-registry/nir".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey encryptionKey;
    private final SecretKey indexKey;
    private final SecureRandom random = new SecureRandom();

    private NirVault(SecretKey encryptionKey, SecretKey indexKey) {
        this.encryptionKey = encryptionKey;
        this.indexKey = indexKey;
    }

    /** Opens the keystore in {@code etc}, creating keystore, keys and password file on first use. */
    static NirVault open(Path etc) throws IOException, GeneralSecurityException {
        Path ks = etc.resolve(KEYSTORE);
        Path pw = etc.resolve(PASSWORD_FILE);
        if (!Files.exists(ks)) {
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            KeyGenerator aes = KeyGenerator.getInstance("AES");
            aes.init(256);
            KeyGenerator hmac = KeyGenerator.getInstance("HmacSHA256");
            hmac.init(256);
            KeyStore.PasswordProtection prot = new KeyStore.PasswordProtection(password);
            store.setEntry(ENC_ALIAS, new KeyStore.SecretKeyEntry(aes.generateKey()), prot);
            store.setEntry(INDEX_ALIAS, new KeyStore.SecretKeyEntry(hmac.generateKey()), prot);
            writeOwnerOnly(pw, new String(password).getBytes(StandardCharsets.UTF_8));
            Path tmp = ks.resolveSibling(KEYSTORE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, ks, StandardCopyOption.ATOMIC_MOVE);
        }
        char[] password = Files.readString(pw, StandardCharsets.UTF_8).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, password);
        }
        KeyStore.PasswordProtection prot = new KeyStore.PasswordProtection(password);
        SecretKey enc = ((KeyStore.SecretKeyEntry) store.getEntry(ENC_ALIAS, prot)).getSecretKey();
        SecretKey idx = ((KeyStore.SecretKeyEntry) store.getEntry(INDEX_ALIAS, prot)).getSecretKey();
        return new NirVault(enc, idx);
    }

    /** "v1:" + base64(IV || ciphertext || tag). */
    String encrypt(String nir13) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(AAD);
            byte[] ct = c.doFinal(nir13.getBytes(StandardCharsets.US_ASCII));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("NIR encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    String decrypt(String stored) {
        if (stored == null || !stored.startsWith(VERSION)) {
            throw new IllegalStateException("unknown NIR encryption format");
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(VERSION.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(AAD);
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.US_ASCII);
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

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content);
    }
}
