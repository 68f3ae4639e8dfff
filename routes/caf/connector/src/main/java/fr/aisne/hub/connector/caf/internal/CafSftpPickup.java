package fr.aisne.hub.connector.caf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;

/**
 * Takes the CAF's files from its SFTP server into the connector's inbox, exactly once.
 * <p>
 * <b>Trust.</b> The server's host key is pinned ({@code sftp.hostKeyFingerprint}, {@code SHA256:...} as
 * {@code ssh-keygen -lf} prints it, several separated by commas during a key rollover, and/or a
 * {@code sftp.knownHosts} file): an unknown or changed key ends the connection before authentication, with
 * the key presented and the key expected in the log and in the connector's health (DOWN). There is no
 * "accept on first use". Authentication is by public key only ({@code sftp.privateKey}, OpenSSH or PEM);
 * a refusal also sets the health DOWN. {@code ~/.ssh/config} and default identities are ignored.
 * <p>
 * <b>Algorithms (RGS).</b> Only what the ANSSI's recommendations for (Open)SSH allow is offered, not MINA SSHD's
 * defaults (which keep hmac-sha1, ssh-rsa and SHA-1 key exchanges): {@link #KEX}, {@link #CIPHERS},
 * {@link #MACS}, {@link #SIGNATURES}. A server that offers none of them in one category is refused with the
 * category and what each side offered (health DOWN); the algorithms negotiated are shown in the health detail.
 * <p>
 * <b>Size.</b> A file larger than the flow's {@code maxPayloadBytes} (as listed, or as it turns out while it is
 * downloaded) is not taken: the download stops at the limit and its partial copy is deleted; the file is left
 * on the server (or moved to {@code sftp.rejectedDirectory} when the CAF's contract has such a folder), logged
 * and shown in the health, which stays DOWN while it waits there.
 * <p>
 * <b>Exactly once, whatever the moment the hub is killed.</b> One poll (one at a time) does, per file:
 * <ol>
 * <li><i>Stable?</i> A file is taken only when its size and modification time are the same as at the
 * previous poll (and it is not empty, hidden or a {@code .part}/{@code .tmp}): a file still being written
 * is left for a later poll. After a restart, every file waits one poll.</li>
 * <li><i>Download</i> into {@code <staging>/<name>.part}, forced to disk (fsync); the number of bytes must
 * equal the size listed, and a second stat of the remote file after the transfer must show the same size
 * and time, or the copy is discarded and the file retried at the next poll.</li>
 * <li><i>Hand over</i>: an atomic rename of the {@code .part} into the inbox (same file system, both under
 * data/), then an fsync of the inbox folder. The inbox route journals the file with its SHA-256 (after
 * decrypting it, see {@link CafPgpIntake}). Renaming into the inbox rather than calling
 * {@code hub.accept} here keeps a single entry point for CAF files (one place for OpenPGP, stability,
 * {@code .done/}), and lets the pickup drain the partner's server even while the broker or the database is
 * unavailable: the local inbox is a durable buffer.</li>
 * <li><i>Only then</i> the remote file is deleted ({@code sftp.afterPickup=delete}) or moved to
 * {@code sftp.doneDirectory} ({@code move}).</li>
 * </ol>
 * Killed during 2: the {@code .part} files are deleted at start, and the remote file, still there, is
 * downloaded again. Killed between 3 and 4: the file is in the inbox and also still on the server; the
 * next poll downloads it again and puts a second copy into the inbox, which the hub records as
 * {@code DUPLICATE} (same digest within {@code duplicates.windowDays}) and does not import. Killed after
 * 4: the file is in the inbox, taken at restart. When the remote delete or move itself fails (rights on
 * the CAF's side), the pickup remembers the file (name, size, time) and retries only the delete at the next
 * polls instead of fetching a new copy each time. The inbox route itself journals before moving the file to
 * {@code .done/}, and a file seen again there is a duplicate too. So a file may be <i>transferred</i> more
 * than once, but it is <i>imported</i> once, and never lost: nothing is deleted remotely before the local
 * copy is complete and durable.
 */
