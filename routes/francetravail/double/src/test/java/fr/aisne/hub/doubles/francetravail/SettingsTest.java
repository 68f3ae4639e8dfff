package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

public class SettingsTest {

    @Test
    public void defaults() {
        Settings s = Settings.from(Map.of());
        assertEquals("127.0.0.1", s.host());
        assertEquals(8383, s.port());
        assertEquals(60, s.tokenExpiresSeconds());
        assertEquals(1800, s.jetonExpiresSeconds());
        assertEquals(Set.of("aisne-hub"), s.clients().keySet());
        assertEquals("double-secret-change-me", s.clients().get("aisne-hub").secret());
        assertEquals(Set.copyOf(Scopes.ALL), s.clients().get("aisne-hub").scopes());
        assertEquals(Behaviour.DEFAULT, s.behaviour());
        assertEquals(10, s.behaviour().rateLimitPerSecond());
    }

    @Test
    public void valuesAsKarafGivesThem() {
        Map<String, Object> config = new HashMap<>();
        config.put("http.port", 9000);
        config.put("token.expiresSeconds", "5");
        config.put("jeton.expiresSeconds", "30");
        config.put("client.a.secret", "secret-de-a-1234");
        config.put("client.a.scopes", "api_rechercher-usagerv2 rechercheusager");
        config.put("client.b.secret", "secret-de-b-5678");
        config.put("latencyMillis", "250");
        config.put("outage", true);
        config.put("outageStatus", "502");
        config.put("service.pid", "hub.double.francetravail");
        config.put("felix.fileinstall.filename", "file:/etc/x.cfg");
        Settings s = Settings.from(config);
        assertEquals(9000, s.port());
        assertEquals(5, s.tokenExpiresSeconds());
        assertEquals(Set.of("a", "b"), s.clients().keySet());
        assertEquals(Set.of("api_rechercher-usagerv2", "rechercheusager"), s.clients().get("a").scopes());
        assertEquals(Set.copyOf(Scopes.ALL), s.clients().get("b").scopes());
        assertEquals(250, s.behaviour().latencyMillis());
        assertTrue(s.behaviour().outage());
        assertEquals(502, s.behaviour().outageStatus());
        assertFalse("no secret in the description", s.toString().contains("secret-de-"));
        assertFalse(s.clients().toString().contains("secret-de-"));
    }

    @Test
    public void aWrongValueNamesItsKey() {
        assertRefused(Map.of("http.port", "huit"), "http.port");
        assertRefused(Map.of("http.port", "70000"), "http.port");
        assertRefused(Map.of("token.expiresSeconds", "0"), "token.expiresSeconds");
        assertRefused(Map.of("jeton.expiresSeconds", "x"), "jeton.expiresSeconds");
        assertRefused(Map.of("client.a.scopes", "rechercheusager"), "client.a.secret");
        assertRefused(Map.of("client.a.secret", " "), "client.a.secret");
        assertRefused(Map.of("rateLimitPerSecond", "-2"), "rateLimitPerSecond");
        assertRefused(Map.of("outage", "peut-être"), "outage");
        assertRefused(Map.of("outageStatus", "404"), "outageStatus");
    }

    private static void assertRefused(Map<String, Object> config, String key) {
        try {
            Settings.from(config);
            fail("accepted " + config);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(key + ":"));
        }
    }
}
