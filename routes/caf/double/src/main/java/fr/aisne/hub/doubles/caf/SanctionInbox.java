package fr.aisne.hub.doubles.caf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CAF's side of the department's sanction requests (format proposed by the hub:
 * docs/contracts/aisne-actifs/v1/caf-demande-sanction.md): takes each {@code DEMSANC_*.csv} dropped into its folder,
 * checks it (windows-1252, header, 13 fields, department 002, household, role, identity, reason, dates, trailer
 * count) and moves it into {@code accepted/}, or into {@code refused/} with {@code <name>.motif.txt} saying which
 * line and field and why. Files being written (a leading dot) are left alone. Settings of etc/hub.double.caf.cfg:
 * {@code sanctions.directory} (under data/, default outbox/caf-sanctions, where the hub's connector drops them) and
 * {@code sanctions.pollSeconds} (2; 0 turns it off).
 */
final class SanctionInbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SanctionInbox.class);
    static final String HEADER = "IDEPARTE;NUMORG;MATRICULE;ROLEPERS;NOMNAI;NOMUSA;PRENOM;DTNAI;MOTIF;DTCONSTAT;DTDEMANDE;"
            + "REFERENT;REFERENCE";
    private static final Set<String> MOTIFS = Set.of("refus-contractualisation", "non-respect-engagements",
            "absence-rendez-vous", "autre");
    private static final Set<String> ROLES = Set.of("DEM", "CJT", "ENF", "AUT");

    private final Path directory;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caf-double-sanctions");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    SanctionInbox(Path directory, long pollSeconds) {
        this.directory = directory;
        timer.scheduleWithFixedDelay(this::scan, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    }

    void scan() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("DEMSANC_")
                    && p.getFileName().toString().endsWith(".csv") && Files.isRegularFile(p)).toList()) {
                String problem = check(Files.readAllBytes(f));
                Path target = directory.resolve(problem == null ? "accepted" : "refused");
                Files.createDirectories(target);
                Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                if (problem == null) {
                    accepted.incrementAndGet();
                    LOG.info("CAF double: sanction request file {} accepted", f.getFileName());
                } else {
                    refused.incrementAndGet();
                    Files.writeString(target.resolve(f.getFileName() + ".motif.txt"), problem + "\n");
                    LOG.info("CAF double: sanction request file {} refused: {}", f.getFileName(), problem);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("CAF double: sanction requests not read this time: {}", e.toString());
        }
    }

    /** Null when the file follows the format; otherwise the line, the field and why (no value quoted). */
    static String check(byte[] content) {
        String text;
        try {
            text = Charset.forName("windows-1252").newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return "not windows-1252 text";
        }
        if (!text.endsWith("\r\n")) {
            return "lines must end with CR LF, the last one too";
        }
        List<String> lines = List.of(text.substring(0, text.length() - 2).split("\r\n", -1));
        if (lines.size() < 3) {
            return "a header, at least one request and the trailer are expected";
        }
        if (!lines.get(0).equals(HEADER)) {
            return "line 1: the header is not " + HEADER;
        }
        String trailer = lines.get(lines.size() - 1);
        if (!trailer.equals("FIN;" + (lines.size() - 2))) {
            return "line " + lines.size() + ": the trailer must be FIN;" + (lines.size() - 2) + " (the number of requests)";
        }
        for (int i = 1; i < lines.size() - 1; i++) {
            String problem = row(lines.get(i).split(";", -1));
            if (problem != null) {
                return "line " + (i + 1) + ": " + problem;
            }
        }
        return null;
    }

    private static String row(String[] f) {
        if (f.length != 13) {
            return "13 fields expected, " + f.length + " found";
        }
        if (!f[0].equals("002")) {
            return "IDEPARTE must be 002 (the Aisne)";
        }
        if (!f[1].matches("\\d{3}")) {
            return "NUMORG must be 3 digits";
        }
        if (!f[2].matches("\\d{1,15}")) {
            return "MATRICULE must be 1 to 15 digits";
        }
        if (!ROLES.contains(f[3])) {
            return "ROLEPERS must be one of " + ROLES;
        }
        if (f[4].isBlank() || f[6].isBlank()) {
            return "NOMNAI and PRENOM are required";
        }
        if (!date(f[7]) || !date(f[9])) {
            return "DTNAI and DTCONSTAT must be dates yyyy-MM-dd";
        }
        if (!MOTIFS.contains(f[8])) {
            return "MOTIF must be one of " + MOTIFS;
        }
        try {
            OffsetDateTime.parse(f[10]);
        } catch (DateTimeParseException e) {
            return "DTDEMANDE must be an ISO 8601 date-time with offset";
        }
        if (f[11].isBlank() || f[12].isBlank()) {
            return "REFERENT and REFERENCE are required";
        }
        return null;
    }

    private static boolean date(String v) {
        try {
            LocalDate.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
