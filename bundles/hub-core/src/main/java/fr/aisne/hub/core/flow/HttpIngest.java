package fr.aisne.hub.core.flow;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSender;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.core.exchange.IntakeService;
import fr.aisne.hub.core.http.HubHttp;

/**
 * HTTP POST into a flow. In this order, and nothing is read before it passes: the sender (HTTP Basic with one of
 * the flow's roles, or the partner's secret header), the origin and media type (no cross-site, form or text
 * bodies), the declared size (413 naming the limit); then the body is streamed into the intake, which answers
 * 202 queued, 200 duplicate, 422 invalid, 413 too large, 503 or 507 with Retry-After. A failure of the hub is a
 * 500 with a reference to the log, never a stack trace.
 */
final class HttpIngest implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(HttpIngest.class);
    static final String CORRELATION_ID = "X-Correlation-Id";
    static final String ORDERING_KEY = "X-Ordering-Key";

    private final Flow flow;
    private final IntakeService intake;
    private final HubHttp http;

    HttpIngest(Flow flow, IntakeService intake, HubHttp http) {
        this.flow = flow;
        this.intake = intake;
        this.http = http;
    }

    @Override
    public void process(Exchange exchange) {
        try {
            ingest(exchange);
        } catch (Exception e) {
            String reference = java.util.UUID.randomUUID().toString();
            LOG.error("HTTP intake of flow {} failed (reference {}): {}", flow.key(), reference, Redaction.describe(e));
            http.json(exchange, 500, Map.of("error", "the hub could not take the message", "reference", reference));
        }
    }

    private void ingest(Exchange exchange) throws Exception {
        Optional<String> sender = sender(exchange);
        if (sender.isEmpty() || !http.stateChangeAllowed(exchange) || !http.bodyWithin(exchange, flow.maxPayloadBytes())) {
            return;
        }
        Message in = exchange.getMessage();
        InputStream body = in.getBody(InputStream.class);
        if (body == null) {
            body = new ByteArrayInputStream(new byte[0]);
        }
        InboundMetadata meta = new InboundMetadata(in.getHeader(CORRELATION_ID, String.class),
                in.getHeader(flow.partnerMessageIdHeader(), String.class), in.getHeader("Content-Type", String.class),
                sender.get(), in.getHeader(ORDERING_KEY, String.class));
        IngestResult r = intake.acceptOverHttp(flow, body, meta);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exchangeId", r.exchangeId());
        out.put("correlationId", r.correlationId());
        out.put("outcome", r.outcome().name());
        if (r.reason() != null) {
            out.put("reason", r.reason());
        }
        if (r.duplicateOf() != null) {
            out.put("duplicateOf", r.duplicateOf());
        }
        http.json(exchange, r.outcome().httpStatus(), out);
        if (r.retryAfterSeconds() > 0) {
            in.setHeader("Retry-After", String.valueOf(r.retryAfterSeconds()));
        }
        in.setHeader(CORRELATION_ID, r.correlationId());
    }

    /** Who sends, once checked; empty when refused (the exchange is then answered). */
    private Optional<String> sender(Exchange exchange) {
        HttpSender s = flow.httpSender();
        if (s.usesSecretHeader()) {
            return http.checkSecretHeader(exchange, s.secretHeader(), s.secret()) ? Optional.of(s.senderName())
                    : Optional.empty();
        }
        return http.authorize(exchange, s.roles()).map(Caller::name);
    }
}
