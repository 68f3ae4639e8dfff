package fr.aisne.hub.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.security.BasicAuthenticator;

/**
 * What every HTTP entry of the hub shares: REST on the hub's Jetty under /hub with no stream cache (nothing is
 * read before the caller is authenticated), HTTP Basic with roles or a partner's secret header, refusals counted
 * ({@code hub_http_refused_total}) and throttled, size limits before any body is read, cross-origin and
 * form-encoded state changes refused, JSON answers without stack traces.
 */
public final class HubHttp implements HttpSecurity {
    /** Refusal reasons counted beside the authenticator's (closed set). */
    public static final String TOO_LARGE = "too_large";
    public static final String MEDIA_TYPE = "media_type";
    public static final String CROSS_ORIGIN = "cross_origin";

    private final BasicAuthenticator authenticator;
    private final HubMetrics metrics;
    private final String host;
    private final int port;

    public HubHttp(BasicAuthenticator authenticator, HubMetrics metrics, String host, int port) {
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.host = host;
        this.port = port;
    }

    public BasicAuthenticator authenticator() {
        return authenticator;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public void restOnHub(RouteBuilder builder) {
        builder.restConfiguration().component("jetty").host(host).port(port).contextPath("/hub")
                .bindingMode(RestBindingMode.off)
                // the body stays on the wire until a route has authorised the caller and checked its size
                .endpointProperty("disableStreamCache", "true");
    }

    @Override
    public String baseUrl() {
        return "http://" + host + ":" + port + "/hub";
    }

    @Override
    public Optional<Caller> authorize(Exchange e, Set<String> roles) {
        BasicAuthenticator.Attempt a = authenticator.attempt(e.getMessage().getHeader("Authorization", String.class),
                source(e));
        if (a.throttled()) {
            json(e, 429, Map.of("error", "too many failed logins from this address", "retryAfterSeconds",
                    a.retryAfterSeconds()));
            e.getMessage().setHeader("Retry-After", String.valueOf(a.retryAfterSeconds()));
            return Optional.empty();
        }
        if (a.principal().isEmpty()) {
            json(e, 401, Map.of("error", "unauthorized"));
            e.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"hub\"");
            return Optional.empty();
        }
        if (!a.principal().get().hasAnyRole(roles)) {
            authenticator.countForbidden();
            json(e, 403, Map.of("error", "forbidden"));
            return Optional.empty();
        }
        return a.principal();
    }

    @Override
    public boolean checkSecretHeader(Exchange e, String header, String expected) {
        String source = source(e);
        String given = e.getMessage().getHeader(header, String.class);
        long wait = authenticator.checkSecret(source, () -> given != null && expected != null && !expected.isEmpty()
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8)),
                given == null);
        if (wait > 0) {
            json(e, 429, Map.of("error", "too many failed attempts from this address", "retryAfterSeconds", wait));
            e.getMessage().setHeader("Retry-After", String.valueOf(wait));
            return false;
        }
        if (wait < 0) {
            json(e, 401, Map.of("error", "unauthorized"));
            return false;
        }
        return true;
    }

    @Override
    public void json(Exchange e, int status, Object body) {
        Message m = e.getMessage();
        if (status >= 400 && hasBody(m)) {
            closeAfterAnswer(e);
        }
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body instanceof String s ? s : Json.write(body instanceof List<?> || body instanceof Map<?, ?>
                || body instanceof Record ? body : Map.of("value", body)));
    }

    @Override
    public boolean bodyWithin(Exchange e, long maxBytes) {
        Long declared = e.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            refuse(e, 413, TOO_LARGE, "request body of " + declared + " bytes; at most " + maxBytes + " accepted here");
            return false;
        }
        return true;
    }

    @Override
    public boolean stateChangeAllowed(Exchange e) {
        String origin = e.getMessage().getHeader("Origin", String.class);
        if (origin != null && !origin.equals("null") && !sameOrigin(origin, e)) {
            refuse(e, 403, CROSS_ORIGIN, "cross-origin request refused");
            return false;
        }
        String type = e.getMessage().getHeader("Content-Type", String.class);
        String t = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (t.equals("application/x-www-form-urlencoded") || t.equals("multipart/form-data") || t.equals("text/plain")) {
            refuse(e, 415, MEDIA_TYPE, (t.equals("text/plain") ? "a text/plain body" : "a form body (" + t + ")")
                    + " is not accepted: send the document with its own Content-Type (application/json, "
                    + "application/xml...)");
            return false;
        }
        return true;
    }

    private static boolean hasBody(Message m) {
        Long length = m.getHeader("Content-Length", Long.class);
        return (length != null && length > 0) || m.getHeader("Transfer-Encoding") != null;
    }

    /**
     * An error answer may leave the request's body unread on the connection (a refusal reads none): Jetty then
     * closes the connection after answering, and a client that sent its next request on it in the meantime gets no
     * answer at all (HardeningIT saw it: "header parser received no bytes"). Saying "Connection: close" in the answer
     * keeps the client from reusing it. Set on the servlet response, by reflection: Camel does not pass a Connection
     * header, and the servlet API is not exported to hub-core.
     */
    private static void closeAfterAnswer(Exchange e) {
        Object response = servlet(e, Exchange.HTTP_SERVLET_RESPONSE, "getResponse");
        if (response != null) { // none in a test's exchange: nothing to close
            call(response, "setHeader", new Class<?>[] {String.class, String.class}, "Connection", "close");
        }
    }

    private boolean sameOrigin(String origin, Exchange e) {
        String hostHeader = e.getMessage().getHeader("Host", String.class);
        return hostHeader != null && (origin.equals("http://" + hostHeader) || origin.equals("https://" + hostHeader));
    }

    /** Answers a refusal and counts it under {@code reason}. */
    public void refuse(Exchange e, int status, String reason, String message) {
        metrics.increment("http.refused." + reason);
        json(e, status, Map.of("error", message));
    }

    /** hub_http_refused_total by reason. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new java.util.TreeMap<>(authenticator.refusals());
        metrics.counters().forEach((k, v) -> {
            if (k.startsWith("http.refused.")) {
                out.put(k.substring("http.refused.".length()), v);
            }
        });
        return out;
    }

    /**
     * The remote address of an HTTP request (what the login throttle counts by), or null when it cannot be read
     * (then nobody is throttled, rather than everybody together). Read by reflection: the servlet API is embedded
     * in the Camel runtime bundle, not exported to hub-core.
     */
    public static String source(Exchange e) {
        Object request = servlet(e, Exchange.HTTP_SERVLET_REQUEST, "getRequest");
        return request == null ? null : call(request, "getRemoteAddr", NO_TYPES) instanceof String a ? a : null;
    }

    /** The servlet request or response of an HTTP exchange: from its header, else from Camel's HttpMessage. */
    private static Object servlet(Exchange e, String header, String httpMessageGetter) {
        Object found = e.getMessage().getHeader(header);
        return found != null ? found : call(e.getMessage(), httpMessageGetter, NO_TYPES);
    }

    private static final Class<?>[] NO_TYPES = {};

    /** A public method of the servlet API's objects, by reflection; null when it cannot be called. */
    private static Object call(Object target, String method, Class<?>[] types, Object... args) {
        try {
            return target.getClass().getMethod(method, types).invoke(target, args);
        } catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }
}
