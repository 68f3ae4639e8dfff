package fr.aisne.hub.connector.caf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.IngestResult.Outcome;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Redaction;

/**
 * What becomes of one file of the CAF inbox (route {@code caf.inbox}, which offers every stable file at each poll
 * and leaves it where it is: this class moves or deletes it).
 * <ul>
 * <li><b>Journaled</b> (the hub answered QUEUED, DUPLICATE, INVALID or TOO_LARGE, or the file was refused by
 * OpenPGP and its refusal journaled): a plain file is deleted, since the hub keeps its content sealed in its own
 * store (a duplicate's is the first exchange's); an OpenPGP file, encrypted and signed as the CAF sent it (the proof
 * of what the CAF sent), goes to {@code .done/}, owner-only, purged after {@code retention.days}
 * ({@link CafRetention}); a TOO_LARGE file, which the hub did not keep, goes to the quarantine folder with its
 * reason, owner-only, purged likewise.</li>
 * <li><b>Not journaled</b> (the hub answered UNAVAILABLE or NO_SPACE, or failed: database down, disk full): the
 * file stays in the inbox and is offered again once its delay has passed (the hub's Retry-After, at least 5 s,
 * doubling up to 5 min); meanwhile the connector's health is DOWN with the number of files waiting and the last
 * reason. Nothing is lost and nothing is journaled twice: a file journaled whose disposal then failed is offered
 * again and recorded as a duplicate.</li>
 * </ul>
 */
final class CafInbox {
    private static final Logger LOG = LoggerFactory.getLogger(CafInbox.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    /** The hub did not journal the file: kept, offered again later. */
    static final class NotJournaled extends IOException {
        private static final long serialVersionUID = 1L;
        final transient IngestResult result;

        NotJournaled(IngestResult result) {
            super("not journaled: " + result.outcome() + " (" + result.reason() + ")");
            this.result = result;
        }
    }

    /** A file waiting in the inbox: its size and time when it failed, why, and when it is offered again. */
    private record Waiting(long size, FileTime modified, String reason, int attempts, Instant next, boolean noSpace) {
    }

    private final CafPgpIntake pgp;
    private final Intake hub;
    private final Flow flow;
    private final Path inbox;
    private final Path done;
    private final Path quarantine;
    private final Clock clock;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    CafInbox(CafPgpIntake pgp, Intake hub, Flow flow, Path inbox, Path quarantine, Clock clock) {
        this.pgp = pgp;
        this.hub = hub;
        this.flow = flow;
        this.inbox = inbox;
        this.done = inbox.resolve(".done");
        this.quarantine = quarantine;
        this.clock = clock;
    }

    /**
     * Files an earlier version moved to {@code .failed/} when the hub could not journal them (and then forgot): put
     * back into the inbox to be taken (a file the hub had journaled after all is recorded as a duplicate).
     */
    static int recoverFailed(Path inbox) {
        Path failed = inbox.resolve(".failed");
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(failed)) {
            for (Path f : files) {
                Path target = inbox.resolve(f.getFileName());
                if (Files.isRegularFile(f) && !Files.exists(target)) {
                    Files.move(f, target);
                    n++;
                }
            }
        } catch (IOException e) {
            LOG.warn("CAF inbox: could not take back the files of {}: {}", failed, e.toString());
        }
        if (n > 0) {
            LOG.warn("CAF inbox: {} file(s) an earlier version had set aside in {} without journaling them are taken "
                    + "again", n, failed);
        }
        return n;
    }

