package fr.aisne.hub.connector.ouiform.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Json;

/**
 * The hub's HTTP security as the connector sees it, with one account ({@code region-ouiform}, role
 * {@code sender-ouiform}) and one reader ({@code referent}, role {@code departement}), REST on a free port: what
 * hub-core does (HTTP Basic checked before the body, 401 with WWW-Authenticate, 403, JSON answers), for the tests of
 * the connector's own endpoints.
 */
public final class TestHttp implements HttpSecurity {
    public static final String REGION = "region-ouiform";
    public static final String REGION_PASSWORD = "region-pw-17";
    public static final String READER = "referent";
    public static final String READER_PASSWORD = "referent-pw-17";
    private final int port;

    public TestHttp() {
        this.port = freePort();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void restOnHub(RouteBuilder builder) {
        builder.restConfiguration().component("jetty").host("127.0.0.1").port(port).contextPath("/hub")
                .bindingMode(RestBindingMode.off).endpointProperty("disableStreamCache", "true");
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/hub";
    }

    @Override
    public Optional<Caller> authorize(Exchange e, Set<String> roles) {
        String h = e.getMessage().getHeader("Authorization", String.class);
        Caller c = basic(REGION, REGION_PASSWORD).equals(h) ? new Caller(REGION, Set.of("sender-ouiform"))
                : basic(READER, READER_PASSWORD).equals(h) ? new Caller(READER, Set.of("departement")) : null;
        if (c == null) {
            json(e, 401, Map.of("error", "unauthorized"));
            e.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"hub\"");
            return Optional.empty();
        }
        if (!c.hasAnyRole(roles)) {
            json(e, 403, Map.of("error", "forbidden"));
            return Optional.empty();
        }
        return Optional.of(c);
    }

    @Override
    public boolean checkSecretHeader(Exchange exchange, String header, String expected) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean stateChangeAllowed(Exchange exchange) {
        return true;
    }

    @Override
    public void json(Exchange e, int status, Object body) {
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(body instanceof String s ? s : Json.write(body));
    }

    @Override
    public boolean bodyWithin(Exchange e, long maxBytes) {
        Long declared = e.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            json(e, 413, Map.of("error", "too large"));
            return false;
        }
        return true;
    }
}
