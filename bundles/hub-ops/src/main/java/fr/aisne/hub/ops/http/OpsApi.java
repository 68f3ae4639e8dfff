package fr.aisne.hub.ops.http;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Route;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.core.Hub;

/** Adds the operations API routes to the hub's CamelContext, and removes them when this bundle stops. */
@Component(immediate = true, service = {})
public class OpsApi {
    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    @Reference
    private Hub hub;

    private Set<String> routeIds = Set.of();

    @Activate
    void activate() throws Exception {
        var camel = hub.camelContext();
        Set<String> before = ids();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(camel.getApplicationContextClassLoader());
        try {
            camel.addRoutes(new OpsApiRoutes(hub));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        Set<String> after = ids();
        after.removeAll(before);
        routeIds = after;
        LOG.info("Operations API on http://{}:{}/hub/ (health, metrics, api/connectors, api/messages)",
                hub.httpHost(), hub.httpPort());
    }

    @Deactivate
    void deactivate() {
        var camel = hub.camelContext();
        for (String id : routeIds) {
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Route {} could not be removed: {}", id, e.getMessage());
            }
        }
    }

    private Set<String> ids() {
        return hub.camelContext().getRoutes().stream().map(Route::getRouteId)
                .collect(Collectors.toCollection(HashSet::new));
    }
}
