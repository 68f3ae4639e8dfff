package fr.aisne.hub.core.flow;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import fr.aisne.hub.core.exchange.ExchangeService;
import fr.aisne.hub.core.http.HubHttpSupport;
import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import fr.aisne.hub.core.security.BasicAuthenticator;
import fr.aisne.hub.core.security.HubPrincipal;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.util.Json;

/**
 * HTTP POST into a flow: authenticates the sender, hands the body to {@link ExchangeService#accept} and
 * answers with the exchange id and what became of it (202 queued, 200 duplicate, 422 invalid, 413 too
 * large, 503 not queued, 401/403/429 refused, 415 for a form body, which is never a partner's document).
 */
final class HttpIngestProcessor implements Processor {
    private final Flow flow;
    private final ExchangeService exchanges;
    private final BasicAuthenticator authenticator;

    HttpIngestProcessor(Flow flow, ExchangeService exchanges, BasicAuthenticator authenticator) {
        this.flow = flow;
        this.exchanges = exchanges;
        this.authenticator = authenticator;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Optional<HubPrincipal> principal = HubHttpSupport.authorize(authenticator, exchange, flow.senderRoles(),
                (status, body) -> reply(exchange, status, body));
        if (principal.isEmpty()) {
            return;
        }
        String contentType = in.getHeader("Content-Type", String.class);
        if (isFormBody(contentType)) {
            // The HTTP layer has already parsed such a body into form fields: what reached us is not the
            // document sent, so journaling it would record a message nobody sent. Refused, not journaled.
            reply(exchange, 415, Map.of("error", "unsupported media type", "reason", "a form body ("
                    + contentType.split(";")[0].trim() + ") is not accepted by flow " + flow.key()
                    + ": POST the document itself, with its own Content-Type (application/json, application/xml...)"));
            return;
        }
        InputStream body = in.getBody(InputStream.class);
        if (body == null) {
            body = new ByteArrayInputStream(new byte[0]);
        }
        InboundMetadata meta = new InboundMetadata(in.getHeader(DeliveryHeaders.CORRELATION_ID, String.class),
                in.getHeader(flow.partnerMessageIdHeader(), String.class), in.getHeader("Content-Type", String.class),
                principal.get().name());
        IngestResult r = exchanges.accept(flow, body, meta);
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
        reply(exchange, r.outcome().httpStatus(), out);
        in.setHeader(DeliveryHeaders.CORRELATION_ID, r.correlationId());
    }

    static boolean isFormBody(String contentType) {
        String t = contentType == null ? "" : contentType.trim().toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/form-data");
    }

    static void reply(Exchange exchange, int status, Object body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*", "Authorization");
        m.removeHeader("Authorization");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(Json.write(body));
    }
}
