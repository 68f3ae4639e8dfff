package fr.aisne.hub.core.connector;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a bundle contributes to the hub's shared CamelContext, remembered so that exactly those are
 * removed when it goes (the other bundles' routes untouched). Used by connectors, the operations API and
 * the registry.
 */
public final class ContributedRoutes implements fr.aisne.hub.api.operations.Registration {
    private static final Logger LOG = LoggerFactory.getLogger(ContributedRoutes.class);
    private static final long STOP_TIMEOUT_SECONDS = 15;

    private final CamelContext camel;
    private final List<String> routeIds;

    private ContributedRoutes(CamelContext camel, List<String> routeIds) {
        this.camel = camel;
        this.routeIds = routeIds;
    }

    /**
     * Adds the builders' routes (with the runtime's class loader as context class loader, which Camel needs
     * to find its components). On failure, whatever was added is removed again and the exception thrown.
     */
    public static synchronized ContributedRoutes add(CamelContext camel, List<? extends RoutesBuilder> builders)
            throws Exception {
        Set<String> before = ids(camel);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(camel.getApplicationContextClassLoader());
        try {
            for (RoutesBuilder b : builders) {
                camel.addRoutes(b);
            }
        } catch (Exception e) {
            new ContributedRoutes(camel, added(camel, before)).remove();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return new ContributedRoutes(camel, added(camel, before));
    }

    @Override
    public List<String> routeIds() {
        return routeIds;
    }

    /** Stops (waiting for the message in progress, bounded) and removes these routes. */
    @Override
    public void remove() {
        for (String id : routeIds) {
            try {
                camel.getRouteController().stopRoute(id, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.error("Route {} could not be removed: {}", id, e.getMessage());
            }
        }
    }

    private static List<String> added(CamelContext camel, Set<String> before) {
        Set<String> now = ids(camel);
        now.removeAll(before);
        return List.copyOf(now);
    }

    private static Set<String> ids(CamelContext camel) {
        return camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(HashSet::new));
    }
}
