package fr.aisne.hub.core.spi;

import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;

/**
 * What a connector contributes to the hub. A connector bundle registers one instance as an OSGi service
 * (a Declarative Services component bound to {@code etc/hub.connector.<id>.cfg}); hub-core builds the
 * standard routes of each {@link Flow} (journal, validation, durable queue, delivery with retries and
 * quarantine) and adds them to the shared CamelContext, then removes exactly those routes when the
 * service goes away. A configuration change re-creates the component, so its routes are rebuilt with the
 * new settings while queued messages wait in the broker.
 */
public interface HubConnector {

    /** Connector id: used in the feature name, the settings file, metrics labels and the API. */
    String id();

    /** The flows this connector handles. */
    List<Flow> flows();

    /** Routes the standard flows do not cover (pollers, schedulers). Their ids must start with {@code id()}. */
    default List<RoutesBuilder> extraRoutes() {
        return List.of();
    }

    /** The connector's own view of its partner (reachable, credentials valid...). */
    default HealthStatus health() {
        return HealthStatus.up(id());
    }

    /** Settings shown to operators. Never put a secret here. */
    default Map<String, String> describeSettings() {
        return Map.of();
    }
}
