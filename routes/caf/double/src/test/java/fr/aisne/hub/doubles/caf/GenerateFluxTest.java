package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class GenerateFluxTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return GenerateFlux.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void writesAMonthlyFluxAndSaysWhat() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("out/flux-300.xml");
        assertEquals(0, run("--households", "300", "--type", "M", "--seed", "5", "--out", file.toString()));
        String said = out();
        assertTrue(said, said.startsWith("wrote " + file.toAbsolutePath() + ": TYPEFLUX M, APPLIEME CRI, seed 5"));
        assertTrue(said, said.contains(" 300 households, "));
        assertTrue(said, said.contains(" " + Files.size(file) + " bytes in "));
        assertTrue(said, said.matches("(?s).* ms \\(\\d+ households/s, [0-9.]+ MB/s\\)\\s*"));
        assertArrayEquals(new CafFluxGenerator().toBytes(CafFluxGenerator.monthly(300, 5)), Files.readAllBytes(file));
    }

    @Test
    public void writesADailyFluxOfADay() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("daily.xml");
        assertEquals(0, run("--households", "400", "--type", "I", "--seed", "5", "--day", "3", "--out",
                file.toString(), "--reference-date", "2026-01-31"));
        assertTrue(out(), out().contains("TYPEFLUX I") && out().contains("day 3 (DTREF 2026-02-03)"));
        assertArrayEquals(new CafFluxGenerator().toBytes(CafFluxGenerator.daily(400, 5).day(3)
                .referenceDate(java.time.LocalDate.of(2026, 1, 31))), Files.readAllBytes(file));
        Flux.validate(Files.readAllBytes(file));
    }

    @Test
    public void writesBadCases() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("bad.xml");
        assertEquals(0, run("--households", "10", "--seed", "2", "--out", file.toString(), "--bad", "truncated"));
        assertTrue(out(), out().contains("bad case truncated"));
        assertArrayEquals(BadFlux.truncated(CafFluxGenerator.monthly(10, 2)), Files.readAllBytes(file));
        assertEquals(0, run("--households", "10", "--out", file.toString(), "--bad", "msa"));
        assertEquals("AGO", Flux.content(Files.readAllBytes(file)).header.get("APPLIEME"));
        assertEquals(0, run("--households", "10", "--out", file.toString(), "--msa", "--wrong-totals"));
        Flux.Content c = Flux.content(Files.readAllBytes(file));
        assertEquals("AGO", c.header.get("APPLIEME"));
        assertEquals(11, c.total);
    }

    @Test
    public void refusesBadUsage() {
        assertEquals(2, run("--households", "10"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out is required"));
        assertEquals(2, run("--type", "X", "--out", "x.xml"));
        assertEquals(2, run("--bad", "nope", "--out", "x.xml"));
        assertEquals(2, run("--households", "ten", "--out", "x.xml"));
        assertEquals(2, run("--type", "I", "--day", "0", "--out", "x.xml"));
        assertEquals(2, run("--out"));
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("usage: GenerateFlux"));
    }

    @Test
    public void aRelativePathIsResolvedAgainstTheModuleUnderExecJava() throws Exception {
        System.setProperty("generateflux.basedir", tmp.getRoot().getPath());
        try {
            assertEquals(0, run("--households", "2", "--out", "target/relative.xml"));
        } finally {
            System.clearProperty("generateflux.basedir");
        }
        assertTrue(Files.exists(tmp.getRoot().toPath().resolve("target/relative.xml")));
    }
}
