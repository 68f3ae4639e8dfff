package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.Clock;
import java.util.List;
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

import fr.aisne.hub.doubles.immersionfacilitee.ImmersionFaciliteeApi.Answer;
import fr.aisne.hub.doubles.immersionfacilitee.ImmersionFaciliteeApi.Call;

/**
 * The double's own CamelContext: one Jetty consumer on {@code http://host:port/} (every path) handing each request
 * to {@link ImmersionFaciliteeApi}. Started and stopped by {@link ImmersionFaciliteeDouble} in Karaf, directly by
 * the tests.
 */
final class ImmersionFaciliteeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImmersionFaciliteeServer.class);
    static final String ROUTE_ID = "double-immersion-facilitee.http";

    private final Settings settings;
    private final ImmersionFaciliteeApi api;
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private volatile DefaultCamelContext camel;

    ImmersionFaciliteeServer(Settings settings, Clock clock) {
        this.settings = settings;
        this.api = new ImmersionFaciliteeApi(settings, clock);
        this.api.disconnector(this::disconnect);
    }

    ImmersionFaciliteeApi api() {
        return api;
    }

    String baseUrl() {
        return "http://" + settings.host() + ":" + settings.port();
    }

    /**
     * Stops the route (Jetty closes the port: connection refused) 200 ms from now, for {@code millis}, then starts
     * it again; false when already disconnected or stopped.
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
                LOG.warn("Immersion Facilitée double: could not stop or restart the listener ({})", e.toString());
            } finally {
                disconnected.set(false);
            }
        }, "double-immersion-facilitee-disconnect");
        t.setDaemon(true);
        t.setContextClassLoader(DefaultCamelContext.class.getClassLoader());
        t.start();
        return true;
    }

    void start() throws Exception {
        String uri = "jetty:http://" + settings.host() + ":" + settings.port()
                + "/?matchOnUriPrefix=true&mapHttpMessageFormUrlEncodedBody=false&headerFilterStrategy=#ifHeaders";
        // Camel resolves components through the thread context class loader: make it the runtime bundle's
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-immersion-facilitee");
            camel.setApplicationContextClassLoader(runtime);
            // Camel's own headers are filtered both ways, and those Jetty writes itself on the way out
            DefaultHeaderFilterStrategy headerFilter = new DefaultHeaderFilterStrategy();
            headerFilter.setLowerCase(true);
            headerFilter.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            headerFilter.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            headerFilter.setOutFilter(Set.of("content-type", "content-length", "transfer-encoding", "connection"));
            camel.getRegistry().bind("ifHeaders", headerFilter);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(ROUTE_ID).process(ImmersionFaciliteeServer.this::process);
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
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, List<String>> queryParams = ImmersionFaciliteeApi.parseQuery(query);
        Call call = new Call(String.valueOf(in.getHeader(Exchange.HTTP_METHOD, "GET", String.class)), path, query,
                name -> header(headers, queryParams, name), in.getBody(byte[].class));
        Answer answer = api.handle(call);
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        answer.headers().forEach(in::setHeader);
        if (answer.contentType() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
        }
        in.setBody(answer.body());
    }

    /**
     * A request header. Camel also maps query parameters into its headers: a value that only came from the query
     * string is not a header (a key sent as {@code ?authorization=} must not authenticate, as on the platform).
     */
    private static String header(Map<String, Object> headers, Map<String, List<String>> query, String name) {
        Object v = headers.get(name);
        boolean alsoInQuery = query.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
        if (v instanceof List<?> l && !l.isEmpty()) {
            v = alsoInQuery ? l.get(0) : null;
        } else if (alsoInQuery) {
            v = null;
        }
        return v instanceof String s ? s : null;
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.stop();
            camel = null;
        }
        api.close();
    }
}
