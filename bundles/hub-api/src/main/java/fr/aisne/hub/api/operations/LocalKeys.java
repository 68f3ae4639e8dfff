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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secret keys the hub keeps itself: PKCS#12 keystores under etc/, owner-readable only, created with their keys at
 * first use (the payload key, the NIR vault, the connectors' secrets). Their password comes from outside the
 * installation ({@link KeystorePassword}: an environment variable or a credentials file); in development mode
 * without one, a random password is kept in a file beside the keystore, as earlier versions did, with a warning. A
 * keystore whose password file is still beside it is moved to the external password at its first opening with one
 * (the file is then deleted). And AES-256-GCM sealing with those keys: IV (12 bytes) || ciphertext || tag, bound to
 * an associated-data label so that a sealed value cannot be moved to another use. Messages never contain a key, a
 * password or a value.
 */
public final class LocalKeys {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKeys.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    /** A key of the keystore: alias, generator algorithm ("AES", "HmacSHA256") and size in bits. */
    public record Spec(String alias, String algorithm, int bits) {
    }

    private LocalKeys() {
    }

    /** {@link #open(Path, String, String, List, KeystorePassword)} with the password of this process' environment. */
    public static Map<String, SecretKey> open(Path etc, String keystore, String passwordFile, List<Spec> keys)
            throws IOException, GeneralSecurityException {
        return open(etc, keystore, passwordFile, keys, KeystorePassword.fromEnvironment());
    }

    /**
     * The keys of {@code etc/keystore}, creating the keystore and its keys on first use.
     *
     * @param passwordFile where development mode keeps the password beside the keystore (and where earlier versions
     *                     kept it): read when no external password is given, deleted once the keystore has been
     *                     moved to the external one
     * @throws KeystorePassword.Refused production mode without a usable external password (nothing is created), or
     *                                  a keystore the given password does not open
     */
    public static synchronized Map<String, SecretKey> open(Path etc, String keystore, String passwordFile,
            List<Spec> keys, KeystorePassword external) throws IOException, GeneralSecurityException {
        Path ks = etc.resolve(keystore);
        Path pw = etc.resolve(passwordFile);
        Optional<String> refusal = external.refusal();
        if (refusal.isPresent()) {
            throw new KeystorePassword.Refused(refusal.get());
        }
        Optional<char[]> given = external.password();
        if (!Files.exists(ks)) {
            if (given.isEmpty()) {
                warnBeside(ks, pw);
            }
            create(etc, ks, given.isPresent() ? null : pw, keys, given.orElse(null));
        }
        if (given.isPresent()) {
            char[] password = given.get();
            try {
                if (Files.exists(pw)) {
                    moveOut(ks, pw, password, external.source());
                }
                return read(ks, keystore, keys, password, external.source());
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        if (!Files.exists(pw)) {
            throw new IOException(passwordFile + " is missing next to " + keystore + " in " + etc
                    + ": give the keystore password (" + KeystorePassword.ENV + ", docs/OPERATIONS.md) or restore the "
                    + "file from the backup (what the keystore protects cannot be read without it)");
        }
        warnBeside(ks, pw);
        char[] password = Files.readString(pw, StandardCharsets.UTF_8).strip().toCharArray();
        try {
            return read(ks, keystore, keys, password, passwordFile);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static void warnBeside(Path ks, Path pw) {
        if (WARNED.add(ks.toAbsolutePath())) {
            LOG.warn("Development mode: the password of {} sits beside it in {}, so a copy of etc/ opens it. Give it "
                    + "from outside the installation ({} or {}) and set {} = production (docs/OPERATIONS.md)",
                    ks.getFileName(), pw.getFileName(), KeystorePassword.ENV, KeystorePassword.FILE_PROPERTY,
                    KeystorePassword.MODE_PROPERTY);
        }
    }

    private static Map<String, SecretKey> read(Path ks, String keystore, List<Spec> keys, char[] password,
            String source) throws IOException, GeneralSecurityException {
        KeyStore store = load(ks, password, keystore, source);
        KeyStore.PasswordProtection prot = new KeyStore.PasswordProtection(password);
        Map<String, SecretKey> out = new LinkedHashMap<>();
        for (Spec k : keys) {
            if (!(store.getEntry(k.alias(), prot) instanceof KeyStore.SecretKeyEntry entry)) {
                throw new GeneralSecurityException(keystore + " holds no key " + k.alias());
            }
            out.put(k.alias(), entry.getSecretKey());
        }
        return out;
    }

    private static KeyStore load(Path ks, char[] password, String keystore, String source)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new KeystorePassword.Refused(keystore + " cannot be opened with the password from " + source
                        + ": give the password it was created with (docs/OPERATIONS.md)");
            }
            throw e;
        }
        return store;
    }

    /**
     * The keystore protected until now by the password file beside it is re-written under the external password
     * (same keys), checked, and only then the file deleted. Backups taken before still hold both: see
     * docs/OPERATIONS.md (destroy them, or re-key).
     */
    private static void moveOut(Path ks, Path pw, char[] external, String source)
            throws IOException, GeneralSecurityException {
        char[] old = Files.readString(pw, StandardCharsets.UTF_8).strip().toCharArray();
        try {
            KeyStore store;
            try {
                store = load(ks, old, ks.getFileName().toString(), pw.getFileName().toString());
            } catch (KeystorePassword.Refused staleFile) {
                load(ks, external, ks.getFileName().toString(), source);
                LOG.warn("{} does not open {} (which the external password does): delete it", pw.getFileName(),
                        ks.getFileName());
                return;
            }
            KeyStore moved = KeyStore.getInstance("PKCS12");
            moved.load(null, null);
            KeyStore.PasswordProtection oldProt = new KeyStore.PasswordProtection(old);
            KeyStore.PasswordProtection newProt = new KeyStore.PasswordProtection(external);
            for (String alias : Collections.list(store.aliases())) {
                moved.setEntry(alias, store.getEntry(alias, oldProt), newProt);
            }
            Path tmp = ks.resolveSibling(ks.getFileName() + ".tmp");
            writeOwnerOnly(tmp, new byte[0]);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                moved.store(out, external);
            }
            load(tmp, external, ks.getFileName().toString(), source);
            Files.move(tmp, ks, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(pw);
            LOG.info("{} now opens with the password from {}; {} deleted. Backups of etc/ taken before still hold "
                    + "both: destroy them or re-key (docs/OPERATIONS.md)", ks.getFileName(), source, pw.getFileName());
        } finally {
            Arrays.fill(old, '\0');
        }
    }

    /** Creates the keystore; its random password goes to {@code pw} when no external password is given. */
    private static void create(Path etc, Path ks, Path pw, List<Spec> keys, char[] external)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(etc);
        char[] password = external;
        if (password == null) {
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        KeyStore.PasswordProtection prot = new KeyStore.PasswordProtection(password);
        for (Spec k : keys) {
            KeyGenerator generator = KeyGenerator.getInstance(k.algorithm());
            generator.init(k.bits());
            store.setEntry(k.alias(), new KeyStore.SecretKeyEntry(generator.generateKey()), prot);
        }
        if (external == null) {
            writeOwnerOnly(pw, new String(password).getBytes(StandardCharsets.UTF_8));
        }
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
