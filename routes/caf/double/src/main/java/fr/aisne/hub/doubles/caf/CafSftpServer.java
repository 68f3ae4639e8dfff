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
import java.util.stream.Collectors;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.ServerBuilder;
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
 * It offers only the algorithms of the ANSSI's recommendations for OpenSSH (RGS): {@link Algorithms#RGS}, what
 * the CAF's server is expected to offer. {@link Algorithms#LEGACY_SHA1} plays an outdated server (SHA-1 key
 * exchange, hmac-sha1, ssh-rsa host key signatures, RSA host key), which the hub must refuse.
 * <p>
 * Files are served from {@code root}, where the flux files wait in {@code /depot/}. {@link #publish}
 * writes under a hidden temporary name then renames, as a careful sender does; {@link #publishSlowly}
 * writes under the final name, as a careless one does (the reader may see a partial file).
 */
public final class CafSftpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CafSftpServer.class);
    public static final String DEPOT = "depot";

    /**
     * What the server offers: key exchanges, ciphers, MACs, host key signatures, and the type of its host key.
     * {@link #RGS}, {@link #LEGACY_SHA1}, or one of them with a category replaced ({@link #withMacs},
     * {@link #withHostKeySignatures}) to play a server wrong in that category only.
     */
    public record Algorithms(List<BuiltinDHFactories> kex, List<BuiltinCiphers> ciphers, List<BuiltinMacs> macs,
            List<BuiltinSignatures> signatures, String hostKeyAlgorithm, int hostKeySize) {
        /**
         * ANSSI, "Recommandations pour un usage sécurisé d'(Open)SSH": key exchange on Curve25519, NIST curves, or
         * 4096/8192-bit groups and group exchange with SHA-2; AES-GCM, AES-CTR (ChaCha20-Poly1305 last); SHA-2
         * MACs (encrypt-then-MAC first); Ed25519, ECDSA and RSA-SHA2 host key signatures. An ECDSA P-256 host key.
         */
        public static final Algorithms RGS = new Algorithms(List.of(BuiltinDHFactories.curve25519,
                BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp521, BuiltinDHFactories.ecdhp384,
                BuiltinDHFactories.ecdhp256, BuiltinDHFactories.dhg18_512, BuiltinDHFactories.dhg16_512,
                BuiltinDHFactories.dhgex256),
                List.of(BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256ctr,
                        BuiltinCiphers.aes192ctr, BuiltinCiphers.aes128ctr, BuiltinCiphers.cc20p1305_openssh),
                List.of(BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512,
                        BuiltinMacs.hmacsha256),
                List.of(BuiltinSignatures.ed25519, BuiltinSignatures.nistp521, BuiltinSignatures.nistp384,
                        BuiltinSignatures.nistp256, BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256),
                KeyUtils.EC_ALGORITHM, 256);
        /** An outdated server: diffie-hellman-group14-sha1, aes128-ctr, hmac-sha1 and ssh-rsa (SHA-1) only. */
        public static final Algorithms LEGACY_SHA1 = new Algorithms(List.of(BuiltinDHFactories.dhg14),
                List.of(BuiltinCiphers.aes128ctr), List.of(BuiltinMacs.hmacsha1), List.of(BuiltinSignatures.rsa),
                KeyUtils.RSA_ALGORITHM, 2048);

        /** The same, but offering only these MACs. */
        public Algorithms withMacs(BuiltinMacs... only) {
            return new Algorithms(kex, ciphers, List.of(only), signatures, hostKeyAlgorithm, hostKeySize);
        }

        /** The same, but with a host key of this type offered with these signatures only. */
        public Algorithms withHostKeySignatures(String keyAlgorithm, int keySize, BuiltinSignatures... only) {
            return new Algorithms(kex, ciphers, macs, List.of(only), keyAlgorithm, keySize);
        }

        void offer(SshServer server) {
            server.setKeyExchangeFactories(kex.stream().filter(BuiltinDHFactories::isSupported).map(ServerBuilder.DH2KEX)
                    .collect(Collectors.toList()));
            server.setCipherFactories(ciphers.stream().filter(BuiltinCiphers::isSupported)
                    .<NamedFactory<Cipher>>map(c -> c).collect(Collectors.toList()));
            server.setMacFactories(macs.stream().filter(BuiltinMacs::isSupported)
                    .<NamedFactory<Mac>>map(m -> m).collect(Collectors.toList()));
            server.setSignatureFactories(signatures.stream().filter(BuiltinSignatures::isSupported)
                    .<NamedFactory<Signature>>map(g -> g).collect(Collectors.toList()));
        }

        /** What the server offers, for its log line. */
        String describe() {
            return "kex " + NamedResource.getNames(kex) + ", ciphers " + NamedResource.getNames(ciphers) + ", macs "
                    + NamedResource.getNames(macs) + ", host key signatures " + NamedResource.getNames(signatures);
        }
    }

    /** Where and how the server listens; see {@link #defaults(Path)}. */
    public record Config(String host, int port, String user, Path root, Path hostKey, Path authorizedKeys,
            Algorithms algorithms) {

        public Config(String host, int port, String user, Path root, Path hostKey, Path authorizedKeys) {
            this(host, port, user, root, hostKey, authorizedKeys, Algorithms.RGS);
        }

        /** 127.0.0.1:2222, user caf-aisne, everything under dir (sftp/, ssh_host_ecdsa_key, authorized_keys). */
        public static Config defaults(Path dir) {
            return new Config("127.0.0.1", 2222, "caf-aisne", dir.resolve("sftp"), dir.resolve("ssh_host_ecdsa_key"),
                    dir.resolve("authorized_keys"));
        }

        public Config withPort(int p) {
            return new Config(host, p, user, root, hostKey, authorizedKeys, algorithms);
        }

        public Config withHostKey(Path h) {
            return new Config(host, port, user, root, h, authorizedKeys, algorithms);
        }

        public Config withAuthorizedKeys(Path a) {
            return new Config(host, port, user, root, hostKey, a, algorithms);
        }

        public Config withUser(String u) {
            return new Config(host, port, u, root, hostKey, authorizedKeys, algorithms);
        }

        /** Offering another algorithm set (with its own host key type: give it a host key file of its own). */
        public Config withAlgorithms(Algorithms a) {
            return new Config(host, port, user, root, hostKey, authorizedKeys, a);
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
        hostKeys.setAlgorithm(config.algorithms().hostKeyAlgorithm());
        hostKeys.setKeySize(config.algorithms().hostKeySize());
        AuthorizedKeysAuthenticator authorized = new AuthorizedKeysAuthenticator(config.authorizedKeys());
        String user = config.user();

        sshd = SshServer.setUpDefaultServer();
        sshd.setHost(config.host());
        sshd.setPort(config.port());
        sshd.setKeyPairProvider(hostKeys);
        config.algorithms().offer(sshd);
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
        LOG.info("CAF double SFTP server on {}:{} (user {}, host key {}), serving {}; offers {}", config.host(), port(),
                user, hostKeyFingerprint(), config.root(), config.algorithms().describe());
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
