package fr.aisne.hub.console;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import fr.aisne.hub.api.HttpSecurity;

/**
 * Serves the console under {@code /hub/console/} on the hub's listener. Every file needs a reader's credentials
 * (HTTP Basic, the same accounts and roles as the operations API, which the console calls from the browser): the
 * browser asks once, then sends them with each call. Only GET and HEAD; every answer carries the console's
 * Content-Security-Policy.
 */
public class ConsoleRoutes extends RouteBuilder {
    static final String PREFIX = "/hub/console";

    private final HttpSecurity http;
    private final ConsoleAssets assets;

    public ConsoleRoutes(HttpSecurity http, ConsoleAssets assets) {
        this.http = http;
        this.assets = assets;
    }

    @Override
    public void configure() {
        from("jetty:" + http.baseUrl() + "/console?matchOnUriPrefix=true&"
                + HttpSecurity.CONSUMER_OPTIONS)
                .routeId("console.files").process(this::serve);
    }

    void serve(Exchange e) throws Exception {
        Message m = e.getMessage();
        String method = m.getHeader(Exchange.HTTP_METHOD, String.class);
        String uri = m.getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null || !uri.startsWith(PREFIX) ? null : uri.substring(PREFIX.length());
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            http.json(e, 405, Map.of("error", "the console only reads"));
            secure(m);
            m.setHeader("Allow", "GET, HEAD");
            return;
        }
        if (http.authorize(e, HttpSecurity.READERS).isEmpty()) {
            secure(m);
            return;
        }
        if (path == null || path.isEmpty()) {
            m.removeHeaders("*");
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            m.setHeader("Location", PREFIX + "/");
            m.setBody("");
            secure(m);
            return;
        }
        Optional<ConsoleAssets.Asset> a = assets.find(path.substring(1));
        if (a.isEmpty()) {
            http.json(e, 404, Map.of("error", "no such page"));
            secure(m);
            return;
        }
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, a.get().contentType());
        m.setHeader("Cache-Control", a.get().immutable() ? "private, max-age=86400" : "no-cache");
        secure(m);
        m.setBody("HEAD".equals(method) ? new byte[0] : a.get().bytes());
    }

    /** Headers of every answer: the CSP, no sniffing, no framing, no referrer. */
    static void secure(Message m) {
        m.setHeader("Content-Security-Policy", ConsoleAssets.CSP);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("X-Frame-Options", "DENY");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    }
}
