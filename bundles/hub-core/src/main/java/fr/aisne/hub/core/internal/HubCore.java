package fr.aisne.hub.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.SingleConnectionFactory;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.operations.ComponentHealth;
import fr.aisne.hub.api.operations.ConnectorInfo;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.HubOperations;
import fr.aisne.hub.api.operations.MessageQuery;
import fr.aisne.hub.api.operations.MetricsSnapshot;
import fr.aisne.hub.api.operations.PayloadPreview;
import fr.aisne.hub.api.operations.Registration;
import fr.aisne.hub.core.broker.QueueSender;
import fr.aisne.hub.core.connector.ConnectorManager;
import fr.aisne.hub.core.connector.ContributedRoutes;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.core.exchange.DeliveryService;
import fr.aisne.hub.core.exchange.Dispatcher;
import fr.aisne.hub.core.exchange.DuplicateKeys;
import fr.aisne.hub.core.exchange.FaultInjection;
import fr.aisne.hub.core.exchange.IntakeService;
import fr.aisne.hub.core.exchange.OrderingHolds;
import fr.aisne.hub.core.flow.FlowRoutes;
import fr.aisne.hub.core.flow.UriDelivery;
import fr.aisne.hub.core.guard.PartnerGuards;
import fr.aisne.hub.core.http.HubHttp;
import fr.aisne.hub.core.journal.GroupCommit;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.security.AdminAccountBootstrap;
import fr.aisne.hub.core.security.BasicAuthenticator;
import fr.aisne.hub.core.security.HubPasswordEncryption;
import fr.aisne.hub.core.security.HubSecrets;
import fr.aisne.hub.core.security.LoginThrottle;
import fr.aisne.hub.core.store.PayloadCipher;
import fr.aisne.hub.core.store.PayloadStore;
import fr.aisne.hub.api.operations.KeystorePassword;
import fr.aisne.hub.api.operations.LocalKeys;

/**
 * Starts the hub's core in order (accounts, keys, database, payload store, journal, broker connection, CamelContext,
 * dispatcher) and installs connectors as their services come and go. Registers {@link HubOperations} for the
 * platform's own modules and the DataSource. Settings: etc/hub.core.cfg.
 * <p>
 * Without a usable keystore password in production mode ({@link KeystorePassword}) the core does not start: no key,
 * no database, no connector; only the operations API answers, with health DOWN and the reason (one log line, no
 * stack trace).
 */
@Component(immediate = true, configurationPid = "hub.core", service = HubOperations.class)
public class HubCore implements HubOperations {
    private static final Logger LOG = LoggerFactory.getLogger(HubCore.class);
    static final String QUEUE_COMPONENT = "hubqueue";
    static final String CORE_KEYSTORE = "hub-core.p12";
    static final String CORE_KEYSTORE_PASSWORD = "hub-core.keystore.password";
    static final String PAYLOAD_KEY = "payloads-v1";

    /**
     * The realm checks every password through this service, the broker's login of the core's own account included,
     * and Karaf hashes clear passwords through it. Without this reference SCR activated the core first (its component
     * comes first in the bundle) and registered the service only once the core's activation had returned: the core's
     * broker connections waited for a login that waited for the service (12 to 18 s at first start), and Karaf's
     * AutoEncryptionSupport, which gives up after 20 s, sometimes gave up.
     */
    @Reference(target = "(name=" + HubPasswordEncryption.NAME + ")")
    private org.apache.karaf.jaas.modules.EncryptionService passwordEncryption;

