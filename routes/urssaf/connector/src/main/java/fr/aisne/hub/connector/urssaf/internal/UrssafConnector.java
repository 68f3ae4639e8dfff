package fr.aisne.hub.connector.urssaf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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

/**
 * The URSSAF AT/MP connector (partner id urssaf), bound to etc/hub.connector.urssaf.cfg: the department's monthly
 * contribution for PMSMP immersion hours, computed from the conventions the Immersion Facilitée connector keeps
 * ({@link PmsmpConventions}), closed by an operator, declared with its evidence to the payroll service (flow
 * urssaf/declarations), corrected by adjustments; and the accident declarations (flow departement/accidents-pmsmp).
 * routes/urssaf/README.md.
 */
@Component(service = Connector.class, configurationPid = UrssafSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class UrssafConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(UrssafConnector.class);

    /** Optional: without it the connector is DOWN with the reason, its declarations wait. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PmsmpConventions conventions;

    private Map<String, Object> config;
    private BundleContext bundleContext;
    private volatile UrssafRuntime runtime;
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
        return UrssafRuntime.ID;
    }

    @Override
    public void configure(ConnectorContext ctx) throws IOException {
        UrssafSettings s = UrssafSettings.from(config, ctx.secrets());
        UrssafRuntime r = new UrssafRuntime(s, ctx.database(), ctx.intake(), () -> conventions, ctx.clock());
        for (Flow f : r.flows()) {
            ctx.flow(f);
        }
        ctx.routes(new UrssafRoutes(r, ctx.http()));
        ctx.describeApi(openApi());
        runtime = r;
        if (bundleContext != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("hub.connector", UrssafRuntime.ID);
            operationsService = bundleContext.registerService(UrssafOperations.class, r, props);
        }
        LOG.info("URSSAF AT/MP connector ready: basis {}, {} tariff(s), payroll service {}", s.basis(), s.tariffs().size(),
                s.payrollUrl());
    }

    static String openApi() throws IOException {
        try (InputStream in = UrssafConnector.class.getClassLoader().getResourceAsStream("openapi/urssaf.json")) {
            if (in == null) {
                throw new IOException("openapi/urssaf.json missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public Health health() {
        UrssafRuntime r = runtime;
        return r == null ? Health.down("not configured") : r.health();
    }

    @Override
    public Map<String, String> describeSettings() {
        UrssafRuntime r = runtime;
        return r == null ? Map.of() : r.settings.describe();
    }

    @Override
    public void close() {
        ServiceRegistration<?> s = operationsService;
        operationsService = null;
        if (s != null) {
            try {
                s.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
    }
}
