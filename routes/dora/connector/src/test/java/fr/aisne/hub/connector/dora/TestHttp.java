package fr.aisne.hub.connector.dora;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;

/**
 * The hub's listener as the round-trip test needs it: REST on Jetty on a given port under /hub, HTTP Basic with one
 * account and its roles, the secret-header check, JSON answers without the request's headers (as hub-core does it).
 */
final class TestHttp implements HttpSecurity {
    /** The test kit's JSON answer (request headers dropped). */
    private static final HttpSecurity KIT = new fr.aisne.hub.api.testing.TestConnectorContext("dora", null, null).http();

    private final int port;
    private final String user;
    private final String password;
    private final Set<String> roles;

    TestHttp(int port, String user, String password, Set<String> roles) {
        this.port = port;
        this.user = user;
        this.password = password;
        this.roles = roles;
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
    public Optional<Caller> authorize(Exchange e, Set<String> allowed) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(e.getMessage().getHeader("Authorization", String.class))) {
            json(e, 401, Map.of("error", "unauthorized"));
            return Optional.empty();
        }
        if (roles.stream().noneMatch(allowed::contains)) {
            json(e, 403, Map.of("error", "forbidden"));
            return Optional.empty();
        }
        return Optional.of(new Caller(user, roles));
    }

    @Override
    public boolean checkSecretHeader(Exchange e, String header, String expected) {
        String given = e.getMessage().getHeader(header, String.class);
        boolean ok = given != null && expected != null
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            json(e, 401, Map.of("error", "unauthorized"));
        }
        return ok;
    }

    @Override
    public boolean stateChangeAllowed(Exchange e) {
        return true;
    }

    @Override
    public void json(Exchange e, int status, Object body) {
        KIT.json(e, status, body);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    @Override
    public boolean bodyWithin(Exchange e, long maxBytes) {
        return true;
    }
}
