package fr.aisne.hub.connector.ouiform.lheo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

import fr.aisne.hub.connector.ouiform.contract.Contract;

/**
 * Reads a generated catalogue of {@code args[0]} formations ({@code args[1]} sessions per action, 2 actions each)
 * with the LHEO reader (schema validation included) and prints what it took: run in a child JVM with a small heap by
 * {@link LargeCatalogueTest}, so that a reader holding the document would fail with OutOfMemoryError.
 */
public final class LargeCatalogueMain {
    private LargeCatalogueMain() {
    }

    public static void main(String[] args) throws Exception {
        int formations = Integer.parseInt(args[0]);
        int perAction = Integer.parseInt(args[1]);
        long[] bytes = {0};
        long[] seen = {0};
        try (Contract contract = Contract.load();
                InputStream in = new FilterInputStream(LheoFixtures.large(formations, perAction)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        bytes[0] += Math.max(n, 0);
                        return n;
                    }
                }) {
            LheoReader reader = new LheoReader(contract.schema());
            System.gc();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                p.resetPeakUsage();
            }
            long t0 = System.nanoTime();
            LheoReader.Summary s = reader.read(in, session -> seen[0]++);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    peak += p.getPeakUsage().getUsed();
                }
            }
            System.out.printf("RESULT sessions=%d handed=%d formations=%d bytes=%d seconds=%.2f sessionsPerSecond=%.0f "
                    + "mbPerSecond=%.1f heapPeakMb=%.1f maxHeapMb=%d warnings=%s%n", s.sessions(), seen[0], s.formations(),
                    bytes[0], seconds, s.sessions() / seconds, bytes[0] / 1e6 / seconds, peak / 1e6,
                    Runtime.getRuntime().maxMemory() / (1024 * 1024), s.warnings());
        }
    }
}
