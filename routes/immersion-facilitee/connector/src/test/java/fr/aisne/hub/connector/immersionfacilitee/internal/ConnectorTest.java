package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.FileInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;

/** The connector as the hub configures it, and its settings file. */
public class ConnectorTest {
    private TestDatabase db;
    private TestConnectorContext ctx;

    @Before
    public void start() {
        db = TestDatabase.embeddedDerby("target/derby/connector-" + System.nanoTime());
        ctx = new TestConnectorContext("immersion-facilitee", db.database(), Clock.systemUTC());
    }

    @After
    public void stop() {
        db.close();
    }

    static Map<String, Object> shippedSettings() throws Exception {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream("src/main/cfg/hub.connector.immersionfacilitee.cfg")) {
            p.load(in);
        }
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    private ImmersionFaciliteeConnector connector(Map<String, Object> settings) throws Exception {
        ImmersionFaciliteeConnector c = new ImmersionFaciliteeConnector();
        FakeRegistry registry = new FakeRegistry();
        var field = ImmersionFaciliteeConnector.class.getDeclaredField("registry");
        field.setAccessible(true);
        field.set(c, registry);
        c.activate(null, settings);
        return c;
    }

    @Test
    public void theShippedSettingsDeclareTheThreeFlowsTheRoutesAndTheApiDocument() throws Exception {
        ImmersionFaciliteeConnector c = connector(shippedSettings());
        c.configure(ctx);
        assertEquals("immersion-facilitee", c.id());
        assertEquals(List.of("immersion-facilitee/conventions", "departement/immersions", "departement/evenements-immersion"),
                ctx.flows().stream().map(Flow::key).toList());
        Flow conventions = ctx.flow("conventions");
        assertEquals("no HTTP: the webhook route hands over what it read", null, conventions.httpPath());
        assertEquals(Duplicates.MESSAGE_ID, conventions.duplicates());
        assertTrue(conventions.guard() != null);
        Flow department = ctx.flow("immersions");
        assertEquals("/in/departement/immersions", department.httpPath());
        assertEquals(Set.of("departement", "admin"), department.httpSender().roles());
        assertEquals(1, ctx.routeBuilders().size());

        JsonNode api = Json.MAPPER.readTree(ctx.apiDocument());
        assertTrue(api.path("paths").has("/in/departement/immersions"));
        assertTrue(api.path("paths").has("/api/immersion-facilitee/conventions"));
        for (Iterator<String> it = api.path("components").path("schemas").fieldNames(); it.hasNext();) {
            assertTrue("prefixed with the connector id", it.next().startsWith("immersion-facilitee."));
        }
        assertEquals("#/components/schemas/immersion-facilitee.DepartmentImmersion", api.at(
                "/paths/~1in~1departement~1immersions/post/requestBody/content/application~1json/schema/$ref").asText());

        // no api.key in the shipped file: DOWN, saying what to do; the department's entries are still taken
        assertFalse(c.health().up());
        assertTrue(c.health().detail(), c.health().detail().startsWith("api.key is not set in "
                + "etc/hub.connector.immersionfacilitee.cfg"));
        Map<String, String> shown = c.describeSettings();
        assertEquals("(not set)", shown.get("api.key"));
        assertEquals("http://127.0.0.1:8181/hub/in/immersion-facilitee/conventions", shown.get("webhook"));
    }

    @Test
    public void theShippedDefaultsAreThePlatformsLimitsAndTheIssuesSchedule() throws Exception {
        ImSettings s = ImSettings.from(shippedSettings(), "http://127.0.0.1:8181/hub");
        assertEquals(5.0, s.limits().ratePerSecond(), 0);
        assertEquals(Duration.ofMillis(250), s.minInterval());
        assertEquals(Duration.ofSeconds(6), s.backoff());
        assertEquals(13, s.nightlyMonths());
        assertEquals(LocalTime.of(2, 30), s.nightlyAt());
        assertEquals(Duration.ofMinutes(10), s.reconcileRecent());
        assertEquals(new DepartmentScope("conseil-departemental", "02", List.of()), s.scope());
        assertTrue("a 25-minute outage before quarantine", s.retry().budgetMs() > 20 * 60_000);
    }

    @Test
    public void aWrongSettingNamesTheKeyAndTheFixAndNeverASecret() throws Exception {
        Map<String, Object> m = shippedSettings();
        m.put("reconcile.maxWindowDays", "4");
        SettingsException e = assertThrows(SettingsException.class, () -> connector(m).configure(ctx));
        assertTrue(e.getMessage(), e.getMessage().contains("reconcile.maxWindowDays"));
        Map<String, Object> http = shippedSettings();
        http.put("api.url", "http://immersion-facile.beta.gouv.fr/api");
        e = assertThrows(SettingsException.class, () -> connector(http).configure(ctx));
        assertTrue(e.getMessage(), e.getMessage().contains("api.url") && e.getMessage().contains("is not an https URL"));
        Map<String, Object> key = shippedSettings();
        key.put("api.key", "ENC(c2VjcmV0LWtleS12YWx1ZQ==)");
        e = assertThrows(SettingsException.class, () -> connector(key).configure(ctx));
        assertTrue(e.getMessage(), e.getMessage().contains("api.key") && e.getMessage().contains("cannot be decrypted"));
        assertFalse(e.getMessage().contains("c2VjcmV0"));
        Map<String, Object> scope = shippedSettings();
        scope.put("scope.prescriberSirets", "2202000260001X");
        e = assertThrows(SettingsException.class, () -> connector(scope).configure(ctx));
        assertTrue(e.getMessage(), e.getMessage().contains("scope.prescriberSirets"));
    }

    @Test
    public void anEncryptedKeyIsOpenedAndNeverShown() throws Exception {
        Map<String, Object> m = shippedSettings();
        m.put("api.key", ctx.secrets().sealSetting("eyJ.the.real.key"));
        m.put("webhook.secret", ctx.secrets().sealSetting("a-secret-chosen-by-the-operator"));
        ImmersionFaciliteeConnector c = connector(m);
        c.configure(ctx);
        String shown = c.describeSettings().toString() + c.health().detail();
        assertTrue(shown, shown.contains("api.key=(set, encrypted)") && shown.contains("webhook.secret=(set, encrypted)"));
        assertFalse(shown.contains("eyJ.the.real.key"));
        assertFalse(shown.contains("a-secret-chosen"));
        assertTrue(c.health().detail(), c.health().detail().contains("subscription"));
    }
}
