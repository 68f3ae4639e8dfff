package fr.aisne.hub.connector.dora;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The connector's own HTTP endpoints on the hub's listener (documented in the hub's OpenAPI document, see
 * {@code openapi.json}). Every caller is authenticated before anything else; none of these reads a request body.
 * <ul>
 * <li>{@code GET /hub/api/departement/services}: the department's query over the local directory
 * ({@link ServiceQuery}; roles {@code query.roles});</li>
 * <li>{@code GET /hub/api/dora/directory}: the last pulls (what was fetched, written, rejected and why) and the
 * directory's size; {@code POST /hub/api/dora/directory/pull}: a pull now (roles {@code pull.roles});</li>
 * <li>{@code GET /hub/feed/dora/structures}, {@code /services}: the published offer in data·inclusion's page envelope
 * ({@code page}, {@code size} 1-10000, default 5000), for data·inclusion with the read token
 * ({@code Authorization: Bearer}), or an account with {@code feed.roles};</li>
 * <li>{@code GET /hub/feed/dora/offre.csv}: the same offer as Dora's import CSV ({@link OfferCsv}), same access.</li>
 * </ul>
 */
final class DoraApi extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DoraApi.class);
    static final int FEED_DEFAULT_SIZE = 5000;
    static final int FEED_MAX_SIZE = 10_000;

    private final HttpSecurity http;
    private final DoraSettings settings;
    private final DirectoryStore directory;
    private final PullReports reports;
    private final DirectoryPull pull;
    private final OfferStore offer;
    private final OfferCsv csv;
    private final List<String> thematiques;
    private final List<String> publics;

    DoraApi(HttpSecurity http, DoraSettings settings, SchemaV1 v1, DirectoryStore directory, PullReports reports,
            DirectoryPull pull, OfferStore offer) {
        this.http = http;
        this.settings = settings;
        this.directory = directory;
        this.reports = reports;
        this.pull = pull;
        this.offer = offer;
        this.csv = new OfferCsv(v1);
        this.thematiques = v1.enumeration(Kind.SERVICE, "Thematique");
        this.publics = v1.enumeration(Kind.SERVICE, "Public");
    }

    @Override
    public void configure() {
        http.restOnHub(this);
        rest("/api/departement").get("/services").routeId("dora.rest.services").to("direct:dora.services");
        rest("/api/dora").get("/directory").routeId("dora.rest.directory").to("direct:dora.directory")
                .post("/directory/pull").routeId("dora.rest.pull").to("direct:dora.pull");
        rest("/feed/dora").get("/structures").routeId("dora.rest.feed.structures").to("direct:dora.feed.structures")
                .get("/services").routeId("dora.rest.feed.services").to("direct:dora.feed.services")
                .get("/offre.csv").routeId("dora.rest.feed.csv").to("direct:dora.feed.csv");

        from("direct:dora.services").routeId("dora.services").process(this::services);
        from("direct:dora.directory").routeId("dora.directory").process(this::directory);
        from("direct:dora.pull").routeId("dora.pull").process(this::pull);
        from("direct:dora.feed.structures").routeId("dora.feed.structures").process(e -> feed(e, Kind.STRUCTURE));
        from("direct:dora.feed.services").routeId("dora.feed.services").process(e -> feed(e, Kind.SERVICE));
        from("direct:dora.feed.csv").routeId("dora.feed.csv").process(this::csv);
    }

    void services(Exchange e) throws Exception {
        if (http.authorize(e, Set.copyOf(settings.queryRoles())).isEmpty()) {
            return;
        }
        ServiceQuery q;
        try {
            q = ServiceQuery.parse(e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), thematiques, publics);
        } catch (ServiceQuery.Invalid bad) {
            http.json(e, 400, Map.of("error", bad.getMessage()));
            return;
        }
        http.json(e, 200, directory.services(q).envelope());
    }

    void directory(Exchange e) {
        Set<String> roles = new HashSet<>(settings.queryRoles());
        roles.addAll(HttpSecurity.READERS);
        if (http.authorize(e, roles).isEmpty()) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("structures", directory.count(Kind.STRUCTURE));
        out.put("services", directory.count(Kind.SERVICE));
        out.put("pull", pull == null ? "off: " + (settings.directoryEnabled() ? "api.token is not set" : "directory.enabled = false")
                : pull.refusal() != null ? "refused: " + pull.refusal()
                : pull.retryAt() != null ? "failed, tried again at " + pull.retryAt() : "ok");
        out.put("pulls", reports.all());
        http.json(e, 200, out);
    }

    void pull(Exchange e) {
        Optional<Caller> caller = http.authorize(e, Set.copyOf(settings.pullRoles()));
        if (caller.isEmpty() || !http.stateChangeAllowed(e)) {
            return;
        }
        if (pull == null) {
            http.json(e, 409, Map.of("error", "the directory pull is off: " + (settings.directoryEnabled()
                    ? "api.token is not set in etc/hub.connector.dora.cfg" : "directory.enabled = false")));
            return;
        }
        try {
            LOG.info("Dora directory pull asked by {}", caller.get().name());
            PullReports.Report r = pull.pull("asked by " + caller.get().name());
            Map<String, Object> report = reports.snapshot(r.run);
            http.json(e, r.status == PullReports.Status.FAILED ? 502 : 202, report);
        } catch (DirectoryPull.Busy busy) {
            http.json(e, 409, Map.of("error", busy.getMessage()));
        }
    }

    void feed(Exchange e, Kind kind) throws Exception {
        if (!feedReader(e)) {
            return;
        }
        Map<String, List<String>> params = ServiceQuery.params(e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        List<Map<String, Object>> errors = new ArrayList<>();
        int page = bounded(params, "page", 1, 1, Integer.MAX_VALUE / FEED_MAX_SIZE, errors);
        int size = bounded(params, "size", FEED_DEFAULT_SIZE, 1, FEED_MAX_SIZE, errors);
        if (!errors.isEmpty()) {
            http.json(e, 422, Map.of("detail", errors));
            return;
        }
        List<JsonNode> items = offer.page(kind, page, size);
        long total = offer.count(kind);
        http.json(e, 200, new DirectoryStore.QueryPage(items, total, page, size).envelope());
    }

    void csv(Exchange e) throws Exception {
        if (!feedReader(e)) {
            return;
        }
        List<JsonNode> services = new ArrayList<>();
        int total = (int) offer.count(Kind.SERVICE);
        for (int page = 1; (long) (page - 1) * FEED_MAX_SIZE < total; page++) {
            services.addAll(offer.page(Kind.SERVICE, page, FEED_MAX_SIZE));
        }
        byte[] body = csv.write(offer.structures(), services).getBytes(StandardCharsets.UTF_8);
        Message m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=UTF-8");
        m.setHeader("Content-Disposition", "attachment; filename=\"offre-" + settings.offerSource() + ".csv\"");
        m.setBody(body);
    }

    /** The read token (Authorization: Bearer, constant-time, refusals counted) or an account with feed.roles. */
    private boolean feedReader(Exchange e) {
        String auth = e.getMessage().getHeader("Authorization", String.class);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // the core compares in constant time, counts a refusal and holds off an address that keeps failing
            return http.checkSecretHeader(e, "Authorization", settings.hasFeedToken() ? "Bearer " + settings.feedToken()
                    : null);
        }
        return http.authorize(e, Set.copyOf(settings.feedRoles())).isPresent();
    }

    /** data·inclusion's 422 item for a query parameter out of range. */
    private static int bounded(Map<String, List<String>> params, String name, int dflt, int min, int max,
            List<Map<String, Object>> errors) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get(0));
            if (n >= min && n <= max) {
                return n;
            }
            errors.add(Map.of("type", n < min ? "greater_than_equal" : "less_than_equal", "loc", List.of("query", name),
                    "msg", "Input should be " + (n < min ? "greater than or equal to " + min : "less than or equal to " + max),
                    "input", v.get(0)));
        } catch (NumberFormatException ex) {
            errors.add(Map.of("type", "int_parsing", "loc", List.of("query", name),
                    "msg", "Input should be a valid integer, unable to parse string as an integer", "input",
                    v.get(0).length() > 20 ? v.get(0).substring(0, 20) : v.get(0)));
        }
        return dflt;
    }
}
