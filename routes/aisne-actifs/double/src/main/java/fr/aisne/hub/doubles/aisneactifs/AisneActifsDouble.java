package fr.aisne.hub.doubles.aisneactifs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Local stand-in for Aisne-actifs.com, the department's case-management platform, on its own port and CamelContext,
 * faithful to contract v1 (docs/contracts/aisne-actifs/v1), the platform's side:
 * <ul>
 * <li>{@code POST /aisne-actifs/webhook}: receives the hub's events; checks {@code X-Hub-Timestamp} (within
 * {@code webhook.toleranceSeconds} of its clock) and {@code X-Hub-Signature} ({@code v1=} HMAC-SHA256 of
 * "timestamp.body" with {@code webhook.secret}, compared in constant time): 401 {@code {"error"}} otherwise; then
 * records the event (an event id received twice is recorded once, as the contract asks of the platform) and
 * answers 200. {@code failNext} calls are answered {@code failStatus} first (503 by default: the hub retries);</li>
 * <li>{@code GET /double/control/recus[?type=&personId=]}: the events recorded, in arrival order, and the counts
 * ({@code refuses}, {@code doublons});</li>
 * <li>{@code POST /double/control/envoyer {"type": "orientation", "decision": {...}}}: sends a referent's decision
 * to the hub ({@code POST <hub.url>/in/aisne-actifs/<type>}, HTTP Basic {@code hub.user} with the password of
 * {@code hub.password} or the file {@code hub.passwordFile}, {@code X-Message-Id} = its decisionId) and answers
 * the hub's status and body;</li>
 * <li>{@code POST /double/control {"failNext": n, "failStatus": s}}; {@code POST /double/control/reset}.</li>
 * </ul>
 * Settings in etc/hub.double.aisneactifs.cfg. Never installed in production. No secret or signature is logged.
 */
