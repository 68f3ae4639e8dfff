package fr.aisne.hub.doubles.caf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * SSH keys for the CAF double and its tests: ECDSA P-256 (EC &ge; 256 bits in the RGS; done by the JDK
 * alone, so no Bouncy Castle wiring is needed in OSGi), private keys in the OpenSSH format
 * ({@code ssh-keygen} reads them), public keys as authorized_keys lines, fingerprints as
 * {@code ssh-keygen -lf} prints them ({@code SHA256:} and unpadded base64).
 */
public final class CafSshKeys {
    private CafSshKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SSH key generation failed: " + e.getMessage(), e);
        }
    }

    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /** One authorized_keys line: {@code ecdsa-sha2-nistp256 AAAA... comment}. */
    public static String authorizedKeyLine(PublicKey key, String comment) {
        return PublicKeyEntry.toString(key) + (comment == null || comment.isBlank() ? "" : " " + comment);
    }

    /** Writes the private key (OpenSSH format, unencrypted, owner-only where the file system allows it). */
    public static void writePrivateKey(KeyPair pair, Path file, String comment) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the private key: " + e.getMessage(), e);
        }
        ownerOnly(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends the key to an authorized_keys file (created if missing). */
    public static void authorize(Path authorizedKeys, PublicKey key, String comment) throws IOException {
        Files.createDirectories(authorizedKeys.toAbsolutePath().getParent());
        Files.writeString(authorizedKeys, authorizedKeyLine(key, comment) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * For the demo and the integration tests: when the authorized_keys file does not exist yet, generates a
     * client key for the hub, writes its private part to clientKey and authorizes it. Returns true when it
     * did so.
     */
    public static boolean ensureClientKey(Path authorizedKeys, Path clientKey) throws IOException {
        if (Files.exists(authorizedKeys)) {
            return false;
        }
        KeyPair pair = generate();
        writePrivateKey(pair, clientKey, "hub-caf-sftp (demo)");
        authorize(authorizedKeys, pair.getPublic(), "hub-caf-sftp (demo)");
        return true;
    }

    static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data folder's own permissions apply
        }
    }
}
