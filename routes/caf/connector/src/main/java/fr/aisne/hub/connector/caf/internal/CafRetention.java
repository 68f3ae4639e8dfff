package fr.aisne.hub.connector.caf.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges what the connector keeps of the CAF's files beside the hub's own sealed store (route
 * {@code caf.retention}, at start then hourly): the OpenPGP originals of {@code inbox/.done/} and everything in the
 * quarantine folder (refused files and their {@code .reason.txt}) once older than {@code retention.days}. A plain
 * file in {@code .done/} (only an earlier version put any there: clear XML with NIRs, whose content the journal
 * holds sealed) is deleted whatever its age. What is kept is narrowed to owner-only.
 */
final class CafRetention {
    private static final Logger LOG = LoggerFactory.getLogger(CafRetention.class);

    private final Path done;
    private final Path quarantine;
    private final Duration keep;
    private final Clock clock;

    CafRetention(Path inbox, Path quarantine, Duration keep, Clock clock) {
        this.done = inbox.resolve(".done");
        this.quarantine = quarantine;
        this.keep = keep;
        this.clock = clock;
    }

    Duration keep() {
        return keep;
    }

    /** One pass; returns the number of files deleted. Never throws (logs what it could not do). */
    int purge() {
        Instant before = clock.instant().minus(keep);
        int n = purge(done, before, true) + purge(quarantine, before, false);
        if (n > 0) {
            LOG.info("CAF retention: {} file(s) deleted from {} and {} (older than {} days, or plain XML in .done)", n,
                    done, quarantine, keep.toDays());
        }
        return n;
    }

    private static int purge(Path dir, Instant before, boolean plainAlways) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try {
            OwnerOnly.restrict(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (!Files.isRegularFile(f)) {
                        continue;
                    }
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(before)
                            || plainAlways && !CafPgp.isOpenPgp(f)) {
                        Files.delete(f);
                        n++;
                    } else {
                        OwnerOnly.restrict(f);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("CAF retention: could not purge {}: {}", dir, e.toString());
        }
        return n;
    }
}
