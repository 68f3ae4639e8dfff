package fr.aisne.hub.connector.francetravail.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.ValidationException;

public class PayloadsTest {

    private static void valid(PayloadValidator v, String json) throws Exception {
        v.validate(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String invalid(PayloadValidator v, String json) {
        return assertThrows(ValidationException.class, () -> valid(v, json)).getMessage();
    }

    @Test
    public void orientationPayload() throws Exception {
        PayloadValidator v = Payloads.orientationValidator();
        valid(v, "{\"personId\":\"3f2a\",\"parcours\":\"PED\",\"origine\":\"CD\"}");
        valid(v, "{\"personId\":\"3f2a\",\"parcours\":\"PSP\",\"origine\":\"CD\",\"agent\":{\"id\":\"a1\",\"nom\":\"N\",\"prenom\":\"P\"}}");
        assertTrue(invalid(v, "{\"personId\":\"3f2a\",\"parcours\":\"XYZ\",\"origine\":\"CD\"}").contains("PSP, PSO, PED"));
        assertTrue(invalid(v, "{\"personId\":\"3f2a\",\"parcours\":\"PSO\"}").contains("origine"));
        assertTrue(invalid(v, "{\"parcours\":\"PSO\",\"origine\":\"CD\"}").contains("personId is required"));
        assertTrue(invalid(v, "[1]").contains("JSON object"));
        assertTrue(invalid(v, "{\"personId\":").contains("not JSON"));
        assertTrue(invalid(v, "{\"personId\":\"a b\",\"parcours\":\"PSO\",\"origine\":\"CD\"}").contains("personId must be an id"));
    }

    @Test
    public void anAgentNameNoHttpHeaderCanCarryIsRefusedAtIntakeNotRetried() {
        String m = invalid(Payloads.orientationValidator(), "{\"personId\":\"3f2a\",\"parcours\":\"PSP\","
                + "\"origine\":\"CD\",\"agent\":{\"id\":\"a1\",\"nom\":\"Cœur\",\"prenom\":\"Zoé\"}}");
        assertTrue(m, m.contains("plain ASCII"));
        assertFalse("the value is not quoted back: " + m, m.contains("Cœur"));
    }

    @Test
    public void aNirIsNeverAcceptedInAPayload() {
        String m = invalid(Payloads.identificationValidator(), "{\"personId\":\"p\",\"nir\":\"1850578006084\"}");
        assertTrue(m, m.contains("nir is not accepted"));
        assertTrue(!m.contains("1850578006084"));
    }

    @Test
    public void rendezVousPayload() throws Exception {
        PayloadValidator v = Payloads.rendezVousValidator();
        valid(v, "{\"personId\":\"p\",\"action\":\"create\",\"date\":\"2026-12-01T09:30:00\"}");
        valid(v, "{\"personId\":\"p\",\"action\":\"cancel\",\"id\":\"RDV-1\"}");
        assertTrue(invalid(v, "{\"personId\":\"p\",\"action\":\"cancel\"}").contains("id"));
        assertTrue(invalid(v, "{\"personId\":\"p\",\"action\":\"create\"}").contains("fields"));
        assertTrue(invalid(v, "{\"personId\":\"p\",\"action\":\"move\"}").contains("create, update, cancel"));
    }

    @Test
    public void settingsDefaultsAreSafeAndRetriesOutlastATenMinuteOutage() {
        FtSettings s = FtSettings.from(Map.of());
        assertEquals("http://127.0.0.1:8383", s.baseUrl().toString());
        assertEquals("http://127.0.0.1:8383/connexion/oauth2/access_token", s.tokenUrl().toString());
        assertEquals("aisne-hub", s.clientId());
        assertTrue(!s.hasSecret());
        RetryPolicy r = s.retry();
        long total = 0;
        for (int i = 1; i < r.maxAttempts(); i++) {
            total += r.delayBeforeRetry(i);
        }
        assertTrue("retries span " + total / 60_000 + " min", total >= 30 * 60_000L);
        assertEquals(2, FtSettings.from(Map.of("retry.maxAttempts", "2")).retry().maxAttempts());

        FtSettings withSecret = FtSettings.from(Map.of("client.secret", "double-secret-change-me"));
        assertTrue(withSecret.describe().toString().contains("(set, in clear"));
        assertTrue(!withSecret.describe().toString().contains("double-secret-change-me"));
        assertNull(FtSettings.from(Map.of("batch.dailyAt", "off")).batchDailyAt());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FtSettings.from(Map.of("batch.dailyAt", "2h")))
                .getMessage().contains("batch.dailyAt"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FtSettings.from(Map.of("batch.zone", "Mars/Olympus")))
                .getMessage().contains("batch.zone"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FtSettings.from(Map.of("baseUrl", "ftp://x")))
                .getMessage().contains("baseUrl"));
        // scopes are a set: the token cache key does not depend on their order
        assertEquals(FtSettings.from(Map.of("scope.contrat", "b a")).scopesOf(FtSettings.CONTRAT),
                FtSettings.from(Map.of("scope.contrat", "a  b")).scopesOf(FtSettings.CONTRAT));
    }
}
