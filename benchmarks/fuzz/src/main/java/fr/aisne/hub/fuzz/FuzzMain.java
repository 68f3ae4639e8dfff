package fr.aisne.hub.fuzz;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Runs the fuzzer over the targets, one after the other, each in a JVM of its own ({@code -Xmx<fuzz.heap>}): a
 * target that exhausts its heap or hangs cannot spoil the next one's figures, and a worker stuck on an input is
 * replaced for the time left (with the seed plus the number of restarts). Prints, per target: inputs run, inputs per
 * second, accepted, refused, distinct refusal reasons, crashes (with their files) and peak heap. Prints figures;
 * asserts nothing; never part of the build's tests.
 *
 * <p>System properties: fuzz.seconds (per target), fuzz.seed, fuzz.targets (comma-separated, all, or list),
 * fuzz.execs, fuzz.heap, fuzz.timeoutMs, fuzz.heapGrowthMb, fuzz.out, fuzz.corpus, fuzz.replay.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        String wanted = System.getProperty("fuzz.targets", "all").trim();
        if (wanted.equals("list")) {
            for (FuzzTarget t : Targets.all()) {
                System.out.printf("%-22s %s%n", t.name(), t.description());
            }
            return;
        }
        List<FuzzTarget> targets = new ArrayList<>();
        for (FuzzTarget t : Targets.all()) {
            if (wanted.isEmpty() || wanted.equals("all") || List.of(wanted.split("\\s*,\\s*")).contains(t.name())) {
                targets.add(t);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target matches fuzz.targets=" + wanted + "; -Dfuzz.targets=list lists them");
        }
        long seconds = Long.getLong("fuzz.seconds", 60);
        long seed = Long.getLong("fuzz.seed", 42);
        String replay = System.getProperty("fuzz.replay", "");
        Path out = Paths.get(System.getProperty("fuzz.out", "target/fuzz")).resolve(replay.isBlank() ? "seed-" + seed : "replay")
                .toAbsolutePath();
        System.out.printf("Fuzzing %d target(s)%s, seed %d, %d s each, worker heap %s, hang after %s ms, %d cores; "
                + "output in %s%n", targets.size(), replay.isBlank() ? "" : " (replay of " + replay + ")", seed, seconds,
                System.getProperty("fuzz.heap", "256m"), System.getProperty("fuzz.timeoutMs", "2000"),
                Runtime.getRuntime().availableProcessors(), out);
        List<String> rows = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (FuzzTarget t : targets) {
            Path dir = out.resolve(t.name());
            deleteSummaries(dir);
            long started = System.nanoTime();
            int restart = 0;
            while (true) {
                long left = seconds - (System.nanoTime() - started) / 1_000_000_000L;
                int code = runWorker(t.name(), Math.max(1, left), out, restart);
                if (code != FuzzWorker.EXIT_STUCK || !replay.isBlank() || left <= 5) {
                    if (code != 0 && code != FuzzWorker.EXIT_STUCK) {
                        details.add(String.format("  %s: worker exited with status %d (see its output above)", t.name(), code));
                    }
                    break;
                }
                restart++;
                System.out.printf("  [%s] restarting the worker (%d) for the %d s left%n", t.name(), restart, left);
            }
            summarise(t.name(), dir, rows, details);
        }
        System.out.println();
        System.out.printf("%-22s %11s %9s %10s %10s %8s %8s %10s %9s%n", "target", "inputs", "inputs/s", "accepted", "refused",
                "reasons", "crashes", "peak heap", "fuzzing");
        rows.forEach(System.out::println);
        if (!details.isEmpty()) {
            System.out.println();
            System.out.println("Crashes (one file per distinct crash; .txt beside it: kind, signature, stack trace):");
            details.forEach(System.out::println);
        }
    }

    private static int runWorker(String target, long seconds, Path out, int restart) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + System.getProperty("fuzz.heap", "256m"));
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xss1m");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=off");
        cmd.add("-Dfuzz.target=" + target);
        cmd.add("-Dfuzz.seconds=" + seconds);
        cmd.add("-Dfuzz.restart=" + restart);
        cmd.add("-Dfuzz.out=" + out);
        for (String p : List.of("fuzz.seed", "fuzz.execs", "fuzz.timeoutMs", "fuzz.heapGrowthMb", "fuzz.corpus", "fuzz.replay")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FuzzWorker.class.getName());
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor();
    }

    private static void deleteSummaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("summary-") || n.startsWith("reasons-")) {
                    Files.delete(f);
                }
            }
        }
    }

    /** Adds up the worker runs of one target (more than one after a restart). */
    private static void summarise(String target, Path dir, List<String> rows, List<String> details) throws IOException {
        long execs = 0;
        long accepted = 0;
        long refused = 0;
        long reasons = 0;
        long peak = 0;
        double seconds = 0;
        double minimise = 0;
        long minimiseRuns = 0;
        int crashes = 0;
        int runs = 0;
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                files = s.filter(f -> f.getFileName().toString().matches("summary-\\d+\\.properties")).sorted().toList();
            }
        }
        for (Path f : files) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            }
            runs++;
            execs += Long.parseLong(p.getProperty("execs"));
            accepted += Long.parseLong(p.getProperty("accepted"));
            refused += Long.parseLong(p.getProperty("refused"));
            reasons = Math.max(reasons, Long.parseLong(p.getProperty("reasons")));
            peak = Math.max(peak, Long.parseLong(p.getProperty("peakHeapBytes")));
            seconds += Double.parseDouble(p.getProperty("fuzzSeconds"));
            minimise += Double.parseDouble(p.getProperty("minimiseSeconds"));
            minimiseRuns += Long.parseLong(p.getProperty("minimiseExecs"));
            int n = Integer.parseInt(p.getProperty("crashes"));
            for (int i = 0; i < n; i++) {
                crashes++;
                String min = p.getProperty("crash." + i + ".minimised", "");
                details.add(String.format("  %s: %s x%s %s%n      %s%s", target, p.getProperty("crash." + i + ".kind"),
                        p.getProperty("crash." + i + ".count"), p.getProperty("crash." + i + ".headline"),
                        dir.resolve("crashes").resolve(p.getProperty("crash." + i + ".file")),
                        min.isEmpty() ? "" : " (minimised: " + min + ")"));
            }
        }
        if (runs == 0) {
            rows.add(String.format("%-22s no figures (the worker wrote none)", target));
            return;
        }
        rows.add(String.format("%-22s %,11d %,9.0f %,10d %,10d %8d %8d %6d MiB %7.0f s%s", target, execs,
                execs / Math.max(seconds, 1e-3), accepted, refused, reasons, crashes, peak >> 20, seconds,
                (minimiseRuns > 0 ? String.format(" (+%,d runs, %.0f s minimising)", minimiseRuns, minimise) : "")
                        + (runs > 1 ? " (" + runs + " workers)" : "")));
    }
}
