package fr.aisne.hub.connector.francetravail.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.SecretBox;
import fr.aisne.hub.connector.francetravail.client.CircuitBreaker;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtTransport;
import fr.aisne.hub.connector.francetravail.client.RateLimiter;
import fr.aisne.hub.connector.francetravail.client.TokenManager;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HealthStatus;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Everything the connector is made of, assembled from its settings and the hub's services: built by the OSGi
 * component, and by the tests without OSGi.
 */
final class FtRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(FtRuntime.class);
    static final String ID = "france-travail";
    static final String DIRECT = "direct:france-travail.";

    final FtSettings settings;
    final FtStore store;
    final FranceTravailClient client;
    final Identification identification;
    final PersonFlows persons;
    final RefreshBatch batch;
    final EventFollower follower;
    final Deliveries deliveries;
    final Flow identificationFlow;
    final Flow orientationFlow;
    final Flow refreshFlow;
    final Flow rendezVousFlow;
    final Flow batchFlow;

    FtRuntime(FtSettings settings, SecretBox box, DataSource dataSource, PersonRegistry registry,
            Supplier<DepartmentEvents> events, Intake intake, Clock clock) {
        this.settings = settings;
        this.store = FtStore.migrate(dataSource, box);
        String secret = null;
        String secretProblem = null;
        if (settings.hasSecret()) {
            try {
                secret = box.unseal(settings.clientSecret());
                if (!SecretBox.isSealed(settings.clientSecret())) {
                    LOG.warn("client.secret is in clear in {}: encrypt it with hub:encrypt-secret", FtSettings.FILE);
                }
            } catch (IllegalStateException e) {
                secretProblem = "client.secret in " + FtSettings.FILE + ": " + e.getMessage();
                LOG.error(secretProblem);
            }
        }
        FtTransport transport = new FtTransport(FtTransport.httpClient(settings.connectTimeout()), settings.requestTimeout(),
                new RateLimiter(settings.ratePerSecond()),
                new CircuitBreaker(settings.circuitFailureThreshold(), settings.circuitOpenDuration(), clock),
                settings.retryAfterMaxWait(), settings.retryAfterMaxRetries(), clock);
        TokenManager tokens = new TokenManager(transport, settings.tokenUrl(), settings.realm(), settings.clientId(), secret,
                secretProblem, settings.renewBefore(), clock);
        this.client = new FranceTravailClient(settings, transport, tokens);
        this.identification = new Identification(client, registry, store, clock, settings.jetonTtl());
        this.persons = new PersonFlows(client, identification, registry, store, clock);

        String[] senders = settings.senderRoles();
        identificationFlow = flow("identification", senders, Payloads.identificationValidator());
        orientationFlow = flow("orientation", senders, Payloads.orientationValidator());
        refreshFlow = flow("refresh", senders, Payloads.refreshValidator());
        rendezVousFlow = flow("rendez-vous", senders, Payloads.rendezVousValidator());
        batchFlow = flow("batch", settings.batchRoles(), Payloads.batchValidator());

        this.batch = new RefreshBatch(store, intake, refreshFlow, batchFlow, clock, settings.batchDailyAt(),
                settings.batchZone(), settings.batchInterval());
        this.follower = new EventFollower(events, store, intake, identificationFlow, settings.eventsBatchSize());
        this.deliveries = new Deliveries(settings, identification, persons, batch);
    }

    /**
     * An outbound flow: accepted by HTTP POST on /hub/in/france-travail/{name} (and, for identification, from the
     * event feed), queued durably on hub.out.france-travail.{name}, delivered to direct:france-travail.{name}.
     */
    private Flow flow(String name, String[] roles, fr.aisne.hub.core.spi.PayloadValidator validator) {
        return Flow.outbound(ID, name)
                .acceptHttp("/in/" + ID + "/" + name, roles)
                .validator(validator)
                .maxPayloadBytes(settings.maxPayloadBytes())
                .retry(settings.retry())
                .deliverTo(DIRECT + name);
    }

    List<Flow> flows() {
        return List.of(identificationFlow, orientationFlow, refreshFlow, rendezVousFlow, batchFlow);
    }

    HealthStatus health() {
        List<String> parts = new ArrayList<>();
        var problem = client.tokens().credentialProblem();
        problem.ifPresent(parts::add);
        CircuitBreaker circuit = client.transport().circuit();
        parts.add(circuit.describe());
        var paused = client.transport().limiter().pausedFor();
        if (!paused.isZero()) {
            parts.add("rate limited by France Travail (429): calls resume in " + Math.max(1, paused.toSeconds()) + " s");
        }
        try {
            Map<String, Integer> counts = store.identificationCounts();
            int human = counts.entrySet().stream().filter(e -> !"IDENTIFIED".equals(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            parts.add("identification " + (counts.isEmpty() ? "none yet" : counts.toString())
                    + (human > 0 ? ", " + human + " need a human (ft_identification)" : ""));
        } catch (RuntimeException e) {
            parts.add("identification table unreadable: " + e.getClass().getSimpleName());
        }
        if (settings.eventsEnabled()) {
            parts.add(follower.status());
        }
        parts.add(batch.progress());
        String detail = String.join("; ", parts);
        boolean down = problem.isPresent() || circuit.state() == CircuitBreaker.State.OPEN;
        return down ? HealthStatus.down(ID, detail) : HealthStatus.up(ID, detail);
    }
}
