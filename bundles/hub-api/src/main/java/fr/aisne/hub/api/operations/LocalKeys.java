package fr.aisne.hub.api.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Secret keys the hub keeps itself: a PKCS#12 keystore under etc/ with a random password in a sibling file,
 * both owner-readable only, created with their keys at first use (the NIR vault, the connectors' secrets).
 * And AES-256-GCM sealing with those keys: IV (12 bytes) || ciphertext || tag, bound to an associated-data
 * label so that a sealed value cannot be moved to another use. Messages never contain a key or a value.
 */
public final class LocalKeys {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key of the keystore: alias, generator algorithm ("AES", "HmacSHA256") and size in bits. */
    public record Spec(String alias, String algorithm, int bits) {
    }

    private LocalKeys() {
    }

    /** The keys of {@code etc/keystore}, creating the keystore, its keys and its password file on first use. */
    public static synchronized Map<String, SecretKey> open(Path etc, String keystore, String passwordFile, List<Spec> keys)
            throws IOException, GeneralSecurityException {
        Path ks = etc.resolve(keystore);
        Path pw = etc.resolve(passwordFile);
        if (!Files.exists(ks)) {
            create(etc, ks, pw, keys);
        }
        if (!Files.exists(pw)) {
            throw new IOException(passwordFile + " is missing next to " + keystore + " in " + etc
                    + ": restore both from the backup (what they protect cannot be read without them)");
        }
        char[] password = Files.readString(pw, StandardCharsets.UTF_8).strip().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                store.load(in, password);
            }
            KeyStore.PasswordProtection prot = new KeyStore.PasswordProtection(password);
            Map<String, SecretKey> out = new LinkedHashMap<>();
            for (Spec k : keys) {
                if (!(store.getEntry(k.alias(), prot) instanceof KeyStore.SecretKeyEntry entry)) {
                    throw new GeneralSecurityException(keystore + " holds no key " + k.alias());
                }
                out.put(k.alias(), entry.getSecretKey());
            }
            return out;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static void create(Path etc, Path ks, Path pw, List<Spec> keys) throws IOException, GeneralSecurityException {
        Files.createDirectories(etc);
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        KeyStore.PasswordProtection prot = new KeyStore.PasswordProtection(password);
        for (Spec k : keys) {
            KeyGenerator generator = KeyGenerator.getInstance(k.algorithm());
            generator.init(k.bits());
            store.setEntry(k.alias(), new KeyStore.SecretKeyEntry(generator.generateKey()), prot);
        }
        writeOwnerOnly(pw, new String(password).getBytes(StandardCharsets.UTF_8));
        Path tmp = ks.resolveSibling(ks.getFileName() + ".tmp");
        writeOwnerOnly(tmp, new byte[0]);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, password);
        }
        try {
            Files.move(tmp, ks, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes a file readable by its owner only (where the file system has POSIX permissions). */
    public static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.write(file, content);
    }

    /** AES-GCM with a fresh random IV: IV || ciphertext || tag. */
    public static byte[] seal(SecretKey key, String use, byte[] plain) throws GeneralSecurityException {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(use.getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal(plain);
        byte[] out = new byte[iv.length + ct.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(ct, 0, out, iv.length, ct.length);
        return out;
    }

    /** The plain bytes of {@link #seal}'s output; fails if the key, the use or a single byte differs. */
    public static byte[] open(SecretKey key, String use, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < IV_BYTES) {
            throw new GeneralSecurityException("sealed value too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
        c.updateAAD(use.getBytes(StandardCharsets.UTF_8));
        return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    }
}
