package fr.aisne.hub.connector.caf;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Imports one CAF file, reading it once.
 * <ol>
 * <li>Read and validate (schema, totals, emitting application) in one streaming pass. Each household's content
 * digest is compared with the one last imported: an unchanged household (most of a monthly file) is done; a
 * new or changed one is set aside in a spool on disk. Nothing is written anywhere else, so a file found bad
 * at its last line leaves the registry untouched.</li>
 * <li>Record the spooled households in batches: registry (one transaction per batch), department events
 * derived from the previous state (handed to the event sink, which journals them), then the households' new
 * state and digest. A crash in between replays the batch: the registry does not record a repeated value
 * twice, and the event batch has the same key, which the hub's duplicate check recognises.</li>
 * </ol>
 * Memory does not grow with the file: one household, one batch, and an 8-byte digest per known household.
 */
public final class CafFluxImporter {
    /** Where department events go: in the hub, a journaled exchange to the department. */
    @FunctionalInterface
    public interface EventSink {
        /**
         * @param batchKey "importExchangeId:hex", stable for the same batch of the same file, so that a replay
         *                 is recognised
         */
        void publish(String batchKey, List<DepartmentEvent> events) throws Exception;
    }

    /** Where an import stands: phase, households done, rate and estimated time left (-1 when unknown). */
    public record Progress(String file, String phase, long done, long total, double perSecond, long etaSeconds) {
        public String describe() {
            return String.format("%s %s: %d%s households, %.0f/s, ETA %s", phase, file, done,
                    total < 0 ? "" : "/" + total, perSecond, etaSeconds < 0 ? "?" : etaSeconds + " s");
        }
    }

    /** What an import did. */
    public record Result(CafFlux.Summary summary, int unchanged, int recorded, Map<MatchResult.Outcome, Integer> outcomes,
            int events, double seconds) {
        public String describe() {
            return String.format("CAF flux %s of %s: %d households (%d unchanged, %d recorded), %d persons; "
                    + "registry: known %d, new %d, probable %d; %d department events; %.1f s", summary.header().typeflux(),
                    summary.header().dtref(), summary.households(), unchanged, recorded, summary.persons(),
                    outcomes.getOrDefault(MatchResult.Outcome.CERTAIN, 0), outcomes.getOrDefault(MatchResult.Outcome.ABSENT, 0),
                    outcomes.getOrDefault(MatchResult.Outcome.PROBABLE, 0), events, seconds);
        }
    }

    private static final int PROGRESS_EVERY = 5000;

    private final CafFluxReader reader;
    private final PersonRegistry registry;
    private final CafHouseholdStates states;
    private final EventSink events;
    private final Path spoolDirectory;
    private final boolean skipUnchanged;
    private final int batchHouseholds;

    /** Call once, before the first import: spools a killed hub left behind are deleted. */
    public CafFluxImporter(CafFluxReader reader, PersonRegistry registry, CafHouseholdStates states, EventSink events,
            Path spoolDirectory, boolean skipUnchanged, int batchHouseholds) throws IOException {
        this.reader = reader;
        this.registry = registry;
        this.states = states;
        this.events = events;
        this.spoolDirectory = spoolDirectory;
        this.skipUnchanged = skipUnchanged;
        this.batchHouseholds = batchHouseholds;
        CafSpool.discardLeftovers(spoolDirectory);
    }

    /**
     * @throws CafFluxException the file is bad (nothing recorded): its message names the file, line, column and rule
     */
    public Result importFile(Path payload, String exchangeId, String name, Consumer<Progress> progress) throws Exception {
        return importFile(() -> Files.newInputStream(payload), Files.size(payload), exchangeId, name, progress);
    }

