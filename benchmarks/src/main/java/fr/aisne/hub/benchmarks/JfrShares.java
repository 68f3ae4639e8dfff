package fr.aisne.hub.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU samples of a JFR recording went (benchmarks/profile-hub.sh): shares by thread group (thread names
 * with their numbers blanked), by top frame's package, by top frame, and the hub's own methods counted wherever
 * they are on the stack (inclusive). Runs from source: {@code java JfrShares.java recording.jfr [rows]}.
 */
public final class JfrShares {
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    private JfrShares() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> tops = new HashMap<>();
        Map<String, Integer> hubInclusive = new HashMap<>();
        int total = 0;
        try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                total++;
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(NUMBERS.matcher(String.valueOf(thread)).replaceAll("#"), 1, Integer::sum);
                List<RecordedFrame> frames = st.getFrames();
                String top = name(frames.get(0));
                tops.merge(top, 1, Integer::sum);
                packages.merge(packageOf(frames.get(0).getMethod().getType().getName()), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame fr : frames) {
                    String n = name(fr);
                    if (n.startsWith("fr.aisne.") && seen.add(n)) {
                        hubInclusive.merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d CPU samples%n", total);
        print("by thread group", threads, total, rows);
        print("by top frame's package", packages, total, rows);
        print("by top frame (self)", tops, total, rows);
        print("hub methods on the stack (inclusive)", hubInclusive, total, rows * 2);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String packageOf(String type) {
        String[] parts = type.split("\\.");
        int n = Math.min(parts.length - 1, 4);
        return n <= 0 ? type : String.join(".", java.util.Arrays.copyOf(parts, n));
    }

    private static void print(String title, Map<String, Integer> counts, int total, int rows) {
        System.out.printf(Locale.ROOT, "%n== %s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
                .forEach(en -> System.out.printf(Locale.ROOT, "%5.1f %%  %s%n", 100.0 * en.getValue() / total,
                        en.getKey()));
    }
}
