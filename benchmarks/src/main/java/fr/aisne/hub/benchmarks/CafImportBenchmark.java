package fr.aisne.hub.benchmarks;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import fr.aisne.hub.connector.caf.CafFlux;
import fr.aisne.hub.connector.caf.CafFluxReader;

/**
 * Reads generated monthly CAF flux of N households and prints, measured in the same run: the bare StAX
 * scan (the floor no importer can beat), the hub's reader (one pass: parse + XSD validation + mapping),
 * households per second, the ratio between them, and the peak heap. Prints figures; asserts nothing.
 * Usage: CafImportBenchmark 16000,200000 target/flux
 */
public final class CafImportBenchmark {
    private static final int RUNS = 3;

    private CafImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "16000,200000").split(",");
        Path dir = Files.createDirectories(Paths.get(args.length > 1 ? args[1] : "target/flux"));
        int endToEndMax = args.length > 2 ? Integer.parseInt(args[2].trim()) : 16000;
        CafFluxReader reader = CafFluxReader.forCaf();
        System.out.printf("CAF flux import benchmark: %d cores, max heap %d MiB, best of %d runs%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, RUNS);
        for (String s : sizes) {
            int households = Integer.parseInt(s.trim());
            Path file = dir.resolve("monthly-" + households + ".xml");
            if (!Files.exists(file)) {
                long t0 = System.nanoTime();
                Generator.monthly(households, 42, file);
                System.out.printf("  generated %s (%d MB) in %.1f s%n", file.getFileName(), Files.size(file) >> 20,
                        (System.nanoTime() - t0) / 1e9);
            }
            double mb = Files.size(file) / 1048576.0;
            long staxBest = Long.MAX_VALUE;
            long readerBest = Long.MAX_VALUE;
            long staxCount = 0;
            CafFlux.Summary summary = null;
            resetPeaks();
            for (int run = 0; run < RUNS; run++) {
                long t0 = System.nanoTime();
                staxCount = staxScan(file);
                staxBest = Math.min(staxBest, System.nanoTime() - t0);
                t0 = System.nanoTime();
                long[] persons = {0};
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    summary = reader.read(in, file.getFileName().toString(), h -> persons[0] += h.persons().size());
                }
                readerBest = Math.min(readerBest, System.nanoTime() - t0);
            }
            long peakHeap = peakHeapBytes();
            if (summary.households() != staxCount || summary.households() != households) {
                throw new IllegalStateException("counts differ: stax " + staxCount + ", reader " + summary.households());
            }
            String endToEnd = "";
            if (households <= endToEndMax) {
                Path next = dir.resolve("monthly-" + households + "-day30.xml");
                if (!Files.exists(next)) {
                    Generator.monthly(households, 42, 30, next);
                }
                StringBuilder sb = new StringBuilder();
                try (EndToEnd e2e = new EndToEnd(dir.resolve("registry-" + households), reader, 500)) {
                    sb.append(endToEnd(e2e, file, "first import, empty registry", staxBest));
                    sb.append(endToEnd(e2e, file, "same month again (nothing changed)", staxBest));
                    sb.append(endToEnd(e2e, next, "next month (30 days later)", staxBest));
                    sb.append(String.format("%n          department events in the feed: %,d", e2e.events()));
                }
                endToEnd = sb.toString();
            }
            System.out.printf("%,9d households, %6.1f MB: bare StAX scan %6.2f s (%,8.0f households/s, %5.1f MB/s) | "
                    + "hub reader (parse+XSD+mapping) %6.2f s (%,8.0f households/s, %5.1f MB/s) | ratio %.2fx | "
                    + "peak heap %d MiB", households, mb, staxBest / 1e9, households / (staxBest / 1e9),
                    mb / (staxBest / 1e9), readerBest / 1e9, households / (readerBest / 1e9), mb / (readerBest / 1e9),
                    (double) readerBest / staxBest, peakHeap >> 20);
            System.out.println(endToEnd.isEmpty() ? "" : endToEnd.substring(System.lineSeparator().length()));
            if (households <= endToEndMax) {
                System.out.println(floor(file, dir.resolve("floor-" + households), reader, readerBest).substring(
                        System.lineSeparator().length()));
            }
        }
    }

    private static String endToEnd(EndToEnd e2e, Path file, String what, long staxBest) throws Exception {
        resetPeaks();
        long t0 = System.nanoTime();
        var r = e2e.importFile(file, what.replaceAll("[^a-z]", ""));
        long t = System.nanoTime() - t0;
        return String.format("%n          end to end, %s: %.2f s, %,.0f households/s, %,d recorded, %,d unchanged, "
                + "%,d events, ratio to bare scan %.1fx, peak heap %d MiB", what, t / 1e9, r.summary().households()
                        / (t / 1e9), r.recorded(), r.unchanged(), r.events(), (double) t / staxBest, peakHeapBytes() >> 20);
    }

    /**
     * What Derby alone costs for the least a new household needs (the better of 2 runs, the first warming
     * up the JIT), and the bound it sets on this machine's cores.
     */
    private static String floor(Path file, Path workDir, CafFluxReader reader, long readerBest) throws Exception {
        DerbyWriteFloor.Result f = null;
        for (int run = 0; run < 2; run++) {
            DerbyWriteFloor.Result r = DerbyWriteFloor.measure(file, workDir, reader);
            f = f == null || r.cpuSeconds() < f.cpuSeconds() ? r : f;
        }
        double readerMicros = readerBest / 1e3 / f.households();
        int cores = Runtime.getRuntime().availableProcessors();
        double ceiling = cores * 1e6 / (readerMicros + f.cpuMicrosPerHousehold());
        return String.format("%n          Derby write floor, new households (%,d households, %,d persons, %,d identifiers, "
                + "%,d events; 4 tables, 7 indexes; rows built untimed; better of 2 runs): %.2f s, %,.0f households/s, "
                + "%.0f us of the writing thread's CPU per household%n          bound for any import on %d cores (reader "
                + "%.0f us + writes %.0f us per household, split perfectly over the cores, nothing else): %,.0f households/s", f.households(), f.persons(), f.identifiers(),
                f.events(), f.seconds(), f.perSecond(), f.cpuMicrosPerHousehold(), cores, readerMicros,
                f.cpuMicrosPerHousehold(), ceiling);
    }

    /** The floor: every event read, nothing checked, nothing kept; counts InfosFoyerRSA. */
    static long staxScan(Path file) throws Exception {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        long n = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && "InfosFoyerRSA".equals(r.getLocalName())) {
                    n++;
                }
            }
            r.close();
        }
        return n;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
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
}