    /** Where the file is read from (the hub's stored payload, decrypted as it is read). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /**
     * @param size the file's size in bytes (for the progress of the first pass)
     * @throws CafFluxException the file is bad (nothing recorded): its message names the file, line, column and rule
     */
    public Result importFile(Source payload, long fileSize, String exchangeId, String name, Consumer<Progress> progress)
            throws Exception {
        long t0 = System.nanoTime();
        Instant at = Instant.now();
        CafHouseholdDigest digest = new CafHouseholdDigest();
        LongLongMap known = skipUnchanged ? states.digests(digest) : new LongLongMap(16);
        long size = Math.max(1, fileSize);
        int[] unchanged = {0};
        CafFlux.Summary summary;
        try (CafSpool spool = new CafSpool(spoolDirectory);
                Counting in = new Counting(new BufferedInputStream(payload.open(), 1 << 16))) {
            long[] read = {0};
            summary = reader.read(in, name, h -> {
                long d = digest.content(h);
                if (known.get(digest.key(h.numorg(), h.matricule()), ~d) == d) {
                    unchanged[0]++;
                } else {
                    spool.write(h, d);
                }
                if (++read[0] % PROGRESS_EVERY == 0) {
                    double s = seconds(t0);
                    double fraction = (double) in.count / size;
                    progress.accept(new Progress(name, "validating", read[0], -1, read[0] / s,
                            fraction <= 0 ? -1 : Math.round(s / fraction - s)));
                }
            });
            spool.rewind();
            Map<MatchResult.Outcome, Integer> outcomes = new EnumMap<>(MatchResult.Outcome.class);
            int[] counts = record(spool, summary, exchangeId, at, digest, outcomes, progress, name);
            return new Result(summary, unchanged[0], counts[0], outcomes, counts[1], seconds(t0));
        }
    }

    private int[] record(CafSpool spool, CafFlux.Summary summary, String exchangeId, Instant at, CafHouseholdDigest digest,
            Map<MatchResult.Outcome, Integer> outcomes, Consumer<Progress> progress, String name) throws Exception {
        long t1 = System.nanoTime();
        int total = spool.size();
        int done = 0;
        int eventCount = 0;
        List<CafSpool.Spooled> spooled;
        while (!(spooled = spool.next(batchHouseholds)).isEmpty()) {
            List<CafFlux.Household> batch = spooled.stream().map(CafSpool.Spooled::household).toList();
            List<PersonObservation> observations = new ArrayList<>(batch.size() * 3);
            for (CafFlux.Household h : batch) {
                observations.addAll(CafObservations.of(h, exchangeId, at));
            }
            List<MatchResult> results = registry.observeAll(observations);
            Map<String, CafHouseholdStates.State> previous = states.find(batch);
            Map<String, CafHouseholdStates.State> next = new LinkedHashMap<>();
            List<DepartmentEvent> batchEvents = new ArrayList<>();
            int k = 0;
            for (CafSpool.Spooled entry : spooled) {
                CafFlux.Household h = entry.household();
                List<CafHouseholdStates.Member> members = new ArrayList<>(h.persons().size());
                for (CafFlux.Person p : h.persons()) {
                    MatchResult r = results.get(k++);
                    outcomes.merge(r.outcome(), 1, Integer::sum);
                    members.add(new CafHouseholdStates.Member(r.outcome() == MatchResult.Outcome.PROBABLE
                            ? CafChanges.UNMATCHED : r.personId(), p.rolepers() == null ? "AUT" : p.rolepers().trim(),
                            p.soumisDroitsEtDevoirs()));
                }
                String key = h.numorg() + "/" + h.matricule();
                // the same household twice in a file: the second compares with the first
                CafHouseholdStates.State before = next.containsKey(key) ? next.get(key) : previous.get(key);
                batchEvents.addAll(CafChanges.of(before, h, members, exchangeId, at, summary.header().dtref()));
                next.put(key, new CafHouseholdStates.State(h.numorg(), h.matricule(), entry.digest(), h.etatdosrsa(),
                        members));
            }
            if (!batchEvents.isEmpty()) {
                // the key names the import and the batch's first household, without its matricule in clear
                events.publish(exchangeId + ":" + Long.toHexString(digest.key(batch.get(0).numorg(),
                        batch.get(0).matricule())), batchEvents);
                eventCount += batchEvents.size();
            }
            states.save(new ArrayList<>(next.values()), previous.keySet(), exchangeId, at);
            done += batch.size();
            double s = seconds(t1);
            double rate = done / s;
            progress.accept(new Progress(name, "recording", done, total, rate, Math.round((total - done) / Math.max(rate, 1e-3))));
        }
        return new int[] {done, eventCount};
    }

    private static double seconds(long t0) {
        return Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    }

    /** Counts the bytes read, for the progress of the first pass (and the reader's tests: how far it read). */
    static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
