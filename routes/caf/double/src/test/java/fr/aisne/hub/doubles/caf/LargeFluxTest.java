package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A 200,000-household monthly flux (about 550 MB, ten times the Aisne) written by a separate JVM limited to a 32 MB
 * heap: the generator streams, whatever the size. About 4 s on a 2-core machine.
 */
public class LargeFluxTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void twoHundredThousandHouseholdsWithA32MegabyteHeap() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("flux-200000.xml");
        String classes = new File(GenerateFlux.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", classes, GenerateFlux.class.getName(),
                "--households", "200000", "--type", "M", "--seed", "2025", "--out", file.toString()))
                .redirectErrorStream(true).start();
        String said;
        try (var in = p.getInputStream()) {
            said = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue("still running", p.waitFor(120, TimeUnit.SECONDS));
        System.out.println("[LargeFluxTest] " + said.trim());
        assertEquals(said, 0, p.exitValue());
        assertTrue(said, said.contains(" 200000 households, "));
        long size = Files.size(file);
        assertTrue("size " + size, size > 400_000_000L);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] tail = new byte[200];
            raf.seek(size - tail.length);
            raf.readFully(tail);
            String end = new String(tail, StandardCharsets.US_ASCII);
            assertTrue(end, end.contains("<NBTOTDOSRSATRANSM>00200000</NBTOTDOSRSATRANSM>"));
            assertTrue(end, end.endsWith("</TransmissionFlux>\n</Racine>\n"));
        }
        Files.delete(file);
    }
}