final class CafSftpPickup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CafSftpPickup.class);

    /** Why the last poll failed; all but OTHER need an operator and set the health DOWN. */
    enum Failure {
        NONE, HOST_KEY, AUTH, CLIENT_KEY, ALGORITHMS, OTHER
    }

    /** Key exchanges: Curve25519, NIST curves, DH groups 16/18 and group exchange, all with SHA-2). */
    static final List<BuiltinDHFactories> KEX = List.of(BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp521, BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp256, BuiltinDHFactories.dhg18_512, BuiltinDHFactories.dhg16_512,
            BuiltinDHFactories.dhgex256);
    /** Ciphers: AES-GCM, AES-CTR, then ChaCha20-Poly1305. Never CBC, 3DES, Blowfish or RC4. */
    static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes128ctr, BuiltinCiphers.cc20p1305_openssh);
    /** MACs: SHA-2, encrypt-then-MAC first. Never hmac-sha1 or MD5. */
    static final List<BuiltinMacs> MACS = List.of(BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256etm,
            BuiltinMacs.hmacsha512, BuiltinMacs.hmacsha256);
    /** Host key (and client key) signatures: Ed25519, ECDSA, RSA with SHA-2. Never ssh-rsa (SHA-1) or DSA. */
    static final List<BuiltinSignatures> SIGNATURES = List.of(BuiltinSignatures.ed25519, BuiltinSignatures.nistp521,
            BuiltinSignatures.nistp384, BuiltinSignatures.nistp256, BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    /** The {@code sftp.*} settings, with the flow's size limit. */
    record Config(String host, int port, String user, Path privateKey, Path privateKeyPassphrase,
            Set<String> hostKeyFingerprints, Path knownHosts, String remoteDirectory, Pattern include,
            boolean moveAfterPickup, String doneDirectory, Path staging, Path inbox, Duration timeout,
            int pollSeconds, long maxBytes, String rejectedDirectory) {

        static Config from(Map<String, ?> config, Path etc, Path data, Path inbox) {
            Settings cfg = Settings.of(config, CafConnector.FILE);
            Set<String> pins = new LinkedHashSet<>();
            for (String f : cfg.string("sftp.hostKeyFingerprint", "").split("\\s*,\\s*")) {
                if (!f.isBlank()) {
                    pins.add(f.startsWith("SHA256:") ? f : "SHA256:" + f);
                }
            }
            String knownHosts = cfg.string("sftp.knownHosts", null);
            if (pins.isEmpty() && knownHosts == null) {
                throw new SettingsException(CafConnector.FILE, "sftp.hostKeyFingerprint", "is missing while sftp.enabled "
                        + "is true: the CAF's host key must be pinned", "set sftp.hostKeyFingerprint (SHA256:..., as "
                        + "ssh-keygen -lf prints it) or sftp.knownHosts");
            }
            String after = cfg.string("sftp.afterPickup", "delete");
            if (!after.equals("delete") && !after.equals("move")) {
                throw new SettingsException(CafConnector.FILE, "sftp.afterPickup", "= '" + after + "' is not known",
                        "write delete or move");
            }
            String pass = cfg.string("sftp.privateKeyPassphraseFile", null);
            String remote = cfg.string("sftp.remoteDirectory", "/depot");
            int poll = cfg.integer("sftp.pollSeconds", 60, 1, 86_400);
            return new Config(cfg.string("sftp.host", "127.0.0.1"), cfg.integer("sftp.port", 22, 1, 65535),
                    cfg.string("sftp.user", "caf-aisne"),
                    etc.resolve(cfg.string("sftp.privateKey", "hub-caf-sftp.key")),
                    pass == null ? null : etc.resolve(pass), pins,
                    knownHosts == null ? null : etc.resolve(knownHosts),
                    remote.endsWith("/") && remote.length() > 1 ? remote.substring(0, remote.length() - 1) : remote,
                    Pattern.compile(cfg.string("sftp.include", "(?i).+\\.(xml|pgp|gpg|asc)")),
                    after.equals("move"), cfg.string("sftp.doneDirectory", ".done"),
                    data.resolve(cfg.string("staging.directory", "staging/caf")).resolve("sftp"), inbox,
                    Duration.ofSeconds(cfg.integer("sftp.timeoutSeconds", 30, 1, 3600)), poll,
                    cfg.maxPayloadBytes(8L << 30), cfg.string("sftp.rejectedDirectory", null));
        }

        /** A folder of the server, relative to sftp.remoteDirectory unless absolute. */
        String remote(String dir) {
            return dir.startsWith("/") ? dir : remoteDirectory + "/" + dir;
        }

        String target() {
            return user + "@" + host + ":" + port + remoteDirectory;
        }
    }

    /** A remote file as listed: the stability check compares two listings. */
    private record Seen(long size, FileTime modified) {
    }

    private final Config config;
    private final PinnedHostKey verifier;
    private SshClient client;
    private Map<String, Seen> previous = new HashMap<>();
    /** In the inbox already, but the remote delete/move failed: only that is retried (this run). */
    private final Map<String, Seen> handedOver = new HashMap<>();
    /** Larger than maxPayloadBytes and left on the server: not downloaded again while it is the same file. */
    private final Map<String, Seen> tooLarge = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    // status, for the connector's health
    private volatile Instant lastPoll;
    private volatile Failure failure = Failure.NONE;
    private volatile String lastError;
    private volatile long taken;
    private volatile String lastFile;
    private volatile int waiting;
    private volatile String negotiated;
    private volatile String lastTooLarge;
    private volatile String pausedBecause;

    CafSftpPickup(Config config) {
        this.config = config;
        this.verifier = new PinnedHostKey(config);
        discardLeftovers();
    }

    Config config() {
        return config;
    }

    /** One poll: lists, downloads the stable files, hands them over and clears them remotely. Never throws. */
    synchronized int poll() {
        if (closed) {
            return 0;
        }
        lastPoll = Instant.now();
        pausedBecause = null;
        int done = 0;
        verifier.reset();
        try {
            KeyPair identity = loadIdentity();
            try (ClientSession session = connect()) {
                session.addPublicKeyIdentity(identity);
                try {
                    session.auth().verify(config.timeout());
                } catch (IOException e) {
                    throw classify(e);
                }
                negotiated = "kex " + session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS) + ", host key "
                        + session.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS) + ", cipher "
                        + session.getNegotiatedKexParameter(KexProposalOption.C2SENC) + ", mac "
                        + session.getNegotiatedKexParameter(KexProposalOption.C2SMAC);
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                    done = takeStableFiles(sftp);
                }
            }
            if (failure != Failure.NONE) {
                LOG.info("CAF SFTP {}: connected again", config.target());
            }
            failure = Failure.NONE;
            lastError = null;
        } catch (PickupException e) {
            fail(e.failure, e.getMessage());
        } catch (IOException | RuntimeException e) {
            fail(Failure.OTHER, (closed ? "stopped: " : "") + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return done;
    }

    /** A poll skipped on purpose (the hub cannot take files now): said in the health, nothing else changes. */
    synchronized void paused(String why) {
        lastPoll = Instant.now();
        pausedBecause = why;
    }

    /**
     * False when an operator must act: host key mismatch, authentication refused, client key unreadable, no RGS
     * algorithm in common, a file too large left on the server.
     */
    boolean healthy() {
        return (failure == Failure.NONE || failure == Failure.OTHER) && tooLarge.isEmpty();
    }

    Failure failure() {
        return failure;
    }

    String describe() {
        StringBuilder sb = new StringBuilder("SFTP ").append(config.target()).append(": ");
        sb.append(lastPoll == null ? "not polled yet" : "last poll " + lastPoll);
        if (pausedBecause != null) {
            sb.append(" (paused: ").append(pausedBecause).append(')');
        }
        sb.append(", ").append(taken).append(" file(s) taken");
        if (lastFile != null) {
            sb.append(" (last ").append(lastFile).append(')');
        }
        if (waiting > 0) {
            sb.append(", ").append(waiting).append(" waiting to be stable");
        }
        if (!tooLarge.isEmpty()) {
            sb.append("; ").append(tooLarge.size()).append(" file(s) larger than maxPayloadBytes (")
                    .append(config.maxBytes()).append(" bytes) left on the server: ")
                    .append(String.join(", ", new java.util.TreeSet<>(tooLarge.keySet())));
        } else if (lastTooLarge != null) {
            sb.append("; last file too large: ").append(lastTooLarge);
        }
        if (negotiated != null) {
            sb.append("; ").append(negotiated);
        }
        if (lastError != null) {
            sb.append("; last error: ").append(lastError);
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.stop();
            client = null;
        }
    }

    private ClientSession connect() throws IOException {
        if (client == null) {
            SshClient c = SshClient.setUpDefaultClient();
            c.setServerKeyVerifier(verifier);
            c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            rgsOnly(c);
            c.start();
            client = c;
        }
        for (int attempt = 1;; attempt++) {
            try {
                return client.connect(config.user(), config.host(), config.port()).verify(config.timeout()).getSession();
            } catch (IOException e) {
                // A server that refuses at once (no algorithm in common) can close the connection before the client's
                // SSH session is attached to it: the failure then says nothing of why. A second connection does.
                if (attempt > 1 || cause(e, t -> t instanceof MissingAttachedSessionException).isEmpty()) {
                    throw classify(e);
                }
            }
        }
    }

    /** The first of {@code e} and its causes that matches. */
    private static Optional<Throwable> cause(Throwable e, Predicate<Throwable> matches) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (matches.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Offers only {@link #KEX}, {@link #CIPHERS}, {@link #MACS} and {@link #SIGNATURES} (those this JVM has). */
    static void rgsOnly(SshClient c) {
        c.setKeyExchangeFactories(KEX.stream().filter(BuiltinDHFactories::isSupported).map(ClientBuilder.DH2KEX)
                .collect(Collectors.toList()));
        c.setCipherFactories(CIPHERS.stream().filter(BuiltinCiphers::isSupported).<NamedFactory<Cipher>>map(x -> x)
                .collect(Collectors.toList()));
        c.setMacFactories(MACS.stream().filter(BuiltinMacs::isSupported).<NamedFactory<Mac>>map(x -> x)
                .collect(Collectors.toList()));
        c.setSignatureFactories(SIGNATURES.stream().filter(BuiltinSignatures::isSupported)
                .<NamedFactory<Signature>>map(x -> x).collect(Collectors.toList()));
    }

    private KeyPair loadIdentity() throws PickupException {
        Path key = config.privateKey();
        try (InputStream in = Files.newInputStream(key)) {
            FilePasswordProvider pass = config.privateKeyPassphrase() == null ? FilePasswordProvider.EMPTY
                    : FilePasswordProvider.of(Files.readString(config.privateKeyPassphrase()).strip());
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()),
                    in, pass);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new PickupException(Failure.CLIENT_KEY, "sftp.privateKey " + key + " holds no private key");
            }
            return it.next();
        } catch (PickupException e) {
            throw e;
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new PickupException(Failure.CLIENT_KEY, "sftp.privateKey " + key + " is not a readable private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Turns an SSH failure into the reason an operator needs. */
    private PickupException classify(IOException e) {
        if (verifier.rejected() != null) {
            return new PickupException(Failure.HOST_KEY, verifier.rejected());
        }
        String m = String.valueOf(e.getMessage());
        Optional<Throwable> noAlgorithm = cause(e, t -> String.valueOf(t.getMessage()).contains("Unable to negotiate"));
        if (noAlgorithm.isPresent()) {
            return new PickupException(Failure.ALGORITHMS, "no algorithm in common with " + config.host() + ":"
                    + config.port() + " among those the RGS allows: " + noAlgorithm.get().getMessage() + ". The hub "
                    + "offers only the ANSSI's recommended algorithms (no hmac-sha1, no ssh-rsa with SHA-1, no SHA-1 "
                    + "key exchange): ask the CAF to enable them on its server");
        }
        if (m.contains("No more authentication methods") || m.contains("authentication")) {
            return new PickupException(Failure.AUTH, "authentication refused by " + config.host() + ":" + config.port()
                    + " for user " + config.user() + " with the key of sftp.privateKey " + config.privateKey()
                    + " (is its public key in the CAF's authorized keys?)");
        }
        return new PickupException(Failure.OTHER, "cannot reach " + config.host() + ":" + config.port() + ": "
                + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private int takeStableFiles(SftpClient sftp) throws IOException {
        Map<String, Seen> now = new HashMap<>();
        List<SftpClient.DirEntry> candidates = new ArrayList<>();
        for (SftpClient.DirEntry e : sftp.readDir(config.remoteDirectory())) {
            String name = e.getFilename();
            SftpClient.Attributes a = e.getAttributes();
            if (!a.isRegularFile() || name.startsWith(".") || name.endsWith(".part") || name.endsWith(".tmp")
                    || !config.include().matcher(name).matches()) {
                continue;
            }
            if (name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
                LOG.warn("CAF SFTP: ignored a remote entry whose name is not a plain file name: {}", name);
                continue; // becomes a local file name: no path may come from the server
            }
            now.put(name, new Seen(a.getSize(), a.getModifyTime()));
            candidates.add(e);
        }
        candidates.sort(Comparator.comparing((SftpClient.DirEntry e) -> e.getAttributes().getModifyTime(),
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(SftpClient.DirEntry::getFilename));
        Map<String, Seen> before = previous;
        previous = now;
        handedOver.keySet().retainAll(now.keySet());
        // gone, or replaced by another file: no longer the too large one
        tooLarge.entrySet().removeIf(t -> !t.getValue().equals(now.get(t.getKey())));
        int done = 0;
        int notStable = 0;
        for (SftpClient.DirEntry e : candidates) {
            String name = e.getFilename();
            Seen seen = now.get(name);
            if (seen.equals(handedOver.get(name))) {
                // a failing delete must not mean a new copy (and a DUPLICATE in the journal) at every poll
                clearRemote(sftp, name);
                handedOver.remove(name);
                now.remove(name);
                LOG.info("CAF SFTP file {}, taken earlier, now {} on the server", name,
                        config.moveAfterPickup() ? "moved to " + config.doneDirectory() : "deleted");
                continue;
            }
            if (seen.equals(tooLarge.get(name))) {
                continue; // reported when first seen; waits for an operator (health DOWN)
            }
            if (seen.size() > config.maxBytes()) {
                tooLarge(sftp, name, seen, seen.size() + " bytes listed");
                continue;
            }
            if (!seen.equals(before.get(name)) || seen.size() == 0) {
                notStable++;
                LOG.debug("CAF SFTP file {} not taken yet: size {} changed or first seen", name, seen.size());
                continue;
            }
            if (closed) {
                break;
            }
            if (take(sftp, name, seen)) {
                done++;
                now.remove(name);
            }
        }
        waiting = notStable;
        return done;
    }

    /** Steps 2 to 4 of the class comment for one file. */
    private boolean take(SftpClient sftp, String name, Seen seen) throws IOException {
        String remote = config.remoteDirectory() + "/" + name;
        OwnerOnly.createDirectories(config.staging());
        Path part = config.staging().resolve(name + ".part");
        long bytes = 0;
        boolean overLimit = false;
        try (InputStream in = sftp.read(remote);
                FileChannel ch = OwnerOnly.newFile(part)) {
            OutputStream out = Channels.newOutputStream(ch);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                if (bytes + n > config.maxBytes()) {
                    overLimit = true; // grew beyond the limit since it was listed: stop here
                    break;
                }
                out.write(buf, 0, n);
                bytes += n;
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (overLimit) {
            Files.deleteIfExists(part);
            tooLarge(sftp, name, seen, "more than " + config.maxBytes() + " bytes read, download stopped");
            return false;
        }
        SftpClient.Attributes after = sftp.stat(remote);
        if (bytes != seen.size() || after.getSize() != seen.size()
                || !Objects.equals(after.getModifyTime(), seen.modified())) {
            Files.deleteIfExists(part);
            LOG.warn("CAF SFTP file {} changed during its transfer ({} bytes read, {} listed, {} now): taken again at "
                    + "a later poll", name, bytes, seen.size(), after.getSize());
            return false;
        }
        Path target = handOver(part, name);
        taken++;
        handedOver.put(name, seen);
        clearRemote(sftp, name);
        handedOver.remove(name);
        lastFile = name;
        LOG.info("CAF SFTP file {} ({} bytes) taken into {} and {} on the server", name, bytes, target,
                config.moveAfterPickup() ? "moved to " + config.doneDirectory() : "deleted");
        return true;
    }

    /**
     * A file over the limit: not downloaded (its partial copy, if any, already deleted), moved to
     * sftp.rejectedDirectory when there is one, else left where it is and remembered.
     */
    private void tooLarge(SftpClient sftp, String name, Seen seen, String how) throws IOException {
        String what = name + " (" + how + ", maxPayloadBytes " + config.maxBytes() + ")";
        lastTooLarge = what;
        if (config.rejectedDirectory() != null) {
            String dir = config.remote(config.rejectedDirectory());
            ensureRemoteDirectory(sftp, dir);
            sftp.rename(config.remoteDirectory() + "/" + name, dir + "/" + name);
            LOG.error("CAF SFTP file {} is larger than the flow accepts: not taken, moved to {} on the server", what,
                    dir);
            return;
        }
        tooLarge.put(name, seen);
        LOG.error("CAF SFTP file {} is larger than the flow accepts: not taken, left on the server (raise "
                + "maxPayloadBytes, or ask the CAF to remove or split it)", what);
    }

    /** Step 4: deletes the remote file, or moves it to the done folder. */
    private void clearRemote(SftpClient sftp, String name) throws IOException {
        String remote = config.remoteDirectory() + "/" + name;
        if (config.moveAfterPickup()) {
            String doneDir = config.remote(config.doneDirectory());
            ensureRemoteDirectory(sftp, doneDir);
            String moved = doneDir + "/" + name;
            if (exists(sftp, moved)) {
                sftp.remove(moved);
            }
            sftp.rename(remote, moved);
        } else {
            sftp.remove(remote);
        }
    }

    /** Atomic rename into the inbox, under a free name, then fsync of the inbox folder. */
    private Path handOver(Path part, String name) throws IOException {
        OwnerOnly.createDirectories(config.inbox());
        Path target = config.inbox().resolve(name);
        int dot = name.indexOf('.');
        for (int i = 1; Files.exists(target); i++) {
            // the same name still waiting in the inbox: keep both (the hub sees a duplicate if it is the same
            // file); "." keeps the name a valid correlation id
            target = config.inbox().resolve(dot <= 0 ? name + "." + i : name.substring(0, dot) + "." + i
                    + name.substring(dot));
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the staging folder " + config.staging() + " and the inbox " + config.inbox()
                    + " must be on the same file system (atomic rename)", e);
        }
        try (FileChannel dir = FileChannel.open(config.inbox(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // not every OS syncs a folder; the rename itself is atomic
        }
        return target;
    }

    private static boolean exists(SftpClient sftp, String path) {
        try {
            sftp.stat(path);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void ensureRemoteDirectory(SftpClient sftp, String dir) throws IOException {
        if (!exists(sftp, dir)) {
            sftp.mkdir(dir);
        }
    }

    private void discardLeftovers() {
        if (!Files.isDirectory(config.staging())) {
            return;
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(config.staging(), "*.part")) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
                LOG.info("Discarded {}, left by an interrupted transfer: the file is downloaded again", p);
            }
        } catch (IOException e) {
            LOG.warn("Could not clean {}: {}", config.staging(), e.getMessage());
        }
    }

    private void fail(Failure f, String message) {
        boolean changed = !Objects.equals(message, lastError);
        failure = f;
        lastError = message;
        if (changed) {
            LOG.error("CAF SFTP {}: {}", config.target(), message);
        } else {
            LOG.debug("CAF SFTP {}: {}", config.target(), message);
        }
    }

    /** A failure with its kind. */
    private static final class PickupException extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Failure failure;

        PickupException(Failure failure, String message) {
            super(message);
            this.failure = failure;
        }
    }

    /**
     * Accepts the server only if its key is one of the pinned fingerprints or matches the known_hosts
     * file; remembers the key presented, for the error message.
     */
    static final class PinnedHostKey implements ServerKeyVerifier {
        private final Config config;
        private final KnownHostsServerKeyVerifier knownHosts;
        private volatile String rejected;

        PinnedHostKey(Config config) {
            this.config = config;
            this.knownHosts = config.knownHosts() == null ? null
                    : new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, config.knownHosts());
        }

        void reset() {
            rejected = null;
        }

        String rejected() {
            return rejected;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
            String fp = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
            if (config.hostKeyFingerprints().contains(fp)) {
                return true;
            }
            if (knownHosts != null && knownHosts.verifyServerKey(session, remote, key)) {
                return true;
            }
            rejected = "host key mismatch: " + config.host() + ":" + config.port() + " presented " + fp + " ("
                    + KeyUtils.getKeyType(key) + "), which is not the CAF's pinned key ("
                    + (config.hostKeyFingerprints().isEmpty() ? "" : "sftp.hostKeyFingerprint "
                            + String.join(", ", config.hostKeyFingerprints()))
                    + (config.knownHosts() == null ? "" : (config.hostKeyFingerprints().isEmpty() ? "" : ", ")
                            + "sftp.knownHosts " + config.knownHosts())
                    + "): connection refused. If the CAF announced a new key, pin its fingerprint; otherwise "
                    + "this may not be the CAF's server";
            return false;
        }
    }
}
