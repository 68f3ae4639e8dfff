package fr.aisne.hub.connector.francetravail.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.PartnerGuard;

/**
 * Every HTTP call to France Travail goes through here, under the hub's partner guard for France Travail (its rate
 * limit and circuit breaker, configured with the connector's {@code partner.*} settings and shared with every
 * other call to France Travail): the timeouts, and the 429 handling (Retry-After pauses every call to France
 * Travail; a short one is waited for, a longer one makes the delivery fail for now and the hub retries it when
 * France Travail said). Logs name the call ({@code what}) and the status, never a header or a body.
 */
public final class FtTransport {
    private static final Logger LOG = LoggerFactory.getLogger(FtTransport.class);
    /** Wait when a 429 carries no usable Retry-After. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final PartnerGuard guard;
    private final Duration retryAfterMaxWait;
    private final int retryAfterMaxRetries;
    private final Clock clock;

    public FtTransport(HttpClient http, Duration requestTimeout, PartnerGuard guard, Duration retryAfterMaxWait,
            int retryAfterMaxRetries, Clock clock) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.guard = guard;
        this.retryAfterMaxWait = retryAfterMaxWait;
        this.retryAfterMaxRetries = retryAfterMaxRetries;
        this.clock = clock;
    }

    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public PartnerGuard guard() {
        return guard;
    }

    /**
     * Sends the request. Returns the partner's answer whatever its status, except 429 (waited for, or turned into
     * a RETRY_LATER failure carrying the wait); 5xx answers are returned too, after counting as a failure of the
     * partner.
     */
    public HttpResponse<byte[]> send(HttpRequest.Builder request, String what) throws FtException, InterruptedException {
        HttpRequest built = request.timeout(requestTimeout).build();
        for (int attempt = 0;; attempt++) {
            try {
                guard.permit();
            } catch (DeliveryFailure refused) {
                throw new FtException(FtException.Kind.RETRY_LATER, "limit", "France Travail not called for " + what
                        + ": " + refused.getMessage() + "; retried later", refused.retryAfter().orElse(null));
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                guard.failed();
                throw new FtException(FtException.Kind.RETRY_LATER, "timeout", "France Travail did not answer " + what
                        + " within " + requestTimeout.toMillis() + " ms; retried later");
            } catch (IOException e) {
                guard.failed();
                throw new FtException(FtException.Kind.RETRY_LATER, "unreachable", "France Travail unreachable for "
                        + what + " (" + e.getClass().getSimpleName() + "); retried later");
            }
            int status = response.statusCode();
            if (status >= 500) {
                guard.failed();
            } else {
                guard.succeeded();
            }
            if (status != 429) {
                LOG.debug("France Travail {}: HTTP {}", what, status);
                return response;
            }
            Duration retryAfter = retryAfter(response).orElse(DEFAULT_RETRY_AFTER);
            guard.pause(retryAfter);
            if (retryAfter.compareTo(retryAfterMaxWait) > 0 || attempt >= retryAfterMaxRetries) {
                LOG.warn("France Travail rate limit (429) on {}: asked to wait {} s; the message is retried then",
                        what, retryAfter.toSeconds());
                throw new FtException(FtException.Kind.RETRY_LATER, "429", "France Travail rate limit (429) on " + what
                        + ": asked to wait " + Math.max(1, retryAfter.toSeconds()) + " s; retried later", retryAfter);
            }
            LOG.info("France Travail rate limit (429) on {}: waiting {} ms as asked (Retry-After)", what,
                    retryAfter.toMillis());
        }
    }

    /** Retry-After as seconds or as an HTTP date. */
    Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> h = response.headers().firstValue("Retry-After");
        if (h.isEmpty()) {
            return Optional.empty();
        }
        String v = h.get().trim();
        try {
            long s = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, s)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }
}
