package fr.aisne.hub.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The targets of {@link Targets}, judged by the same {@link Oracle}, for Jazzer (coverage-guided, libFuzzer): as
 * the standalone driver's target class ({@code --target_class=fr.aisne.hub.fuzz.JazzerTarget}, the target named by
 * {@code -Dfuzz.target}, see {@code fuzz.sh --jazzer}) and from the {@code @FuzzTest} methods of the module's tests
 * ({@link #check(String, byte[])}). An input the Oracle calls a crash is thrown to Jazzer: the target's own exception
 * or Error as it is (Jazzer tells findings apart by its stack), a leak or a memory blow-up as a {@link Finding} that
 * carries the stack of the refusal that leaked. Hangs are libFuzzer's {@code -timeout}; heap growth over a run is
 * checked by the seeded fuzzer only ({@link FuzzWorker}).
 *
 * <p>{@code main(target, folder)} writes what the driver needs besides the corpus folder: the seeds made by code
 * (the CAF double's fluxes) into {@code folder/seeds/} and the target's tokens as a libFuzzer dictionary
 * {@code folder/dict.txt}.
 */
public final class JazzerTarget {
    /**
     * More than this allocated by the fuzzing thread for one input is a finding ({@code -Dfuzz.allocationBoundMb},
     * 0 = off, the default). Off because Jazzer's hooks allocate on that thread too: the 66 KB input
     * {@code ft.token/regressions/redaction-backtracking.http} allocates 684 MiB under jazzer-junit and stays well
     * under 512 MiB without Jazzer (where {@link FuzzWorker} checks it). Under Jazzer a blow-up shows as an
     * OutOfMemoryError of the JVM's {@code -Xmx} or libFuzzer's {@code -rss_limit_mb}.
     */
    static final long ALLOCATION_BOUND = Long.getLong("fuzz.allocationBoundMb", 0) << 20;

    private static final Map<String, Runner> RUNNERS = new ConcurrentHashMap<>();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static Runner driven;

    private JazzerTarget() {
    }

    /** A crash that is not an exception of the target's own: a leaking refusal, or an input that allocates too much. */
    public static final class Finding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Finding(String message, Throwable cause) {
            super(message, cause);
            if (cause != null) {
                setStackTrace(cause.getStackTrace()); // deduplicated by where the refusal was made
            }
        }
    }

    /** One target's body, made once per JVM (as a worker does). */
    private record Runner(FuzzTarget target, FuzzTarget.Body body) {
        static Runner of(String name) {
            FuzzTarget t = Targets.byName(name);
            return new Runner(t, t.newBody());
        }
    }

    /** Jazzer's standalone driver: the target is {@code -Dfuzz.target}. */
    public static void fuzzerInitialize() {
        String name = System.getProperty("fuzz.target");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("-Dfuzz.target=<name> is required; targets: "
                    + Targets.all().stream().map(FuzzTarget::name).toList());
        }
        driven = Runner.of(name);
        // warm-up outside libFuzzer's clock: the first input of a path loads and instruments its classes, which can
        // take longer than -timeout on a busy machine (first session: "timeouts" on the empty input of three targets,
        // and on a seed of ft.token with the main thread in Jazzer's instrumentor); -Dfuzz.corpus: the committed
        // corpus folder (fuzz.sh gives it)
        List<byte[]> warmUp = new ArrayList<>();
        warmUp.add(new byte[0]);
        driven.target().generatedSeeds().forEach(s -> warmUp.add(s.bytes()));
        String corpus = System.getProperty("fuzz.corpus", "");
        if (!corpus.isBlank()) {
            Seeds.files(Paths.get(corpus).resolve(name)).forEach(s -> warmUp.add(s.bytes()));
        }
        for (byte[] warm : warmUp) {
            try {
                driven.body().run(warm);
            } catch (Throwable ignored) {
                // judged again when libFuzzer runs it
            }
        }
    }

    public static void fuzzerTestOneInput(byte[] input) {
        run(driven, input);
    }

    /** Runs one input through target {@code name}; throws what Jazzer must report when the Oracle calls it a crash. */
    public static void check(String name, byte[] input) {
        run(RUNNERS.computeIfAbsent(name, Runner::of), input);
    }

    private static void run(Runner r, byte[] input) {
        if (input.length > r.target().maxInputBytes()) {
            return;
        }
        long tid = Thread.currentThread().getId();
        long a0 = THREADS.getThreadAllocatedBytes(tid);
        Throwable thrown = null;
        try {
            r.body().run(input);
        } catch (Throwable t) {
            thrown = t;
        }
        Oracle.Verdict v = Oracle.judge(r.target().refusals(), input, thrown);
        long allocated = THREADS.getThreadAllocatedBytes(tid) - a0;
        switch (v.kind()) {
            case EXCEPTION, ERROR -> throw sneaky(thrown);
            case LEAK -> throw new Finding(r.target().name() + ": " + v.detail() + " (" + v.key() + ")", thrown);
            default -> {
                if (ALLOCATION_BOUND > 0 && allocated > ALLOCATION_BOUND) {
                    throw new Finding(String.format("%s: allocated %,d MiB for an input of %,d bytes (bound %d MiB)",
                            r.target().name(), allocated >> 20, input.length, ALLOCATION_BOUND >> 20), thrown);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** {@code main(target, folder)}: writes folder/seeds/ (seeds made by code) and folder/dict.txt; "list" lists. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("list")) {
            Targets.all().forEach(t -> System.out.println(t.name()));
            return;
        }
        FuzzTarget t = Targets.byName(args[0]);
        Path folder = Files.createDirectories(Paths.get(args[1]));
        Path seeds = Files.createDirectories(folder.resolve("seeds"));
        int n = 0;
        for (Seeds.Seed s : t.generatedSeeds()) {
            Files.write(seeds.resolve(String.format("%03d-%s", n++, s.name().replaceAll("[^A-Za-z0-9.-]", "_"))), s.bytes());
        }
        StringBuilder dict = new StringBuilder("# tokens of ").append(t.name()).append(" (Tokens), as a libFuzzer dictionary\n");
        for (byte[] token : t.tokens().all()) {
            dict.append(dictEntry(token)).append('\n');
        }
        Files.writeString(folder.resolve("dict.txt"), dict, StandardCharsets.US_ASCII);
    }

    /** A libFuzzer dictionary line: the token quoted, non-printable bytes, quotes and backslashes as \xNN. */
    static String dictEntry(byte[] token) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : token) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.append('"').toString();
    }
}
