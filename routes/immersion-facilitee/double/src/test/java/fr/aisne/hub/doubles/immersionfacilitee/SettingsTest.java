package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.Test;

/** The settings: defaults, the shipped file, consumers changed or added, wrong values naming their key. */
public class SettingsTest {
    /** The aisne-hub key with the default secret and keyIssuedAt: quoted in the settings file and the README. */
    static final String DEFAULT_AISNE_HUB_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImExNWUwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDBhMSIsInZlcnNpb24iOjEsImlhdCI6MTczNTY4OTYwMH0.vI-3p4IcrYN_0eQaqZjJZTWMDU823FM0s7nar2bx3hw";

    private static Map<String, Object> shippedFile() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/cfg/hub.double.immersionfacilitee.cfg"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put((String) k, v));
        return m;
    }

    @Test
    public void theShippedFileGivesTheDefaults() throws Exception {
        Settings file = Settings.from(shippedFile());
        Settings none = Settings.from(Map.of());
        assertEquals(none, file);
        assertEquals(8484, file.port());
        assertEquals(Behaviour.DEFAULT, file.behaviour());
        assertEquals(5, file.behaviour().rateLimitPerSecond());
        assertEquals(10_000, file.behaviour().webhookTimeoutMillis());
        assertEquals("partners", file.errorStyle());
        assertEquals(Settings.BUILT_IN.keySet(), file.consumers().keySet());
    }

    @Test
    public void theDocumentedKeyIsTheDefaultOne() throws Exception {
        Consumer hub = Settings.from(Map.of()).consumers().get("aisne-hub");
        assertEquals(DEFAULT_AISNE_HUB_KEY, new ApiKeys(Settings.DEFAULT_JWT_SECRET).mint(hub.id(), hub.keyIssuedAt()));
        String cfg = Files.readString(Path.of("src/main/cfg/hub.double.immersionfacilitee.cfg"), StandardCharsets.UTF_8);
        assertTrue(cfg.contains(DEFAULT_AISNE_HUB_KEY));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertTrue("the README quotes the default key", readme.contains(DEFAULT_AISNE_HUB_KEY));
    }

    @Test
    public void theSettingsFileNameHasNoHyphenAndIsTheOneTheFeatureInstalls() throws Exception {
        // fileinstall would read "a-b.cfg" as a factory configuration "a" named "b": the component would never see it
        String name = "hub.double.immersionfacilitee.cfg";
        assertTrue(Files.exists(Path.of("src/main/cfg", name)));
        assertFalse(name.contains("-"));
        String feature = Files.readString(Path.of("../../../features/src/main/feature/feature.xml"), StandardCharsets.UTF_8);
        assertTrue(feature.contains("finalname=\"${karaf.etc}/" + name + "\""));
        String component = Files.readString(Path.of("src/main/java/fr/aisne/hub/doubles/immersionfacilitee/ImmersionFaciliteeDouble.java"),
                StandardCharsets.UTF_8);
        assertTrue(component.contains("configurationPid = \"" + name.substring(0, name.length() - 4) + "\""));
    }

    @Test
    public void consumersAreChangedOrAdded() {
        Settings s = Settings.from(Map.of("consumer.aisne-hub.agencies", "cd02", "consumer.aisne-hub.rights", "READ",
                "consumer.metropole.id", "b0000000-0000-4000-8000-000000000001", "consumer.metropole.agencyKinds",
                "conseil-departemental", "consumer.expired.expiresAt", "2030-01-01"));
        Consumer hub = s.consumers().get("aisne-hub");
        assertEquals(java.util.Set.of(Agency.CD02.id()), hub.agencyIds());
        assertFalse(hub.may(Consumer.SUBSCRIPTION));
        Consumer added = s.consumers().get("metropole");
        assertTrue(added.covers(Agency.CD80.id(), "conseil-departemental", null, null));
        assertTrue("through the agency it refers to", added.covers(Agency.FT_SAINT_QUENTIN.id(), "pole-emploi",
                Agency.CD02.id(), "conseil-departemental"));
        assertEquals(java.time.Instant.parse("2030-01-01T00:00:00Z"), s.consumers().get("expired").expiresAt());
    }

    @Test
    public void wrongValuesNameTheirKey() {
        for (String[] kv : new String[][] {{"http.port", "huit"}, {"http.port", "70000"}, {"jwt.secret", "short"},
            {"errors.style", "both"}, {"webhook.concurrency", "0"}, {"fixtures.referenceDate", "15/01/2026"},
            {"rateLimitPerSecond", "-1"}, {"webhookTimeoutMillis", "0"}, {"outage", "maybe"},
            {"consumer.aisne-hub.rights", "WRITE"}, {"consumer.aisne-hub.agencies", "paris"},
            {"consumer.new.agencies", "cd02"}, {"consumer.revoked.revoked", "yes"},
            {"consumer.somme-partner.id", "a15e0000-0000-4000-8000-0000000000a1"}}) {
            try {
                Settings.from(Map.of(kv[0], kv[1]));
                fail(kv[0] + "=" + kv[1] + " accepted");
            } catch (IllegalArgumentException e) {
                String key = kv[0].startsWith("consumer.new") ? "consumer.new.id" : kv[0];
                assertTrue(e.getMessage(), e.getMessage().startsWith(key.startsWith("consumer.somme") ? "consumer." : key));
            }
        }
    }

    @Test
    public void theSecretIsNeverShown() {
        Settings s = Settings.from(Map.of("jwt.secret", "a-double-secret-for-this-test"));
        assertFalse(s.toString().contains("a-double-secret-for-this-test"));
    }
}