    private final List<Connector> pending = new ArrayList<>();
    private HubDatabase database;
    private ModuleDatabase moduleDatabase;
    private DefaultCamelContext camel;
    private CachingConnectionFactory brokerConnections;
    private SingleConnectionFactory consumerConnections;
    private JmsConnectionFactory brokerProbe;
    private ConnectorManager connectors;
    private Journal journal;
    private HubMetrics metrics;
    private DeliveryService deliveries;
    private IntakeService intake;
    private Dispatcher dispatcher;
    private GroupCommit accepts;
    private GroupCommit outcomes;
    private OrderingHolds holds;
    private DuplicateKeys duplicates;
    private PayloadStore store;
    private HubHttp http;
    private HubSecrets secrets;
    private PartnerGuards guards;
    private ScheduledExecutorService maintenance;
    private ServiceRegistration<DataSource> dataSourceRegistration;
    private final Object dataSourceLock = new Object();
    private boolean dataSourceStopped;
    private long minFreeBytes;
    private volatile String refusal;
    private volatile ComponentHealth lastBrokerHealth;
    private volatile long lastBrokerCheck;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> config) throws Exception {
        long t0 = System.nanoTime();
        Settings s = Settings.of(config, "etc/hub.core.cfg");
        Path etc = Paths.get(System.getProperty("karaf.etc", "etc"));
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        String httpHost = s.string("http.host", "127.0.0.1");
        int httpPort = s.integer("http.port", 8181, 1, 65535);
        String brokerUrl = s.string("broker.url", "amqp://127.0.0.1:" + System.getProperty("hub.broker.port", "61616"));
        long sendTimeout = s.longValue("broker.sendTimeoutMs", 5000, 100, 600_000);
        int prefetch = s.integer("broker.prefetch", 10, 1, 1000);
        int maxBrokerDeliveries = s.integer("delivery.maxBrokerDeliveries", 10, 1, 1000);
        int groupCommit = s.integer("journal.groupCommit.maxBatch", 64, 1, 1000);
        minFreeBytes = s.longValue("disk.minFreeMb", 512, 0, 1L << 30) * 1024 * 1024;
        Clock clock = Clock.systemUTC();

        AdminAccountBootstrap accounts = new AdminAccountBootstrap(etc, HubPasswordEncryption.iterations(s));
        String internalPassword = accounts.ensureAccounts();
        metrics = new HubMetrics();
        BasicAuthenticator authenticator = new BasicAuthenticator(s.string("jaas.realm", "karaf"), new LoginThrottle(
                s.integer("http.login.maxFailures", 10, 1, 1_000_000),
                Duration.ofSeconds(s.integer("http.login.windowSeconds", 300, 1, 86_400)), clock));
        http = new HubHttp(authenticator, metrics, httpHost, httpPort);

        KeystorePassword keyPassword = KeystorePassword.fromEnvironment();
        javax.crypto.SecretKey payloadKey;
        try {
            secrets = HubSecrets.open(etc, keyPassword);
            payloadKey = LocalKeys.open(etc, CORE_KEYSTORE, CORE_KEYSTORE_PASSWORD,
                    List.of(new LocalKeys.Spec(PAYLOAD_KEY, "AES", 256)), keyPassword).get(PAYLOAD_KEY);
        } catch (KeystorePassword.Refused e) {
            refusal = "not started: " + e.getMessage();
            LOG.error("Hub core {}", refusal);
            camel = startCamel(null);
            return;
        }

        database = HubDatabase.embeddedDerby(s.string("database.directory", data.resolve("hub").resolve("db").toString()));
        moduleDatabase = SchemaMigrations.database(database.dataSource());
        moduleDatabase.migrate("core", HubCore.class.getClassLoader(), Journal.migrations());

        Jdbc jdbc = moduleDatabase.jdbc();
        journal = new Journal(jdbc, metrics, clock);
        store = new PayloadStore(data.resolve("hub").resolve("payloads"), new PayloadCipher(payloadKey), jdbc);
        int sealedNow = store.sealPlainFiles();
        if (sealedNow > 0) {
            LOG.info("Sealed {} payload files an older hub had kept in clear", sealedNow);
        }
        duplicates = new DuplicateKeys(jdbc, Duration.ofDays(s.integer("duplicates.windowDays", 7, 1, 3650)), clock);
        guards = new PartnerGuards(clock);

        brokerProbe = new JmsConnectionFactory(AdminAccountBootstrap.INTERNAL_USER, internalPassword, brokerUrl);
        JmsConnectionFactory factory = new JmsConnectionFactory(AdminAccountBootstrap.INTERNAL_USER,
                internalPassword, brokerUrl + (brokerUrl.contains("?") ? "&" : "?") + "jms.prefetchPolicy.queuePrefetch="
                        + prefetch + "&jms.sendTimeout=" + sendTimeout + "&jms.connectTimeout=" + sendTimeout);
        // Senders share cached sessions and producers; consumers get a connection of their own without any cache: a
        // caching factory keeps the consumer of a stopped route (a connector rebuilt or upgraded) open in its cache,
        // and the broker goes on dispatching up to `prefetch` messages to it that nobody will ever deliver.
        brokerConnections = new CachingConnectionFactory(factory);
        brokerConnections.setSessionCacheSize(32);
        brokerConnections.setCacheConsumers(false);
        brokerConnections.setReconnectOnException(true);
        consumerConnections = new SingleConnectionFactory(factory);
        consumerConnections.setReconnectOnException(true);

        dispatcher = new Dispatcher(jdbc, new QueueSender(brokerConnections), clock);
        holds = new OrderingHolds(jdbc, journal, clock);
        // Accepts and delivery outcomes are each committed in groups by a writer of their own (two kinds of work that
        // never take the same rows); journal.groupCommit.maxBatch = 1 makes every thread commit alone.
        accepts = new GroupCommit(journal, "accepts", groupCommit);
        outcomes = new GroupCommit(journal, "outcomes", groupCommit);
        deliveries = new DeliveryService(journal, store, dispatcher, holds, outcomes,
                maxBrokerDeliveries, clock);

        camel = startCamel(brokerUrl);
        intake = new IntakeService(journal, store, duplicates, dispatcher, deliveries, holds, accepts, minFreeBytes,
                (p, f) -> connectors.flow(p, f));
        connectors = new ConnectorManager(camel, ConnectorManager.services(intake, moduleDatabase, http, secrets, clock,
                guards::guard), (connectorId, flow) -> new FlowRoutes(connectorId, flow, intake, deliveries,
                        handlerOf(flow), http, QUEUE_COMPONENT), flow -> dispatcher.requeue(flow.key(), flow.queue()));
        FaultInjection faults = FaultInjection.from(key -> s.string(key, null));
        intake.faults(faults);
        deliveries.faults(faults);
        dispatcher.start();
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::purgeDuplicateKeys, 1, 6 * 60, TimeUnit.MINUTES);
        // The DataSource service is registered once this activation has returned, from another thread: registered
        // here, it satisfied the registry (which also needs HubOperations) inside SCR's getService of HubOperations,
        // and the registry failed with "ServiceFactory.getService() resulted in a cycle" after a hub.core change.
        javax.sql.DataSource dataSource = database.dataSource();
        maintenance.execute(() -> registerDataSource(bundleContext, dataSource));
        // Karaf's AutoEncryptionSupport may save a copy of users.properties read before the accounts above were
        // written (it waits for our encryption service to hash clear passwords, then saves its copy): look again
        // every 250 ms for the first 90 s, so that a lost account (the broker's, the admin's) is back at once.
        // Then every 2 s when the file changed: a password an operator types in clear is hashed even when Karaf's
        // AutoEncryptionSupport gave up at start (it waits 20 s for our encryption service, then stops for good).
        // Each round acts only when the file changed; then HTTP callers are verified again at once (a login refused
        // while Karaf's stale copy lacked the account is not remembered).
        Runnable checkAccounts = () -> {
            if (!accounts.changedSinceLastCheck()) {
                return;
            }
            try {
                accounts.ensureAccounts();
                authenticator.forgetVerified(); // not when the check failed: it is tried again, and logged, each round
            } catch (IOException | RuntimeException e) {
                LOG.warn("Accounts check failed: {}", Redaction.describe(e));
            }
        };
        java.util.concurrent.ScheduledFuture<?> accountsWatch = maintenance.scheduleWithFixedDelay(checkAccounts, 250,
                250, TimeUnit.MILLISECONDS);
        maintenance.schedule(() -> {
            accountsWatch.cancel(false);
            maintenance.scheduleWithFixedDelay(checkAccounts, 2, 2, TimeUnit.SECONDS);
        }, 90, TimeUnit.SECONDS);
        synchronized (pending) {
            pending.forEach(connectors::add);
            pending.clear();
        }
        LOG.info("Hub core started in {} ms (HTTP {}:{}, broker {})", (System.nanoTime() - t0) / 1_000_000,
                httpHost, httpPort, Redaction.redact(brokerUrl));
    }

    /** The shared CamelContext "hub", with the broker component unless the core was refused (null URL). */
    private DefaultCamelContext startCamel(String brokerUrl) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            DefaultCamelContext c = new DefaultCamelContext();
            c.getCamelContextExtension().setName("hub");
            // Camel 4 caches every route's body by default: it would read a whole request (700 MB...) into memory
            // or a spool file before any route checks who sends it. Bodies stay streams; each route reads its own,
            // bounded, after the credentials.
            c.setStreamCaching(false);
            c.setApplicationContextClassLoader(runtime);
            c.getShutdownStrategy().setTimeout(15);
            if (brokerUrl != null) {
                c.addComponent(QUEUE_COMPONENT, AMQPComponent.amqpComponent(brokerUrl));
                c.getComponent(QUEUE_COMPONENT, AMQPComponent.class).setConnectionFactory(consumerConnections);
            }
            c.start();
            return c;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The core's services, or an exception saying why the core did not start. */
    private void requireStarted() {
        String r = refusal;
        if (r != null) {
            throw new IllegalStateException("the hub core is " + r);
        }
    }

    private DeliveryHandler handlerOf(Flow flow) {
        if (flow.deliveryHandler() != null) {
            return flow.deliveryHandler();
        }
        return flow.deliveryUri() == null ? null : new UriDelivery(camel, flow.deliveryUri(), flow.guard());
    }

    private void purgeDuplicateKeys() {
        try {
            int n = duplicates.purgeExpired();
            if (n > 0) {
                LOG.info("Duplicate check: {} keys older than the window purged", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("Duplicate keys not purged: {}", Redaction.describe(e));
        }
    }

    private void registerDataSource(BundleContext context, DataSource dataSource) {
        synchronized (dataSourceLock) {
            if (dataSourceStopped) {
                return;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("hub.datasource", "main");
            dataSourceRegistration = context.registerService(DataSource.class, dataSource, props);
        }
    }

    @Deactivate
    void deactivate() {
        if (connectors != null) {
            connectors.removeAll();
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        if (camel != null) {
            camel.stop();
        }
        if (accepts != null) {
            accepts.close();
        }
        if (outcomes != null) {
            outcomes.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (consumerConnections != null) {
            consumerConnections.destroy();
        }
        if (brokerConnections != null) {
            brokerConnections.destroy();
        }
        synchronized (dataSourceLock) {
            dataSourceStopped = true;
            if (dataSourceRegistration != null) {
                try {
                    dataSourceRegistration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping
                }
                dataSourceRegistration = null;
            }
        }
        if (database != null) {
            database.close();
        }
        LOG.info("Hub core stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeConnector")
    void addConnector(Connector connector) {
        synchronized (pending) {
            if (connectors == null) {
                pending.add(connector);
                return;
            }
        }
        connectors.add(connector);
    }

    void removeConnector(Connector connector) {
        synchronized (pending) {
            if (pending.remove(connector)) {
                return;
            }
        }
        if (connectors != null) {
            connectors.remove(connector);
        }
    }

    // ---- HubOperations ----------------------------------------------------------------------------------

    @Override
    public List<ConnectorInfo> connectors() {
        return refusal != null ? List.of() : connectors.describe();
    }

    @Override
    public Map<String, String> connectorApis() {
        return connectors.apis();
    }

    @Override
    public List<ComponentHealth> platformHealth() {
        if (refusal != null) {
            return List.of(new ComponentHealth("core", false, refusal));
        }
        List<ComponentHealth> out = new ArrayList<>();
        out.add(brokerHealth());
        out.add(database.isValid() ? new ComponentHealth("database", true, "derby")
                : new ComponentHealth("database", false, "no valid connection"));
        long free = store.usableBytes();
        out.add(free >= 0 && free < minFreeBytes ? new ComponentHealth("disk", false, "only " + free / (1024 * 1024)
                + " MB free for payloads (at least " + minFreeBytes / (1024 * 1024) + " MB needed): new messages are "
                + "refused with 507 until space is freed") : new ComponentHealth("disk", true,
                        free < 0 ? "free space unknown" : free / (1024 * 1024) + " MB free"));
        return out;
    }

    /** Opens a connection to the broker at most every 5 s; a broker that refuses messages is DOWN too. */
    private ComponentHealth brokerHealth() {
        long now = System.currentTimeMillis();
        ComponentHealth last = lastBrokerHealth;
        if (last != null && now - lastBrokerCheck < 5_000) {
            return last;
        }
        ComponentHealth h;
        try (var c = brokerProbe.createConnection()) {
            c.start();
            dispatcher.brokerReachable();
            h = dispatcher.brokerRefusing()
                    ? new ComponentHealth("broker", false, "refuses messages: " + dispatcher.lastProblem())
                    : new ComponentHealth("broker", true, "artemis (amqp)");
        } catch (Exception e) {
            h = new ComponentHealth("broker", false, "cannot connect: " + e.getClass().getSimpleName());
        }
        lastBrokerHealth = h;
        lastBrokerCheck = now;
        return h;
    }

    @Override
    public Map<String, Long> queueDepths() {
        Map<String, Long> out = new TreeMap<>();
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName n : mbs.queryNames(new ObjectName(
                    "org.apache.activemq.artemis:broker=*,component=addresses,address=*,subcomponent=queues,*"), null)) {
                String queue = ObjectName.unquote(n.getKeyProperty("queue"));
                if (queue.startsWith("hub.")) {
                    out.put(queue, ((Number) mbs.getAttribute(n, "MessageCount")).longValue());
                }
            }
        } catch (Exception e) {
            LOG.debug("Queue depths unavailable: {}", e.toString());
        }
        return out;
    }

    @Override
    public MetricsSnapshot metrics() {
        Map<String, Long> gauges = new TreeMap<>();
        if (refusal != null) {
            return new MetricsSnapshot(metrics.messages(), http.refusals(), gauges);
        }
        try {
            gauges.put("hub_dispatch_pending", dispatcher.pending());
            gauges.put("hub_held_messages", holds.parked());
        } catch (RuntimeException e) {
            LOG.debug("Gauges unavailable: {}", e.toString());
        }
        gauges.put("hub_ordering_keys_held", (long) holds.held());
        gauges.put("hub_broker_refusals_total", dispatcher.brokerRefusals());
        gauges.put("hub_delivery_copies_dropped_total", deliveries.copiesDropped());
        guards.all().forEach((partner, g) -> gauges.put("hub_partner_circuit_open{partner=\"" + partner + "\"}",
                g.open() ? 1L : 0L));
        return new MetricsSnapshot(metrics.messages(), http.refusals(), gauges);
    }

    @Override
    public List<ExchangeRecord> search(MessageQuery query) {
        requireStarted();
        return journal.search(query);
    }

    @Override
    public List<fr.aisne.hub.api.operations.StateCount> stateCounts(Instant since, java.time.Duration bucket) {
        return journal.stateCounts(since, bucket);
    }

    @Override
    public Optional<ExchangeRecord> find(String exchangeId) {
        requireStarted();
        return journal.find(exchangeId);
    }

    @Override
    public ExchangeRecord replay(String exchangeId, String actor) {
        requireStarted();
        try {
            return intake.replay(exchangeId, actor);
        } catch (IOException e) {
            throw new IllegalStateException("payload of exchange " + exchangeId + " unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PayloadPreview> preview(String exchangeId, int maxBytes) throws IOException {
        requireStarted();
        Optional<ExchangeRecord> r = journal.record(exchangeId);
        if (r.isEmpty() || !r.get().hasPayload() || !store.exists(exchangeId)) {
            return Optional.empty();
        }
        byte[] head;
        boolean truncated;
        try (InputStream in = store.open(exchangeId)) {
            head = in.readNBytes(maxBytes);
            truncated = in.read() >= 0;
        }
        String type = r.get().contentType();
        boolean text = type != null && (type.toLowerCase(Locale.ROOT).startsWith("text/")
                || type.contains("json") || type.contains("xml"));
        return Optional.of(new PayloadPreview(type, r.get().size(),
                text ? new String(head, StandardCharsets.UTF_8) : null,
                text ? null : Base64.getEncoder().encodeToString(head), truncated));
    }

    @Override
    public Optional<InputStream> openPayload(String exchangeId) throws IOException {
        requireStarted();
        Optional<ExchangeRecord> r = journal.record(exchangeId);
        if (r.isEmpty() || !r.get().hasPayload() || !store.exists(exchangeId)) {
            return Optional.empty();
        }
        return Optional.of(store.open(exchangeId));
    }

    @Override
    public void purgePayload(String exchangeId) {
        requireStarted();
        try {
            store.delete(exchangeId);
        } catch (IOException e) {
            throw new IllegalStateException("payload of exchange " + exchangeId + " not deleted: " + e.getMessage(), e);
        }
        journal.payloadPurged(exchangeId);
    }

    @Override
    public Registration addRoutes(List<? extends RoutesBuilder> routes) throws Exception {
        return ContributedRoutes.add(camel, routes);
    }

    @Override
    public HttpSecurity http() {
        return http;
    }

    @Override
    public ModuleDatabase database() {
        requireStarted();
        return moduleDatabase;
    }

    @Override
    public Secrets secrets() {
        requireStarted();
        return secrets;
    }
}
