package fr.aisne.hub.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.core.exchange.DuplicateKeys;
import fr.aisne.hub.core.journal.GroupCommit;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.journal.NewExchange;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.util.Digests;
import fr.aisne.hub.core.util.Ids;

/**
 * The journal's write path alone, on the hub's Derby settings and schema: THREADS threads each journal a message as
 * the intake does (its duplicate key, its entry with RECEIVED, VALIDATED, QUEUED and a 200-byte sealed payload, in
 * one transaction; no partner message id, so its payload digest is its duplicate key, as in the echo flow), then its
 * outcome as a delivery does (one read of its row, then DELIVERED), once with every thread committing alone and
 * once through {@link GroupCommit} (one writer for accepts, one for outcomes), alternately, in one JVM. Prints
 * messages/s and the process's CPU per message. No HTTP, no broker: what the group commit changes, measured apart.
 * <p>Usage: {@code java -cp ... fr.aisne.hub.benchmarks.JournalGroupCommit [messages [threads [rounds]]]}.
 */
public final class JournalGroupCommit {
    private JournalGroupCommit() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Files.createTempDirectory("journal-group-commit");
        HubDatabase db = HubDatabase.embeddedDerby(dir.resolve("db").toString());
        try {
            var mdb = SchemaMigrations.database(db.dataSource());
            mdb.migrate("core", HubDatabase.class.getClassLoader(), Journal.migrations());
            Jdbc jdbc = mdb.jdbc();
            Journal journal = new Journal(jdbc, new HubMetrics(), Clock.systemUTC());
            DuplicateKeys duplicates = new DuplicateKeys(jdbc, Duration.ofDays(7), Clock.systemUTC());
            Flow flow = Flow.inbound("bench", "relay");
            System.out.printf(Locale.ROOT, "journal write path: %d messages per run, %d threads, %d cores%n", messages,
                    threads, Runtime.getRuntime().availableProcessors());
            run("warm-up alone", journal, duplicates, flow, messages / 2, threads, 1);
            run("warm-up grouped", journal, duplicates, flow, messages / 2, threads, 64);
            for (int r = 1; r <= rounds; r++) {
                run("alone   (" + r + ")", journal, duplicates, flow, messages, threads, 1);
                run("grouped (" + r + ")", journal, duplicates, flow, messages, threads, 64);
            }
        } finally {
            db.close();
        }
    }

    private static void run(String name, Journal journal, DuplicateKeys duplicates, Flow flow, int n, int threads,
            int maxBatch) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        byte[] payload = new byte[200];
        List<Journal.Step> steps = List.of(new Journal.Step(ExchangeState.RECEIVED, null, "bench"),
                new Journal.Step(ExchangeState.VALIDATED, null, "hub"), new Journal.Step(ExchangeState.QUEUED, null, "hub"));
        try (GroupCommit accepts = new GroupCommit(journal, "accepts", maxBatch);
                GroupCommit outcomes = new GroupCommit(journal, "outcomes", maxBatch)) {
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    while (next.getAndIncrement() < n) {
                        String id = Ids.newExchangeId();
                        // as the echo flow's messages: no partner message id, the payload's (random) digest as key
                        String sha256 = HexFormat.of().formatHex(Digests.sha256().digest(id.getBytes()));
                        accepts.run(() -> {
                            if (duplicates.record(DuplicateKeys.keysOf(flow, null, sha256), id).isPresent()) {
                                throw new IllegalStateException("unexpected duplicate");
                            }
                            journal.insert(new NewExchange(id, "c-" + id, flow.partner(), flow.name(), flow.direction(),
                                    "bench", "application/json", payload.length, sha256, null, null, flow.queue(), true),
                                    steps, payload);
                        });
                        // as the delivery: one read of the row, then the outcome
                        Journal.Ref ref = journal.load(id).orElseThrow().ref();
                        outcomes.run(() -> journal.transition(ref, ExchangeState.DELIVERED, "partner answered HTTP 200",
                                "hub"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / n;
            pool.shutdown();
            long[] c = accepts.counts();
            System.out.printf(Locale.ROOT, "%-18s %8.0f messages/s  %6.0f us CPU per message%s%n", name, n / seconds,
                    cpuMicros, c[0] == 0 ? "" : String.format(Locale.ROOT, "  (accepts: %.1f per commit)",
                            (double) c[1] / c[0]));
        }
    }
}
