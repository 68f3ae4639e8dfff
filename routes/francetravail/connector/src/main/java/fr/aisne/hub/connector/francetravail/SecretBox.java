package fr.aisne.hub.connector.francetravail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;

import fr.aisne.hub.core.util.LocalKeys;

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

    private final SecretKey key;

    private SecretBox(SecretKey key) {
        this.key = key;
    }

    /** Opens the keystore in {@code etc}, creating keystore, key and password file on first use. */
    public static SecretBox open(Path etc) throws IOException, GeneralSecurityException {
        return new SecretBox(LocalKeys.open(etc, KEYSTORE, PASSWORD_FILE, List.of(new LocalKeys.Spec(ALIAS, "AES", 256)))
                .get(ALIAS));
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
            return "ENC(" + Base64.getEncoder().encodeToString(LocalKeys.seal(key, use,
                    plain.getBytes(StandardCharsets.UTF_8))) + ")";
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
            return new String(LocalKeys.open(key, use, Base64.getDecoder().decode(m.group(1))), StandardCharsets.UTF_8);
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
}
