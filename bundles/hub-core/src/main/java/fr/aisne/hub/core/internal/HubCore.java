package fr.aisne.hub.core.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
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

import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.connector.ConnectorManager;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.core.exchange.ExchangeService;
import fr.aisne.hub.core.flow.FlowRoutes;
import fr.aisne.hub.core.idempotency.JdbcIdempotentRepository;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.security.AdminAccountBootstrap;
import fr.aisne.hub.core.security.BasicAuthenticator;
import fr.aisne.hub.core.security.LoginThrottle;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HealthStatus;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.Settings;

/**
 * Starts the hub's core in order (accounts, database, payload store, journal, CamelContext with the
 * broker component) and installs connectors as their services come and go. Settings: etc/hub.core.cfg.
 */
@Component(immediate = true, configurationPid = "hub.core", service = Hub.class)
public class HubCore implements Hub {
    private static final Logger LOG = LoggerFactory.getLogger(HubCore.class);
    static final String QUEUE_COMPONENT = "hubqueue";
    /** Acknowledge only once delivered or quarantined: a killed hub gets the message back at restart. */
    static final String QUEUE_CONSUMER_OPTIONS =
            "?acknowledgementModeName=CLIENT_ACKNOWLEDGE&concurrentConsumers=1&testConnectionOnStartup=false";

