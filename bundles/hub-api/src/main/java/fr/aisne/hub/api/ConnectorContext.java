package fr.aisne.hub.api;

import java.time.Clock;

import org.apache.camel.RoutesBuilder;

/**
 * What hub-core gives a connector while it configures itself. Flows and routes declared here are removed,
 * exactly those, when the connector goes.
 */
public interface ConnectorContext {

    /** The connector's id. */
    String connectorId();

    /** Declares a flow: hub-core builds its intake, queue and delivery. Returns the same flow. */
    Flow flow(Flow flow);

    /**
     * Adds routes of the connector's own (pollers, its own read APIs) to the hub's CamelContext. Their ids must
     * start with the connector id.
     */
    void routes(RoutesBuilder routes);

    /**
     * Documents the connector's department-facing HTTP endpoints (its inbound flows and its own read APIs): an
     * OpenAPI 3 document whose {@code paths} and {@code components} are merged into the hub's
     * {@code /hub/api/openapi.json}. Path and component names must not clash with another module's (prefix the
     * schemas with the connector id); a clashing entry is left out and logged.
     */
    void describeApi(String openApiJson);

    /** Where the connector's pollers hand what they receive to the hub. */
    Intake intake();

    /** The connector's tables: its DataSource, numbered migrations and the JDBC helper. */
    ModuleDatabase database();

    /**
     * The per-partner rate limit, concurrency limit and circuit breaker, shared by the flows' deliveries and
     * the connector's own calls to that partner: the calls of a poller and of the deliveries share one rate limit
     * and one circuit; the concurrency limit counts deliveries. Configured from {@link Settings#partnerLimits()}.
     */
    PartnerGuard partnerGuard(String partner, PartnerLimits limits);

    /** Authentication and JSON answers for the connector's own HTTP APIs, on the hub's listener. */
    HttpSecurity http();

    /** Sealing of the connector's secrets kept in its settings ({@code ENC(...)}) or its tables. */
    Secrets secrets();

    /** The hub's clock (a test clock in tests). */
    Clock clock();
}
