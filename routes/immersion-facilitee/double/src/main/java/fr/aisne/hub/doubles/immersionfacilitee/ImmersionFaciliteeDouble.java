package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the Immersion Facilitée partner API v2, in its own CamelContext and on its own port (settings
 * {@code etc/hub.double.immersionfacilitee.cfg}, default {@code http://127.0.0.1:8484}, API under {@code /api}).
 * Never installed in production.
 * <ul>
 * <li>{@code GET /api/v2/conventions/{id}}, {@code GET /api/v2/conventions?startDateGreater&startDateLessOrEqual&withStatuses}
 * (a bare array of at most 100, newest start first), {@code POST|GET /api/v2/webhooks},
 * {@code DELETE /api/v2/webhooks/{id}}, with the raw API key (a JWT) in {@code authorization};</li>
 * <li>{@code convention.updated} webhook calls on every change the platform broadcasts;</li>
 * <li>{@code /double/control...} and {@code /double/stats}: conventions created and moved, injected 429s,
 * latency, outage, dropped/duplicated/reordered webhooks, counters.</li>
 * </ul>
 * A changed settings file re-creates the component (no {@code @Modified}): state is then lost, as in a restart.
 */
@Component(immediate = true, configurationPid = "hub.double.immersionfacilitee",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
public class ImmersionFaciliteeDouble {
    private static final Logger LOG = LoggerFactory.getLogger(ImmersionFaciliteeDouble.class);

    private ImmersionFaciliteeServer server;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        Settings settings = Settings.from(config);
        server = new ImmersionFaciliteeServer(settings, Clock.systemUTC());
        server.start();
        LOG.info("Immersion Facilitée double listening on {}/api ({} consumer(s), {} convention(s), {})",
                server.baseUrl(), settings.consumers().size(), server.api().stats().get("conventions"),
                settings.behaviour());
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
        LOG.info("Immersion Facilitée double stopped");
    }
}
