package fr.aisne.hub.api;

import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The hub's HTTP listener as a connector's own APIs use it (a directory query, a feed for a partner): REST on
 * the hub's port under {@code /hub}, HTTP Basic against the hub's accounts with roles, checked before any body
 * is read, refusals counted and throttled, JSON answers without stack traces.
 */
public interface HttpSecurity {
    /** Roles that read the journal and the operations API. */
    Set<String> READERS = Set.of("viewer", "manager", "admin");
    /** Roles that act (replay, decide). */
    Set<String> OPERATORS = Set.of("manager", "admin");

    /** Sets the REST DSL of {@code builder} on the hub's listener (context path /hub, no binding, no stream cache). */
    void restOnHub(RouteBuilder builder);

    /** {@code http://host:port/hub}: the base of the hub's HTTP endpoints (for callback URLs). */
    String baseUrl();

    /**
     * The options every jetty consumer on the hub's listener takes: the body stays a stream (a route reads it after
     * checking who sends it), no stack trace answered, and no multipart parsing. camel-jetty parses a
     * multipart/form-data body into parts (files in the temporary folder) before the route runs, that is before
     * authentication, although its documentation says the filter is off by default; the hub accepts no form bodies.
     */
    String CONSUMER_OPTIONS = "disableStreamCache=true&muteException=true&enableMultipartFilter=false";

    /** {@code jetty:} URI of a POST-only consumer at {@code path} under {@link #baseUrl()}, with {@link #CONSUMER_OPTIONS}. */
    default String postConsumer(String path) {
        return "jetty:" + baseUrl() + path + "?httpMethodRestrict=POST&" + CONSUMER_OPTIONS;
    }

    /**
     * The caller if authenticated with one of the roles; otherwise the exchange is answered (401, 403 or 429
     * with Retry-After) and empty is returned.
     */
    Optional<Caller> authorize(Exchange exchange, Set<String> roles);

    /**
     * True when the header {@code header} carries {@code expected} (constant-time); otherwise answers 401 (or
     * 429 for an address that keeps failing), counts it, and returns false.
     */
    boolean checkSecretHeader(Exchange exchange, String header, String expected);

    /**
     * For a request that changes something (POST, PUT, DELETE): refuses what a browser could be tricked into
     * sending from another site with the caller's credentials, a foreign Origin (403) and form or text bodies (415,
     * which need no CORS pre-flight). Answers and returns false when refused.
     */
    boolean stateChangeAllowed(Exchange exchange);

    /** Replaces the message with a JSON answer (request headers dropped). */
    void json(Exchange exchange, int status, Object body);

    /**
     * Answers 413 (naming the limit) and returns false when the request declares a body larger than
     * {@code maxBytes}; reads nothing. A body sent in chunks, without a declared length, is not refused here: read
     * it with the same bound.
     */
    boolean bodyWithin(Exchange exchange, long maxBytes);

    /**
     * The caller, for an operator's state-changing request (roles {@link #OPERATORS}, same-site, declared body within
     * {@code maxBytes}); otherwise the exchange is answered and empty is returned.
     */
    default Optional<Caller> operator(Exchange exchange, long maxBytes) {
        Optional<Caller> caller = authorize(exchange, OPERATORS);
        if (caller.isEmpty() || !stateChangeAllowed(exchange) || !bodyWithin(exchange, maxBytes)) {
            return Optional.empty();
        }
        return caller;
    }

    /**
     * The request's JSON object (an empty body is {@code {}}), read within {@code maxBytes} and the hub's JSON
     * limits; null when answered instead: 413 naming the limit (a chunked body over it), 400 when it is not one
     * JSON object (never quoting it).
     */
    default com.fasterxml.jackson.databind.JsonNode jsonObjectBody(Exchange exchange, long maxBytes)
            throws java.io.IOException {
        byte[] bytes;
        try (java.io.InputStream in = exchange.getMessage().getBody(java.io.InputStream.class)) {
            bytes = in == null ? new byte[0] : in.readNBytes((int) maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            json(exchange, 413, java.util.Map.of("error", "at most " + maxBytes + " bytes"));
            return null;
        }
        if (bytes.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = Json.readPayload(new java.io.ByteArrayInputStream(bytes), "body");
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (ValidationException notJson) {
            // answered below
        }
        json(exchange, 400, java.util.Map.of("error", "a JSON object is expected"));
        return null;
    }
}
