package fr.aisne.hub.connector.caf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * Constant memory: a 50 MB flux is signed, encrypted, decrypted and verified through pipes by a separate
 * JVM limited to a 40 MB heap (generator, sealer and CafPgp together); the bytes that come out are the
 * bytes that went in. No timing is asserted.
 */
public class CafPgpStreamingTest {

    @Test
    public void fiftyMegabytesThroughAFortyMegabyteHeap() throws Exception {
        Path keys = PgpFixtures.keys().dir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx40m", "-cp", System.getProperty("java.class.path"),
                PgpStreamingMain.class.getName(), keys.toString(), "19000")).redirectErrorStream(true).start();
        String said;
        try (var in = p.getInputStream()) {
            said = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue("still running", p.waitFor(300, TimeUnit.SECONDS));
        System.out.println("[CafPgpStreamingTest] " + said.trim());
        assertEquals(said, 0, p.exitValue());
        Matcher m = Pattern.compile("bytes=(\\d+) sent=([0-9a-f]{64}) received=([0-9a-f]{64}) maxHeapMB=(\\d+)")
                .matcher(said);
        assertTrue(said, m.find());
        assertTrue("size " + m.group(1), Long.parseLong(m.group(1)) > 50_000_000L);
        assertEquals("what came out is what went in", m.group(2), m.group(3));
        assertTrue(said, Integer.parseInt(m.group(4)) <= 40);
    }
}
