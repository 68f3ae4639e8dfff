package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.FileInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.Test;

/** Settings: defaults, the settings file, and a wrong value named by its key. */
public class SettingsTest {

    @Test
    public void defaults() {
        Settings s = Settings.from(Map.of());
        assertEquals("127.0.0.1", s.host());
        assertEquals(8585, s.port());
        assertEquals(Settings.DEFAULT_TOKEN_SECRET, s.tokenSecret());
        assertEquals("", s.consumer().feedBaseUrl());
        assertEquals(1000, s.consumer().pageSize());
        assertEquals(Behaviour.DEFAULT, s.behaviour());
        assertTrue(s.behaviour().includeBadItems());
    }

    @Test
    public void theSettingsFileGivesTheDefaults() throws Exception {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream("src/main/cfg/hub.double.dora.cfg")) {
            p.load(in);
        }
        Map<String, Object> config = new HashMap<>();
        p.forEach((k, v) -> config.put((String) k, v));
        Settings fromFile = Settings.from(config);
        assertEquals(Settings.from(Map.of()).toString(), fromFile.toString());
        assertEquals(Settings.from(Map.of()).csvMaxBytes(), fromFile.csvMaxBytes());
    }

    @Test
    public void wrongValuesNameTheirKey() {
        for (String[] kv : new String[][] {{"http.port", "x"}, {"http.port", "70000"}, {"token.secret", "short"},
            {"consumer.feedBaseUrl", "ftp://host/feed"}, {"consumer.feedBaseUrl", "http://host/feed?x=1"},
            {"consumer.pageSize", "0"}, {"consumer.timeoutSeconds", "0"}, {"csv.maxBytes", "10"},
            {"latencyMillis", "-1"}, {"outageStatus", "404"}, {"includeBadItems", "maybe"}, {"status429Next", "-2"}}) {
            try {
                Settings.from(Map.of(kv[0], kv[1]));
                fail(kv[0] + "=" + kv[1] + " accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith(kv[0] + ": "));
            }
        }
    }

    @Test
    public void theFeedUrlLosesItsTrailingSlashAndSecretsAreNeverShown() {
        Settings s = Settings.from(Map.of("consumer.feedBaseUrl", "http://127.0.0.1:8181/hub/offre/v1/",
                "consumer.token", "read-token-value", "token.secret", "a-secret-of-sixteen-bytes"));
        assertEquals("http://127.0.0.1:8181/hub/offre/v1", s.consumer().feedBaseUrl());
        assertFalse(s.toString().contains("read-token-value"));
        assertFalse(s.toString().contains("a-secret-of-sixteen-bytes"));
        assertTrue(s.toString().contains("token=(set)"));
    }
}