    /** Takes one stable file of the inbox (never throws: a failure keeps the file for a later poll). */
    void take(Path file, String name) {
        Waiting w = waiting.get(name);
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException gone) {
            waiting.remove(name);
            return;
        }
        if (w != null && w.size() == size && w.modified().equals(modified) && clock.instant().isBefore(w.next())) {
            return; // waits for its delay
        }
        boolean keepOriginal;
        IngestResult[] result = {null};
        try {
            boolean openPgp = CafPgp.isOpenPgp(file);
            // a refused file (false) is already copied to quarantine: the inbox's copy goes
            keepOriginal = pgp.take(file, name, (InputStream content, String plainName) -> {
                IngestResult r = hub.accept(flow, content, new InboundMetadata(plainName, null, "application/xml",
                        "caf-inbox"));
                if (r.outcome() == Outcome.UNAVAILABLE || r.outcome() == Outcome.NO_SPACE) {
                    throw new NotJournaled(r);
                }
                result[0] = r;
                LOG.info("CAF file {} taken: {} (exchange {})", plainName, r.outcome(), r.exchangeId());
            }) && openPgp;
        } catch (NotJournaled e) {
            keep(name, size, modified, w, Redaction.redact(e.result.reason()), e.result.retryAfterSeconds(),
                    e.result.outcome() == Outcome.NO_SPACE);
            return;
        } catch (Exception e) {
            keep(name, size, modified, w, Redaction.describe(e), 0, false);
            return;
        }
        if (w != null) {
            LOG.info("CAF file {} journaled after {} attempt(s)", name, w.attempts() + 1);
        }
        waiting.remove(name);
        try {
            dispose(file, name, keepOriginal, result[0]);
        } catch (IOException e) {
            // journaled: offered again, it is recorded as a duplicate and disposed of then
            LOG.warn("CAF file {} journaled but not cleared from the inbox ({}): it will be seen again as a duplicate",
                    name, e.toString());
        }
    }

    private void dispose(Path file, String name, boolean keepOriginal, IngestResult r) throws IOException {
        if (r != null && r.outcome() == Outcome.TOO_LARGE) {
            // the hub kept nothing: the file itself is the only copy, kept owner-only until retention.days
            OwnerOnly.privateDirectory(quarantine);
            String base = r.exchangeId() + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
            moveOwnerOnly(file, quarantine.resolve(base));
            OwnerOnly.writeString(quarantine.resolve(base + ".reason.txt"), Redaction.redact(r.reason()) + "\nexchange "
                    + r.exchangeId() + "\n");
        } else if (keepOriginal) {
            OwnerOnly.privateDirectory(done);
            moveOwnerOnly(file, done.resolve(name));
        } else {
            Files.delete(file);
        }
    }

    private void moveOwnerOnly(Path file, Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        OwnerOnly.restrict(target);
        Files.setLastModifiedTime(target, FileTime.from(clock.instant())); // retention counts from now
    }

    private void keep(String name, long size, FileTime modified, Waiting before, String reason, long retryAfter,
            boolean noSpace) {
        int attempts = before == null ? 1 : before.attempts() + 1;
        long backoff = FIRST_DELAY.toSeconds() << Math.min(attempts - 1, 6); // 5, 10, 20 ... 320 s
        long delay = Math.min(MAX_DELAY.toSeconds(), Math.max(retryAfter, backoff));
        waiting.put(name, new Waiting(size, modified, reason, attempts, clock.instant().plusSeconds(delay), noSpace));
        if (before == null || !reason.equals(before.reason())) {
            LOG.warn("CAF file {} could not be journaled: {}; it stays in the inbox and is offered again in {} s "
                    + "(health DOWN meanwhile)", name, reason, delay);
        } else {
            LOG.debug("CAF file {} still not journaled (attempt {}): {}", name, attempts, reason);
        }
    }

    /** Files waiting that are still there (one an operator removed is forgotten). */
    private Map<String, Waiting> stillWaiting() {
        waiting.keySet().removeIf(n -> !Files.exists(inbox.resolve(n)));
        return waiting;
    }

    /** False while files wait in the inbox without being journaled. */
    boolean healthy() {
        return stillWaiting().isEmpty();
    }

    /** True while a file waits because the hub's disk is nearly full (the SFTP pickup then waits too). */
    boolean noSpace() {
        return stillWaiting().values().stream().anyMatch(Waiting::noSpace);
    }

    /** For the health: how many files wait, why (the latest reason), and when they are offered again. */
    String describe() {
        Map<String, Waiting> w = stillWaiting();
        if (w.isEmpty()) {
            return "inbox: nothing waiting";
        }
        Waiting latest = w.values().stream().max((a, b) -> a.next().compareTo(b.next())).orElseThrow();
        Instant next = w.values().stream().map(Waiting::next).min(Instant::compareTo).orElseThrow();
        return "inbox: " + w.size() + " file(s) not journaled, kept in the inbox and offered again (next "
                + next + "): " + latest.reason();
    }
}