    private final List<HubConnector> pending = new ArrayList<>();
    private HubDatabase database;
    private DefaultCamelContext camel;
    private CachingConnectionFactory brokerConnections;
    private JmsConnectionFactory brokerProbe;
    private ConnectorManager connectors;
    private Journal journal;
    private HubMetrics metrics;
    private ExchangeService exchanges;
    private fr.aisne.hub.core.store.PayloadStore store;
    private BasicAuthenticator authenticator;
    private ServiceRegistration<DataSource> dataSourceRegistration;
    private String httpHost;
    private int httpPort;
    private volatile HealthStatus lastBrokerHealth;
    private volatile long lastBrokerCheck;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> config) throws Exception {
        long t0 = System.nanoTime();
        Path etc = Paths.get(System.getProperty("karaf.etc", "etc"));
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        httpHost = Settings.string(config, "http.host", "127.0.0.1");
        httpPort = Settings.intValue(config, "http.port", 8181);
        String brokerUrl = Settings.string(config, "broker.url",
                "amqp://127.0.0.1:" + System.getProperty("hub.broker.port", "61616"));

        String internalPassword = new AdminAccountBootstrap(etc).ensureAccounts();
        authenticator = new BasicAuthenticator(Settings.string(config, "jaas.realm", "karaf"), new LoginThrottle(
                Settings.intValue(config, "http.login.maxFailures", 10),
                java.time.Duration.ofSeconds(Settings.intValue(config, "http.login.windowSeconds", 300)),
                java.time.Clock.systemUTC()));

        database = HubDatabase.embeddedDerby(
                Settings.string(config, "database.directory", data.resolve("hub").resolve("db").toString()));
        database.migrate("core", HubCore.class.getClassLoader(), "db/core/V1__journal.sql");
        Hashtable<String, Object> dsProps = new Hashtable<>();
        dsProps.put("hub.datasource", "main");
        dataSourceRegistration = bundleContext.registerService(DataSource.class, database.dataSource(), dsProps);

        metrics = new HubMetrics();
        journal = new Journal(database.dataSource(), metrics, Clock.systemUTC());
        store = new fr.aisne.hub.core.store.PayloadStore(data.resolve("hub").resolve("payloads"));
        var idempotency = new JdbcIdempotentRepository(database.dataSource(), "inbound",
                Duration.ofDays(Settings.intValue(config, "duplicates.windowDays", 7)), Clock.systemUTC());

        brokerProbe = new JmsConnectionFactory(AdminAccountBootstrap.INTERNAL_USER, internalPassword, brokerUrl);
        JmsConnectionFactory factory = new JmsConnectionFactory(AdminAccountBootstrap.INTERNAL_USER,
                internalPassword, brokerUrl + "?jms.prefetchPolicy.queuePrefetch=1");
        brokerConnections = new CachingConnectionFactory(factory);
        brokerConnections.setSessionCacheSize(10);
        brokerConnections.setReconnectOnException(true);

        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("hub");
            camel.setApplicationContextClassLoader(runtime);
            camel.getShutdownStrategy().setTimeout(15);
            camel.addComponent(QUEUE_COMPONENT, AMQPComponent.amqpComponent(brokerUrl));
            camel.getComponent(QUEUE_COMPONENT, AMQPComponent.class).setConnectionFactory(brokerConnections);
            camel.start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        ProducerTemplate producer = camel.createProducerTemplate();
        String httpBase = "http://" + httpHost + ":" + httpPort + "/hub";
        connectors = new ConnectorManager(camel, c -> standardRoutes(c, httpBase));
        exchanges = new ExchangeService(journal, store, idempotency, producer, QUEUE_COMPONENT, connectors::flow);
        synchronized (pending) {
            pending.forEach(connectors::add);
            pending.clear();
        }
        LOG.info("Hub core started in {} ms (HTTP {}:{}, broker {})", (System.nanoTime() - t0) / 1_000_000,
                httpHost, httpPort, brokerUrl);
    }

    private List<RoutesBuilder> standardRoutes(HubConnector connector, String httpBase) {
        List<RoutesBuilder> out = new ArrayList<>();
        for (Flow f : connector.flows()) {
            out.add(new FlowRoutes(connector.id(), f, exchanges, authenticator, httpBase, QUEUE_COMPONENT,
                    QUEUE_CONSUMER_OPTIONS));
        }
        return out;
    }

    @Deactivate
    void deactivate() {
        if (connectors != null) {
            connectors.removeAll();
        }
        if (camel != null) {
            camel.stop();
        }
        if (brokerConnections != null) {
            brokerConnections.destroy();
        }
        if (dataSourceRegistration != null) {
            try {
                dataSourceRegistration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        if (database != null) {
            database.close();
        }
        LOG.info("Hub core stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeConnector")
    void addConnector(HubConnector connector) {
        synchronized (pending) {
            if (connectors == null) {
                pending.add(connector);
                return;
            }
        }
        connectors.add(connector);
    }

    void removeConnector(HubConnector connector) {
        synchronized (pending) {
            if (pending.remove(connector)) {
                return;
            }
        }
        if (connectors != null) {
            connectors.remove(connector);
        }
    }

    @Override
    public CamelContext camelContext() {
        return camel;
    }

    @Override
    public Journal journal() {
        return journal;
    }

    @Override
    public HubMetrics metrics() {
        return metrics;
    }

    @Override
    public BasicAuthenticator authenticator() {
        return authenticator;
    }

    @Override
    public String httpHost() {
        return httpHost;
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public List<ConnectorInfo> connectors() {
        return connectors.describe();
    }

    @Override
    public List<HealthStatus> platformHealth() {
        return List.of(brokerHealth(), database.isValid() ? HealthStatus.up("database", "derby")
                : HealthStatus.down("database", "no valid connection"));
    }

    /** Opens a connection to the broker at most every 5 s. */
    private HealthStatus brokerHealth() {
        long now = System.currentTimeMillis();
        HealthStatus last = lastBrokerHealth;
        if (last != null && now - lastBrokerCheck < 5_000) {
            return last;
        }
        HealthStatus h;
        try (var c = brokerProbe.createConnection()) {
            c.start();
            h = HealthStatus.up("broker", "artemis (amqp)");
        } catch (Exception e) {
            h = HealthStatus.down("broker", "cannot connect: " + e.getClass().getSimpleName());
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
    public ExchangeRecord replay(String exchangeId, String actor) {
        try {
            return exchanges.replay(exchangeId, actor);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("payload of exchange " + exchangeId + " unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ExchangeRecord> find(String exchangeId) {
        return journal.find(exchangeId);
    }

    @Override
    public fr.aisne.hub.core.spi.IngestResult accept(Flow flow, java.io.InputStream payload,
            fr.aisne.hub.core.spi.InboundMetadata metadata) throws java.io.IOException {
        return exchanges.accept(flow, payload, metadata);
    }

    @Override
    public fr.aisne.hub.core.spi.IngestResult refuse(Flow flow, java.nio.file.Path received,
            fr.aisne.hub.core.spi.InboundMetadata metadata, String reason) throws java.io.IOException {
        return exchanges.refuse(flow, received, metadata, reason);
    }

    @Override
    public void purgePayload(String exchangeId) {
        try {
            store.delete(exchangeId);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("payload of exchange " + exchangeId + " not deleted: " + e.getMessage(), e);
        }
        journal.payloadPurged(exchangeId);
    }

    @Override
    public Optional<byte[]> payload(String exchangeId) {
        try {
            return store.exists(exchangeId) ? Optional.of(store.read(exchangeId)) : Optional.empty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("payload of exchange " + exchangeId + " unreadable: " + e.getMessage(), e);
        }
    }
}
