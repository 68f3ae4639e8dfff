package fr.aisne.hub.connector.francetravail.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtTransport;
import fr.aisne.hub.connector.francetravail.client.TokenManager;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Everything the connector is made of, assembled from its settings and the hub's services: built by the OSGi
 * component, and by the tests without OSGi.
 */
final class FtRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(FtRuntime.class);
    static final String ID = "france-travail";

    final FtSettings settings;
    final PartnerGuard guard;
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

    FtRuntime(FtSettings settings, Secrets secrets, ModuleDatabase database, PartnerGuard guard, PersonRegistry registry,
            Supplier<DepartmentEvents> events, FtIntake intake, Clock clock) {
        this.settings = settings;
        this.guard = guard;
        this.store = FtStore.migrate(database, secrets);
        String secret = null;
        String secretProblem = null;
        if (settings.hasSecret()) {
            try {
                secret = secrets.reveal(settings.clientSecret());
                if (!secrets.isSealed(settings.clientSecret())) {
                    LOG.warn("client.secret is in clear in {}: encrypt it with hub:encrypt-secret", FtSettings.FILE);
                }
            } catch (IllegalStateException e) {
                secretProblem = "client.secret in " + FtSettings.FILE + ": " + e.getMessage();
                LOG.error(secretProblem);
            }
        }
        FtTransport transport = new FtTransport(FtTransport.httpClient(settings.connectTimeout()), settings.requestTimeout(),
                guard, settings.retryAfterMaxWait(), settings.retryAfterMaxRetries(), clock);
        TokenManager tokens = new TokenManager(transport, settings.tokenUrl(), settings.realm(), settings.clientId(), secret,
                secretProblem, settings.renewBefore(), clock);
        this.client = new FranceTravailClient(settings, transport, tokens);
        this.identification = new Identification(client, registry, store, clock, settings.jetonTtl());
        this.persons = new PersonFlows(client, identification, registry, store, clock);
        this.batch = new RefreshBatch(store, intake, null, null, clock, settings.batchDailyAt(), settings.batchZone(),
                settings.batchInterval());
        this.deliveries = new Deliveries(settings, identification, persons, batch,
                new FtEvents(events, registry, store, clock));

        String[] senders = settings.senderRoles();
        identificationFlow = personFlow("identification", senders, Payloads.identificationValidator(),
                deliveries.identification());
        orientationFlow = personFlow("orientation", senders, Payloads.orientationValidator(), deliveries.orientation());
        refreshFlow = personFlow("refresh", senders, Payloads.refreshValidator(), deliveries.refresh());
        rendezVousFlow = personFlow("rendez-vous", senders, Payloads.rendezVousValidator(), deliveries.rendezVous());
        // The batch only queues refreshes: one at a time.
        batchFlow = Flow.outbound(ID, "batch").acceptHttp("/in/" + ID + "/batch", settings.batchRoles())
                .validator(Payloads.batchValidator()).maxPayloadBytes(settings.maxPayloadBytes()).retry(settings.retry())
                .deliverTo(deliveries.batch());
        batch.flows(refreshFlow, batchFlow);
        this.follower = new EventFollower(events, store, intake, identificationFlow, orientationFlow,
                settings.eventsBatchSize());
    }

    /**
     * A person's flow: accepted by HTTP POST on /hub/in/france-travail/{name} (and, for identification, from the
     * event feed), queued durably on hub.out.france-travail.{name}, delivered by the handler under France Travail's
     * limits, in order per person (several persons at once).
     */
    private Flow personFlow(String name, String[] roles, PayloadValidator validator, DeliveryHandler handler) {
        return Flow.outbound(ID, name)
                .acceptHttp("/in/" + ID + "/" + name, roles)
                .validator(validator)
                .maxPayloadBytes(settings.maxPayloadBytes())
                .retry(settings.retry())
                .concurrency(settings.concurrency())
                .orderingKey(OrderingKey.jsonField("personId"))
                .guardedBy(guard)
                .deliverTo(handler);
    }

    List<Flow> flows() {
        return List.of(identificationFlow, orientationFlow, refreshFlow, rendezVousFlow, batchFlow);
    }

    Health health() {
        List<String> parts = new ArrayList<>();
        var problem = client.tokens().credentialProblem();
        problem.ifPresent(parts::add);
        parts.add(guard.describe());
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
        boolean down = problem.isPresent() || guard.open();
        return down ? Health.down(detail) : Health.up(detail);
    }
}
