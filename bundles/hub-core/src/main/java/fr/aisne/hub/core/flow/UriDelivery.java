package fr.aisne.hub.core.flow;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.http.base.HttpOperationFailedException;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;

/**
 * Delivery to a Camel producer URI (an HTTP relay). The partner's answer decides: 2xx delivered; a refusal of the
 * message itself (400, 405, 410, 411, 413, 414, 415, 422) permanent; anything else (timeouts, 5xx, 429, 401/403
 * while credentials are fixed, 404 while a URL is fixed) temporary, honouring Retry-After.
 */
public final class UriDelivery implements DeliveryHandler {
    /** Headers a delivery carries: the partner (or a route inside the hub) knows what it got, from whom. */
    public static final String EXCHANGE_ID = "X-Hub-Exchange-Id";
    public static final String PARTNER = "X-Hub-Partner";
    public static final String FLOW = "X-Hub-Flow";
    public static final String CORRELATION_ID = "X-Correlation-Id";
    private static final Set<Integer> PERMANENT = Set.of(400, 405, 410, 411, 413, 414, 415, 422);
    private static final int IN_MEMORY_MAX = 1 << 20;

    private final ProducerTemplate template;
    private final Endpoint endpoint;
    private final PartnerGuard guard;

    public UriDelivery(CamelContext camel, String uri, PartnerGuard guard) {
        this.template = camel.createProducerTemplate();
        this.endpoint = camel.getEndpoint(uri);
        this.guard = guard;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        if (guard != null) {
            guard.permit();
        }
        InputStream stream = null;
        Exchange result;
        try {
            Object body;
            if (d.size() <= IN_MEMORY_MAX) {
                try (InputStream in = d.openPayload()) {
                    body = in.readAllBytes();
                }
            } else {
                stream = d.openPayload();
                body = stream;
            }
            Object payload = body;
            result = template.send(endpoint, e -> {
                var m = e.getMessage();
                m.setBody(payload);
                // the enum itself: given "POST", camel-http converts it at each call through a type-converter lookup
                // that misses (measured: 38 % of a delivery's CPU, 12 % of the hub's allocations)
                m.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
                m.setHeader(Exchange.CONTENT_TYPE, d.contentType());
                m.setHeader(CORRELATION_ID, d.correlationId());
                m.setHeader(EXCHANGE_ID, d.exchangeId());
                m.setHeader(PARTNER, d.partner());
                m.setHeader(FLOW, d.flow());
            });
        } catch (IOException e) {
            throw DeliveryFailure.temporary("stored payload unreadable: " + Redaction.describe(e));
        } finally {
            closeQuietly(stream);
        }
        Exception failure = result.getException();
        if (failure != null) {
            HttpOperationFailedException http = result.getException(HttpOperationFailedException.class);
            if (http != null) {
                throw answered(http.getStatusCode(), http.getResponseHeaders() == null ? null
                        : http.getResponseHeaders().get("Retry-After"));
            }
            failedCall();
            throw DeliveryFailure.temporary(Redaction.describe(failure));
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status >= 300) {
            throw answered(status, result.getMessage().getHeader("Retry-After", String.class));
        }
        if (guard != null) {
            guard.succeeded();
        }
        return DeliveryResult.delivered(status == null ? "delivered" : "partner answered HTTP " + status);
    }

    private DeliveryFailure answered(int status, String retryAfter) {
        String reason = "partner answered HTTP " + status;
        if (PERMANENT.contains(status)) {
            if (guard != null) {
                guard.succeeded(); // the partner is well: it refused this message
            }
            return DeliveryFailure.permanent(reason);
        }
        Duration wait = retryAfter(retryAfter);
        if (status == 429 || status == 503) {
            if (wait != null && guard != null) {
                guard.pause(wait);
            }
        }
        if (status >= 500 || status == 429 || status == 408) {
            failedCall();
        } else if (guard != null) {
            guard.succeeded();
        }
        return wait == null ? DeliveryFailure.temporary(reason) : DeliveryFailure.temporary(reason, wait);
    }

    private void failedCall() {
        if (guard != null) {
            guard.failed();
        }
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.trim(),
                        DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : d;
            } catch (java.time.DateTimeException unreadable) {
                return null;
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing more to read
            }
        }
    }
}
