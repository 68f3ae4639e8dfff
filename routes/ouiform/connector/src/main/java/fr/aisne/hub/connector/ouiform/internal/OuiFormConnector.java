package fr.aisne.hub.connector.ouiform.internal;

import java.util.Map;

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
import fr.aisne.hub.api.Health;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The OuiForm connector (partner id ouiform: the Région Hauts-de-France's training platform), bound to
 * etc/hub.connector.ouiform.cfg. Training sessions of the regional catalogue in (LHEO 2.3), prescriptions out with the
 * beneficiary's identity filled from the registry, statuses back into the registry and the department's event feed,
 * over the OuiForm contract v1 (docs/contracts/ouiform/) the department proposes to the Région. See
 * {@link OuiFormRuntime} and routes/ouiform/README.md.
 */
@Component(service = Connector.class, configurationPid = OuiFormSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class OuiFormConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(OuiFormConnector.class);

    @Reference
    private PersonRegistry registry;

    /** Dynamic: without the feed, statuses wait (retried) instead of being published. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DepartmentEvents events;

    private Map<String, Object> config;
    private volatile OuiFormRuntime runtime;

    @Activate
    void activate(Map<String, Object> config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Override
    public String id() {
        return OuiFormRuntime.ID;
    }

    @Override
    public void configure(ConnectorContext ctx) {
        OuiFormRuntime r = new OuiFormRuntime(config, ctx, registry, () -> events);
        r.declare();
        runtime = r;
        LOG.info("OuiForm connector ready: prescriptions to {} over {}, SOAP endpoint {}, REST {}/hub/ouiform/api/v1, "
                + "catalogue inbox {}", r.settings.channel() == OuiFormSettings.Canal.SOAP ? r.settings.soapUrl()
                        : r.settings.restUrl(), r.settings.channel(), r.settings.soapAddress(),
                ctx.http().baseUrl().replaceAll("/hub$", ""), r.settings.inbox());
    }

    @Override
    public Health health() {
        OuiFormRuntime r = runtime;
        return r == null ? Health.down("not configured") : r.health();
    }

    @Override
    public Map<String, String> describeSettings() {
        OuiFormRuntime r = runtime;
        return r == null ? Map.of() : r.settings.describe();
    }

    @Override
    public synchronized void close() {
        OuiFormRuntime r = runtime;
        runtime = null;
        if (r != null) {
            r.close();
        }
    }
}
