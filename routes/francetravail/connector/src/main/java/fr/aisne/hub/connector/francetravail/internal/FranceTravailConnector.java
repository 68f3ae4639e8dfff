package fr.aisne.hub.connector.francetravail.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.SecretBox;
import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HealthStatus;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import fr.aisne.hub.core.util.Redaction;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The France Travail connector (partner id france-travail), bound to etc/hub.connector.francetravail.cfg. Flows
 * (all outbound, journaled, queued durably, retried, quarantined, replayable by the core):
 * <ul>
 * <li>france-travail/identification: fed by the department event feed (new persons subject to rights and duties)
 * and by POST /hub/in/france-travail/identification {"personId"};</li>
 * <li>france-travail/orientation: POST /hub/in/france-travail/orientation {"personId", "parcours", "origine"};</li>
 * <li>france-travail/refresh: one person, POST /hub/in/france-travail/refresh {"personId"}, or the nightly batch;</li>
 * <li>france-travail/rendez-vous: POST /hub/in/france-travail/rendez-vous {"personId", "action", ...};</li>
 * <li>france-travail/batch: the refresh of every identified person, scheduled or POST /hub/in/france-travail/batch.</li>
 * </ul>
 */
@Component(service = HubConnector.class, configurationPid = FtSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class FranceTravailConnector implements HubConnector {
    private static final Logger LOG = LoggerFactory.getLogger(FranceTravailConnector.class);

    @Reference
    private Hub hub;

    @Reference
    private PersonRegistry registry;

    @Reference(target = "(hub.datasource=main)")
    private DataSource dataSource;

    /** Optional: without the feed, identification is only requested over HTTP. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DepartmentEvents events;

    private FtRuntime runtime;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        FtSettings settings = FtSettings.from(config);
        SecretBox box = SecretBox.open(Paths.get(System.getProperty("karaf.etc", "etc")));
        runtime = new FtRuntime(settings, box, dataSource, registry, () -> events, new HubIntake(hub), Clock.systemUTC());
        LOG.info("France Travail connector ready: {} (client {}), rate {}/s", settings.baseUrl(), settings.clientId(),
                settings.ratePerSecond());
    }

    @Override
    public String id() {
        return FtRuntime.ID;
    }

    @Override
    public List<Flow> flows() {
        return runtime.flows();
    }

    @Override
    public List<RoutesBuilder> extraRoutes() {
        FtRuntime r = runtime;
        return List.of(new RouteBuilder() {
            @Override
            public void configure() {
                // Delivery endpoints: no error handler of their own, failures go back to the core's delivery route.
                from(FtRuntime.DIRECT + "identification").routeId("france-travail.identification.call")
                        .errorHandler(noErrorHandler()).process(r.deliveries.identification());
                from(FtRuntime.DIRECT + "orientation").routeId("france-travail.orientation.call")
                        .errorHandler(noErrorHandler()).process(r.deliveries.orientation());
                from(FtRuntime.DIRECT + "refresh").routeId("france-travail.refresh.call")
                        .errorHandler(noErrorHandler()).process(r.deliveries.refresh());
                from(FtRuntime.DIRECT + "rendez-vous").routeId("france-travail.rendez-vous.call")
                        .errorHandler(noErrorHandler()).process(r.deliveries.rendezVous());
                from(FtRuntime.DIRECT + "batch").routeId("france-travail.batch.call")
                        .errorHandler(noErrorHandler()).process(r.deliveries.batch());
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
    public HealthStatus health() {
        return runtime.health();
    }

    @Override
    public Map<String, String> describeSettings() {
        return runtime.settings.describe();
    }

    /** The core's intake for the connector's own pollers. */
    private static final class HubIntake implements Intake {
        private final Hub hub;

        HubIntake(Hub hub) {
            this.hub = hub;
        }

        @Override
        public IngestResult accept(Flow flow, String json, String partnerMessageId, String sender) throws IOException {
            return hub.accept(flow, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    new InboundMetadata(partnerMessageId, partnerMessageId, "application/json", sender));
        }

        @Override
        public boolean requeue(String exchangeId) {
            Optional<ExchangeRecord> r = hub.find(exchangeId);
            if (r.isEmpty() || r.get().state() != ExchangeState.FAILED) {
                return true; // replayed by an operator meanwhile, or gone: nothing waits any more
            }
            try {
                hub.replay(exchangeId, "france-travail");
                return true;
            } catch (RuntimeException e) {
                LOG.warn("Exchange {} not queued again: {}", exchangeId, Redaction.describe(e));
                return false;
            }
        }
    }
}
