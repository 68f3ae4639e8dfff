package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Stored;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.PlatformException;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Everything the connector is made of, assembled from its settings and the hub's services: built by the OSGi component
 * in {@code configure}, and by the tests without OSGi.
 * <ul>
 * <li>immersion-facilitee/conventions (inbound): which convention to read again, from the webhook intake, the
 * reconciliation or an operator; delivered by {@link ConventionHandler}, in order per convention;</li>
 * <li>departement/immersions (inbound, {@code POST /hub/in/departement/immersions}, Basic auth, roles
 * {@code senders.roles}): the department's own immersions, delivered by {@link DepartmentHandler};</li>
 * <li>departement/evenements-immersion (outbound): the department's events, into its feed ({@link EventsHandler}).</li>
 * </ul>
 */
final class ImRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ImRuntime.class);
    static final String ID = "immersion-facilitee";

    final ImSettings settings;
    final PartnerGuard guard;
    final ConventionStore store;
    final Fingerprints fingerprints;
    final PlatformClient platform;
    final ConventionRecorder recorder;
    final Subscriptions subscriptions;
    final Reconciliation reconciliation;
    final WebhookIntake webhookIntake;
    final Flow conventionsFlow;
    final Flow departmentFlow;
    final Flow eventsFlow;
    final ImmersionOperations operations;
    private final Intake intake;
    private final Clock clock;
    private volatile Instant nextSubscriptionCheck = Instant.MIN;

    ImRuntime(Map<String, ?> config, HttpSecurity http, Secrets secrets, ModuleDatabase database,
            java.util.function.BiFunction<String, fr.aisne.hub.api.PartnerLimits, PartnerGuard> guards, Intake intake,
            PersonRegistry registry, Supplier<DepartmentEvents> events, RqthRule rqth, Clock clock) {
        this.settings = ImSettings.from(config, http.baseUrl());
        ImSettings.Secret secret = ImSettings.secrets(config, secrets);
        this.intake = intake;
        this.clock = clock;
        this.guard = guards.apply(ID, settings.limits());
        this.store = ConventionStore.migrate(database, clock);
        this.fingerprints = Fingerprints.load(store, secrets);
        this.platform = new PlatformClient(settings.apiUrl(), secret.apiKey(), guard, settings.connectTimeout(),
                settings.requestTimeout(), settings.minInterval(), settings.backoff(), settings.maxBackoff());
        this.recorder = new ConventionRecorder(store, fingerprints, registry, rqth, intake, clock);
        DepartmentScope scope = settings.scope();
        conventionsFlow = Flow.inbound(ID, "conventions")
                .validator(HandOver.validator())
                .maxPayloadBytes(4096)
                .duplicates(Duplicates.MESSAGE_ID)
                .orderingKey(OrderingKey.jsonField("conventionId"))
                .concurrency(settings.concurrency())
                .retry(settings.retry())
                .guardedBy(guard)
                .deliverTo(new ConventionHandler(platform, recorder, scope));
        departmentFlow = Flow.inbound("departement", "immersions")
                .acceptHttp("/in/departement/immersions", settings.senderRoles().toArray(String[]::new))
                .validator(new DepartmentImmersions())
                .maxPayloadBytes(settings.maxPayloadBytes())
                .duplicates(Duplicates.MESSAGE_ID_ELSE_DIGEST)
                .orderingKey(OrderingKey.jsonField("reference"))
                .concurrency(2)
                .retry(settings.retry())
                .deliverTo(new DepartmentHandler(recorder));
        eventsFlow = Flow.outbound("departement", "evenements-immersion")
                .maxPayloadBytes(64 * 1024)
                .duplicates(Duplicates.MESSAGE_ID)
                .orderingKey(OrderingKey.FROM_METADATA)
                .concurrency(2)
                .retry(settings.retry())
                .deliverTo(new EventsHandler(events));
        recorder.eventsFlow(eventsFlow);
        this.subscriptions = new Subscriptions(platform, store, secrets, settings.callbackUrl(), secret.webhookSecret(), clock);
        this.reconciliation = new Reconciliation(platform, store, fingerprints, intake, conventionsFlow, settings, clock);
        this.webhookIntake = new WebhookIntake(http, subscriptions::secret, intake, conventionsFlow, settings.webhookMaxBytes(),
                clock);
        this.operations = new Operations();
    }

    List<Flow> flows() {
        return List.of(conventionsFlow, departmentFlow, eventsFlow);
    }

    /** Timer: at start, every subscription.checkMinutes, and after a failure every 30 s. */
    void checkSubscription() {
        if (!platform.configured() || clock.instant().isBefore(nextSubscriptionCheck)) {
            return;
        }
        try {
            subscriptions.ensure(false);
            nextSubscriptionCheck = clock.instant().plus(settings.subscriptionCheck());
        } catch (PlatformException e) {
            nextSubscriptionCheck = clock.instant().plusSeconds(30);
            LOG.warn("Immersion Facilitée subscription not checked: {}; tried again in 30 s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            nextSubscriptionCheck = clock.instant().plusSeconds(30);
            LOG.warn("Immersion Facilitée subscription not checked: {}", Redaction.describe(e));
        }
    }

    /** Timer: conventions whose probable match an operator decided get their person. */
    void resolveMatches() {
        try {
            for (Stored s : store.probable()) {
                recorder.resolve(s, null);
            }
        } catch (RuntimeException e) {
            LOG.warn("Immersion Facilitée probable matches not checked: {}", Redaction.describe(e));
        }
    }

    Health health() {
        List<String> parts = new ArrayList<>();
        boolean down = false;
        if (!platform.configured()) {
            parts.add("api.key is not set in " + ImSettings.FILE + ": nothing is read from Immersion Facilitée (the "
                    + "department's own immersions are taken)");
            down = true;
        }
        if (platform.keyProblem() != null) {
            parts.add(platform.keyProblem());
            down = true;
        }
        if (settings.webhookEnabled()) {
            parts.add(subscriptions.status());
        }
        parts.add(reconciliation.status());
        parts.add(guard.describe() + (platform.rateLimitedTotal() == 0 ? "" : "; " + platform.rateLimitedTotal()
                + " answers 429, last at " + platform.lastRateLimited()));
        try {
            Map<String, Long> c = store.counts();
            parts.add("conventions of the department: " + c.get("immersion-facilitee") + " from Immersion Facilitée, "
                    + c.get("departement") + " entered by the department, " + c.get("removed") + " removed, "
                    + c.get("probable") + " waiting for an operator's match");
        } catch (RuntimeException e) {
            parts.add("tables unreadable: " + e.getClass().getSimpleName());
        }
        String detail = String.join("; ", parts);
        return down || guard.open() ? Health.down(detail) : Health.up(detail);
    }

    /** What operators can ask (operations API, shell). */
    private final class Operations implements ImmersionOperations {
        @Override
        public String subscription(boolean rotate) throws Exception {
            String done = subscriptions.ensure(rotate);
            nextSubscriptionCheck = clock.instant().plus(settings.subscriptionCheck());
            if (rotate) {
                // a call made through the old subscription during the switch was refused: catch it
                reconciliation.request(Reconciliation.Kind.RECENT);
            }
            return done;
        }

        @Override
        public String reconcile(boolean nightly) {
            return reconciliation.request(nightly ? Reconciliation.Kind.NIGHTLY : Reconciliation.Kind.RECENT);
        }

        @Override
        public String reread(String conventionId) throws Exception {
            if (conventionId == null || !PlatformMapping.UUID.matcher(conventionId).matches()) {
                throw new IllegalArgumentException("a convention id of Immersion Facilitée (a UUID) is expected");
            }
            IngestResult r = new HandOver(conventionId.toLowerCase(java.util.Locale.ROOT), HandOver.OPERATOR, clock.instant(),
                    null, null, null).handTo(intake, conventionsFlow, null, "operator");
            return "convention " + conventionId + " handed over for re-read: " + r.outcome() + " (exchange " + r.exchangeId() + ")";
        }

        @Override
        public String status() {
            return String.join("\n", health().status() + ": " + health().detail().replace("; ", "\n  "));
        }
    }
}
