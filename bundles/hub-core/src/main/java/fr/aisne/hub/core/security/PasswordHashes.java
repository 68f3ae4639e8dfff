package fr.aisne.hub.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Stored account passwords: PBKDF2-HMAC-SHA256 (the JDK's) with a random 16-byte salt per password, written
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (unpadded base64), inside Karaf's {@code {CRYPT}...{CRYPT}} in
 * etc/users.properties. The iteration count travels with each hash, so it can be raised for new passwords
 * without breaking the old ones. Also verifies the unsalted SHA-512 hex digests earlier versions wrote, so that
 * those accounts can log in once and be re-hashed ({@link HubLoginModule}).
 */
public final class PasswordHashes {
    /**
     * OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 150 to 250 ms per check on this project's 2-core machines
     * (measured by PasswordHashesTest#printsTheCostOfOneCheck). HTTP callers are verified once a minute at most
     * ({@link BasicAuthenticator}'s cache).
     */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** The least count accepted from settings: below, a hash would be too cheap to guess against. */
    public static final int MIN_ITERATIONS = 100_000;
    static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final Pattern STORED = Pattern.compile(
            Pattern.quote(SCHEME) + "\\$(\\d{1,9})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{32,128})");
    private static final Pattern LEGACY = Pattern.compile("[0-9a-fA-F]{128}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private PasswordHashes() {
    }

    /** A new hash of {@code password} with a fresh salt. */
    public static String hash(String password, int iterations) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("an account password cannot be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return SCHEME + "$" + iterations + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(pbkdf2(password, salt, iterations, HASH_BITS));
    }

    /** True when {@code password} matches {@code stored} (this class's format, or a legacy SHA-512 hex digest). */
    public static boolean verify(String password, String stored) {
        if (password == null || password.isEmpty() || stored == null) {
            return false;
        }
        Matcher m = STORED.matcher(stored);
        if (m.matches()) {
            int iterations = Integer.parseInt(m.group(1));
            if (iterations < 1) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(m.group(2));
            byte[] expected = Base64.getDecoder().decode(m.group(3));
            return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations, expected.length * 8));
        }
        if (isLegacy(stored)) {
            return MessageDigest.isEqual(HexFormat.of().parseHex(stored.toLowerCase(java.util.Locale.ROOT)),
                    sha512(password));
        }
        return false;
    }

    /** An unsalted SHA-512 hex digest, as Karaf's "basic" encryption and earlier hub versions wrote them. */
    public static boolean isLegacy(String stored) {
        return stored != null && LEGACY.matcher(stored).matches();
    }

    /** The iteration count of a stored hash of this class's format, or -1. */
    static int iterationsOf(String stored) {
        Matcher m = STORED.matcher(stored == null ? "" : stored);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Legacy format, only to write an account where etc/org.apache.karaf.jaas.cfg still names Karaf's basic SHA-512. */
    static String legacyDigest(String password) {
        return HexFormat.of().formatHex(sha512(password));
    }

    private static byte[] sha512(String password) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by the Java platform", e);
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations, int bits) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by the Java platform", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
