package fr.aisne.hub.core.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.core.ContributedRoutes;
import fr.aisne.hub.core.Hub.ConnectorInfo;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HealthStatus;
import fr.aisne.hub.core.spi.HubConnector;

/**
 * Adds a connector's routes to the shared CamelContext when its service appears and removes exactly
 * those routes when it goes, leaving the other connectors untouched. Stopping a delivery route waits for
 * the message in progress (bounded); unacknowledged messages stay in their queue.
 */
public class ConnectorManager {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorManager.class);

    private final CamelContext camel;
    private final Function<HubConnector, List<RoutesBuilder>> standardRoutes;
    private final Map<String, Installed> installed = new LinkedHashMap<>();

    private record Installed(HubConnector connector, ContributedRoutes routes) {
    }

    public ConnectorManager(CamelContext camel, Function<HubConnector, List<RoutesBuilder>> standardRoutes) {
        this.camel = camel;
        this.standardRoutes = standardRoutes;
    }

    public synchronized void add(HubConnector connector) {
        String id = connector.id();
        if (installed.containsKey(id)) {
            LOG.error("A connector with id '{}' is already installed; the second one is ignored", id);
            return;
        }
        try {
            List<RoutesBuilder> builders = new ArrayList<>(standardRoutes.apply(connector));
            builders.addAll(connector.extraRoutes());
            ContributedRoutes routes = ContributedRoutes.add(camel, builders);
            installed.put(id, new Installed(connector, routes));
            LOG.info("Connector {} installed: flows {}, routes {}", id,
                    connector.flows().stream().map(Flow::key).toList(), routes.routeIds());
        } catch (Exception e) {
            LOG.error("Connector {} could not be installed: {}", id, e.getMessage(), e);
        }
    }

    public synchronized void remove(HubConnector connector) {
        Installed i = installed.get(connector.id());
        if (i == null || i.connector() != connector) {
            return;
        }
        installed.remove(connector.id());
        i.routes().remove();
        LOG.info("Connector {} removed: routes {} stopped; queued messages stay in the broker", connector.id(),
                i.routes().routeIds());
    }

    public synchronized void removeAll() {
        for (Installed i : new ArrayList<>(installed.values())) {
            remove(i.connector());
        }
    }

    /** The flow partner/name among installed connectors. */
    public synchronized Optional<Flow> flow(String partner, String name) {
        return installed.values().stream().flatMap(i -> i.connector().flows().stream())
                .filter(f -> f.partner().equals(partner) && f.name().equals(name)).findFirst();
    }

    public synchronized List<ConnectorInfo> describe() {
        List<ConnectorInfo> out = new ArrayList<>();
        for (Installed i : installed.values()) {
            HubConnector c = i.connector();
            boolean started = !i.routes().routeIds().isEmpty() && i.routes().routeIds().stream()
                    .allMatch(r -> camel.getRouteController().getRouteStatus(r) == ServiceStatus.Started);
            HealthStatus own;
            try {
                own = c.health();
            } catch (RuntimeException e) {
                own = HealthStatus.down(c.id(), "health check failed: " + e.getClass().getSimpleName());
            }
            HealthStatus health = started ? own : HealthStatus.down(c.id(), "routes not started");
            out.add(new ConnectorInfo(c.id(), c.flows().stream().map(Flow::key).toList(), i.routes().routeIds(), started,
                    health, c.describeSettings()));
        }
        return out;
    }
}
