package fr.aisne.hub.connector.aisneactifs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Delivers one department event to the platform's webhook URL: the event, with what
 * {@code disclose.aisne-actifs.evenements} lets the platform receive of the person (logged; never the NIR), signed
 * (headers {@link Signature}) at each attempt with a fresh timestamp. 2xx delivered; 408, 425, 429 (Retry-After
 * honoured) and 5xx, timeouts and refused connections retried with the core's backoff; 401 and 403 retried too (a
 * wrong shared secret is a settings problem, named in the journal reason, fixed without losing events); any other
 * 4xx quarantined with the status.
 */
final class WebhookSender implements DeliveryHandler {
    static final String PURPOSE = "evenements";

    private final URI url;
    private final String secret;
    private final HttpClient client;
    private final Duration timeout;
    private final PersonRegistry registry;
    private final PartnerGuard guard;
    private final Clock clock;

    WebhookSender(URI url, String secret, Duration connectTimeout, Duration timeout, PersonRegistry registry,
            PartnerGuard guard, Clock clock) {
        this.url = url;
        this.secret = secret;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.registry = registry;
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) throws DeliveryFailure {
        ObjectNode event;
        try {
            JsonNode n = Json.readPayload(delivery.openPayload(), "the department event");
            if (!(n instanceof ObjectNode o)) {
                throw DeliveryFailure.permanent("the department event is not a JSON object");
            }
            event = o;
        } catch (ValidationException e) {
            throw DeliveryFailure.permanent(e.getMessage());
        } catch (IOException e) {
            throw DeliveryFailure.temporary("the event could not be read: " + e.getClass().getSimpleName(), e);
        }
        String personId = event.path("personId").isTextual() ? event.path("personId").asText() : null;
        if (personId != null) {
            Map<String, Object> person = disclosed(personId, delivery.exchangeId());
            if (person != null) {
                event.set("personne", Json.MAPPER.valueToTree(person));
            }
        }
        byte[] body = Json.write(event).getBytes(StandardCharsets.UTF_8);
        long now = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(Signature.TIMESTAMP_HEADER, Long.toString(now))
                .header(Signature.SIGNATURE_HEADER, Signature.sign(secret, now, body))
                .header(Signature.EVENT_HEADER, event.path("id").asText())
                .header(Signature.TYPE_HEADER, event.path("type").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> answer;
        try {
            answer = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            guard.failed();
            throw DeliveryFailure.temporary("Aisne-actifs.com webhook unreachable (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrupted while calling the Aisne-actifs.com webhook");
        }
        int status = answer.statusCode();
        String type = event.path("type").asText();
        if (status >= 200 && status < 300) {
            guard.succeeded();
            return DeliveryResult.delivered("event " + event.path("id").asText() + " (" + type + ") sent to Aisne-actifs.com, HTTP "
                    + status + (event.has("personne") ? "; identity disclosed (" + PURPOSE + ")" : ""));
        }
        if (status == 429 || status == 503) {
            Optional<Duration> wait = retryAfter(answer);
            wait.ifPresent(guard::pause);
            if (status == 503) {
                guard.failed();
            }
            throw wait.map(w -> DeliveryFailure.temporary("Aisne-actifs.com answered " + status + ", Retry-After " + w.toSeconds() + " s", w))
                    .orElseGet(() -> DeliveryFailure.temporary("Aisne-actifs.com answered " + status));
        }
        if (status == 401 || status == 403) {
            throw DeliveryFailure.temporary("Aisne-actifs.com refused the webhook's signature (HTTP " + status + "): check "
                    + "webhook.secret in " + AaSettings.FILE + " against the platform's key");
        }
        if (status == 408 || status == 425 || status >= 500) {
            guard.failed();
            throw DeliveryFailure.temporary("Aisne-actifs.com answered " + status);
        }
        throw DeliveryFailure.permanent("Aisne-actifs.com refused event " + event.path("id").asText() + " with HTTP " + status);
    }

    private Map<String, Object> disclosed(String personId, String exchangeId) {
        try {
            Map<String, Object> fields = registry.disclose(personId, DecisionHandler.PARTNER, PURPOSE, exchangeId);
            return fields.isEmpty() ? null : fields;
        } catch (IllegalArgumentException gone) {
            return null; // purged since the event: the event goes without identity
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> answer) {
        return answer.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return s >= 0 && s <= 86_400 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
