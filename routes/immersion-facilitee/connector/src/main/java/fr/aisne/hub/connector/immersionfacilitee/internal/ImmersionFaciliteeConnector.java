package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The Immersion Facilitée connector (partner id immersion-facilitee), bound to etc/hub.connector.immersionfacilitee.cfg:
 * PMSMP conventions by webhook and reconciliation, and the department's own immersions, into the registry, the
 * department's events and the connector's tables (routes/immersion-facilitee/README.md). While it runs it registers the
 * {@link PmsmpConventions} read service (the AT/MP computation's) and {@link ImmersionOperations} (its shell commands).
 */
@Component(service = Connector.class, configurationPid = ImSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class ImmersionFaciliteeConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(ImmersionFaciliteeConnector.class);

    @Reference
    private PersonRegistry registry;

    /** Optional: without the feed, the events wait in their queue. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DepartmentEvents events;

    /** Reads the disclosure rules (isRqth is kept only when one names rqth); absent: isRqth is never kept. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    private Map<String, Object> config;
    private BundleContext bundleContext;
    private volatile ImRuntime runtime;
    private volatile ServiceRegistration<?> conventionsService;
    private volatile ServiceRegistration<?> operationsService;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        this.bundleContext = context;
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Override
    public String id() {
        return ImRuntime.ID;
    }

    @Override
    public void configure(ConnectorContext ctx) throws IOException {
        ImRuntime r = new ImRuntime(config, ctx.http(), ctx.secrets(), ctx.database(), ctx::partnerGuard, ctx.intake(),
                registry, () -> events, RqthRule.fromDisclosureRules(() -> configAdmin), ctx.clock());
        for (Flow f : r.flows()) {
            ctx.flow(f);
        }
        ctx.routes(new ImRoutes(r, ctx.http()));
        ctx.describeApi(openApi());
        runtime = r;
        if (bundleContext != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("hub.connector", ImRuntime.ID);
            conventionsService = bundleContext.registerService(PmsmpConventions.class, r.store, props);
            operationsService = bundleContext.registerService(ImmersionOperations.class, r.operations, props);
        }
        LOG.info("Immersion Facilitée connector ready: {} ({}), webhook {}", r.settings.apiUrl(),
                r.platform.configured() ? "key set" : "NO api.key", r.settings.webhookEnabled() ? r.settings.callbackUrl() : "off");
    }

    /** The department-facing endpoints, merged into /hub/api/openapi.json. */
    static String openApi() throws IOException {
        try (InputStream in = ImmersionFaciliteeConnector.class.getClassLoader()
                .getResourceAsStream("openapi/immersion-facilitee.json")) {
            if (in == null) {
                throw new IOException("openapi/immersion-facilitee.json missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public Health health() {
        ImRuntime r = runtime;
        return r == null ? Health.down("not configured") : r.health();
    }

    @Override
    public Map<String, String> describeSettings() {
        ImRuntime r = runtime;
        return r == null ? Map.of() : r.settings.describe();
    }

    @Override
    public void close() {
        unregister(conventionsService);
        unregister(operationsService);
        conventionsService = null;
        operationsService = null;
    }

    private static void unregister(ServiceRegistration<?> s) {
        if (s != null) {
            try {
                s.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
    }
}
