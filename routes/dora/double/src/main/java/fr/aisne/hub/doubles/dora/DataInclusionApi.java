package fr.aisne.hub.doubles.dora;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.dora.Communes.Commune;
import fr.aisne.hub.doubles.dora.Directory.Hit;
import fr.aisne.hub.doubles.dora.Directory.ServiceFilter;
import fr.aisne.hub.doubles.dora.Directory.StructureFilter;
import fr.aisne.hub.doubles.dora.Fixtures.Item;

/**
 * The data·inclusion API v1, independent of the HTTP server: {@link #handle(Call)} takes a request and gives the
 * answer. Read-only, as the real API: there is no write API at data·inclusion.
 * <p>
 * API calls go through, in this order: the injected latency, the injected outage, the forced 429s, the route
 * (404, 405), the token (401 without or with an invalid one, 403 without the {@code api} scope), the parameters
 * (422, pydantic's list of errors), then the query. Calls under {@code /double/} (control, stats, tokens, fixtures,
 * the consumer) skip all of that.
 * <p>
 * Logs carry the method and path template, the status and the duration, never a token or a secret.
 */
final class DataInclusionApi {
    private static final Logger LOG = LoggerFactory.getLogger(DataInclusionApi.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final String V1 = "/api/v1";
    static final String OPENAPI = "/api/openapi.json";
    static final int DEFAULT_PAGE_SIZE = 5000;
    static final int MAX_PAGE_SIZE = 10_000;
    static final String SCOPE = "api";

    /** A request: method, path (no query, still percent-encoded), raw query, header lookup, body (may be empty). */
    record Call(String method, String path, String query, Function<String, String> header, byte[] body) {
        String h(String name) {
            String v = header.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    /** An answer: status, extra headers, body (null for none) and its content type. */
    record Answer(int status, Map<String, String> headers, byte[] body, String contentType) {
    }

    private enum Route {
        OPENAPI("GET " + DataInclusionApi.OPENAPI, false),
        DOC("GET " + V1 + "/doc/{name}", false),
        STRUCTURES("GET " + V1 + "/structures", true),
        STRUCTURE("GET " + V1 + "/structures/{id}", true),
        SERVICES("GET " + V1 + "/services", true),
        SERVICE("GET " + V1 + "/services/{id}", true),
        SEARCH_SERVICES("GET " + V1 + "/search/services", true),
        SOURCES("GET " + V1 + "/sources", true);

        final String template;
        final boolean secured;

        Route(String template, boolean secured) {
            this.template = template;
            this.secured = secured;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final AtomicReference<Behaviour> behaviour;
    private final AtomicReference<Settings.Consumer> consumer;
    private final AtomicReference<Directory> directory = new AtomicReference<>();
    private final AtomicReference<Report> lastPull = new AtomicReference<>();
    private final AtomicReference<Report> lastCsv = new AtomicReference<>();
    private final ReentrantLock pulling = new ReentrantLock();
    private final Stats stats = new Stats();
    private final Vocabulary vocabulary;
    private final SchemaCheck schemaCheck;
    private final FeedConsumer feedConsumer;
    private final CsvOffer csvOffer;

    DataInclusionApi(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.behaviour = new AtomicReference<>(settings.behaviour());
        this.consumer = new AtomicReference<>(settings.consumer());
        this.vocabulary = Vocabulary.get();
        this.schemaCheck = new SchemaCheck(vocabulary);
        this.feedConsumer = new FeedConsumer(schemaCheck, clock);
        this.csvOffer = new CsvOffer(schemaCheck, clock, vocabulary);
        directory.set(new Directory(Fixtures.build(today())));
    }

    Behaviour behaviour() {
        return behaviour.get();
    }

    SchemaCheck schemaCheck() {
        return schemaCheck;
    }

    Directory directory() {
        return directory.get();
    }

    /** Answers {@code call}; never throws. */
    Answer handle(Call call) {
        if (call.path().equals("/double") || call.path().startsWith("/double/")) {
            try {
                return control(call);
            } catch (IllegalArgumentException e) {
                return detail(400, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Dora double: control call failed ({})", e.getClass().getSimpleName());
                return detail(500, "Internal Server Error");
            }
        }
        long start = System.nanoTime();
        Route route = route(call.path());
        String endpoint = route == null ? "(unknown path)" : route.template;
        Answer answer;
        try {
            answer = partner(call, route);
        } catch (RuntimeException e) {
            LOG.warn("Dora double: {} failed ({})", endpoint, e.getClass().getSimpleName());
            answer = detail(500, "Internal Server Error");
        }
        stats.answered(endpoint, answer.status());
        if (LOG.isDebugEnabled()) {
            LOG.debug("Dora double: {} -> {} ({} ms)", endpoint, answer.status(), (System.nanoTime() - start) / 1_000_000);
        }
        return answer;
    }

    private static Route route(String path) {
        switch (path) {
            case OPENAPI:
                return Route.OPENAPI;
            case V1 + "/structures":
                return Route.STRUCTURES;
            case V1 + "/services":
                return Route.SERVICES;
            case V1 + "/search/services":
                return Route.SEARCH_SERVICES;
            case V1 + "/sources":
                return Route.SOURCES;
            default:
                if (oneSegmentAfter(path, V1 + "/structures/")) {
                    return Route.STRUCTURE;
                }
                if (oneSegmentAfter(path, V1 + "/services/")) {
                    return Route.SERVICE;
                }
                if (oneSegmentAfter(path, V1 + "/doc/")) {
                    return Route.DOC;
                }
                return null;
        }
    }

    private static boolean oneSegmentAfter(String path, String prefix) {
        return path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0;
    }

    // ---------------------------------------------------------------------------------------------- the API

    private Answer partner(Call call, Route route) {
        Behaviour b = behaviour.get();
        if (b.latencyMillis() > 0) {
            try {
                Thread.sleep(b.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (b.outage()) {
            stats.count(Stats.OUTAGE_ANSWERS);
            return detail(b.outageStatus(), "Service Unavailable (simulated outage)");
        }
        if (takeForced429()) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Retry-After", String.valueOf(behaviour.get().retryAfterSeconds()));
            return json(429, headers, Map.of("detail", "Too Many Requests"));
        }
        if (route == null) {
            String p = call.path();
            if (p.length() > 1 && p.endsWith("/") && route(p.substring(0, p.length() - 1)) != null) {
                // Starlette redirects to the path without the trailing slash
                String location = p.substring(0, p.length() - 1) + (call.query() == null ? "" : "?" + call.query());
                return new Answer(307, Map.of("Location", location), null, null);
            }
            return detail(404, "Not Found");
        }
        if (!call.method().equals("GET") && !call.method().equals("HEAD")) {
            return new Answer(405, Map.of("Allow", "GET"), body(Map.of("detail", "Method Not Allowed")),
                    "application/json");
        }
        if (route.secured) {
            Answer refused = authenticate(call);
            if (refused != null) {
                return refused;
            }
        }
        Params params = Params.parse(call.query());
        boolean bad = b.includeBadItems();
        Directory d = directory.get();
        return switch (route) {
            case OPENAPI -> new Answer(200, Map.of(), vocabulary.openApi, "application/json");
            case DOC -> {
                JsonNode doc = vocabulary.docs.get(segment(call.path()));
                yield doc == null ? detail(404, "Not Found") : json(200, Map.of(), doc);
            }
            case SOURCES -> json(200, Map.of(), d.sources());
            case STRUCTURES -> listStructures(params, d, bad);
            case SERVICES -> listServices(params, d, bad);
            case SEARCH_SERVICES -> searchServices(params, d, bad);
            case STRUCTURE -> {
                Item s = d.structure(segment(call.path()));
                yield s == null || (s.bad() != null && !bad) ? detail(404, "Not Found")
                        : json(200, Map.of(), d.detailedStructure(s, bad));
            }
            case SERVICE -> {
                Item s = d.service(segment(call.path()));
                yield s == null || (s.bad() != null && !bad) ? detail(404, "Not Found")
                        : json(200, Map.of(), d.detailedService(s));
            }
        };
    }

    private boolean takeForced429() {
        while (true) {
            Behaviour b = behaviour.get();
            if (b.status429Next() <= 0) {
                return false;
            }
            if (behaviour.compareAndSet(b, b.withStatus429Next(b.status429Next() - 1))) {
                return true;
            }
        }
    }

    /**
     * FastAPI's HTTPBearer then data·inclusion's dependency: no credentials, 401 "Not authenticated"; another
     * scheme, 401 "Invalid authentication credentials"; a token that does not verify or whose payload is neither
     * the current ({@code sub, scopes, created_at}) nor the legacy ({@code sub, admin}) shape, 401; without the
     * {@code api} scope (a widget token), 403.
     */
    private Answer authenticate(Call call) {
        Map<String, String> challenge = Map.of("WWW-Authenticate", "Bearer");
        String auth = call.h("Authorization");
        int space = auth == null ? -1 : auth.indexOf(' ');
        if (auth == null || space < 0 || auth.substring(space + 1).isBlank()) {
            return json(401, challenge, Map.of("detail", "Not authenticated"));
        }
        if (!auth.substring(0, space).equalsIgnoreCase("bearer")) {
            return json(401, challenge, Map.of("detail", "Invalid authentication credentials"));
        }
        ObjectNode payload = Jwt.verify(auth.substring(space + 1).trim(), settings.tokenSecret(), clock.instant());
        Set<String> scopes = payload == null ? null : scopes(payload);
        if (scopes == null) {
            return detail(401, "Unauthorized");
        }
        if (!scopes.contains(SCOPE)) {
            return detail(403, "Forbidden");
        }
        return null;
    }

    /** The scopes of a verified payload, or null when its shape is not one data·inclusion accepts. */
    static Set<String> scopes(JsonNode payload) {
        JsonNode sub = payload.get("sub");
        if (sub == null || !sub.isTextual()) {
            return null;
        }
        JsonNode created = payload.get("created_at");
        JsonNode scopes = payload.get("scopes");
        if (created != null && isDateTime(created) && (scopes == null || scopes.isArray())) {
            Set<String> s = new LinkedHashSet<>();
            if (scopes != null) {
                for (JsonNode v : scopes) {
                    if (!v.isTextual()) {
                        return null;
                    }
                    s.add(v.asText());
                }
            }
            return s;
        }
        // legacy tokens: {sub, admin} for the API, {sub, allowed_origins} for the widget
        JsonNode origins = payload.get("allowed_origins");
        if (origins != null && origins.isArray() && origins.size() > 0) {
            return Set.of("widget");
        }
        return payload.path("admin").asBoolean(false) ? Set.of("api", "admin") : Set.of("api");
    }

    private static boolean isDateTime(JsonNode v) {
        if (v.isNumber()) {
            return true;
        }
        if (!v.isTextual()) {
            return false;
        }
        try {
            OffsetDateTime.parse(v.asText());
            return true;
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(v.asText());
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }

    private Answer listStructures(Params p, Directory d, boolean bad) {
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int size = p.integer("size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        List<String> sources = p.texts("sources");
        List<String> reseaux = p.enumValues("reseaux_porteurs", vocabulary.reseauxPorteurs, null);
        String region = region(p);
        String departement = departement(p);
        String commune = p.codeCommune("code_commune");
        boolean doublons = p.bool("exclure_doublons", false);
        if (!p.valid()) {
            return invalid(p);
        }
        List<Item> items = d.structures(new StructureFilter(sources, reseaux, region, departement, commune, doublons), bad);
        return json(200, Map.of(), page(items.stream().map(d::listedStructure).toList(), page, size));
    }

    private Answer listServices(Params p, Directory d, boolean bad) {
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int size = p.integer("size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        List<String> sources = p.texts("sources");
        Set<String> thematiques = thematiques(p);
        String region = region(p);
        String departement = departement(p);
        String commune = p.codeCommune("code_commune");
        List<String> frais = p.enumValues("frais", vocabulary.frais, null);
        List<String> publics = p.enumValues("publics", vocabulary.publics, null);
        String recherchePublic = p.text("recherche_public");
        List<String> modes = p.enumValues("modes_accueil", vocabulary.modesAccueil, null);
        List<String> types = p.enumValues("types", vocabulary.types, null);
        Double score = p.number("score_qualite_minimum");
        if (!p.valid()) {
            return invalid(p);
        }
        List<Item> items = d.services(new ServiceFilter(sources, thematiques, region, departement, commune, frais,
                publics, recherchePublic, modes, types, score), bad);
        return json(200, Map.of(), page(items.stream().map(d::service).toList(), page, size));
    }

    /** No {@code code_departement} here (a département filter is the caller's job, or use /services). */
    private Answer searchServices(Params p, Directory d, boolean bad) {
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int size = p.integer("size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        List<String> sources = p.texts("sources");
        String code = p.codeCommune("code_commune");
        Double lat = p.number("lat");
        Double lon = p.number("lon");
        Set<String> thematiques = thematiques(p);
        List<String> frais = p.enumValues("frais", vocabulary.frais, null);
        List<String> modes = p.enumValues("modes_accueil", vocabulary.modesAccueil, null);
        List<String> publics = p.enumValues("publics", vocabulary.publics, null);
        String recherchePublic = p.text("recherche_public");
        List<String> types = p.enumValues("types", vocabulary.types, null);
        Double score = p.number("score_qualite_minimum");
        boolean doublons = p.bool("exclure_doublons", false);
        if (!p.valid()) {
            return invalid(p);
        }
        if ((lat == null) != (lon == null)) {
            return detail(422, "The `lat` and `lon` must be simultaneously filled.");
        }
        Commune commune = null;
        if (code != null) {
            commune = Communes.byCode(code);
            if (commune == null) {
                return detail(422, "This `code_commune` does not exist.");
            }
        }
        // lat/lon only move the point a commune's search is centred on: without a commune they are not used
        double[] point = commune == null ? null
                : lat != null ? new double[] {lat, lon} : new double[] {commune.latitude(), commune.longitude()};
        List<Hit> hits = d.search(new ServiceFilter(sources, thematiques, null, null, null, frais, publics,
                recherchePublic, modes, types, score), commune, point, doublons, bad);
        List<JsonNode> items = new ArrayList<>();
        for (Hit h : hits) {
            ObjectNode o = MAPPER.createObjectNode();
            o.set("service", d.detailedService(h.service()));
            if (h.distance() == null) {
                o.putNull("distance");
            } else {
                o.put("distance", h.distance());
            }
            items.add(o);
        }
        return json(200, Map.of(), page(items, page, size));
    }

    private Set<String> thematiques(Params p) {
        List<String> values = p.enumValues("thematiques", vocabulary.thematiques, vocabulary.categories);
        if (values == null) {
            return null;
        }
        Set<String> s = new LinkedHashSet<>();
        values.forEach(v -> s.addAll(vocabulary.expandThematique(v)));
        return s;
    }

    private String region(Params p) {
        String code = p.enumValue("code_region", vocabulary.regions);
        String slug = p.enumValue("slug_region", vocabulary.regionBySlug.keySet());
        return code != null ? code : slug == null ? null : vocabulary.regionBySlug.get(slug);
    }

    private String departement(Params p) {
        String code = p.enumValue("code_departement", vocabulary.departements);
        String slug = p.enumValue("slug_departement", vocabulary.departementBySlug.keySet());
        return code != null ? code : slug == null ? null : vocabulary.departementBySlug.get(slug);
    }

    /** The page envelope: {@code size} is the number of items returned, {@code pages} counts pages of the size asked. */
    private static Map<String, Object> page(List<? extends JsonNode> all, int page, int size) {
        int total = all.size();
        long from = Math.min((long) (page - 1) * size, total);
        long to = Math.min(from + size, total);
        List<? extends JsonNode> items = all.subList((int) from, (int) to);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("total", total);
        m.put("page", page);
        m.put("size", items.size());
        m.put("pages", (total + size - 1) / size);
        return m;
    }

    private static Answer invalid(Params p) {
        return json(422, Map.of(), Map.of("detail", p.errors));
    }

    private static String segment(String path) {
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------- control

    private Answer control(Call call) {
        String p = call.path();
        String m = call.method();
        switch (p) {
            case "/double/control":
                if (!allowed(m, "GET", "POST")) {
                    return notAllowed("GET, POST");
                }
                if (m.equals("POST")) {
                    try {
                        Behaviour next = behaviour.get().with(parseJson(call));
                        behaviour.set(next);
                        LOG.info("Dora double: behaviour now {}", next);
                    } catch (IllegalArgumentException e) {
                        return detail(400, e.getMessage());
                    }
                }
                return json(200, Map.of(), behaviour.get().toMap());
            case "/double/control/reset":
                if (!allowed(m, "POST")) {
                    return notAllowed("POST");
                }
                reset();
                return json(200, Map.of(), behaviour.get().toMap());
            case "/double/stats":
                if (!allowed(m, "GET")) {
                    return notAllowed("GET");
                }
                return json(200, Map.of(), stats.toMap());
            case "/double/tokens":
                if (!allowed(m, "POST")) {
                    return notAllowed("POST");
                }
                return mint(call);
            case "/double/fixtures":
                if (!allowed(m, "GET")) {
                    return notAllowed("GET");
                }
                return json(200, Map.of(), fixtures());
            case "/double/consumer":
                if (!allowed(m, "GET", "POST")) {
                    return notAllowed("GET, POST");
                }
                if (m.equals("POST")) {
                    try {
                        Settings.Consumer next = consumerWith(consumer.get(), parseJson(call));
                        consumer.set(next);
                        LOG.info("Dora double: consumer now {}", next);
                    } catch (IllegalArgumentException e) {
                        return detail(400, e.getMessage());
                    }
                }
                return json(200, Map.of(), consumerView(consumer.get()));
            case "/double/consumer/pull":
                if (!allowed(m, "POST")) {
                    return notAllowed("POST");
                }
                if (!pulling.tryLock()) {
                    return detail(409, "a pull is already running");
                }
                try {
                    stats.count(Stats.PULLS);
                    Report r = feedConsumer.pull(consumer.get());
                    lastPull.set(r);
                    return json(200, Map.of(), r.toMap());
                } finally {
                    pulling.unlock();
                }
            case "/double/consumer/report":
                if (!allowed(m, "GET")) {
                    return notAllowed("GET");
                }
                Report last = lastPull.get();
                return last == null ? detail(404, "no pull yet: POST /double/consumer/pull")
                        : json(200, Map.of(), last.toMap());
            case "/double/consumer/csv":
                if (!allowed(m, "POST")) {
                    return notAllowed("POST");
                }
                return csv(call);
            case "/double/consumer/csv/report":
                if (!allowed(m, "GET")) {
                    return notAllowed("GET");
                }
                Report csv = lastCsv.get();
                return csv == null ? detail(404, "no CSV checked yet: POST /double/consumer/csv")
                        : json(200, Map.of(), csv.toMap());
            default:
                return detail(404, "unknown control path");
        }
    }

    /**
     * Behaviour and consumer back to the settings; counters and reports emptied; fixtures rebuilt (the future
     * {@code date_maj} moves with the day).
     */
    void reset() {
        behaviour.set(settings.behaviour());
        consumer.set(settings.consumer());
        stats.clear();
        lastPull.set(null);
        lastCsv.set(null);
        directory.set(new Directory(Fixtures.build(today())));
        LOG.info("Dora double: reset");
    }

    /** {@code {"sub"?, "scopes"?}}: a token signed with the double's secret, {@code api} scope by default. */
    private Answer mint(Call call) {
        JsonNode body = parseJson(call);
        if (body != null && !body.isObject()) {
            return detail(400, "a JSON object is expected");
        }
        String sub = body == null || !body.path("sub").isTextual() ? "aisne-hub" : body.get("sub").asText();
        List<String> scopes = new ArrayList<>();
        JsonNode s = body == null ? null : body.get("scopes");
        if (s == null || s.isNull()) {
            scopes.add(SCOPE);
        } else if (s.isArray()) {
            for (JsonNode v : s) {
                if (!v.isTextual()) {
                    return detail(400, "scopes: a list of texts is expected");
                }
                scopes.add(v.asText());
            }
        } else {
            return detail(400, "scopes: a list of texts is expected");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("scopes", scopes);
        claims.put("created_at", OffsetDateTime.ofInstant(clock.instant(), PARIS).toString());
        stats.count(Stats.TOKENS_MINTED);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access", Jwt.sign(claims, settings.tokenSecret()));
        answer.put("sub", sub);
        answer.put("scopes", scopes);
        return json(200, Map.of("Cache-Control", "no-store"), answer);
    }

    private Map<String, Object> fixtures() {
        Directory d = directory.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", Vocabulary.SCHEMA_VERSION);
        m.put("includeBadItems", behaviour.get().includeBadItems());
        m.put("structures", counts(d.fixtures.structures));
        m.put("services", counts(d.fixtures.services));
        List<Map<String, Object>> bad = new ArrayList<>();
        addBad(bad, "structure", d.fixtures.structures);
        addBad(bad, "service", d.fixtures.services);
        m.put("bad", bad);
        Map<String, Object> warning = new LinkedHashMap<>(); // the same key order as "bad" (Map.of has none)
        warning.put("kind", "service");
        warning.put("id", Fixtures.WARNING_NOM_PERIOD);
        warning.put("field", "nom");
        warning.put("rule", SchemaCheck.NOM_PERIOD);
        m.put("warnings", List.of(warning));
        List<String> communes = new ArrayList<>();
        Communes.ALL.forEach(c -> communes.add(c.code() + " " + c.nom()));
        m.put("communes", communes);
        return m;
    }

    private static Map<String, Object> counts(List<Item> items) {
        Map<String, Integer> byDepartement = new java.util.TreeMap<>();
        int valid = 0;
        for (Item i : items) {
            if (i.bad() == null) {
                valid++;
                String code = i.codeInsee();
                byDepartement.merge(code == null ? "?" : code.substring(0, 2), 1, Integer::sum);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", valid);
        m.put("bad", items.size() - valid);
        m.put("validByDepartement", byDepartement);
        return m;
    }

    private static void addBad(List<Map<String, Object>> out, String kind, List<Item> items) {
        for (Item i : items) {
            if (i.bad() != null) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("kind", kind);
                b.put("id", i.id());
                b.put("field", i.bad().field());
                b.put("rule", i.bad().rule());
                b.put("why", i.bad().why());
                out.add(b);
            }
        }
    }

    private static Settings.Consumer consumerWith(Settings.Consumer c, JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        String base = c.feedBaseUrl();
        String token = c.token();
        int pageSize = c.pageSize();
        int timeout = c.timeoutSeconds();
        int maxPages = c.maxPages();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "feedBaseUrl" -> base = textOf(f.getKey(), v);
                case "token" -> token = textOf(f.getKey(), v);
                case "pageSize" -> pageSize = intOf(f.getKey(), v);
                case "timeoutSeconds" -> timeout = intOf(f.getKey(), v);
                case "maxPages" -> maxPages = intOf(f.getKey(), v);
                default -> throw new IllegalArgumentException("unknown field " + f.getKey());
            }
        }
        try {
            return new Settings.Consumer(base, token, pageSize, timeout, maxPages);
        } catch (IllegalArgumentException e) {
            // the record names the settings key: here the field was given without the prefix
            throw new IllegalArgumentException(e.getMessage().replace("consumer.", ""));
        }
    }

    private static String textOf(String field, JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + ": a text is expected");
        }
        return v.asText();
    }

    private static int intOf(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": an integer is expected");
        }
        return v.intValue();
    }

    private static Map<String, Object> consumerView(Settings.Consumer c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feedBaseUrl", c.feedBaseUrl());
        m.put("tokenSet", !c.token().isEmpty());
        m.put("pageSize", c.pageSize());
        m.put("timeoutSeconds", c.timeoutSeconds());
        m.put("maxPages", c.maxPages());
        return m;
    }

    private Answer csv(Call call) {
        byte[] body = call.body() == null ? new byte[0] : call.body();
        if (body.length > settings.csvMaxBytes()) {
            return detail(413, "CSV larger than csv.maxBytes (" + settings.csvMaxBytes() + " bytes)");
        }
        stats.count(Stats.CSV_CHECKS);
        try {
            Report r = csvOffer.check(body);
            lastCsv.set(r);
            LOG.info("Dora double: checked a CSV of {} rows: {} services accepted, {} rejected", r.rows,
                    r.counts.get(SchemaCheck.Kind.SERVICE)[1], r.counts.get(SchemaCheck.Kind.SERVICE)[2]);
            return json(200, Map.of(), r.toMap());
        } catch (CsvOffer.Unreadable e) {
            return detail(422, e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), PARIS);
    }

    private static boolean allowed(String method, String... allowed) {
        return List.of(allowed).contains(method);
    }

    private static Answer notAllowed(String allow) {
        return new Answer(405, Map.of("Allow", allow), body(Map.of("detail", "Method Not Allowed")), "application/json");
    }

    private static JsonNode parseJson(Call call) {
        if (call.body() == null || call.body().length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(call.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static Answer detail(int status, String detail) {
        return json(status, Map.of(), Map.of("detail", detail));
    }

    private static Answer json(int status, Map<String, String> headers, Object value) {
        return new Answer(status, headers, body(value), "application/json");
    }

    private static byte[] body(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
