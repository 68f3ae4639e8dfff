package fr.aisne.hub.connector.caf.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step between a received CAF file (the inbox, which the SFTP pickup also feeds) and the hub: a plain
 * file goes to the hub as it is only when no OpenPGP key is configured (or {@code pgp.acceptPlainFiles=true},
 * an operator's explicit choice): with keys, a plain file is refused, since nothing says it comes from the CAF;
 * an OpenPGP file (recognised by its content, whatever its name) is
 * decrypted and verified by {@link CafPgp} into a plain staging file first, and only a file that passed
 * every check is handed over. So the journal's digest, and with it the duplicate check, is the digest of
 * the plain content (the same flux sealed twice, with two session keys, is still one file), and
 * {@link CafImport} reads plain XML as before.
 * <p>
 * A refused file is copied to the quarantine folder with a {@code .reason.txt} (the convention of
 * {@link CafImport}), both owner-only (purged after {@code retention.days} by {@link CafRetention}), and handed to
 * {@link Refusals}: the connector journals it (size, digest, reason, no payload) as QUARANTINED, which counts it in
 * {@code hub_messages_total}. When that journal entry cannot be written (database down), the copy is withdrawn
 * and the failure thrown: the file stays in the inbox and is refused again, and journaled, at a later poll. Only
 * then is the refusal counted and logged. The plain staging file (owner-only) is deleted once the hub has its copy,
 * or as soon as the file is refused; one left by a crash is deleted at the next start (the original is still in
 * the inbox and is taken again).
 */
final class CafPgpIntake {
    private static final Logger LOG = LoggerFactory.getLogger(CafPgpIntake.class);
    private static final int BUFFER = 1 << 16;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);

    /** Where a plain file goes: the hub ({@code hub.accept}) in the connector, a folder in tests. */
    interface Sink {
        void accept(InputStream plain, String name) throws IOException;
    }

    /** Told of each refused file, still in place, after its quarantine copy was made ({@code hub.refuse}). */
    interface Refusals {
        void refused(Path file, String name, String reason) throws IOException;
    }

    private final CafPgp pgp;
    private final boolean acceptPlain;
    private final Path staging;
    private final Path quarantine;
    private final Refusals refusals;
    private final AtomicLong decrypted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastRejection;

    /**
     * @param pgp         null when no key is configured: an OpenPGP file is then refused
     * @param acceptPlain take plain (not OpenPGP) files as they are; false: refuse them
     * @param staging     folder of the provisional plain files (under data/, next to the inbox)
     * @param refusals    told once per refused file (the connector journals it)
     */
    CafPgpIntake(CafPgp pgp, boolean acceptPlain, Path staging, Path quarantine, Refusals refusals) {
        this.pgp = pgp;
        this.acceptPlain = acceptPlain;
        this.staging = staging;
        this.quarantine = quarantine;
        this.refusals = refusals;
        discardLeftovers(staging);
    }

    /**
     * Takes one received file.
     *
     * @return false when the file was refused (quarantined and journaled)
     * @throws IOException a local problem (disk), the sink's, or a refusal that could not be journaled: the caller
     *                     keeps the file and tries again
     */
    boolean take(Path file, String name, Sink sink) throws IOException {
        if (!CafPgp.isOpenPgp(file)) {
            if (!acceptPlain) {
                return reject(file, name, "a plain file, neither encrypted nor signed: nothing says it comes from "
                        + "the CAF; with OpenPGP keys configured only encrypted files signed by the CAF are taken "
                        + "(pgp.acceptPlainFiles=false)");
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
                sink.accept(in, name);
            }
            return true;
        }
        if (pgp == null) {
            return reject(file, name, "OpenPGP-encrypted, but no decryption key is configured (pgp.secretKeyRing)");
        }
        OwnerOnly.createDirectories(staging);
        Path plain = staging.resolve(UUID.randomUUID() + ".part");
        try {
            CafPgp.Outcome outcome;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(OwnerOnly.newFile(plain)),
                            BUFFER)) {
                outcome = pgp.decrypt(in, out);
            } catch (CafPgp.Rejected r) {
                Files.deleteIfExists(plain); // a partial decryption (a bomb stopped at the limit) goes at once
                return reject(file, name, r.getMessage());
            }
            String plainName = plainName(name);
            LOG.info("CAF file {} decrypted and verified ({} bytes, {}); handed to the hub as {}", name,
                    outcome.bytes(), outcome.signer(), plainName);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(plain), BUFFER)) {
                sink.accept(in, plainName);
            }
            decrypted.incrementAndGet();
            return true;
        } finally {
            Files.deleteIfExists(plain);
        }
    }

    /** For the connector's health: files decrypted, refused, and the last refusal. */
    String describe() {
        String last = lastRejection;
        return "OpenPGP " + (pgp == null ? "off" : "on") + ": " + decrypted.get() + " decrypted, " + rejected.get()
                + " refused" + (last == null ? "" : " (last: " + last + ")") + "; " + rules();
    }

    /** The CAF keys trusted, for the connector's settings. */
    String partner() {
        return pgp == null ? "no OpenPGP key" : pgp.describePartner();
    }

    /** What is required of a file, in words (health and the connector's settings). */
    String rules() {
        if (pgp == null) {
            return "no key configured: plain files taken unchecked, OpenPGP files refused";
        }
        return (acceptPlain ? "plain files accepted (pgp.acceptPlainFiles=true)" : "encryption required")
                + (pgp.requireSignature() ? ", the CAF's signature required" : ", unsigned files accepted "
                        + "(pgp.requireSignature=false)");
    }

    long rejectedCount() {
        return rejected.get();
    }

    /** {@code RSABEM.xml.pgp} -> {@code RSABEM.xml}; the name the journal records as correlation id. */
    static String plainName(String name) {
        String plain = name.replaceFirst("(?i)\\.(pgp|gpg|asc)$", "");
        return plain.isEmpty() ? name : plain;
    }

    private boolean reject(Path file, String name, String reason) throws IOException {
        String base = "pgp-" + LocalDateTime.now().format(STAMP) + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path copy = quarantine.resolve(base);
        Path reasonFile = quarantine.resolve(base + ".reason.txt");
        String kept;
        try {
            OwnerOnly.privateDirectory(quarantine);
            try (InputStream in = Files.newInputStream(file);
                    OutputStream out = Channels.newOutputStream(OwnerOnly.newFile(copy))) {
                in.transferTo(out);
            }
            OwnerOnly.writeString(reasonFile, name + ": " + reason + "\n");
            // the folder's last two names (quarantine/caf), not the installation's absolute path
            Path parent = quarantine.getParent() == null ? null : quarantine.getParent().getFileName();
            Path shown = parent == null ? quarantine : parent.resolve(quarantine.getFileName());
            kept = "kept as " + shown.resolve(base).toString().replace('\\', '/');
        } catch (IOException io) {
            LOG.warn("Quarantine copy of CAF file {} failed: {}", name, io.getMessage());
            kept = "not copied";
        }
        try {
            refusals.refused(file, name, reason + " (" + kept + "; to take it again once the settings are fixed, put "
                    + "it back into the inbox as " + name + ")");
        } catch (IOException | RuntimeException e) {
            // not journaled: the file stays in the inbox and is refused again later; no second copy meanwhile
            Files.deleteIfExists(copy);
            Files.deleteIfExists(reasonFile);
            throw e instanceof IOException io ? io : new IOException("refusal of " + name + " not journaled", e);
        }
        rejected.incrementAndGet();
        lastRejection = name + ": " + reason;
        LOG.warn("CAF file {} refused: {}; {}", name, reason, kept);
        return false;
    }

    private static void discardLeftovers(Path staging) {
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(staging, "*.part")) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
                LOG.info("Discarded {} (decrypted content left by an interrupted run; the file is taken again)", p);
            }
        } catch (IOException e) {
            LOG.warn("Could not clean {}: {}", staging, e.getMessage());
        }
    }
}
