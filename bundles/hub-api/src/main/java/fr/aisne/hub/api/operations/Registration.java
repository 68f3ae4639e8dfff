package fr.aisne.hub.api.operations;

import java.util.List;

/** Routes a platform module added to the hub's CamelContext; {@link #remove()} removes exactly those. */
public interface Registration {

    List<String> routeIds();

    void remove();
}
