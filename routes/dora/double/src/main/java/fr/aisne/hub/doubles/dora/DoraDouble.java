package fr.aisne.hub.doubles.dora;

import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for data·inclusion (the directory Dora feeds and reads), in its own CamelContext and on its own
 * port (settings {@code etc/hub.double.dora.cfg}, default {@code http://127.0.0.1:8585}). Never installed in
 * production.
 * <ul>
 * <li>{@code GET /api/v1/structures}, {@code /api/v1/services}, {@code /api/v1/search/services},
 * {@code /api/v1/structures/{id}}, {@code /api/v1/services/{id}}, {@code /api/v1/sources}, {@code /api/v1/doc/*},
 * {@code /api/openapi.json}: the read-only API v1 over fixtures of the Aisne, with HS256 bearer tokens;</li>
 * <li>{@code POST /double/consumer/pull}, {@code POST /double/consumer/csv}: data·inclusion's side of the
 * department's publication, pulling the hub's feed (or reading Dora's import CSV) and validating it against
 * schema v1;</li>
 * <li>{@code /double/control}, {@code /double/control/reset}, {@code /double/stats}, {@code /double/tokens},
 * {@code /double/fixtures}, {@code /double/consumer}: injected faults, counters, tokens, what the fixtures
 * hold.</li>
 * </ul>
 * A changed settings file re-creates the component (no {@code @Modified}): state is then lost, as in a restart.
 */
@Component(immediate = true, configurationPid = "hub.double.dora",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
public class DoraDouble {
    private static final Logger LOG = LoggerFactory.getLogger(DoraDouble.class);

    private DoraServer server;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        Settings settings = Settings.from(config);
        server = new DoraServer(settings, Clock.systemUTC());
        server.start();
        LOG.info("Dora double listening on {} ({})", server.baseUrl(), settings);
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
        LOG.info("Dora double stopped");
    }
}
