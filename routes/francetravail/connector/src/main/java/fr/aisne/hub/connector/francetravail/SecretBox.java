package fr.aisne.hub.connector.francetravail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Secrets at rest: a settings value written {@code ENC(base64)} is decrypted with AES-256-GCM using a key kept
 * in a PKCS#12 keystore under etc/ ({@value #KEYSTORE}, with its random password in {@value #PASSWORD_FILE},
 * both owner-readable only, created at first use). Karaf's own configuration encryption is not installed in the
 * hub; this is the small replacement. Also used for values the connector stores in the database (the France
 * Travail jeton usager), each use with its own associated data so that a value cannot be moved to another use.
 *
 * <p>To encrypt a value: the Karaf shell command {@code hub:encrypt-secret}, or offline
 * {@code java -cp hub-connector-francetravail-<version>.jar fr.aisne.hub.connector.francetravail.SecretBox <etc dir>}
 * (reads the value from the console without echo, or from standard input, and prints {@code ENC(...)}).
 *
 * <p>Messages of the exceptions thrown here never contain the value, clear or encrypted.
 */
public final class SecretBox {
    public static final String KEYSTORE = "hub-secrets.p12";
    public static final String PASSWORD_FILE = "hub-secrets.keystore.password";
    /** Associated data of settings values (client secrets). */
    public static final String SETTINGS = "hub/settings";
    private static final String ALIAS = "secretbox-v1";
    private static final Pattern SEALED = Pattern.compile("\\s*ENC\\(([A-Za-z0-9+/=_-]*)\\)\\s*");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(SecretKey key) {
        this.key = key;
    }

    /** Opens the keystore in {@code etc}, creating keystore, key and password file on first use. */
    public static synchronized SecretBox open(Path etc) throws IOException, GeneralSecurityException {
        Path ks = etc.resolve(KEYSTORE);
        Path pw = etc.resolve(PASSWORD_FILE);
        if (!Files.exists(ks)) {
            Files.createDirectories(etc);
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            KeyGenerator aes = KeyGenerator.getInstance("AES");
            aes.init(256);
            store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(aes.generateKey()), new KeyStore.PasswordProtection(password));
            writeOwnerOnly(pw, new String(password).getBytes(StandardCharsets.UTF_8));
            Path tmp = ks.resolveSibling(KEYSTORE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            }
            try {
                Files.move(tmp, ks, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
            }
        }
        if (!Files.exists(pw)) {
            throw new IOException(PASSWORD_FILE + " is missing next to " + KEYSTORE + " in " + etc
                    + ": restore both from the backup (the encrypted values cannot be read without them)");
        }
        char[] password = Files.readString(pw, StandardCharsets.UTF_8).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, password);
        }
        KeyStore.Entry entry = store.getEntry(ALIAS, new KeyStore.PasswordProtection(password));
        Arrays.fill(password, '\0');
        if (!(entry instanceof KeyStore.SecretKeyEntry secret)) {
            throw new GeneralSecurityException(KEYSTORE + " holds no key " + ALIAS);
        }
        return new SecretBox(secret.getSecretKey());
    }

    /** True for a value written ENC(...). */
    public static boolean isSealed(String value) {
        return value != null && SEALED.matcher(value).matches();
    }

    /** A settings value, encrypted: {@code ENC(base64(iv || ciphertext || tag))}. */
    public String seal(String plain) {
        return seal(plain, SETTINGS);
    }

    public String seal(String plain, String use) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(use.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return "ENC(" + Base64.getEncoder().encodeToString(out) + ")";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed: " + e.getClass().getSimpleName());
        }
    }

    /** A settings value: decrypted when written ENC(...), returned as is otherwise (a value in clear). */
    public String unseal(String value) {
        return unseal(value, SETTINGS);
    }

    public String unseal(String value, String use) {
        if (value == null) {
            return null;
        }
        Matcher m = SEALED.matcher(value);
        if (!m.matches()) {
            return value;
        }
        try {
            byte[] in = Base64.getDecoder().decode(m.group(1));
            if (in.length <= IV_BYTES) {
                throw new IllegalArgumentException("too short");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(use.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Never the value itself: only what to do.
            throw new IllegalStateException("an ENC(...) value cannot be decrypted with etc/" + KEYSTORE
                    + " (encrypted with another hub's key, or altered): encrypt it again with hub:encrypt-secret");
        }
    }

    /**
     * Encrypts one value for a settings file, offline: {@code SecretBox <etc dir>}; the value is read from the
     * console without echo, or from the first line of standard input.
     */
    public static void main(String[] args) throws Exception {
        Path etc = Paths.get(args.length > 0 ? args[0] : System.getProperty("karaf.etc", "etc"));
        String value;
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Value to encrypt (not echoed): ");
            value = typed == null ? null : new String(typed);
        } else {
            value = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (value == null || value.isEmpty()) {
            System.err.println("Nothing to encrypt");
            System.exit(2);
            return;
        }
        System.out.println(open(etc).seal(value));
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
