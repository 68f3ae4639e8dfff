package fr.aisne.hub.connector.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.Test;

/** The shipped settings file parses, and says the same as the code's defaults. */
public class SettingsFileTest {

    @Test
    public void shippedSettingsAreTheDefaults() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/cfg/hub.connector.francetravail.cfg"))) {
            p.load(r);
        }
        Map<String, Object> cfg = new HashMap<>();
        p.forEach((k, v) -> cfg.put(k.toString(), v));
        FtSettings file = FtSettings.from(cfg);
        FtSettings defaults = FtSettings.from(Map.of());
        assertEquals(defaults.describe(), file.describe());
        assertEquals(defaults.retry(), file.retry());
        assertEquals("the per-partner sender role: another partner's senders cannot post here (nor pick the agent)",
                java.util.List.of("sender-france-travail", "admin"), java.util.List.of(defaults.senderRoles()));
        assertEquals(java.util.List.of(defaults.senderRoles()), java.util.List.of(file.senderRoles()));
        assertFalse("no secret shipped", file.hasSecret());
        assertTrue(p.getProperty("client.secret").isEmpty());
    }
}
