package fr.aisne.hub.connector.ouiform.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.Test;

import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.testing.TestConnectorContext;

/** The shipped settings file, read as the hub reads it; wrong values named with their fix; no secret shown. */
public class SettingsTest {

    private static Map<String, Object> shipped() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Paths.get("src/main/cfg/hub.connector.ouiform.cfg"))) {
            p.load(r);
        }
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    @Test
    public void theShippedFileIsValidAndItsDefaultsAreTheDouble() throws Exception {
        OuiFormSettings s = OuiFormSettings.from(shipped(), new TestConnectorContext.TestSecrets());
        assertEquals(OuiFormSettings.Canal.SOAP, s.channel());
        assertEquals("http://127.0.0.1:8686/ouiform/soap/v1", s.soapUrl().toString());
        assertEquals("http://127.0.0.1:8187/ouiform/soap/v1", s.soapAddress());
        assertNull("no secret in the shipped file", s.password());
        assertNull(s.prescripteurSiret());
        assertEquals("prescription", s.purpose());
        assertEquals(30, s.retry().maxAttempts());
        assertTrue("an hour's outage of OuiForm loses nothing: " + s.retry().budgetMs(), s.retry().budgetMs() > 3_600_000);
        assertEquals(256L << 20, s.catalogueMaxBytes());
    }

    @Test
    public void wrongValuesAreNamedAndSecretsNeverShown() throws Exception {
        TestConnectorContext.TestSecrets secrets = new TestConnectorContext.TestSecrets();
        Map<String, Object> m = shipped();
        m.put("prescripteur.siret", "2202");
        SettingsException e = assertThrows(SettingsException.class, () -> OuiFormSettings.from(m, secrets));
        assertTrue(e.getMessage(), e.getMessage().contains("prescripteur.siret"));
        m.put("prescripteur.siret", "22020000000019");
        m.put("ouiform.soap.url", "http://ouiform.region.example/soap");
        assertTrue(assertThrows(SettingsException.class, () -> OuiFormSettings.from(m, secrets)).getMessage()
                .contains("https"));
        m.put("ouiform.soap.url", "https://ouiform.region.example/ouiform/soap/v1");
        m.put("ouiform.channel", "ftp");
        assertThrows(SettingsException.class, () -> OuiFormSettings.from(m, secrets));
        m.put("ouiform.channel", "rest");
        m.put("ouiform.password", secrets.sealSetting("s3cret-ouiform"));
        OuiFormSettings s = OuiFormSettings.from(m, secrets);
        assertEquals("ENC(...) opened", "s3cret-ouiform", s.password());
        assertFalse(s.describe().toString().contains("s3cret-ouiform"));
        assertEquals("password set", s.describe().get("ouiform.credentials"));
    }
}
