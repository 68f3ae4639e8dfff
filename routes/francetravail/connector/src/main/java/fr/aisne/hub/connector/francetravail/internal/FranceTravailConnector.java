package fr.aisne.hub.connector.francetravail.internal;

import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The France Travail connector (partner id france-travail), bound to etc/hub.connector.francetravail.cfg. Flows
 * (all outbound, journaled, queued durably, retried without holding a thread, in order per person, quarantined,
 * replayable by the hub), each delivered by a handler calling France Travail under the hub's partner guard (rate
 * limit, circuit breaker: {@code partner.*} settings):
 * <ul>
 * <li>france-travail/identification: fed by the department event feed (new persons subject to rights and duties)
 * and by POST /hub/in/france-travail/identification {"personId"};</li>
 * <li>france-travail/orientation: POST /hub/in/france-travail/orientation {"personId", "parcours", "origine"};</li>
 * <li>france-travail/refresh: one person, POST /hub/in/france-travail/refresh {"personId"}, or the nightly batch;</li>
 * <li>france-travail/rendez-vous: POST /hub/in/france-travail/rendez-vous {"personId", "action", ...};</li>
 * <li>france-travail/batch: the refresh of every identified person, scheduled or POST /hub/in/france-travail/batch.</li>
 * </ul>
 */
@Component(service = Connector.class, configurationPid = FtSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class FranceTravailConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(FranceTravailConnector.class);

    @Reference
    private PersonRegistry registry;

    /** Optional: without the feed, identification is only requested over HTTP. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DepartmentEvents events;

    private Map<String, Object> config;
    private volatile FtRuntime runtime;

    @Activate
    void activate(Map<String, Object> config) {
        this.config = config;
    }

    @Override
    public String id() {
        return FtRuntime.ID;
    }

    @Override
    public void configure(ConnectorContext ctx) {
        FtSettings settings = FtSettings.from(config);
        FtRuntime r = new FtRuntime(settings, ctx.secrets(), ctx.database(),
                ctx.partnerGuard(FtRuntime.ID, settings.limits()), registry, () -> events, FtIntake.of(ctx.intake()),
                ctx.clock());
        for (Flow f : r.flows()) {
            ctx.flow(f);
        }
        ctx.routes(new RouteBuilder() {
            @Override
            public void configure() {
                if (r.settings.eventsEnabled()) {
                    from("timer:france-travail.events?delay=5000&period=" + r.settings.eventsPoll().toMillis())
                            .routeId("france-travail.events").process(e -> guarded("event feed", r.follower::poll));
                }
                if (r.settings.batchDailyAt() != null || !r.settings.batchInterval().isZero()) {
                    from("timer:france-travail.batch-schedule?delay=15000&period=60000")
                            .routeId("france-travail.batch-schedule").process(e -> guarded("batch schedule", r.batch::tick));
                }
            }
        });
        runtime = r;
        LOG.info("France Travail connector ready: {} (client {}), {}", settings.baseUrl(), settings.clientId(),
                r.guard.describe());
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void guarded(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("France Travail {}: {}; tried again at the next pass", what, Redaction.describe(e));
        }
    }

    @Override
    public Health health() {
        FtRuntime r = runtime;
        return r == null ? Health.down("not configured") : r.health();
    }

    @Override
    public Map<String, String> describeSettings() {
        FtRuntime r = runtime;
        return r == null ? Map.of() : r.settings.describe();
    }
}
