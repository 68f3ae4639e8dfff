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
}
