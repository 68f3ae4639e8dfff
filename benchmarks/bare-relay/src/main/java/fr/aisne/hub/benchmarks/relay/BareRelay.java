package fr.aisne.hub.benchmarks.relay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The floor of the exchange benchmark: the same hops as the hub's echo flow with nothing of the hub: HTTP in on
 * Camel's Jetty, a persistent message on the same embedded Artemis (queue {@code bench.relay}), HTTP out to the
 * echo double. No authentication, no journal, no payload store, no validation, no retry. Dropped into
 * {@code deploy/} by the benchmark only; never part of a distribution. Settings: etc/hub.bench.relay.cfg (port,
 * consumers, target).
 */
@Component(immediate = true, configurationPid = "hub.bench.relay", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class BareRelay {
    private static final Logger LOG = LoggerFactory.getLogger(BareRelay.class);

    private DefaultCamelContext camel;
    private CachingConnectionFactory connections;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        String port = String.valueOf(config.getOrDefault("http.port", "8393"));
        String consumers = String.valueOf(config.getOrDefault("consumers", "8"));
        String target = String.valueOf(config.getOrDefault("target.url", "http://127.0.0.1:8282/echo"));
        String brokerPort = System.getProperty("hub.broker.port", "61616");
        String password = Files.readString(Paths.get(System.getProperty("karaf.etc", "etc"), "hub-internal.password"),
                StandardCharsets.UTF_8).strip();
        connections = new CachingConnectionFactory(new JmsConnectionFactory("hub-internal", password,
                "amqp://127.0.0.1:" + brokerPort + "?jms.prefetchPolicy.queuePrefetch=10"));
        connections.setSessionCacheSize(32);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("bench-relay");
            camel.setApplicationContextClassLoader(runtime);
            AMQPComponent amqp = AMQPComponent.amqpComponent("amqp://127.0.0.1:" + brokerPort);
            amqp.setConnectionFactory(connections);
            camel.addComponent("benchq", amqp);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jetty:http://127.0.0.1:" + port + "/bench/relay?httpMethodRestrict=POST")
                            .routeId("bench.relay.in")
                            .convertBodyTo(byte[].class)
                            .to(ExchangePattern.InOnly, "benchq:queue:bench.relay?deliveryPersistent=true")
                            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202)).setBody(constant("{}"));
                    from("benchq:queue:bench.relay?acknowledgementModeName=CLIENT_ACKNOWLEDGE&concurrentConsumers="
                            + consumers + "&maxConcurrentConsumers=" + consumers)
                            .routeId("bench.relay.out")
                            .setHeader(Exchange.HTTP_METHOD, constant(org.apache.camel.component.http.HttpMethods.POST))
                            .to(target + "?throwExceptionOnFailure=true");
                }
            });
            camel.start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        LOG.info("Bare relay (benchmark floor) on http://127.0.0.1:{}/bench/relay -> {}", port, target);
    }

    @Deactivate
    void deactivate() {
        if (camel != null) {
            camel.stop();
        }
        if (connections != null) {
            connections.destroy();
        }
    }
}
