package fr.aisne.hub.doubles.echo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the echo partner, in its own CamelContext and on its own port so that it lives and
 * dies independently of the hub (stopping this bundle is a real outage: connection refused).
 * <ul>
 * <li>{@code POST /echo}: answers 200 with the body it received; {@code failure.status} (etc/hub.double.echo.cfg)
 * makes it answer that status instead, to simulate a partner in error;</li>
 * <li>{@code GET /echo/received?correlationId=...}: how many messages it accepted, in all and for that id.</li>
 * </ul>
 */
@Component(immediate = true, configurationPid = "hub.double.echo", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class EchoDouble {
    private static final Logger LOG = LoggerFactory.getLogger(EchoDouble.class);

    private final AtomicLong received = new AtomicLong();
    private final Map<String, AtomicLong> byCorrelation = new ConcurrentHashMap<>();
    private DefaultCamelContext camel;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        String host = String.valueOf(config.getOrDefault("http.host", "127.0.0.1"));
        int port = Integer.parseInt(String.valueOf(config.getOrDefault("http.port", "8282")));
        int failureStatus = Integer.parseInt(String.valueOf(config.getOrDefault("failure.status", "0")));
        String base = "jetty:http://" + host + ":" + port + "/echo";
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-echo");
            camel.setApplicationContextClassLoader(runtime);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(base + "?httpMethodRestrict=POST").routeId("double-echo.receive").process(e -> {
                        if (failureStatus >= 400) {
                            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, failureStatus);
                            e.getMessage().setBody("{\"error\":\"injected failure\"}");
                            return;
                        }
                        byte[] body = e.getMessage().getBody(byte[].class);
                        String corr = e.getMessage().getHeader("X-Correlation-Id", String.class);
                        received.incrementAndGet();
                        if (corr != null) {
                            byCorrelation.computeIfAbsent(corr, k -> new AtomicLong()).incrementAndGet();
                        }
                        e.getMessage().removeHeaders("*", "Content-Type");
                        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                        e.getMessage().setBody(body);
                    });
                    from(base + "/received?httpMethodRestrict=GET").routeId("double-echo.received").process(e -> {
                        String corr = e.getMessage().getHeader("correlationId", String.class);
                        long forCorr = corr == null ? 0 : byCorrelation.getOrDefault(corr, new AtomicLong()).get();
                        e.getMessage().removeHeaders("*");
                        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                        e.getMessage().setBody("{\"received\":" + received.get() + ",\"forCorrelationId\":" + forCorr + "}");
                    });
                }
            });
            camel.start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        LOG.info("Echo double listening on http://{}:{}/echo{}", host, port,
                failureStatus >= 400 ? " (answering " + failureStatus + ")" : "");
    }

    @Deactivate
    void deactivate() {
        if (camel != null) {
            camel.stop();
        }
        LOG.info("Echo double stopped");
    }
}
