package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Redaction;

/**
 * {@code POST /hub/in/immersion-facilitee/conventions}: the platform's convention.updated calls. In this order, and
 * nothing is read before it passes: no query string (Camel would turn {@code ?authorization=} into a header); the
 * static secret header chosen at subscription ({@code authorization}), compared in constant time by the hub (a wrong
 * or missing one is a 401, counted in {@code hub_http_refused_total{reason="credentials"}}, an address that keeps
 * failing is held off with 429); the declared size. Then the body is read as a bounded stream, only for the
 * convention's id, the status and {@code updatedAt} the call claims, and its digest: what is journaled is a
 * {@link HandOver}, never the platform's payload (e-mails, phones, emergency contact, isRqth are not kept). The
 * call's SHA-256 is its partner message id: an identical call made twice is journaled as a DUPLICATE.
 */
final class WebhookIntake implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    static final String SECRET_HEADER = "authorization";
    static final String SENDER = "immersion-facilitee-webhook";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();

    private final HttpSecurity http;
    private final Supplier<String> secret;
    private final Intake intake;
    private final Flow flow;
    private final long maxBytes;
    private final Clock clock;

    WebhookIntake(HttpSecurity http, Supplier<String> secret, Intake intake, Flow flow, long maxBytes, Clock clock) {
        this.http = http;
        this.secret = secret;
        this.intake = intake;
        this.flow = flow;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    @Override
    public void process(Exchange e) {
        try {
            take(e);
        } catch (Exception ex) {
            String reference = java.util.UUID.randomUUID().toString();
            LOG.error("Immersion Facilitée webhook intake failed (reference {}): {}", reference, Redaction.describe(ex));
            http.json(e, 500, Map.of("error", "the hub could not take the call", "reference", reference));
        }
    }

    private void take(Exchange e) throws IOException {
        String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            http.json(e, 400, Map.of("error", "no query string is accepted here"));
            return;
        }
        String expected = secret.get();
        if (expected == null || expected.isEmpty()) {
            http.json(e, 503, Map.of("error", "the hub has no webhook secret yet"));
            return;
        }
        if (!http.checkSecretHeader(e, SECRET_HEADER, expected) || !http.bodyWithin(e, maxBytes)) {
            return;
        }
        Read read;
        try (InputStream body = e.getMessage().getBody(InputStream.class)) {
            read = read(body, maxBytes);
        }
        if (read == null) {
            http.json(e, 413, Map.of("error", "request body larger than " + maxBytes + " bytes"));
            return;
        }
        HandOver h = new HandOver(read.id() == null ? "" : read.id(), HandOver.WEBHOOK, clock.instant(), read.status(),
                read.updatedAt(), read.sha256());
        IngestResult r = h.handTo(intake, flow, "wh-" + read.sha256().substring(0, 40), SENDER);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exchangeId", r.exchangeId());
        out.put("outcome", r.outcome().name());
        if (r.reason() != null) {
            out.put("reason", r.reason());
        }
        http.json(e, r.outcome().httpStatus(), out);
        if (r.retryAfterSeconds() > 0) {
            e.getMessage().setHeader("Retry-After", String.valueOf(r.retryAfterSeconds()));
        }
    }

    /** What is read of a call: the convention's id, claimed status and updatedAt, the body's SHA-256. */
    record Read(String id, String status, String updatedAt, String sha256) {
    }

    /** Reads at most {@code max} bytes (null beyond), picking payload.convention.{id,status,updatedAt}. */
    static Read read(InputStream body, long max) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        byte[] bytes = (body == null ? InputStream.nullInputStream() : body).readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (bytes.length > max) {
            return null;
        }
        String hex = HexFormat.of().formatHex(sha.digest(bytes));
        String[] found = new String[3];
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                walk(p, "", found);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | java.io.CharConversionException notJson) {
            // journaled as a call without a convention id (quarantined by the flow's validator); undecodable bytes are
            // Jackson's CharConversionException, an IOException that answered 500 (found by benchmarks/fuzz)
        }
        return new Read(found[0], found[1], found[2], hex);
    }

    /** Walks an object whose path is {@code at}, keeping the three values under payload.convention. */
    private static void walk(JsonParser p, String at, String[] found) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            String path = at + "/" + name;
            if (v == JsonToken.START_OBJECT && (path.equals("/payload") || path.equals("/payload/convention"))) {
                walk(p, path, found);
            } else if (v == JsonToken.VALUE_STRING && at.equals("/payload/convention")) {
                switch (name) {
                    case "id" -> found[0] = p.getText();
                    case "status" -> found[1] = p.getText();
                    case "updatedAt" -> found[2] = p.getText();
                    default -> { }
                }
            } else {
                p.skipChildren();
            }
        }
    }
}