@Component(immediate = true, configurationPid = "hub.double.aisneactifs", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class AisneActifsDouble {
    private static final Logger LOG = LoggerFactory.getLogger(AisneActifsDouble.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGNATURE = Pattern.compile("v1=[0-9a-f]{64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Set<String> TYPES = Set.of("orientation", "referent", "contrat-engagement", "rendez-vous",
            "reorientation", "sanction", "action-entree", "action-sortie");

    private final List<JsonNode> received = new ArrayList<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    private DefaultCamelContext camel;
    private HttpClient client;
    private String secret;
    private long toleranceSeconds;
    private String hubUrl;
    private String hubUser;
    private String hubPassword;
    private Path hubPasswordFile;

    @Activate
    void activate(Map<String, Object> config) throws Exception {
        String host = setting(config, "http.host", "127.0.0.1");
        int port = Integer.parseInt(setting(config, "http.port", "8989"));
        secret = setting(config, "webhook.secret", "double-webhook-secret-change-me-0123456789");
        toleranceSeconds = Long.parseLong(setting(config, "webhook.toleranceSeconds", "300"));
        hubUrl = setting(config, "hub.url", "http://127.0.0.1:8181/hub");
        hubUser = setting(config, "hub.user", "admin");
        hubPassword = setting(config, "hub.password", "");
        Path file = Paths.get(setting(config, "hub.passwordFile", "etc/hub-admin.password"));
        hubPasswordFile = file.isAbsolute() ? file : Paths.get(System.getProperty("karaf.base", ".")).resolve(file);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "jetty:http://" + host + ":" + port;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader runtime = DefaultCamelContext.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(runtime);
        try {
            camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("double-aisne-actifs");
            camel.setApplicationContextClassLoader(runtime);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(base + "/aisne-actifs/webhook?httpMethodRestrict=POST").routeId("double-aisne-actifs.webhook")
                            .process(e -> webhook(e));
                    from(base + "/double/control/recus?httpMethodRestrict=GET").routeId("double-aisne-actifs.recus")
                            .process(e -> answer(e, 200, recus(e.getMessage().getHeader("type", String.class),
                                    e.getMessage().getHeader("personId", String.class))));
                    from(base + "/double/control/envoyer?httpMethodRestrict=POST").routeId("double-aisne-actifs.envoyer")
                            .process(e -> envoyer(e));
                    from(base + "/double/control/reset?httpMethodRestrict=POST").routeId("double-aisne-actifs.reset")
                            .process(e -> {
                                synchronized (received) {
                                    received.clear();
                                }
                                refused.set(0);
                                duplicates.set(0);
                                failNext.set(0);
                                answer(e, 200, JSON.createObjectNode().put("reset", true));
                            });
                    from(base + "/double/control?httpMethodRestrict=POST").routeId("double-aisne-actifs.control")
                            .process(e -> {
                                JsonNode c = JSON.readTree(e.getMessage().getBody(byte[].class));
                                failNext.set(c.path("failNext").asInt(0));
                                failStatus = c.path("failStatus").asInt(503);
                                answer(e, 200, JSON.createObjectNode().put("failNext", failNext.get()).put("failStatus", failStatus));
                            });
                }
            });
            camel.start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        LOG.info("Aisne-actifs.com double listening on http://{}:{}/aisne-actifs/webhook, sending decisions to {}", host, port,
                hubUrl);
    }

    @Deactivate
    void deactivate() {
        if (camel != null) {
            camel.stop();
        }
    }

    private void webhook(Exchange e) throws IOException {
        byte[] body = e.getMessage().getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        // only real headers: Camel's Jetty consumer also copies query parameters into the headers
        String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class);
        String ts = query.isEmpty() ? e.getMessage().getHeader("X-Hub-Timestamp", String.class) : null;
        String sig = query.isEmpty() ? e.getMessage().getHeader("X-Hub-Signature", String.class) : null;
        String problem = check(ts, sig, body, System.currentTimeMillis() / 1000);
        if (problem != null) {
            refused.incrementAndGet();
            LOG.debug("Webhook refused: {}", problem);
            answer(e, 401, JSON.createObjectNode().put("error", problem));
            return;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(e, failStatus, JSON.createObjectNode().put("error", "injected failure"));
            return;
        }
        JsonNode event = JSON.readTree(body);
        String id = event.path("id").asText();
        synchronized (received) {
            if (received.stream().anyMatch(r -> r.path("id").asText().equals(id))) {
                duplicates.incrementAndGet();
            } else {
                received.add(event);
            }
        }
        answer(e, 200, JSON.createObjectNode().put("recu", id));
    }

    /** Null when the call is signed with the shared key and fresh; otherwise why not (no value quoted). */
    String check(String ts, String sig, byte[] body, long nowSeconds) {
        if (ts == null || !TIMESTAMP.matcher(ts).matches()) {
            return "missing or malformed X-Hub-Timestamp";
        }
        if (Math.abs(nowSeconds - Long.parseLong(ts)) > toleranceSeconds) {
            return "X-Hub-Timestamp is more than " + toleranceSeconds + " s away: replayed or clock skew";
        }
        if (sig == null || !SIGNATURE.matcher(sig).matches()) {
            return "missing or malformed X-Hub-Signature";
        }
        byte[] expected = sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return "X-Hub-Signature does not match";
        }
        return null;
    }

    static String sign(String key, String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private ObjectNode recus(String type, String personId) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("evenements");
        synchronized (received) {
            for (JsonNode r : received) {
                if ((type == null || type.equals(r.path("type").asText()))
                        && (personId == null || personId.equals(r.path("personId").asText()))) {
                    list.add(r);
                }
            }
            out.put("total", received.size());
        }
        out.put("refuses", refused.get());
        out.put("doublons", duplicates.get());
        return out;
    }

    private void envoyer(Exchange e) throws IOException, InterruptedException {
        JsonNode c = JSON.readTree(e.getMessage().getBody(byte[].class));
        String type = c.path("type").asText();
        JsonNode decision = c.path("decision");
        if (!TYPES.contains(type) || !decision.isObject()) {
            answer(e, 400, JSON.createObjectNode().put("error", "type must be one of " + TYPES + " and decision an object"));
            return;
        }
        String password = hubPassword.isEmpty() && Files.isReadable(hubPasswordFile)
                ? Files.readString(hubPasswordFile, StandardCharsets.UTF_8).strip() : hubPassword;
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(hubUrl + "/in/aisne-actifs/" + type))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((hubUser + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(decision)));
        String id = decision.path("decisionId").asText();
        if (id.matches("[A-Za-z0-9._:-]{1,64}")) {
            post.header("X-Message-Id", id);
        }
        HttpResponse<String> r = client.send(post.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode out = JSON.createObjectNode().put("status", r.statusCode());
        try {
            out.set("body", JSON.readTree(r.body()));
        } catch (IOException notJson) {
            out.put("body", r.body());
        }
        answer(e, 200, out);
    }

    private static void answer(Exchange e, int status, JsonNode body) throws IOException {
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(JSON.writeValueAsString(body));
    }

    private static String setting(Map<String, Object> config, String key, String defaultValue) {
        Object v = config.get(key);
        return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
    }
}
