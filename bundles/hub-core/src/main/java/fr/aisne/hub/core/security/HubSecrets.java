package fr.aisne.hub.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;

import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.operations.KeystorePassword;
import fr.aisne.hub.api.operations.LocalKeys;

/**
 * Connectors' secrets at rest: a settings value written {@code ENC(base64)} is decrypted with AES-256-GCM using a
 * key kept in the keystore {@value #KEYSTORE} under etc/ (created at first use; its password from outside the
 * installation, see {@link KeystorePassword}). Karaf's own configuration
 * encryption is not installed in the hub; this is the small replacement. Also used for values a connector keeps
 * in its tables (a France Travail jeton usager), each use with its own associated data so that a value cannot be
 * moved to another use. Exceptions never carry the value, clear or encrypted.
 */
public final class HubSecrets implements Secrets {
    public static final String KEYSTORE = "hub-secrets.p12";
    public static final String PASSWORD_FILE = "hub-secrets.keystore.password";
    /** Associated data of settings values (client secrets, tokens). */
    static final String SETTINGS = "hub/settings";
    private static final String ALIAS = "secretbox-v1";
    private static final Pattern SEALED = Pattern.compile("\\s*ENC\\(([A-Za-z0-9+/=_-]*)\\)\\s*");

    private final SecretKey key;

    public HubSecrets(SecretKey key) {
        this.key = key;
    }

    /** Opens the keystore in {@code etc}, creating keystore and key on first use (password: this process' environment). */
    public static HubSecrets open(Path etc) throws IOException, GeneralSecurityException {
        return open(etc, KeystorePassword.fromEnvironment());
    }

    /** Opens the keystore in {@code etc} with the given keystore password, creating keystore and key on first use. */
    public static HubSecrets open(Path etc, KeystorePassword password) throws IOException, GeneralSecurityException {
        return new HubSecrets(LocalKeys.open(etc, KEYSTORE, PASSWORD_FILE, List.of(new LocalKeys.Spec(ALIAS, "AES", 256)),
                password).get(ALIAS));
    }

    @Override
    public boolean isSealed(String value) {
        return value != null && SEALED.matcher(value).matches();
    }

    @Override
    public String sealSetting(String clear) {
        return seal(clear, SETTINGS);
    }

    @Override
    public String seal(String clear, String use) {
        try {
            return "ENC(" + Base64.getEncoder().encodeToString(LocalKeys.seal(key, use,
                    clear.getBytes(StandardCharsets.UTF_8))) + ")";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String reveal(String settingValue) {
        return open(settingValue, SETTINGS);
    }

    /** Decrypted when written ENC(...), returned as is otherwise (a value in clear). */
    @Override
    public String open(String value, String use) {
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
     * Encrypts one value for a settings file, offline (the hub stopped):
     * {@code java -cp system/fr/aisne/hub/hub-api/<v>/hub-api-<v>.jar:system/fr/aisne/hub/hub-core/<v>/hub-core-<v>.jar
     * fr.aisne.hub.core.security.HubSecrets etc}; the value is read from the console without echo, or from the first
     * line of standard input. Running: the shell command {@code hub:encrypt-secret}.
     */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path etc = java.nio.file.Paths.get(args.length > 0 ? args[0] : System.getProperty("karaf.etc", "etc"));
        String value;
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Value to encrypt (not echoed): ");
            value = typed == null ? null : new String(typed);
        } else {
            value = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (value == null || value.isEmpty()) {
            System.err.println("Nothing to encrypt");
            System.exit(2);
            return;
        }
        System.out.println(open(etc).sealSetting(value));
    }
}
