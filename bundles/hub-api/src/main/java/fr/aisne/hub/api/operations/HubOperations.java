package fr.aisne.hub.api.operations;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.RoutesBuilder;

import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.Secrets;

/**
 * The hub as its own platform modules see it (operations API, shell, registry, console): one OSGi service
 * registered by hub-core. Connectors never use it (an architecture test checks it): they get a
 * {@link fr.aisne.hub.api.ConnectorContext}.
 */
public interface HubOperations {

    /** Installed connectors, with the state of their routes and their health. */
    List<ConnectorInfo> connectors();

    /** The OpenAPI documents the installed connectors describe their endpoints with, by connector id. */
    java.util.Map<String, String> connectorApis();

    /** Broker, database and disk health, one entry each. */
    List<ComponentHealth> platformHealth();

    /** Messages waiting in each hub queue of the broker (empty when the broker cannot be read). */
    Map<String, Long> queueDepths();

    MetricsSnapshot metrics();

    /** Newest first; the records carry no history (use {@link #find}). */
    List<ExchangeRecord> search(MessageQuery query);

    /**
     * Exchanges created since {@code since}, counted by partner, flow, current state and time bucket of
     * {@code bucket} (whole minutes, at least one) counted from {@code since}: the console's charts.
     */
    List<StateCount> stateCounts(java.time.Instant since, java.time.Duration bucket);

    /** One exchange with its state history. */
    Optional<ExchangeRecord> find(String exchangeId);

    /**
     * Replays a QUARANTINED exchange (or retries a FAILED one now): journals REPLAYED with the actor, validates
     * again with the connector's current settings and queues it.
     *
     * @throws IllegalStateException with an operator-readable reason when it cannot be replayed
     */
    ExchangeRecord replay(String exchangeId, String actor);

    /** The first {@code maxBytes} of a stored payload, decrypted; empty when none is stored. */
    Optional<PayloadPreview> preview(String exchangeId, int maxBytes) throws IOException;

    /** The whole stored payload, decrypted and streamed; empty when none is stored. The caller closes it. */
    Optional<InputStream> openPayload(String exchangeId) throws IOException;

    /** Deletes the stored payload of an exchange (retention); the journal keeps its record and digest. */
    void purgePayload(String exchangeId);

    /** Adds routes of a platform module (its HTTP API) to the hub's CamelContext. */
    Registration addRoutes(List<? extends RoutesBuilder> routes) throws Exception;

    /** Authentication, JSON answers and REST configuration on the hub's listener. */
    HttpSecurity http();

    /** The hub's database for a platform module's tables. */
    ModuleDatabase database();

    /** Sealing of secrets with the hub's keys. */
    Secrets secrets();
}
