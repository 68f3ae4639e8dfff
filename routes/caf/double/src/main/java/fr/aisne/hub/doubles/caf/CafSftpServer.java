package fr.aisne.hub.doubles.caf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CAF's SFTP server, as the department sees it: Apache MINA SSHD on {@code host:port}, SFTP subsystem
 * only (no shell, no command, no forwarding), one account ({@code caf-aisne}) that authenticates by public
 * key only, against an authorized_keys file (password and keyboard-interactive are not offered). The host
 * key (ECDSA P-256) is generated once and kept in a file (its public half written next to it as
 * {@code <hostKey>.pub}), so the hub can pin its fingerprint; start a server
 * on another host key file to play a server whose key changed (or an impostor).
 * <p>
 * Files are served from {@code root}, where the flux files wait in {@code /depot/}. {@link #publish}
 * writes under a hidden temporary name then renames, as a careful sender does; {@link #publishSlowly}
 * writes under the final name, as a careless one does (the reader may see a partial file).
 */
public final class CafSftpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CafSftpServer.class);
    public static final String DEPOT = "depot";

    /** Where and how the server listens; see {@link #defaults(Path)}. */
    public record Config(String host, int port, String user, Path root, Path hostKey, Path authorizedKeys) {

        /** 127.0.0.1:2222, user caf-aisne, everything under dir (sftp/, ssh_host_ecdsa_key, authorized_keys). */
        public static Config defaults(Path dir) {
            return new Config("127.0.0.1", 2222, "caf-aisne", dir.resolve("sftp"), dir.resolve("ssh_host_ecdsa_key"),
                    dir.resolve("authorized_keys"));
        }

        public Config withPort(int p) {
            return new Config(host, p, user, root, hostKey, authorizedKeys);
        }

        public Config withHostKey(Path h) {
            return new Config(host, port, user, root, h, authorizedKeys);
        }

        public Config withAuthorizedKeys(Path a) {
            return new Config(host, port, user, root, hostKey, a);
        }

        public Config withUser(String u) {
            return new Config(host, port, u, root, hostKey, authorizedKeys);
        }
    }

    private final Config config;
    private SshServer sshd;
    private SimpleGeneratorHostKeyProvider hostKeys;
    private int boundPort;

    public CafSftpServer(Config config) {
        this.config = config;
    }

    /** Starts listening (port 0: any free port, see {@link #port()}). */
    public synchronized CafSftpServer start() throws IOException {
        Files.createDirectories(depot());
        Files.createDirectories(config.hostKey().toAbsolutePath().getParent());
        hostKeys = new SimpleGeneratorHostKeyProvider(config.hostKey());
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        AuthorizedKeysAuthenticator authorized = new AuthorizedKeysAuthenticator(config.authorizedKeys());
        String user = config.user();

        sshd = SshServer.setUpDefaultServer();
        sshd.setHost(config.host());
        sshd.setPort(config.port());
        sshd.setKeyPairProvider(hostKeys);
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator((username, key, session) -> {
            boolean ok = user.equals(username) && authorized.authenticate(username, key, session);
            if (!ok) {
                LOG.info("CAF double SFTP: refused key {} for user {}", CafSshKeys.fingerprint(key), username);
            }
            return ok;
        });
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder().build()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(config.root().toAbsolutePath()));
        sshd.start();
        boundPort = sshd.getPort();
        // as sshd does: the public half next to the key, for ssh-keygen -lf and known_hosts lines
        Files.writeString(config.hostKey().resolveSibling(config.hostKey().getFileName() + ".pub"),
                CafSshKeys.authorizedKeyLine(hostKey(), "caf-double") + "\n", StandardCharsets.US_ASCII);
        LOG.info("CAF double SFTP server on {}:{} (user {}, host key {}), serving {}", config.host(), port(), user,
                hostKeyFingerprint(), config.root());
        return this;
    }

    /** The port listened on (the real one when started on port 0; still known once stopped). */
    public int port() {
        return boundPort;
    }

    public Config config() {
        return config;
    }

    /** The folder whose files the hub picks up ({@code /depot} over SFTP). */
    public Path depot() {
        return config.root().resolve(DEPOT);
    }

    public PublicKey hostKey() {
        try {
            List<KeyPair> keys = hostKeys.loadKeys((SessionContext) null);
            return keys.get(0).getPublic();
        } catch (Exception e) {
            throw new IllegalStateException("host key unreadable: " + e.getMessage(), e);
        }
    }

    /** The host key's fingerprint, as {@code ssh-keygen -lf} prints it: what the hub pins. */
    public String hostKeyFingerprint() {
        return CafSshKeys.fingerprint(hostKey());
    }

    /** Publishes a file into the depot: written under a hidden temporary name, then renamed. */
    public Path publish(String name, byte[] content) throws IOException {
        Path tmp = depot().resolve("." + name + ".part");
        Files.write(tmp, content);
        return Files.move(tmp, depot().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Publishes a file into the depot from a stream (large files), with the same temporary name and rename. */
    public Path publish(String name, InputStream content) throws IOException {
        Path tmp = depot().resolve("." + name + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            content.transferTo(out);
        }
        return Files.move(tmp, depot().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A file written directly under its final name, as a careless sender does: what the caller writes is
     * visible at once, so a reader may see it partial. Close the stream when the "transfer" ends.
     */
    public OutputStream publishSlowly(String name) throws IOException {
        return Files.newOutputStream(depot().resolve(name));
    }

    @Override
    public synchronized void close() throws IOException {
        if (sshd != null) {
            sshd.stop(true);
            sshd = null;
        }
    }
}
