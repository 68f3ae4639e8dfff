package fr.aisne.hub.core.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.security.HubPrincipal;
import fr.aisne.hub.core.util.Json;

/**
 * What every HTTP API of the hub shares: the REST configuration on the hub's listener, HTTP Basic with
 * roles (a refused caller learns nothing but the status), and JSON answers.
 */
public final class HubHttpSupport {
    public static final Set<String> READERS = Set.of("viewer", "manager", "admin");
    public static final Set<String> OPERATORS = Set.of("manager", "admin");
    public static final Set<String> ADMINS = Set.of("admin");

    private HubHttpSupport() {
    }

    /** REST DSL on the hub's Jetty under /hub (context-wide; every API module sets the same values). */
    public static void restOnHub(RouteBuilder builder, Hub hub) {
        builder.restConfiguration().component("jetty").host(hub.httpHost()).port(hub.httpPort()).contextPath("/hub")
                .bindingMode(RestBindingMode.off);
    }

    /** The caller if authenticated with one of the roles; otherwise answers 401/403 and returns empty. */
    public static Optional<HubPrincipal> authorize(Hub hub, Exchange e, Set<String> roles) {
        Optional<HubPrincipal> p = hub.authenticator().authenticate(e.getMessage().getHeader("Authorization", String.class));
        if (p.isEmpty()) {
            json(e, 401, Map.of("error", "unauthorized"));
            e.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"hub\"");
            return Optional.empty();
        }
        if (!p.get().hasAnyRole(roles)) {
            json(e, 403, Map.of("error", "forbidden"));
            return Optional.empty();
        }
        return p;
    }

    /** Replaces the message with a JSON answer (and drops every request header). */
    public static void json(Exchange e, int status, Object body) {
        Message m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body instanceof String s ? s : Json.write(body instanceof List<?> || body instanceof Map<?, ?>
                ? body : Map.of("value", body)));
    }

    /** True for a journal or registry id (a UUID): anything else is answered 404 without a lookup. */
    public static boolean isId(String id) {
        return id != null && id.matches("[0-9a-f-]{36}");
    }
}
