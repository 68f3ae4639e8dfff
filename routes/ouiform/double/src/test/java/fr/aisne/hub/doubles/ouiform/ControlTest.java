package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/** Settings checks, the control API's own refusals, and a disconnection (connection refused, then back). */
public class ControlTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    private static void refused(Map<String, Object> config, String key) {
        try {
            Settings.from(config);
            fail("accepted: " + config);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(key + ":"));
        }
    }

    @Test
    public void settingsNameTheWrongKey() {
        refused(Map.of("http.port", "huit"), "http.port");
        refused(Map.of("http.port", "0"), "http.port");
        refused(Map.of("hub.channel", "ftp"), "hub.channel");
        refused(Map.of("hub.soap.url", "ftp://x"), "hub.soap.url");
        refused(Map.of("hub.rest.url", "http://user:pw@host/api"), "hub.rest.url");
        refused(Map.of("hub.maxAttempts", "0"), "hub.maxAttempts");
        refused(Map.of("status.positionedAfterSeconds", "-1"), "status.positionedAfterSeconds");
        refused(Map.of("status.enteredAtSessionStart", "oui"), "status.enteredAtSessionStart");
        refused(Map.of("outageStatus", "404"), "outageStatus");
        refused(Map.of("faultCode", "PAS_UN_CODE"), "faultCode");

        Settings defaults = Settings.from(Map.of("service.pid", "hub.double.ouiform"));
        assertEquals(8686, defaults.port());
        assertEquals(Settings.Channel.SAME, defaults.hub().channel());
        assertEquals(5, defaults.positionedAfterSeconds());
        assertEquals(Map.of("aisne-hub", new Settings.Account("double-secret-change-me", null)), defaults.accounts());
        Map<String, Object> two = new HashMap<>();
        two.put("account.a.password", "password-of-a");
        two.put("account.b.token", "token-of-b");
        two.put("hub.password", "secret-at-the-hub");
        two.put("hub.token", "token-at-the-hub");
        Settings s = Settings.from(two);
        assertEquals(2, s.accounts().size());
        assertEquals("token-of-b", s.accounts().get("b").token());
        String shown = s.toString() + s.accounts();
        for (String secret : new String[] {"password-of-a", "token-of-b", "secret-at-the-hub", "token-at-the-hub"}) {
            assertFalse("no secret in toString: " + secret, shown.contains(secret));
        }
    }

    @Test
    public void timestampsAlwaysHaveTheirSeconds() {
        // OffsetDateTime.toString() would give 10:15+01:00 at a round minute, which xs:dateTime refuses
        assertEquals("2026-12-07T10:15:00+01:00", Region.horodatage(java.time.OffsetDateTime.of(2026, 12, 7, 10, 15, 0,
                0, java.time.ZoneOffset.ofHours(1))));
        assertEquals("2026-07-07T10:15:07+02:00", Region.horodatage(java.time.OffsetDateTime.of(2026, 7, 7, 10, 15, 7,
                123_000_000, java.time.ZoneOffset.ofHours(2))));
    }

    @Test
    public void controlRefusesWhatItDoesNotKnow() throws Exception {
        assertEquals(400, control("", "{\"latencyMillis\":-1}").statusCode());
        assertEquals(400, control("", "{\"unknown\":1}").statusCode());
        assertEquals(400, control("", "[1]").statusCode());
        assertEquals(400, control("", "{\"faultCode\":\"X\"}").statusCode());
        assertEquals(404, get("/double/nothing", Map.of()).statusCode());
        assertEquals(400, get("/double/control/reset", Map.of()).statusCode());
        assertEquals(400, control("/statut", "{\"idPrescriptionHub\":\"x\"").statusCode());
        HttpResponse<String> b = get("/double/control", Map.of());
        assertEquals(200, b.statusCode());
        assertEquals("INDISPONIBLE", json(b).get("faultCode").asText());
    }

    @Test
    public void disconnectRefusesConnectionsThenComesBack() throws Exception {
        HttpResponse<String> r = control("/disconnect", "{\"millis\":1500}");
        assertEquals(202, r.statusCode());
        assertEquals(409, control("/disconnect", "{\"millis\":1500}").statusCode());
        // connection refused: polled, as the port closes 200 ms from now
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                soap("consulterPrescription", "<of:consulterPrescription><of:idPrescriptionHub>x</of:idPrescriptionHub>"
                        + "</of:consulterPrescription>");
            } catch (ConnectException expected) {
                break;
            } catch (IOException cutWhileClosing) {
                // a request the closing listener accepted, then dropped
            }
            assertTrue("connection accepted while disconnected", System.nanoTime() < end);
            Thread.sleep(20);
        }
        end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                // Jetty accepts connections a moment before its handlers are back (404 meanwhile, on a loaded machine)
                HttpResponse<String> back = post(RestApi.PRESCRIPTIONS, prescriptionJson("HUB-C-1",
                        Catalogue.SESSION_OUVERTE).toString(), basic());
                if (back.statusCode() != 404 || System.nanoTime() > end) {
                    assertEquals(back.body(), 201, back.statusCode());
                    break;
                }
            } catch (ConnectException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
        assertEquals(200, soap("consulterPrescription", "<of:consulterPrescription><of:idPrescriptionHub>HUB-C-1"
                + "</of:idPrescriptionHub></of:consulterPrescription>").statusCode());
        assertEquals(200, get(SoapService.PATH + "?wsdl", Map.of()).statusCode());
    }
}
