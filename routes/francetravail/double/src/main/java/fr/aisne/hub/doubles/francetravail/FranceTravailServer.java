package fr.aisne.hub.doubles.francetravail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.doubles.francetravail.FranceTravailApi.Answer;
import fr.aisne.hub.doubles.francetravail.FranceTravailApi.Call;

/**
 * The double's own CamelContext: one Jetty consumer on {@code http://host:port/} (every path) handing each request
 * to {@link FranceTravailApi}. Started and stopped by {@link FranceTravailDouble} in Karaf, directly by the tests.
 */
final class FranceTravailServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FranceTravailServer.class);
    static final String ROUTE_ID = "double-francetravail.http";

    private final Settings settings;
    private final FranceTravailApi api;
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private volatile DefaultCamelContext camel;

    FranceTravailServer(Settings settings, Clock clock) {
        this.settings = settings;
        this.api = new FranceTravailApi(settings, clock);
        this.api.disconnector(this::disconnect);
    }

    /**
     * Stops the route (Jetty then closes the port: connection refused) 200 ms from now, for {@code millis}, then
     * starts it again; false when already disconnected or stopped.
     */
    boolean disconnect(long millis) {
        DefaultCamelContext context = camel;
        if (context == null || !disconnected.compareAndSet(false, true)) {
            return false;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(200);
                // graceful: a stop forced after a timeout interrupts Jetty's own stop half-way, and the route then
                // starts again with its port still closed (seen in CI); the requests in flight are finished first
                context.getRouteController().stopRoute(ROUTE_ID);
                Thread.sleep(millis);
                if (camel == context) {
                    context.getRouteController().startRoute(ROUTE_ID);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("France Travail double: could not stop or restart the listener ({})", e.toString());
            } finally {
                disconnected.set(false);
            }
        }, "double-francetravail-disconnect");
        t.setDaemon(true);
        t.setContextClassLoader(DefaultCamelContext.class.getClassLoader());
        t.start();
        return true;
    }

    FranceTravailApi api() {
        return api;
    }

    String baseUrl() {
        return "http://" + settings.host() + ":" + settings.port();
    }

    void start() throws Exception {
        // Camel resolves components through the thread context class loader: make it the runtime bundle's
        String uri = "jetty:http://" + settings.host() + ":" + settings.port()
                + "/?matchOnUriPrefix=true&mapHttpMessageFormUrlEncodedBody=false&headerFilterStrategy=#ftHeaders";
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-francetravail");
            camel.setApplicationContextClassLoader(runtime);
            // Camel's own headers are filtered both ways, and the ones Jetty writes itself on the way out; the
            // default HTTP filter would also drop Cache-Control and Pragma, which the token answer needs
            DefaultHeaderFilterStrategy headerFilter = new DefaultHeaderFilterStrategy();
            headerFilter.setLowerCase(true);
            headerFilter.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            headerFilter.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            headerFilter.setOutFilter(Set.of("content-type", "content-length", "transfer-encoding", "connection"));
            camel.getRegistry().bind("ftHeaders", headerFilter);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(ROUTE_ID).process(FranceTravailServer.this::process);
                }
            });
            camel.start();
        } catch (Exception e) {
            close();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> headers = in.getHeaders();
        String path = in.getHeader(Exchange.HTTP_URI, String.class);
        if (path == null) {
            path = "/";
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        Call call = new Call(String.valueOf(in.getHeader(Exchange.HTTP_METHOD, "GET", String.class)), path,
                in.getHeader(Exchange.HTTP_QUERY, String.class),
                name -> headers.get(name) instanceof String s ? s : null,
                in.getBody(byte[].class));
        Answer answer = api.handle(call);
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        answer.headers().forEach(in::setHeader);
        if (answer.body() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
            in.setBody(answer.body().getBytes(StandardCharsets.UTF_8));
        } else {
            in.setBody(null);
        }
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.stop();
            camel = null;
        }
    }
}
