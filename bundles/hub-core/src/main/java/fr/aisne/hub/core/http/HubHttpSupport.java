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
import fr.aisne.hub.core.security.BasicAuthenticator;
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

    /** The caller if authenticated with one of the roles; otherwise answers 401/403/429 and returns empty. */
    public static Optional<HubPrincipal> authorize(Hub hub, Exchange e, Set<String> roles) {
        return authorize(hub.authenticator(), e, roles, (status, body) -> json(e, status, body));
    }

    /**
     * The one authorization step of every HTTP entry (APIs and inbound flows): 429 with Retry-After for a
     * source that failed too often, 401 for missing or wrong credentials, 403 without one of the roles.
     */
    public static Optional<HubPrincipal> authorize(BasicAuthenticator authenticator, Exchange e, Set<String> roles,
            java.util.function.BiConsumer<Integer, Map<String, Object>> reply) {
        BasicAuthenticator.Attempt a = authenticator.attempt(e.getMessage().getHeader("Authorization", String.class),
                source(e));
        if (a.throttled()) {
            reply.accept(429, Map.<String, Object>of("error", "too many failed logins from this address",
                    "retryAfterSeconds", a.retryAfterSeconds()));
            e.getMessage().setHeader("Retry-After", String.valueOf(a.retryAfterSeconds()));
            return Optional.empty();
        }
        if (a.principal().isEmpty()) {
            reply.accept(401, Map.<String, Object>of("error", "unauthorized"));
            e.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"hub\"");
            return Optional.empty();
        }
        if (!a.principal().get().hasAnyRole(roles)) {
            authenticator.countForbidden();
            reply.accept(403, Map.<String, Object>of("error", "forbidden"));
            return Optional.empty();
        }
        return a.principal();
    }

    /**
     * The remote address of an HTTP request (what the login throttle counts by), or null when it cannot be
     * read (then nobody is throttled, rather than everybody together). Read by reflection: the servlet API is
     * embedded in the Camel runtime bundle, not exported to hub-core.
     */
    static String source(Exchange e) {
        Object request = e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST);
        if (request == null) {
            request = call(e.getMessage(), "getRequest");
        }
        return request == null ? null : call(request, "getRemoteAddr") instanceof String a ? a : null;
    }

    private static Object call(Object target, String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
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
