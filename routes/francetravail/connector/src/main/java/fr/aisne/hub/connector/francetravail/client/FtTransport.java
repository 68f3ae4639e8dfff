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

/**
 * Every HTTP call to France Travail goes through here: the rate limiter, the circuit breaker, the timeouts and
 * the 429 handling (Retry-After honoured: short waits are waited for, longer ones make the caller retry later).
 * Logs name the call ({@code what}) and the status, never a header or a body.
 */
public final class FtTransport {
    private static final Logger LOG = LoggerFactory.getLogger(FtTransport.class);
    /** Wait when a 429 carries no usable Retry-After. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final RateLimiter limiter;
    private final CircuitBreaker circuit;
    private final Duration retryAfterMaxWait;
    private final int retryAfterMaxRetries;
    private final Clock clock;

    public FtTransport(HttpClient http, Duration requestTimeout, RateLimiter limiter, CircuitBreaker circuit,
            Duration retryAfterMaxWait, int retryAfterMaxRetries, Clock clock) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.limiter = limiter;
        this.circuit = circuit;
        this.retryAfterMaxWait = retryAfterMaxWait;
        this.retryAfterMaxRetries = retryAfterMaxRetries;
        this.clock = clock;
    }

    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public CircuitBreaker circuit() {
        return circuit;
    }

    /**
     * Sends the request. Returns the partner's answer whatever its status, except 429 (waited for, or turned
     * into a RETRY_LATER failure); 5xx answers are returned too, after counting as a failure of the partner.
     */
    public HttpResponse<byte[]> send(HttpRequest.Builder request, String what) throws FtException, InterruptedException {
        HttpRequest built = request.timeout(requestTimeout).build();
        for (int attempt = 0;; attempt++) {
            limiter.acquire(retryAfterMaxWait);
            circuit.beforeCall();
            HttpResponse<byte[]> response;
            boolean recorded = false;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 500) {
                    circuit.failure(what + ": HTTP " + status);
                } else {
                    circuit.success();
                }
                recorded = true;
            } catch (HttpTimeoutException e) {
                circuit.failure(what + ": no answer within " + requestTimeout.toMillis() + " ms");
                recorded = true;
                throw new FtException(FtException.Kind.RETRY_LATER, "timeout", "France Travail did not answer " + what
                        + " within " + requestTimeout.toMillis() + " ms; retried later");
            } catch (IOException e) {
                String cause = e.getClass().getSimpleName();
                circuit.failure(what + ": " + cause);
                recorded = true;
                throw new FtException(FtException.Kind.RETRY_LATER, "unreachable", "France Travail unreachable for "
                        + what + " (" + cause + "); retried later");
            } finally {
                if (!recorded) {
                    circuit.abandoned();
                }
            }
            if (response.statusCode() != 429) {
                LOG.debug("France Travail {}: HTTP {}", what, response.statusCode());
                return response;
            }
            Duration retryAfter = retryAfter(response).orElse(DEFAULT_RETRY_AFTER);
            limiter.pauseFor(retryAfter);
            if (retryAfter.compareTo(retryAfterMaxWait) > 0 || attempt >= retryAfterMaxRetries) {
                LOG.warn("France Travail rate limit (429) on {}: asked to wait {} s; the message stays queued and is retried later",
                        what, retryAfter.toSeconds());
                throw new FtException(FtException.Kind.RETRY_LATER, "429", "France Travail rate limit (429) on " + what
                        + ": asked to wait " + Math.max(1, retryAfter.toSeconds()) + " s; retried later");
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
