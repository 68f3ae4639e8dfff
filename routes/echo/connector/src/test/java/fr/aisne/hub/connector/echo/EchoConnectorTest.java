package fr.aisne.hub.connector.echo;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import fr.aisne.hub.core.Direction;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.validation.JsonWellFormed;

public class EchoConnectorTest {

    private static IllegalArgumentException rejected(String targetUrl) {
        return assertThrows(targetUrl, IllegalArgumentException.class,
                () -> EchoConnector.EchoSettings.from(Map.of("target.url", targetUrl)));
    }

    @Test
    public void defaults() {
        EchoConnector.EchoSettings s = EchoConnector.EchoSettings.from(Map.of());
        assertEquals(URI.create("http://127.0.0.1:8282/echo"), s.targetUrl());
        assertEquals(2000, s.connectTimeoutMs());
        assertEquals(10000, s.responseTimeoutMs());
        assertArrayEquals(new String[] {"admin", "hub-sender"}, s.senderRoles());
        assertEquals(RetryPolicy.DEFAULT, s.retry());
        assertEquals(1024 * 1024, s.maxPayloadBytes());
        assertEquals("a null configuration (no cfg file) gives the defaults", s.targetUrl(),
                EchoConnector.EchoSettings.from(null).targetUrl());
    }

    @Test
    public void settingsAreRead() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("target.url", "https://partner.example/api/echo");
        cfg.put("target.connectTimeoutMs", "500");
        cfg.put("target.responseTimeoutMs", "3000");
        cfg.put("senders.roles", "hub-sender , ops");
        cfg.put("retry.maxAttempts", "3");
        cfg.put("maxPayloadBytes", "2048");
        EchoConnector.EchoSettings s = EchoConnector.EchoSettings.from(cfg);
        assertEquals(URI.create("https://partner.example/api/echo"), s.targetUrl());
        assertEquals(500, s.connectTimeoutMs());
        assertEquals(3000, s.responseTimeoutMs());
        assertArrayEquals(new String[] {"hub-sender", "ops"}, s.senderRoles());
        assertEquals(3, s.retry().maxAttempts());
        assertEquals(2048, s.maxPayloadBytes());
    }

    @Test
    public void nonHttpSchemesAreRejected() {
        for (String url : new String[] {"ftp://partner.example/echo", "file:///etc/passwd", "jms:queue:x"}) {
            IllegalArgumentException e = rejected(url);
            assertTrue(e.getMessage(), e.getMessage().contains("target.url"));
        }
    }

    @Test
    public void queryAndCredentialsAreRejected() {
        IllegalArgumentException query = rejected("http://partner.example/echo?bridgeEndpoint=true");
        assertTrue(query.getMessage(), query.getMessage().contains("target.url"));
        IllegalArgumentException userInfo = rejected("http://user:secret@partner.example/echo");
        assertTrue(userInfo.getMessage(), userInfo.getMessage().contains("target.url"));
        assertFalse("the error does not echo the secret", userInfo.getMessage().contains("secret"));
    }

    @Test
    public void badNumbersAreRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EchoConnector.EchoSettings.from(Map.of("target.connectTimeoutMs", "2s")));
        assertTrue(e.getMessage(), e.getMessage().contains("target.connectTimeoutMs"));
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> EchoConnector.EchoSettings.from(Map.of("retry.maxAttempts", "0")));
        assertTrue(r.getMessage(), r.getMessage().contains("retry.maxAttempts"));
    }

    @Test
    public void deliveryUriFailsOnErrorStatusesAndCarriesTheTimeouts() {
        EchoConnector.EchoSettings s = EchoConnector.EchoSettings.from(Map.of("target.url",
                "http://partner.example:8080/echo", "target.connectTimeoutMs", "750",
                "target.responseTimeoutMs", "4000"));
        String uri = s.deliveryUri();
        assertTrue(uri, uri.startsWith("http://partner.example:8080/echo?"));
        List<String> params = List.of(uri.substring(uri.indexOf('?') + 1).split("&"));
        assertTrue(uri, params.contains("throwExceptionOnFailure=true"));
        assertTrue(uri, params.contains("connectTimeout=750"));
        assertTrue(uri, params.contains("responseTimeout=4000"));
    }

    @Test
    public void relayFlow() {
        EchoConnector.EchoSettings s = EchoConnector.EchoSettings.from(Map.of("maxPayloadBytes", "4096",
                "retry.maxAttempts", "4"));
        Flow f = EchoConnector.relayFlow(s);
        assertEquals("echo", f.partner());
        assertEquals("relay", f.name());
        assertEquals(Direction.OUTBOUND, f.direction());
        assertEquals("/in/echo/relay", f.httpPath());
        assertEquals("hub.out.echo.relay", f.queue());
        assertEquals(Set.of("admin", "hub-sender"), f.senderRoles());
        assertTrue(f.validator() instanceof JsonWellFormed);
        assertEquals(4096, f.maxPayloadBytes());
        assertEquals(4, f.retry().maxAttempts());
        assertEquals(s.deliveryUri(), f.deliveryUri());
    }

    @Test
    public void theConnectorExposesItsFlowAndSettingsWithoutSecrets() {
        EchoConnector c = new EchoConnector();
        c.activate(Map.of("target.url", "https://partner.example/echo"));
        assertEquals("echo", c.id());
        assertEquals(1, c.flows().size());
        assertEquals("echo/relay", c.flows().get(0).key());
        assertEquals("https://partner.example/echo", c.describeSettings().get("target.url"));
        assertEquals("1048576", c.describeSettings().get("maxPayloadBytes"));
    }
}
