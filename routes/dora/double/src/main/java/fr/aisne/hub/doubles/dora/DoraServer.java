package fr.aisne.hub.doubles.dora;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

import fr.aisne.hub.doubles.dora.DataInclusionApi.Answer;
import fr.aisne.hub.doubles.dora.DataInclusionApi.Call;

/**
 * The double's own CamelContext: one Jetty consumer on {@code http://host:port/} (every path) handing each request
 * to {@link DataInclusionApi}. Started and stopped by {@link DoraDouble} in Karaf, directly by the tests.
 */
final class DoraServer implements AutoCloseable {
    static final String ROUTE_ID = "double-dora.http";

    private final Settings settings;
    private final DataInclusionApi api;
    private volatile DefaultCamelContext camel;

    DoraServer(Settings settings, Clock clock) {
        this.settings = settings;
        this.api = new DataInclusionApi(settings, clock);
    }

    DataInclusionApi api() {
        return api;
    }

    String baseUrl() {
        return "http://" + settings.host() + ":" + settings.port();
    }

    void start() throws Exception {
        String uri = "jetty:http://" + settings.host() + ":" + settings.port()
                + "/?matchOnUriPrefix=true&mapHttpMessageFormUrlEncodedBody=false"
                + "&headerFilterStrategy=#doraHeaders";
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Camel resolves components through the thread context class loader: make it the runtime bundle's
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-dora");
            camel.setApplicationContextClassLoader(runtime);
            // Camel's own headers are filtered both ways, and the ones Jetty writes itself on the way out
            DefaultHeaderFilterStrategy headerFilter = new DefaultHeaderFilterStrategy();
            headerFilter.setLowerCase(true);
            headerFilter.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            headerFilter.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            headerFilter.setOutFilter(Set.of("content-type", "content-length", "transfer-encoding", "connection"));
            camel.getRegistry().bind("doraHeaders", headerFilter);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(ROUTE_ID).process(DoraServer.this::process);
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
        Call call = new Call(String.valueOf(in.getHeader(Exchange.HTTP_METHOD, "GET", String.class)), path, query,
                name -> requestHeader(headers, query, name), in.getBody(byte[].class));
        Answer answer = api.handle(call);
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        answer.headers().forEach(in::setHeader);
        if (answer.body() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
            in.setBody(answer.body());
        } else {
            in.setBody(null);
        }
    }

    /**
     * A request header. Camel adds the query parameters to the same (case-insensitive) headers after the HTTP
     * headers: the values a query parameter of that name appended are dropped, so {@code ?Authorization=...} is
     * never taken for the header.
     */
    static String requestHeader(Map<String, Object> headers, String query, String name) {
        Object v = headers.get(name);
        List<Object> values = new ArrayList<>();
        if (v instanceof List<?> l) {
            values.addAll(l);
        } else if (v != null) {
            values.add(v);
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key;
                try {
                    key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (key.equalsIgnoreCase(name) && !values.isEmpty()) {
                    values.remove(values.size() - 1);
                }
            }
        }
        return values.size() == 1 && values.get(0) instanceof String s ? s : null;
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.stop();
            camel = null;
        }
    }
}
