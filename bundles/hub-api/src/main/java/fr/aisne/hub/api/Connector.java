package fr.aisne.hub.api;

import java.util.Map;

/**
 * A partner connector, registered as an OSGi service (a Declarative Services component bound to
 * {@code etc/hub.connector.<id>.cfg}, configuration required, no {@code @Modified}: a settings change
 * re-creates the component, and hub-core rebuilds its routes while queued messages wait in the broker).
 *
 * <p>hub-core calls {@link #configure} once, when the service appears, and removes exactly what was
 * declared there when it goes.
 */
public interface Connector {

    /** Connector id: the feature name's suffix, metrics labels and the operations API. */
    String id();

    /**
     * Declares the connector's flows and routes on the context. A {@link SettingsException} (a wrong setting)
     * keeps the connector listed, DOWN with the exception's message (key, problem, fix), and declares nothing.
     */
    void configure(ConnectorContext context) throws Exception;

    /** The connector's own view of its partner (credentials refused, last poll...). */
    default Health health() {
        return Health.up("");
    }

    /** Settings shown to operators. Never a secret. */
    default Map<String, String> describeSettings() {
        return Map.of();
    }

    /** Called when hub-core removes the connector (after its routes are stopped). */
    default void close() {
    }
}
