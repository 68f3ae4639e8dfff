package fr.aisne.hub.doubles.immersionfacilitee;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.aisne.hub.doubles.immersionfacilitee.Conventions.Refused;
import fr.aisne.hub.doubles.immersionfacilitee.Schedule.Period;

/**
 * The Immersion Facilitée partner API v2, independent of the HTTP server: {@link #handle(Call)} takes a request and
 * gives the answer. Partner calls are under {@code /api} (the platform's base URL ends with {@code /api}); they go
 * through, in this order: the injected latency and outage, the request validation (query, body, header: 400 before
 * any authentication, as the platform's router), the key (401), the forced 429s and the rate limit (429 without
 * Retry-After), the consumer's rights (403), then the endpoint. Calls under {@code /double/} (control and stats)
 * skip all of that and are not counted.
 * <p>
 * Logs carry the method and path template, the status and the duration, never a key, a name or any personal value.
 */
final class ImmersionFaciliteeApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImmersionFaciliteeApi.class);
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static final String PREFIX = "/api";
    static final String CONVENTIONS = "/v2/conventions";
    static final String WEBHOOKS = "/v2/webhooks";
    static final int MAX_CONVENTIONS = 100;
    static final String ACCESS_DENIED = "Accès refusé";
    static final String TOO_MANY = "Too many requests, please try again later.";
    private static final Set<String> QUERY_KEYS = Set.of("startDateGreater", "startDateLessOrEqual", "withStatuses");
    private static final Set<String> CALLBACK_HEADERS = Set.of("authorization", "X-Gravitee-Api-Key", "operateur");
    private static final Pattern UUID_SHAPE = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CALLBACK_URL = Pattern.compile("^https?://.+?$");
    private static final String INVALID_ENUM = "Vous devez sélectionner une option parmi celles proposées";

    /** A request: method, path (no query), raw query, header lookup (case-insensitive), body (may be empty). */
    record Call(String method, String path, String query, Function<String, String> header, byte[] body) {
    }

    /** An answer: status, content type (null for none), extra headers, body (null for none). */
    record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        String text() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Ends the handling of a call with {@code answer}. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Answer answer;

        Stop(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final ApiKeys keys;
    private final AtomicReference<Behaviour> behaviour;
    private final RateLimiter limiter = new RateLimiter();
    private final Stats stats = new Stats();
    private final Webhooks webhooks;
    private final Conventions conventions;
    private final AtomicInteger created = new AtomicInteger();
    /** Partner calls being answered now (latency included): how many the client holds open at once. */
    private final AtomicInteger partnerCallsInFlight = new AtomicInteger();
    private volatile LongPredicate disconnector = millis -> false;

    ImmersionFaciliteeApi(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.keys = new ApiKeys(settings.jwtSecret());
        this.behaviour = new AtomicReference<>(settings.behaviour());
        this.webhooks = new Webhooks(settings.webhookConcurrency(), behaviour, stats, clock);
        this.conventions = new Conventions(event -> webhooks.fire(event, settings.consumers().values()));
        this.conventions.reset(Fixtures.all(settings));
    }

    /** What {@code POST /double/control/disconnect} calls; set by the server. */
    void disconnector(LongPredicate disconnector) {
        this.disconnector = disconnector;
    }

    Behaviour behaviour() {
        return behaviour.get();
    }

    /** The key of a consumer, as the platform would have issued it at its {@code keyIssuedAt}. */
    String keyOf(String consumerName) {
        Consumer c = settings.consumers().get(consumerName);
        return c == null ? null : keys.mint(c.id(), c.keyIssuedAt());
    }

    /** Answers {@code call}; never throws. */
    Answer handle(Call call) {
        if (call.path().equals("/double") || call.path().startsWith("/double/")) {
            try {
                return control(call);
            } catch (Stop s) {
                return s.answer;
            } catch (Refused r) {
                return json(r.status, Map.of("error", r.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("Immersion Facilitée double: control call failed ({})", e.getClass().getSimpleName());
                return json(500, Map.of("error", "internal error of the double"));
            }
        }
        long start = System.nanoTime();
        String endpoint = endpoint(call);
        Answer answer;
        partnerCallsInFlight.incrementAndGet();
        try {
            answer = partner(call, endpoint);
        } catch (Stop s) {
            answer = s.answer;
        } catch (RuntimeException e) {
            LOG.warn("Immersion Facilitée double: {} failed ({})", endpoint, e.getClass().getSimpleName());
            answer = error(500, "Internal server error");
        } finally {
            partnerCallsInFlight.decrementAndGet();
        }
        stats.answered(endpoint, answer.status());
        if (LOG.isDebugEnabled()) {
            LOG.debug("Immersion Facilitée double: {} -> {} ({} ms)", endpoint, answer.status(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return answer;
    }

    /** Method and path template of a partner call, safe to log and count (no value from the request). */
    static String endpoint(Call call) {
        String p = call.path();
        String method = call.method().matches("[A-Z]{3,7}") ? call.method() : "OTHER";
        String template;
        if (p.equals(PREFIX + CONVENTIONS) || p.equals(PREFIX + WEBHOOKS)) {
            template = p;
        } else if (isItem(p, PREFIX + CONVENTIONS)) {
            template = PREFIX + CONVENTIONS + "/{conventionId}";
        } else if (isItem(p, PREFIX + WEBHOOKS)) {
            template = PREFIX + WEBHOOKS + "/{subscriptionId}";
        } else {
            template = "(unknown path)";
        }
        return method + " " + template;
    }

    private static boolean isItem(String path, String collection) {
        return path.startsWith(collection + "/") && path.length() > collection.length() + 1
                && path.indexOf('/', collection.length() + 1) < 0;
    }

    // ---------------------------------------------------------------------------------------------- partner calls

    private Answer partner(Call call, String endpoint) {
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
            return gatewayPage(b.outageStatus());
        }
        String p = call.path();
        String m = call.method();
        switch (endpoint.substring(endpoint.indexOf(' ') + 1)) {
            case PREFIX + CONVENTIONS:
                if (m.equals("GET")) {
                    return listConventions(call);
                }
                break;
            case PREFIX + CONVENTIONS + "/{conventionId}":
                if (m.equals("GET")) {
                    return getConvention(call, decode(p.substring((PREFIX + CONVENTIONS).length() + 1)));
                }
                break;
            case PREFIX + WEBHOOKS:
                if (m.equals("POST")) {
                    return subscribe(call);
                }
                if (m.equals("GET")) {
                    return listSubscriptions(call);
                }
                break;
            case PREFIX + WEBHOOKS + "/{subscriptionId}":
                if (m.equals("DELETE")) {
                    return unsubscribe(call, decode(p.substring((PREFIX + WEBHOOKS).length() + 1)));
                }
                break;
            default:
                break;
        }
        return notFoundPage(call);
    }

    private Answer getConvention(Call call, String conventionId) {
        String route = "GET /v2/conventions/:conventionId";
        checkHeader(call, route);
        Consumer consumer = authenticate(call);
        if (!consumer.may(Consumer.READ)) {
            throw new Stop(forbidden(null, consumer));
        }
        if (!UUID_SHAPE.matcher(conventionId).matches()) {
            return json(400, errorBody(400, "Schema validation failed in usecase GetConvention. See issues for details.",
                    List.of("conventionId : Invalid UUID")));
        }
        String[] scope = conventions.scopeOf(conventionId);
        if (scope == null) {
            return error(404, "Aucune convention trouvée avec l'identifiant '" + conventionId
                    + "'. Êtes-vous sûr d'avoir bien tapé votre identifiant de convention ?");
        }
        if (!consumer.covers(scope[0], scope[1], scope[2], scope[3])) {
            return forbidden(conventionId, consumer);
        }
        Map<String, Object> read = conventions.read(conventionId);
        return read == null ? error(404, "Aucune convention trouvée avec l'identifiant '" + conventionId + "'.")
                : json(200, read);
    }

    private Answer listConventions(Call call) {
        String route = "GET /v2/conventions";
        Map<String, List<String>> query = parseQuery(call.query());
        List<String> unknown = new ArrayList<>();
        for (String k : query.keySet()) {
            if (!QUERY_KEYS.contains(k)) {
                unknown.add("\"" + k + "\"");
            }
        }
        List<String> issues = new ArrayList<>();
        if (!unknown.isEmpty()) {
            issues.add(" : Unrecognized key" + (unknown.size() > 1 ? "s" : "") + ": " + String.join(", ", unknown));
        }
        Instant greater = queryDate(query, "startDateGreater", issues);
        Instant lessOrEqual = queryDate(query, "startDateLessOrEqual", issues);
        Set<Status> statuses = EnumSet.noneOf(Status.class);
        for (String s : query.getOrDefault("withStatuses", List.of())) {
            Status st = Status.parse(s);
            if (st == null) {
                issues.add("withStatuses : Invalid input: expected array, received string");
                issues.add("withStatuses : " + INVALID_ENUM);
                break;
            }
            statuses.add(st);
        }
        if (!issues.isEmpty()) {
            return validationError("queryParamsSchema", route, issues);
        }
        checkHeader(call, route);
        Consumer consumer = authenticate(call);
        if (!consumer.may(Consumer.READ)) {
            throw new Stop(forbidden(null, consumer));
        }
        List<Map<String, Object>> list = conventions.list(c -> {
            Agency r = c.agency.referred();
            if (!consumer.covers(c.agency.id(), c.agency.kind(), r == null ? null : r.id(), r == null ? null : r.kind())) {
                return false;
            }
            Instant start = c.schedule.start().atStartOfDay(ZoneOffset.UTC).toInstant();
            return (greater == null || start.isAfter(greater)) && (lessOrEqual == null || !start.isAfter(lessOrEqual))
                    && (statuses.isEmpty() || statuses.contains(c.status));
        }, MAX_CONVENTIONS);
        return json(200, list);
    }

    /** {@code z.coerce.date()}: a date (UTC midnight) or an ISO date-time; absent is fine, anything else a 400. */
    private static Instant queryDate(Map<String, List<String>> query, String key, List<String> issues) {
        List<String> values = query.get(key);
        if (values == null) {
            return null;
        }
        if (values.size() == 1) {
            String v = values.get(0).trim();
            try {
                if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                if (v.matches("\\d{4}-\\d{2}-\\d{2}T[^ ]+")) {
                    try {
                        return OffsetDateTime.parse(v).toInstant();
                    } catch (DateTimeParseException e) {
                        // no offset: the platform's servers run in UTC
                        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
                    }
                }
            } catch (DateTimeParseException e) {
                // falls through to the issue
            }
        }
        issues.add(key + " : Invalid input: expected date, received Date");
        return null;
    }

    private Answer subscribe(Call call) {
        String route = "POST /v2/webhooks";
        JsonNode body = parseJson(call);
        List<String> issues = new ArrayList<>();
        JsonNode event = body == null ? null : body.get("subscribedEvent");
        if (event == null || !event.isTextual() || !event.asText().equals(Webhooks.CONVENTION_UPDATED)) {
            issues.add("subscribedEvent : " + INVALID_ENUM);
        }
        JsonNode url = body == null ? null : body.get("callbackUrl");
        if (url == null || !url.isTextual()) {
            issues.add("callbackUrl : Invalid input: expected string, received " + (url == null ? "undefined" : url.getNodeType().name().toLowerCase()));
        } else if (!CALLBACK_URL.matcher(url.asText()).matches()) {
            issues.add("callbackUrl : Invalid string: must match pattern /^https?:\\/\\/.+?$/");
        }
        JsonNode headers = body == null ? null : body.get("callbackHeaders");
        Map<String, String> callbackHeaders = new LinkedHashMap<>();
        if (headers == null || !headers.isObject()) {
            issues.add("callbackHeaders : Invalid input: expected record, received " + (headers == null ? "undefined" : headers.getNodeType().name().toLowerCase()));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> h = it.next();
                if (!CALLBACK_HEADERS.contains(h.getKey())) {
                    issues.add("callbackHeaders." + h.getKey() + " : Invalid key in record");
                } else if (!h.getValue().isTextual() || h.getValue().asText().isEmpty()) {
                    issues.add("callbackHeaders." + h.getKey() + " : Too small: expected string to have >=1 characters");
                } else if (h.getValue().asText().length() > 1024) {
                    issues.add("callbackHeaders." + h.getKey() + " : Too big: expected string to have <=1024 characters");
                } else {
                    callbackHeaders.put(h.getKey(), h.getValue().asText());
                }
            }
        }
        if (!issues.isEmpty()) {
            return validationError("requestBodySchema", route, issues);
        }
        checkHeader(call, route);
        Consumer consumer = authenticate(call);
        if (!consumer.may(Consumer.SUBSCRIPTION)) {
            throw new Stop(forbidden(null, consumer));
        }
        Webhooks.Subscription s = webhooks.subscribe(consumer, url.asText(), callbackHeaders);
        LOG.info("Immersion Facilitée double: consumer {} subscribed to convention.updated (subscription {})",
                consumer.name(), s.id());
        // express's res.status(201).json(undefined): a JSON content type and no body at all
        return new Answer(201, "application/json; charset=utf-8", Map.of(), new byte[0]);
    }

    private Answer listSubscriptions(Call call) {
        checkHeader(call, "GET /v2/webhooks");
        Consumer consumer = authenticate(call);
        if (!consumer.may(Consumer.SUBSCRIPTION)) {
            throw new Stop(forbidden(null, consumer));
        }
        List<Object> out = new ArrayList<>();
        for (Webhooks.Subscription s : webhooks.list(consumer)) {
            out.add(s.toJson());
        }
        return json(200, out);
    }

    private Answer unsubscribe(Call call, String subscriptionId) {
        checkHeader(call, "DELETE /v2/webhooks/:subscriptionId");
        Consumer consumer = authenticate(call);
        boolean known = webhooks.list(consumer).stream().anyMatch(s -> s.id().equals(subscriptionId));
        if (!known) {
            return error(404, "subscription " + subscriptionId + " not found");
        }
        if (!consumer.may(Consumer.SUBSCRIPTION)) {
            return settings.platformErrors()
                    ? error(403, "You do not have the \"SUBSCRIPTION\" kind associated to the \"convention\" right.")
                    : forbidden(null, consumer);
        }
        webhooks.delete(consumer, subscriptionId);
        LOG.info("Immersion Facilitée double: consumer {} deleted subscription {}", consumer.name(), subscriptionId);
        return new Answer(204, null, Map.of(), null);
    }

    /** The request validation of the {@code authorization} header (a string must be there). */
    private void checkHeader(Call call, String route) {
        if (call.header().apply("authorization") == null && settings.platformErrors()) {
            throw new Stop(validationError("headersSchema", route,
                    List.of("authorization : Invalid input: expected string, received undefined")));
        }
    }

    /** The consumer behind the raw key of the {@code authorization} header, or a Stop with the platform's 401/429. */
    private Consumer authenticate(Call call) {
        String key = call.header().apply("authorization");
        if (key == null || key.isEmpty()) {
            throw new Stop(error(401, "unauthenticated"));
        }
        Instant now = clock.instant();
        ApiKeys.Claims claims = keys.verify(key, now);
        if (claims == null) {
            throw new Stop(error(401, "incorrect Jwt"));
        }
        Consumer consumer = null;
        for (Consumer c : settings.consumers().values()) {
            if (c.id().equals(claims.consumerId())) {
                consumer = c;
            }
        }
        if (consumer == null) {
            throw new Stop(error(401, "consumer not found"));
        }
        if (consumer.revoked()) {
            throw new Stop(error(401, "api consumer revoked"));
        }
        if (claims.issuedAt() != null && claims.issuedAt().isBefore(consumer.keyIssuedAt())) {
            throw new Stop(error(401, "api key has been renewed"));
        }
        if (consumer.expiresAt().isBefore(now)) {
            throw new Stop(error(401, "expired token"));
        }
        Behaviour b = behaviour.get();
        if (takeForced429() || (b.rateLimitPerSecond() > 0 && !limiter.tryAcquire(consumer.id(), b.rateLimitPerSecond(),
                b.rateLimitPenaltyMillis(), clock.millis()))) {
            // the platform's 429: no Retry-After, no RateLimit-* header
            throw new Stop(error(429, TOO_MANY));
        }
        return consumer;
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

    /** A 403: the JSON string "Accès refusé" (docs/PARTNERS.md), or the platform's {status, message} objects. */
    private Answer forbidden(String conventionId, Consumer consumer) {
        if (!settings.platformErrors()) {
            return json(403, ACCESS_DENIED);
        }
        return conventionId == null ? error(403, ACCESS_DENIED)
                : error(403, "Le consomateur API '" + consumer.id() + "' n'a pas de droits sur la convention '"
                        + conventionId + "'.");
    }

    private static Answer validationError(String schema, String route, List<String> issues) {
        return json(400, errorBody(400, "Shared-route schema '" + schema + "' was not respected in adapter 'express'.\n"
                + "Route: " + route, new ArrayList<>(new LinkedHashSet<>(issues))));
    }

    private static Map<String, Object> errorBody(int status, String message, List<String> issues) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (issues != null) {
            m.put("issues", issues);
        }
        m.put("message", message);
        m.put("status", status);
        return m;
    }

    private static Answer error(int status, String message) {
        return json(status, errorBody(status, message, null));
    }

    /** What the platform's reverse proxy answers while the application is down. */
    private static Answer gatewayPage(int status) {
        String reason = switch (status) {
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> "Server Error";
        };
        String html = "<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>"
                + status + " " + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        return new Answer(status, "text/html", Map.of(), html.getBytes(StandardCharsets.UTF_8));
    }

    /** Express's answer to a path or method it has no route for. */
    private static Answer notFoundPage(Call call) {
        String path = call.path().startsWith(PREFIX + "/") ? call.path().substring(PREFIX.length()) : call.path();
        String shown = path.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String method = call.method().matches("[A-Z]{3,7}") ? call.method() : "OTHER";
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
                + "</head>\n<body>\n<pre>Cannot " + method + " " + shown + "</pre>\n</body>\n</html>\n";
        return new Answer(404, "text/html; charset=utf-8", Map.of(), html.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------- control

    private Answer control(Call call) {
        String p = call.path();
        String m = call.method();
        if (p.equals("/double/control")) {
            allow(m, "GET", "POST");
            if (m.equals("POST")) {
                try {
                    Behaviour next = behaviour.get().with(parseJson(call));
                    behaviour.set(next);
                    LOG.info("Immersion Facilitée double: behaviour now {}", next);
                } catch (IllegalArgumentException e) {
                    return json(400, Map.of("error", e.getMessage()));
                }
            }
            return json(200, behaviour.get().toMap());
        }
        if (p.equals("/double/control/reset")) {
            allow(m, "POST");
            reset();
            return json(200, behaviour.get().toMap());
        }
        if (p.equals("/double/control/disconnect")) {
            allow(m, "POST");
            JsonNode body = parseJson(call);
            JsonNode seconds = body == null ? null : body.get("seconds");
            if (seconds == null || !seconds.isIntegralNumber() || seconds.intValue() < 1 || seconds.intValue() > 600) {
                return json(400, Map.of("error", "seconds: an integer between 1 and 600 is expected"));
            }
            if (!disconnector.test(seconds.longValue() * 1000)) {
                return json(409, Map.of("error", "already disconnected, or the double is stopped"));
            }
            LOG.info("Immersion Facilitée double: connections refused for {} s", seconds.intValue());
            return json(202, Map.of("refusedForSeconds", seconds.intValue()));
        }
        if (p.equals("/double/control/consumers")) {
            allow(m, "GET");
            return json(200, consumers());
        }
        if (p.equals("/double/control/keys")) {
            allow(m, "POST");
            return mintKey(parseJson(call));
        }
        if (p.equals("/double/control/deliveries")) {
            allow(m, "GET");
            return json(200, webhooks.recent());
        }
        if (p.equals("/double/control/conventions")) {
            allow(m, "GET", "POST");
            return m.equals("GET") ? json(200, conventions.summaries()) : create(parseJson(call));
        }
        if (p.startsWith("/double/control/conventions/") && p.indexOf('/', "/double/control/conventions/".length()) < 0) {
            String id = decode(p.substring("/double/control/conventions/".length()));
            allow(m, "GET", "POST");
            if (m.equals("GET")) {
                Map<String, Object> read = conventions.read(id);
                return read == null ? json(404, Map.of("error", "unknown convention")) : json(200, read);
            }
            return action(id, parseJson(call));
        }
        if (p.equals("/double/stats")) {
            allow(m, "GET");
            return json(200, stats());
        }
        return json(404, Map.of("error", "unknown control path"));
    }

    /** Behaviour back to the settings; conventions back to the fixtures; subscriptions, counters, windows emptied. */
    void reset() {
        behaviour.set(settings.behaviour());
        limiter.clear();
        webhooks.reset();
        stats.clear();
        created.set(0);
        conventions.reset(Fixtures.all(settings));
        LOG.info("Immersion Facilitée double: reset");
    }

    Map<String, Object> stats() {
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("conventions", conventions.size());
        live.put("subscriptions", webhooks.subscriptionCount());
        live.put("webhooksInFlight", webhooks.inFlight());
        live.put("partnerCallsInFlight", partnerCallsInFlight.get());
        return stats.toMap(live);
    }

    private List<Object> consumers() {
        List<Object> out = new ArrayList<>();
        for (Consumer c : settings.consumers().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("id", c.id());
            m.put("rights", new ArrayList<>(new java.util.TreeSet<>(c.rights())));
            List<String> agencies = new ArrayList<>();
            for (String id : c.agencyIds()) {
                Agency a = Agency.find(id);
                agencies.add(a == null ? id : a.alias());
            }
            java.util.Collections.sort(agencies);
            m.put("agencies", agencies);
            m.put("agencyKinds", new ArrayList<>(new java.util.TreeSet<>(c.agencyKinds())));
            m.put("revoked", c.revoked());
            m.put("expiresAt", c.expiresAt().toString());
            m.put("keyIssuedAt", c.keyIssuedAt().toString());
            // a double-only key, handed to the demo and the tests (never logged)
            m.put("key", keys.mint(c.id(), c.keyIssuedAt()));
            out.add(m);
        }
        return out;
    }

    /** {"consumer": name} or {"consumerId": id}, optional "issuedAt" and "expiresInSeconds" (an exp claim). */
    private Answer mintKey(JsonNode body) {
        if (body == null || !body.isObject()) {
            return json(400, Map.of("error", "a JSON object is expected"));
        }
        String id = body.path("consumerId").asText(null);
        if (body.hasNonNull("consumer")) {
            Consumer c = settings.consumers().get(body.get("consumer").asText());
            if (c == null) {
                return json(400, Map.of("error", "unknown consumer name"));
            }
            id = c.id();
        }
        if (id == null || id.isBlank()) {
            return json(400, Map.of("error", "consumer or consumerId is expected"));
        }
        Instant issued = clock.instant();
        if (body.hasNonNull("issuedAt")) {
            try {
                issued = Instant.parse(body.get("issuedAt").asText());
            } catch (DateTimeParseException e) {
                return json(400, Map.of("error", "issuedAt: an instant yyyy-MM-ddTHH:mm:ssZ is expected"));
            }
        }
        String key = keys.mint(id, issued);
        return json(200, Map.of("key", key));
    }

    /**
     * {@code POST /double/control/conventions}: a new convention, submitted now and taken to {@code status}
     * (default READY_TO_SIGN) through the legal moves, each firing its webhook (none when {@code silent}).
     */
    private Answer create(JsonNode body) {
        if (body == null || !body.isObject()) {
            return json(400, Map.of("error", "a JSON object is expected"));
        }
        try {
            String alias = body.path("agency").asText("cd02");
            Agency agency = Agency.find(alias);
            if (agency == null) {
                throw new IllegalArgumentException("agency: one of cd02, ft-laon, ft-saint-quentin, cd80, ft-amiens (or an agency id)");
            }
            Status target = Status.READY_TO_SIGN;
            if (body.hasNonNull("status")) {
                target = Status.parse(body.get("status").asText());
                if (target == null) {
                    throw new IllegalArgumentException("status: one of " + java.util.Arrays.toString(Status.values()));
                }
            }
            LocalDate today = LocalDate.ofInstant(clock.instant(), PARIS);
            LocalDate start = body.hasNonNull("dateStart") ? date(body.get("dateStart").asText(), "dateStart")
                    : today.plusDays(7).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
            LocalDate end = body.hasNonNull("dateEnd") ? date(body.get("dateEnd").asText(), "dateEnd") : start.plusDays(4);
            Schedule schedule = schedule(body, start, end);
            int n = created.incrementAndGet();
            Random r = new Random(settings.fixturesSeed() * 31 + n);
            Convention c = Fixtures.base(r, Fixtures.uuid(r), agency, schedule, n);
            applyBeneficiary(c, body.get("beneficiary"));
            if (body.path("employee").asBoolean(false)) {
                c.currentEmployer = new Convention.Employer(new Convention.Person("Alex", "Employeur",
                        "rh." + n + "@employeur.example.net", "+33300000000", "Responsable RH"),
                        Fixtures.siret(r), "Employeur actuel du bénéficiaire", "1 rue de l'Usine, 02100 Saint-Quentin");
            }
            if (body.hasNonNull("siret")) {
                c.siret = text(body.get("siret"), "siret", "\\d{14}");
            }
            if (body.hasNonNull("businessName")) {
                c.businessName = text(body.get("businessName"), "businessName", ".{1,255}");
            }
            Map<String, Object> read = conventions.create(c, target, clock.instant(), body.path("silent").asBoolean(false));
            LOG.info("Immersion Facilitée double: convention {} created ({}, {})", c.id, agency.alias(), target);
            return json(201, read);
        } catch (IllegalArgumentException e) {
            return json(400, Map.of("error", e.getMessage()));
        }
    }

    /** {@code POST /double/control/conventions/{id}} with an {@code action}: sign, status, edit, transfer, assessment, resend. */
    private Answer action(String id, JsonNode body) {
        if (body == null || !body.isObject() || !body.hasNonNull("action")) {
            return json(400, Map.of("error", "{\"action\": sign|status|edit|transfer|assessment|resend, ...} is expected"));
        }
        Instant now = clock.instant();
        String action = body.get("action").asText();
        Map<String, Object> read;
        try {
            switch (action) {
                case "sign" -> read = conventions.sign(id, body.path("role").asText(""), now);
                case "status" -> {
                    Status target = Status.parse(body.path("status").asText(null));
                    if (target == null) {
                        throw new Refused(400, "status: one of " + java.util.Arrays.toString(Status.values()));
                    }
                    read = conventions.move(id, target, body.path("justification").asText(null), now);
                }
                case "edit" -> {
                    JsonNode changes = body.get("changes");
                    if (changes == null || !changes.isObject()) {
                        throw new Refused(400, "changes: a JSON object is expected");
                    }
                    read = conventions.edit(id, c -> applyChanges(c, changes), now);
                }
                case "transfer" -> {
                    Agency to = Agency.find(body.path("agency").asText(""));
                    if (to == null) {
                        throw new Refused(400, "agency: one of cd02, ft-laon, ft-saint-quentin, cd80, ft-amiens (or an agency id)");
                    }
                    read = conventions.transfer(id, to, now);
                }
                case "assessment" -> read = conventions.assess(id, assessment(body, now));
                case "resend" -> read = conventions.resend(id, body.path("force").asBoolean(false), now);
                default -> throw new Refused(400, "action: sign, status, edit, transfer, assessment or resend");
            }
        } catch (IllegalArgumentException e) {
            throw new Refused(400, e.getMessage());
        }
        LOG.info("Immersion Facilitée double: convention {} {} -> {}", id, action, read.get("status"));
        return json(200, read);
    }

    private static Convention.Assessment assessment(JsonNode body, Instant now) {
        String status = body.path("status").asText("");
        switch (status) {
            case "COMPLETED", "PARTIALLY_COMPLETED", "DID_NOT_SHOW" -> {
                JsonNode job = body.get("endedWithAJob");
                if (job == null || !job.isBoolean()) {
                    throw new IllegalArgumentException("endedWithAJob: true or false expected");
                }
                return new Convention.Assessment(status, job.booleanValue(), now,
                        body.path("signed").asBoolean(false) ? now : null);
            }
            case "FINISHED", "ABANDONED" -> {
                return new Convention.Assessment(status, null, now, null);
            }
            default -> throw new IllegalArgumentException(
                    "status: COMPLETED, PARTIALLY_COMPLETED, DID_NOT_SHOW (or the legacy FINISHED, ABANDONED)");
        }
    }

    /** Applies an edit's changes, checking everything before changing anything. */
    private static void applyChanges(Convention c, JsonNode changes) {
        for (Iterator<String> it = changes.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!Set.of("dateStart", "dateEnd", "hours", "weekdays", "complexSchedule", "totalHours", "immersionAddress",
                    "immersionActivities", "businessName", "siret", "beneficiary", "agencyReferent").contains(f)) {
                throw new IllegalArgumentException("changes: unknown or not editable field " + f);
            }
        }
        Schedule schedule = c.schedule;
        if (changes.has("dateStart") || changes.has("dateEnd") || changes.has("hours") || changes.has("weekdays")
                || changes.has("complexSchedule")) {
            LocalDate start = changes.has("dateStart") ? date(changes.get("dateStart").asText(), "dateStart") : c.schedule.start();
            LocalDate end = changes.has("dateEnd") ? date(changes.get("dateEnd").asText(), "dateEnd") : c.schedule.end();
            schedule = schedule(changes, start, end);
        }
        if (changes.has("totalHours")) {
            JsonNode t = changes.get("totalHours");
            if (!t.isNumber()) {
                throw new IllegalArgumentException("totalHours: a number is expected");
            }
            schedule = schedule.withLegacyTotalHours(t.asDouble());
        }
        String address = changes.has("immersionAddress") ? text(changes.get("immersionAddress"), "immersionAddress", ".{1,255}") : null;
        String activities = changes.has("immersionActivities") ? text(changes.get("immersionActivities"), "immersionActivities", "(?s).{1,2000}") : null;
        String name = changes.has("businessName") ? text(changes.get("businessName"), "businessName", ".{1,255}") : null;
        String siret = changes.has("siret") ? text(changes.get("siret"), "siret", "\\d{14}") : null;
        JsonNode referent = changes.get("agencyReferent");
        if (referent != null && (!referent.path("firstname").isTextual() || !referent.path("lastname").isTextual())) {
            throw new IllegalArgumentException("agencyReferent: {firstname, lastname} expected");
        }
        Convention probe = new Convention(c.id);
        probe.beneficiary = new Convention.Beneficiary(new Convention.Person(c.beneficiary.person.firstName,
                c.beneficiary.person.lastName, c.beneficiary.person.email, c.beneficiary.person.phone, null),
                c.beneficiary.birthdate, c.beneficiary.isRqth);
        applyBeneficiary(probe, changes.get("beneficiary"));
        // everything checked: apply
        c.schedule = schedule;
        if (address != null) {
            c.immersionAddress = address;
        }
        if (activities != null) {
            c.immersionActivities = activities;
        }
        if (name != null) {
            c.businessName = name;
        }
        if (siret != null) {
            c.siret = siret;
        }
        if (referent != null) {
            c.agencyReferent = new String[] {referent.get("firstname").asText(), referent.get("lastname").asText()};
        }
        applyBeneficiary(c, changes.get("beneficiary"));
    }

    /** {@code beneficiary: {firstName, lastName, birthdate, email, phone, isRqth}}, each optional. */
    private static void applyBeneficiary(Convention c, JsonNode b) {
        if (b == null || b.isNull()) {
            return;
        }
        if (!b.isObject()) {
            throw new IllegalArgumentException("beneficiary: a JSON object is expected");
        }
        String first = b.hasNonNull("firstName") ? text(b.get("firstName"), "beneficiary.firstName", ".{1,255}") : null;
        String last = b.hasNonNull("lastName") ? text(b.get("lastName"), "beneficiary.lastName", ".{1,255}") : null;
        LocalDate birth = b.hasNonNull("birthdate") ? date(b.get("birthdate").asText(), "beneficiary.birthdate") : null;
        String email = b.hasNonNull("email") ? text(b.get("email"), "beneficiary.email", "[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}") : null;
        String phone = b.hasNonNull("phone") ? text(b.get("phone"), "beneficiary.phone", "\\+?[0-9 ]{6,20}") : null;
        if (b.has("isRqth") && !b.get("isRqth").isBoolean()) {
            throw new IllegalArgumentException("beneficiary.isRqth: true or false expected");
        }
        if (birth != null && birth.plusYears(16).isAfter(c.schedule == null ? LocalDate.now(PARIS) : c.schedule.start())) {
            throw new IllegalArgumentException("beneficiary.birthdate: the double only holds beneficiaries of 16 or more");
        }
        if (first != null) {
            c.beneficiary.person.firstName = first;
        }
        if (last != null) {
            c.beneficiary.person.lastName = last;
        }
        if (first != null || last != null) {
            // keep the generated address in line with the given name (the e-mail is personal data: never logged)
            c.beneficiary.person.email = Fixtures.ascii(c.beneficiary.person.firstName) + "."
                    + Fixtures.ascii(c.beneficiary.person.lastName) + "@example.net";
        }
        if (birth != null) {
            c.beneficiary.birthdate = birth;
        }
        if (email != null) {
            c.beneficiary.person.email = email;
        }
        if (phone != null) {
            c.beneficiary.person.phone = phone.replace(" ", "");
        }
        if (b.has("isRqth")) {
            c.beneficiary.isRqth = b.get("isRqth").booleanValue();
        }
    }

    /**
     * The schedule of a create or an edit: {@code complexSchedule} in the partner's shape, or {@code hours}
     * ({@code [{start, end}]}, default 09:00-12:00 and 13:00-17:00) on {@code weekdays} (1 = Monday, default 1-5).
     */
    private static Schedule schedule(JsonNode body, LocalDate start, LocalDate end) {
        JsonNode complex = body.get("complexSchedule");
        if (complex != null) {
            if (!complex.isArray()) {
                throw new IllegalArgumentException("complexSchedule: an array of {date, timePeriods} is expected");
            }
            Map<LocalDate, List<Period>> days = new LinkedHashMap<>();
            for (JsonNode day : complex) {
                String date = day.path("date").asText("");
                LocalDate d = date.length() >= 10 ? date(date.substring(0, 10), "complexSchedule.date") : null;
                if (d == null) {
                    throw new IllegalArgumentException("complexSchedule.date: an ISO date is expected");
                }
                days.put(d, periods(day.get("timePeriods"), "complexSchedule.timePeriods"));
            }
            return Schedule.daily(start, end, days);
        }
        List<Period> periods = body.has("hours") ? periods(body.get("hours"), "hours")
                : List.of(Period.of("09:00", "12:00"), Period.of("13:00", "17:00"));
        Set<DayOfWeek> weekdays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        if (body.has("weekdays")) {
            JsonNode w = body.get("weekdays");
            if (!w.isArray() || w.isEmpty()) {
                throw new IllegalArgumentException("weekdays: an array of 1 (Monday) to 7 (Sunday) is expected");
            }
            weekdays = EnumSet.noneOf(DayOfWeek.class);
            for (JsonNode d : w) {
                if (!d.isInt() || d.intValue() < 1 || d.intValue() > 7) {
                    throw new IllegalArgumentException("weekdays: an array of 1 (Monday) to 7 (Sunday) is expected");
                }
                weekdays.add(DayOfWeek.of(d.intValue()));
            }
        }
        return Schedule.weekly(start, end, weekdays, periods);
    }

    private static List<Period> periods(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(field + ": an array of {start, end} (HH:mm) is expected");
        }
        List<Period> out = new ArrayList<>();
        for (JsonNode p : node) {
            out.add(new Period(Schedule.time(p.path("start").asText(null)), Schedule.time(p.path("end").asText(null))));
        }
        return out;
    }

    private static LocalDate date(String value, String field) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": a date yyyy-MM-dd is expected");
        }
    }

    private static String text(JsonNode node, String field, String regex) {
        if (!node.isTextual() || !node.asText().matches(regex)) {
            throw new IllegalArgumentException(field + ": not a valid value");
        }
        return node.asText();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static void allow(String method, String... allowed) {
        if (!java.util.Arrays.asList(allowed).contains(method)) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Allow", String.join(", ", allowed));
            throw new Stop(new Answer(405, "application/json; charset=utf-8", headers,
                    bytes(Map.of("error", "method not allowed, expected " + String.join(", ", allowed)))));
        }
    }

    /** The query as the platform's parser (qs) reads it: repeated keys and {@code key[]} / {@code key[n]} are arrays. */
    static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return m;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            int bracket = k.indexOf('[');
            if (bracket > 0 && k.endsWith("]")) {
                k = k.substring(0, bracket);
            }
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static String formDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String decode(String pathSegment) {
        try {
            return URLDecoder.decode(pathSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return pathSegment;
        }
    }

    private static JsonNode parseJson(Call call) {
        if (call.body() == null || call.body().length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(call.body());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static Answer json(int status, Object body) {
        return new Answer(status, "application/json; charset=utf-8", Map.of(), bytes(body));
    }

    private static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
