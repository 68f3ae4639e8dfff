package fr.aisne.hub.core.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.operations.ConnectorInfo;

/**
 * Installs a connector when its service appears: asks it to configure itself on a {@link ConnectorRuntime}, builds
 * the standard routes of the flows it declared and adds them, with its own routes, to the shared CamelContext;
 * removes exactly those when the service goes, leaving the other connectors untouched. A connector whose settings
 * are wrong stays listed, DOWN with the reason, and runs nothing. Messages waiting for a removed connector stay
 * in their queue.
 */
public final class ConnectorManager {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorManager.class);

    /** Builds the standard routes of one declared flow. */
    @FunctionalInterface
    public interface FlowRouteFactory {
        RoutesBuilder routes(String connectorId, Flow flow);
    }

    private final CamelContext camel;
    private final ConnectorRuntime.Services services;
    private final FlowRouteFactory flowRoutes;
    private final java.util.function.Consumer<Flow> flowInstalling;
    private final Map<String, Installed> installed = new LinkedHashMap<>();

    private record Installed(Connector connector, ConnectorRuntime runtime, ContributedRoutes routes, String problem) {
    }

    /**
     * @param flowInstalling told of each flow before its routes start (the dispatcher sends again what a killed hub may
     *        have left unsent; the consumers drop the copies)
     */
    public ConnectorManager(CamelContext camel, ConnectorRuntime.Services services, FlowRouteFactory flowRoutes,
            java.util.function.Consumer<Flow> flowInstalling) {
        this.camel = camel;
        this.services = services;
        this.flowRoutes = flowRoutes;
        this.flowInstalling = flowInstalling;
    }

    public static ConnectorRuntime.Services services(fr.aisne.hub.api.Intake intake, fr.aisne.hub.api.ModuleDatabase db,
            fr.aisne.hub.api.HttpSecurity http, fr.aisne.hub.api.Secrets secrets, java.time.Clock clock,
            java.util.function.BiFunction<String, fr.aisne.hub.api.PartnerLimits, fr.aisne.hub.api.PartnerGuard> guards) {
        return new ConnectorRuntime.Services(intake, db, http, secrets, clock, guards);
    }

    public synchronized void add(Connector connector) {
        String id = connector.id();
        if (installed.containsKey(id)) {
            LOG.error("A connector with id '{}' is already installed; the second one is ignored", id);
            return;
        }
        ConnectorRuntime runtime = new ConnectorRuntime(id, services);
        try {
            connector.configure(runtime);
        } catch (SettingsException e) {
            LOG.error("Connector {} not started: {}", id, e.getMessage());
            installed.put(id, new Installed(connector, runtime, null, e.getMessage()));
            return;
        } catch (Exception | LinkageError e) {
            String problem = "could not be configured: " + Redaction.describe(e);
            LOG.error("Connector {} {}", id, problem);
            installed.put(id, new Installed(connector, runtime, null, problem));
            return;
        }
        try {
            List<RoutesBuilder> builders = new ArrayList<>();
            for (Flow f : runtime.flows()) {
                Optional<String> owner = ownerOf(f);
                if (owner.isPresent()) {
                    throw new IllegalArgumentException("flow " + f.key() + " is already declared by connector " + owner.get());
                }
                builders.add(flowRoutes.routes(id, f));
            }
            builders.addAll(runtime.routes());
            // before the consumers start: what a killed hub left unsent is on its queue before new deliveries begin
            for (Flow f : runtime.flows()) {
                try {
                    flowInstalling.accept(f);
                } catch (RuntimeException e) {
                    LOG.warn("Flow {}: what a previous run left queued was not sent again now: {}", f.key(),
                            Redaction.describe(e));
                }
            }
            ContributedRoutes routes = ContributedRoutes.add(camel, builders);
            installed.put(id, new Installed(connector, runtime, routes, null));
            LOG.info("Connector {} installed: flows {}, routes {}", id, runtime.flows().stream().map(Flow::key).toList(),
                    routes.routeIds());
        } catch (Exception e) {
            String problem = "routes could not be started: " + Redaction.describe(e);
            LOG.error("Connector {} {}", id, problem);
            installed.put(id, new Installed(connector, runtime, null, problem));
        }
    }

    public synchronized void remove(Connector connector) {
        Installed i = installed.get(connector.id());
        if (i == null || i.connector() != connector) {
            return;
        }
        installed.remove(connector.id());
        if (i.routes() != null) {
            i.routes().remove();
        }
        try {
            connector.close();
        } catch (RuntimeException e) {
            LOG.warn("Connector {} did not close cleanly: {}", connector.id(), Redaction.describe(e));
        }
        LOG.info("Connector {} removed: its routes are stopped; queued messages stay in the broker", connector.id());
    }

    public synchronized void removeAll() {
        for (Installed i : new ArrayList<>(installed.values())) {
            remove(i.connector());
        }
    }

    /** The flow partner/name among installed connectors. */
    public synchronized Optional<Flow> flow(String partner, String name) {
        return installed.values().stream().filter(i -> i.problem() == null)
                .flatMap(i -> i.runtime().flows().stream())
                .filter(f -> f.partner().equals(partner) && f.name().equals(name)).findFirst();
    }

    private Optional<String> ownerOf(Flow flow) {
        return installed.values().stream().filter(i -> i.problem() == null)
                .filter(i -> i.runtime().flows().stream().anyMatch(f -> f.key().equals(flow.key())))
                .map(i -> i.connector().id()).findFirst();
    }

    /** The OpenAPI documents of the connectors installed without problem, by connector id. */
    public synchronized Map<String, String> apis() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Installed i : installed.values()) {
            String doc = i.problem() == null ? i.runtime().apiDocument() : null;
            if (doc != null) {
                out.put(i.connector().id(), doc);
            }
        }
        return out;
    }

    public synchronized List<ConnectorInfo> describe() {
        List<ConnectorInfo> out = new ArrayList<>();
        for (Installed i : installed.values()) {
            Connector c = i.connector();
            List<String> routeIds = i.routes() == null ? List.of() : i.routes().routeIds();
            boolean started = i.problem() == null && routeIds.stream()
                    .allMatch(r -> camel.getRouteController().getRouteStatus(r) == ServiceStatus.Started);
            Health health;
            if (i.problem() != null) {
                health = Health.down(i.problem());
            } else if (!started) {
                health = Health.down("routes not started");
            } else {
                health = safeHealth(c);
            }
            List<ConnectorInfo.FlowInfo> flows = i.runtime().flows().stream().map(f -> new ConnectorInfo.FlowInfo(
                    f.key(), f.direction().name(), f.queue(), f.httpPath(), f.concurrency(),
                    f.orderingKey() != fr.aisne.hub.api.OrderingKey.NONE, f.retry().toString())).toList();
            out.add(new ConnectorInfo(c.id(), version(c), flows, routeIds, started, health, safeSettings(c)));
        }
        return out;
    }

    private static Health safeHealth(Connector c) {
        try {
            Health h = c.health();
            return h == null ? Health.up("") : h;
        } catch (RuntimeException e) {
            return Health.down("health check failed: " + e.getClass().getSimpleName());
        }
    }

    private static Map<String, String> safeSettings(Connector c) {
        try {
            return c.describeSettings();
        } catch (RuntimeException e) {
            return Map.of("error", "settings unavailable: " + e.getClass().getSimpleName());
        }
    }

    private static String version(Connector c) {
        Bundle b = FrameworkUtil.getBundle(c.getClass());
        return b == null ? "unknown" : b.getVersion().toString();
    }
}
