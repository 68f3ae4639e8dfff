package fr.aisne.hub.connector.ouiform.lheo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * Constant memory: a generated catalogue of 200,000 sessions (about 90 MB of LHEO, generated as it is read, never held
 * anywhere) is read and validated in a child JVM whose heap is capped at 48 MB. Prints the sessions per second and the
 * heap's peak (figures, not assertions: the machine is shared); asserts only that it completes with every session.
 * {@code -Dlheo.large.formations=N} changes the size.
 */
public class LargeCatalogueTest {

    @Test
    public void aLargeCatalogueIsReadWithConstantMemory() throws Exception {
        int formations = Integer.getInteger("lheo.large.formations", 10_000);
        int perAction = 10;
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "-Douiform.contract.dir=" + System.getProperty("ouiform.contract.dir"),
                LargeCatalogueMain.class.getName(), Integer.toString(formations), Integer.toString(perAction)))
                .redirectErrorStream(true).start();
        assertTrue("finished within 5 minutes", p.waitFor(5, TimeUnit.MINUTES));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 0, p.exitValue());
        Matcher m = Pattern.compile("RESULT sessions=(\\d+) handed=(\\d+).*").matcher(out);
        assertTrue(out, m.find());
        long expected = (long) formations * 2 * perAction;
        assertEquals(expected, Long.parseLong(m.group(1)));
        assertEquals(expected, Long.parseLong(m.group(2)));
        System.out.println("LHEO reader, " + m.group());
    }
}
