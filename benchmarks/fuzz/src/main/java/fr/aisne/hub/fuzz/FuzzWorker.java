package fr.aisne.hub.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Fuzzes one target in this JVM for a time (or a number of inputs): every seed once, then mutated corpus entries.
 * An input that gives a refusal reason not seen before joins the corpus (a coverage-less stand-in for "new
 * behaviour"). Each input runs on this thread under a watchdog: still running after {@code fuzz.timeoutMs} it is a
 * hang, saved with the thread's stack; a thread still stuck long after makes the worker save its figures and exit
 * with status 3 (the launcher starts another for the time left). Writes {@code summary.properties},
 * {@code reasons.txt} and {@code crashes/} into {@code <out>/<target>/}.
 *
 * <p>System properties: fuzz.target, fuzz.seconds, fuzz.seed, fuzz.execs, fuzz.timeoutMs, fuzz.heapGrowthMb,
 * fuzz.out, fuzz.corpus, fuzz.replay, fuzz.restart.
 */
public final class FuzzWorker {
    static final int EXIT_STUCK = 3;
    private static final long STUCK_GRACE_MS = 20_000;
    private static final long ALLOCATION_BOUND = 512L << 20;
    private static final int MAX_CORPUS = 512;
    /** The corpus is the fuzzer's own memory: bounded, and left out of the heap-growth check. */
    private static final long MAX_CORPUS_BYTES = 48L << 20;
    private static final long MINIMISE_MS = 10_000;
    private static final int MINIMISE_RUNS = 3_000;

    private final FuzzTarget target;
    private final FuzzTarget.Body body;
    private final Path out;
    private final long timeoutMs;
    private final long heapGrowthBytes;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Thread runner = Thread.currentThread();

    // what the watchdog watches
    private volatile long startedAt;
    private volatile byte[] current;
    private volatile boolean running;
    private volatile boolean hangReported;
    private volatile boolean minimising;

    // figures
    private long execs;
    private long accepted;
    private long refused;
    private long minimiseExecs;
    private long minimiseNanos;
    private final Map<String, Long> reasons = new LinkedHashMap<>();
    private final Map<String, Crash> crashes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final long t0 = System.nanoTime();
    private long baselineHeap = -1;
    private long lastHeapCheck = System.nanoTime();
    private int corpusSize;
    private volatile long corpusBytes;
    private List<byte[]> corpus;
    private String source = "";

    /** A distinct crash: how often, the first input's file, and what it is. */
    private static final class Crash {
        final String kind;
        final String file;
        final String headline;
        long count = 1;
        String minimised = "";

        Crash(String kind, String file, String headline) {
            this.kind = kind;
            this.file = file;
            this.headline = headline;
        }
    }

    private FuzzWorker(FuzzTarget target, Path out, long timeoutMs, long heapGrowthMb) {
        this.target = target;
        this.out = out;
        this.timeoutMs = timeoutMs;
        this.heapGrowthBytes = heapGrowthMb << 20;
        this.body = target.newBody();
    }

    public static void main(String[] args) throws Exception {
        String name = System.getProperty("fuzz.target");
        FuzzTarget target = Targets.byName(name);
        Path out = Files.createDirectories(Paths.get(System.getProperty("fuzz.out", "target/fuzz")).resolve(name));
        FuzzWorker w = new FuzzWorker(target, out, Long.getLong("fuzz.timeoutMs", 2000),
                Long.getLong("fuzz.heapGrowthMb", 64));
        String replay = System.getProperty("fuzz.replay", "");
        int restart = Integer.getInteger("fuzz.restart", 0);
        w.startWatchdog(restart);
        int status = 0;
        try {
            if (!replay.isBlank()) {
                w.replay(Paths.get(replay));
            } else {
                Path corpus = Paths.get(System.getProperty("fuzz.corpus", "src/main/corpus")).resolve(name);
                w.fuzz(corpus, Long.getLong("fuzz.seed", 42) + restart, Long.getLong("fuzz.seconds", 60),
                        Long.getLong("fuzz.execs", 0));
            }
        } catch (Throwable t) {
            // outside an input: the fuzzer itself failed (its figures so far are still written)
            w.corpus = null;
            System.out.printf("  [%s] the fuzzer itself failed outside an input: %s%n", name, t);
            status = 2;
        }
        w.writeSummary(restart, false);
        System.exit(status);
    }

    /** Every seed once, then mutations until the time or the number of inputs is spent. */
    private void fuzz(Path corpusFolder, long seed, long seconds, long maxExecs) {
        List<Seeds.Seed> seeds = new ArrayList<>(target.generatedSeeds());
        seeds.addAll(Seeds.files(corpusFolder));
        if (seeds.isEmpty()) {
            seeds.add(new Seeds.Seed("empty-object", "{}".getBytes(StandardCharsets.UTF_8)));
        }
        corpus = new ArrayList<>();
        for (Seeds.Seed s : seeds) {
            corpus.add(s.bytes());
            source = "seed " + s.name();
            one(s.bytes());
        }
        int seedCount = corpus.size();
        corpusBytes = corpus.stream().mapToLong(b -> b.length).sum();
        Mutator mutator = new Mutator(seed, target.tokens(), target.maxInputBytes());
        SplittableRandom pick = new SplittableRandom(seed * 31 + 7);
        long deadline = t0 + seconds * 1_000_000_000L;
        long nextProgress = System.nanoTime() + 30_000_000_000L;
        long mutated = 0;
        while (System.nanoTime() < deadline && (maxExecs <= 0 || mutated < maxExecs)) {
            byte[] base = corpus.get(pick.nextInt(corpus.size()));
            byte[] input = mutator.mutate(base, corpus);
            mutated++;
            source = "mutation " + mutated + " of seed " + seed;
            Oracle.Verdict v = one(input);
            if (v != null && v.kind() != Oracle.Kind.ACCEPTED && !v.kind().crash() && reasons.get(v.key()) == 1L
                    || v != null && v.kind() == Oracle.Kind.ACCEPTED && pick.nextInt(64) == 0) {
                if (corpus.size() < MAX_CORPUS && corpusBytes + input.length <= MAX_CORPUS_BYTES) {
                    corpus.add(input);
                    corpusBytes += input.length;
                } else if (corpus.size() > seedCount) {
                    int i = seedCount + pick.nextInt(corpus.size() - seedCount);
                    long after = corpusBytes - corpus.get(i).length + input.length;
                    if (after <= MAX_CORPUS_BYTES) {
                        corpus.set(i, input);
                        corpusBytes = after;
                    }
                }
            }
            if (System.nanoTime() > nextProgress) {
                nextProgress += 30_000_000_000L;
                System.out.printf("  [%s] %3d s: %,d inputs (%,.0f/s), %d refusal reasons, %d distinct crashes%n",
                        target.name(), Math.round(elapsed()), execs, execs / Math.max(1e-3, elapsed() - minimiseNanos / 1e9),
                        reasons.size(), crashes.size());
            }
        }
        corpusSize = corpus.size();
    }

    /** Each file once (a folder: every file under it), printing what it gave. */
    private void replay(Path what) throws IOException {
        List<Seeds.Seed> inputs = Files.isDirectory(what) ? Seeds.files(what)
                : List.of(new Seeds.Seed(what.getFileName().toString(), Files.readAllBytes(what)));
        for (Seeds.Seed s : inputs) {
            source = "replay " + s.name();
            Oracle.Verdict v = one(s.bytes());
            System.out.printf("  [%s] %s: %s%s%n", target.name(), s.name(), v == null ? "hang" : v.kind().label(),
                    v == null ? "" : v.kind() == Oracle.Kind.ACCEPTED ? "" : " " + v.key());
        }
    }

    /** Runs one input and records what it did; null when the watchdog already reported it as a hang. */
    private Oracle.Verdict one(byte[] input) {
        Oracle.Verdict v = run(input);
        execs++;
        if (v == null) {
            return null;
        }
        switch (v.kind()) {
            case ACCEPTED -> accepted++;
            case REFUSED -> {
                refused++;
                reasons.merge(v.key(), 1L, Long::sum);
            }
            default -> crash(v, input);
        }
        checkHeap(input);
        return v;
    }

    private Oracle.Verdict run(byte[] input) {
        long tid = runner.getId();
        long a0 = threads.getThreadAllocatedBytes(tid);
        Throwable thrown = null;
        hangReported = false;
        current = input;
        startedAt = System.nanoTime();
        running = true;
        try {
            body.run(input);
        } catch (Throwable t) {
            thrown = t;
        } finally {
            running = false;
        }
        Thread.interrupted(); // a watchdog's interrupt must not leak into the next input
        if (hangReported) {
            return null;
        }
        Oracle.Verdict v = Oracle.judge(target.refusals(), input, thrown);
        long allocated = threads.getThreadAllocatedBytes(tid) - a0;
        if (!v.kind().crash() && allocated > ALLOCATION_BOUND) {
            return new Oracle.Verdict(Oracle.Kind.MEMORY, "memory@" + (thrown == null ? "accepted" : Oracle.thrower(thrown)),
                    thrown, String.format(
                    "allocated %,d MiB for an input of %,d bytes (bound %d MiB)", allocated >> 20, input.length,
                    ALLOCATION_BOUND >> 20));
        }
        return v;
    }

    private void crash(Oracle.Verdict v, byte[] input) {
        Crash known = crashes.get(v.key());
        if (known != null) {
            known.count++;
            return;
        }
        String file = v.kind().label() + "-" + sha(input).substring(0, 12);
        StringWriter trace = new StringWriter();
        if (v.thrown() != null) {
            v.thrown().printStackTrace(new PrintWriter(trace));
        }
        String headline = v.thrown() == null ? v.key() : v.thrown().getClass().getName() + ": "
                + firstLine(v.thrown().getMessage());
        Crash c = new Crash(v.kind().label(), file, headline);
        crashes.put(v.key(), c);
        save(file, input, v, trace.toString(), null);
        if (v.kind() == Oracle.Kind.EXCEPTION || v.kind() == Oracle.Kind.LEAK
                || v.kind() == Oracle.Kind.ERROR && v.thrown() instanceof StackOverflowError) {
            byte[] small = minimise(input, v.key());
            if (small.length < input.length) {
                Oracle.Verdict again = run(small);
                StringWriter t2 = new StringWriter();
                if (again != null && again.thrown() != null) {
                    again.thrown().printStackTrace(new PrintWriter(t2));
                }
                save(file + "-min", small, again == null ? v : again, t2.toString(), file);
                c.minimised = file + "-min.input (" + small.length + " bytes)";
            }
        }
    }

    /** Removes chunks, halving their size, while the same crash still happens (bounded in runs and time). */
    private byte[] minimise(byte[] input, String key) {
        byte[] best = input;
        long began = System.nanoTime();
        long until = began + MINIMISE_MS * 1_000_000;
        int runs = 0;
        minimising = true;
        try {
            for (int chunk = Math.max(1, best.length / 2); chunk >= 1; chunk = chunk == 1 ? 0 : chunk / 2) {
                for (int at = 0; at + chunk <= best.length;) {
                    if (runs++ >= MINIMISE_RUNS || System.nanoTime() > until) {
                        return best;
                    }
                    byte[] candidate = Mutator.delete(best, at, chunk);
                    Oracle.Verdict v = run(candidate);
                    minimiseExecs++;
                    if (v != null && v.key().equals(key)) {
                        best = candidate;
                    } else {
                        at += chunk;
                    }
                }
            }
            return best;
        } finally {
            minimising = false;
            minimiseNanos += System.nanoTime() - began;
        }
    }

    private void save(String file, byte[] input, Oracle.Verdict v, String trace, String minimisedFrom) {
        try {
            Path dir = Files.createDirectories(out.resolve("crashes"));
            Files.write(dir.resolve(file + ".input"), input);
            StringBuilder sb = new StringBuilder();
            sb.append("target: ").append(target.name()).append('\n');
            sb.append("kind: ").append(v.kind().label()).append('\n');
            sb.append("signature: ").append(v.key()).append('\n');
            sb.append("input: ").append(file).append(".input, ").append(input.length).append(" bytes, sha256 ")
                    .append(sha(input)).append('\n');
            sb.append("found by: ").append(minimisedFrom == null ? source : "minimising " + minimisedFrom).append('\n');
            if (v.detail() != null) {
                sb.append("detail: ").append(v.detail()).append('\n');
            }
            if (v.thrown() != null) {
                sb.append("message chain: ").append(Oracle.messages(v.thrown())).append('\n');
            }
            sb.append('\n').append(trace);
            Files.write(dir.resolve(file + ".txt"), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("cannot save crash " + file + ": " + e);
        }
    }

    /** Heap retained after a full GC, every 15 s: more than the bound above what it was after the first 10 s. */
    private void checkHeap(byte[] input) {
        long now = System.nanoTime();
        if (now - lastHeapCheck < 15_000_000_000L || minimising) {
            return;
        }
        lastHeapCheck = now;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory() - corpusBytes;
        if (baselineHeap < 0) {
            baselineHeap = used;
        } else if (used - baselineHeap > heapGrowthBytes && !crashes.containsKey("heap-growth")) {
            crash(new Oracle.Verdict(Oracle.Kind.HEAP_GROWTH, "heap-growth", null, String.format(
                    "heap retained after GC, the corpus's %d MiB left out, grew from %d MiB to %d MiB (bound +%d MiB); "
                            + "the input is the last one run", corpusBytes >> 20,
                    baselineHeap >> 20, used >> 20, heapGrowthBytes >> 20)), input);
        }
    }

    private void startWatchdog(int restart) {
        Thread w = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                if (!running) {
                    continue;
                }
                long ms = (System.nanoTime() - startedAt) / 1_000_000;
                if (ms > timeoutMs && !hangReported) {
                    hangReported = true;
                    byte[] input = current;
                    if (!minimising) {
                        hang(input, ms);
                    }
                    runner.interrupt();
                } else if (hangReported && ms > timeoutMs + STUCK_GRACE_MS) {
                    System.out.printf("  [%s] an input is still running after %d s: this worker stops%n",
                            target.name(), ms / 1000);
                    writeSummary(restart, true);
                    Runtime.getRuntime().halt(EXIT_STUCK);
                }
            }
        }, "fuzz-watchdog");
        w.setDaemon(true);
        w.start();
    }

    private void hang(byte[] input, long ms) {
        StringBuilder trace = new StringBuilder("stack of the fuzzing thread when the watchdog fired:\n");
        for (StackTraceElement e : runner.getStackTrace()) {
            trace.append("\tat ").append(e).append('\n');
        }
        String where = "?";
        for (StackTraceElement e : runner.getStackTrace()) {
            if (e.getClassName().startsWith("fr.aisne.hub.") && !e.getClassName().startsWith("fr.aisne.hub.fuzz.")) {
                where = e.getClassName() + "." + e.getMethodName();
                break;
            }
        }
        Oracle.Verdict v = new Oracle.Verdict(Oracle.Kind.HANG, "hang@" + where, null,
                "still running after " + ms + " ms (budget " + timeoutMs + " ms)");
        String file = "hang-" + sha(input).substring(0, 12);
        synchronized (crashes) {
            Crash known = crashes.get(v.key());
            if (known != null) {
                known.count++;
                return;
            }
            crashes.put(v.key(), new Crash("hang", file, v.key() + " (" + v.detail() + ")"));
        }
        save(file, input, v, trace.toString(), null);
    }

    private void writeSummary(int restart, boolean stuck) {
        double s = elapsed();
        Properties p = new Properties();
        p.setProperty("target", target.name());
        p.setProperty("seconds", String.format(java.util.Locale.ROOT, "%.1f", s));
        p.setProperty("fuzzSeconds", String.format(java.util.Locale.ROOT, "%.1f", s - minimiseNanos / 1e9));
        p.setProperty("minimiseSeconds", String.format(java.util.Locale.ROOT, "%.1f", minimiseNanos / 1e9));
        p.setProperty("execs", Long.toString(execs));
        p.setProperty("minimiseExecs", Long.toString(minimiseExecs));
        p.setProperty("accepted", Long.toString(accepted));
        p.setProperty("refused", Long.toString(refused));
        p.setProperty("reasons", Integer.toString(reasons.size()));
        p.setProperty("corpus", Integer.toString(corpusSize));
        p.setProperty("corpusBytes", Long.toString(corpusBytes));
        p.setProperty("peakHeapBytes", Long.toString(peakHeapBytes()));
        p.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
        p.setProperty("stuck", Boolean.toString(stuck));
        int i = 0;
        List<Crash> found;
        synchronized (crashes) {
            found = new ArrayList<>(crashes.values());
        }
        for (Crash c : found) {
            p.setProperty("crash." + i + ".kind", c.kind);
            p.setProperty("crash." + i + ".count", Long.toString(c.count));
            p.setProperty("crash." + i + ".file", c.file + ".input");
            p.setProperty("crash." + i + ".minimised", c.minimised);
            p.setProperty("crash." + i + ".headline", c.headline);
            i++;
        }
        p.setProperty("crashes", Integer.toString(i));
        try (Writer w = Files.newBufferedWriter(out.resolve("summary-" + restart + ".properties"))) {
            p.store(w, "fuzz figures of " + target.name());
        } catch (IOException e) {
            System.err.println("cannot write the summary: " + e);
        }
        StringBuilder r = new StringBuilder();
        reasons.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> r.append(String.format("%10d  %s%n", e.getValue(), e.getKey())));
        try {
            Files.write(out.resolve("reasons-" + restart + ".txt"), r.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("cannot write the reasons: " + e);
        }
    }

    private double elapsed() {
        return Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String l = s.split("\n", 2)[0];
        return l.length() > 200 ? l.substring(0, 200) + "…" : l;
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
