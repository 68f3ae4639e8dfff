package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;

/**
 * Every call to Immersion Facilitée's API v2 goes through here: the raw key in {@code authorization} (no "Bearer"),
 * the hub's partner guard (rate limit shared with the flow's deliveries, circuit breaker), calls spaced by at least
 * {@code minInterval} (the platform counts 5 calls in a one-second window that starts at the consumer's first call;
 * the guard's rate limiter refills on its own one-second cycle, so 5 at the end of one cycle and 5 at the start of
 * the next would be 10 in one of the platform's windows), timeouts, bounded answers. A 429 carries no Retry-After and
 * the platform then refuses every call for 5 s, each call made meanwhile starting the 5 s again: the client pauses
 * every call for {@code backoff} (6 s), doubled at each 429 in a row up to {@code maxBackoff}. Logs name the call and
 * the status, never the key, a header or a body.
 */
class PlatformClient {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformClient.class);
    static final long MAX_ANSWER_BYTES = 8L << 20;

    /** The platform's answer (2xx, 400, 403, 404). */
    record Answer(int status, byte[] body) {
        JsonNode json() throws PlatformException {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new PlatformException(Kind.UNAVAILABLE, "Immersion Facilitée answered " + status + " with a body that "
                        + "is not JSON", null);
            }
        }

        /** The platform's own message ({"message": ...}), cut and redacted; never the body itself. */
        String message() {
            try {
                JsonNode n = Json.MAPPER.readTree(body);
                String m = n.isTextual() ? n.asText() : n.path("message").asText("");
                return Redaction.redact(m.length() > 120 ? m.substring(0, 120) + "…" : m);
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    enum Kind {
        /** 429, or the hub's own pause after one: retry after {@code retryAfter}. */
        RATE_LIMITED,
        /** 5xx, a gateway page, a timeout, the platform unreachable, the circuit open: retry later. */
        UNAVAILABLE,
        /** 401: the key is refused (the settings must change). */
        KEY_REFUSED,
        /** No key in the settings. */
        NOT_CONFIGURED
    }

    /** A call that did not get an answer the caller can use; the message is safe to journal. */
    static final class PlatformException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final Duration retryAfter;

        PlatformException(Kind kind, String message, Duration retryAfter) {
            super(message);
            this.kind = kind;
            this.retryAfter = retryAfter;
        }

        Kind kind() {
            return kind;
        }

        Duration retryAfter() {
            return retryAfter;
        }

        DeliveryFailure toDeliveryFailure() {
            return retryAfter == null ? DeliveryFailure.temporary(getMessage()) : DeliveryFailure.temporary(getMessage(), retryAfter);
        }
    }

    private final URI base;
    private final String key;
    private final PartnerGuard guard;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final long minIntervalNanos;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final AtomicInteger rateLimitedInARow = new AtomicInteger();
    private final Object pacer = new Object();
    private long lastSent = System.nanoTime() - Duration.ofDays(1).toNanos();
    private volatile long pausedUntilNanos = System.nanoTime();
    private volatile String keyProblem;
    private volatile Instant lastRateLimited;
    private final AtomicInteger rateLimitedTotal = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    PlatformClient(URI base, String key, PartnerGuard guard, Duration connectTimeout, Duration requestTimeout,
            Duration minInterval, Duration backoff, Duration maxBackoff) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.key = key;
        this.guard = guard;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
        this.minIntervalNanos = minInterval.toNanos();
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
    }

    boolean configured() {
        return key != null && !key.isBlank();
    }

    /** Why the platform refuses the key (its 401 message), or null. */
    String keyProblem() {
        return keyProblem;
    }

    int calls() {
        return calls.get();
    }

    int rateLimitedTotal() {
        return rateLimitedTotal.get();
    }

    Instant lastRateLimited() {
        return lastRateLimited;
    }

    // ---------------------------------------------------------------------------------------------- the calls

    Answer convention(String id, boolean wait) throws PlatformException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v2/conventions/" + id)).GET(), "GET /v2/conventions/{id}", wait);
    }

    /** Conventions starting in ({@code after}, {@code upTo}] (the list's own semantics), some statuses only if given. */
    Answer conventions(LocalDate after, LocalDate upTo, List<String> statuses, boolean wait)
            throws PlatformException, InterruptedException {
        StringBuilder q = new StringBuilder("/v2/conventions?startDateGreater=").append(after)
                .append("&startDateLessOrEqual=").append(upTo);
        for (String s : statuses) {
            q.append("&withStatuses=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(uri(q.toString())).GET(), "GET /v2/conventions", wait);
    }

    Answer subscriptions() throws PlatformException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v2/webhooks")).GET(), "GET /v2/webhooks", true);
    }

    Answer subscribe(String callbackUrl, Map<String, String> callbackHeaders) throws PlatformException, InterruptedException {
        String body = Json.write(Map.of("callbackUrl", callbackUrl, "subscribedEvent", "convention.updated",
                "callbackHeaders", callbackHeaders));
        return send(HttpRequest.newBuilder(uri("/v2/webhooks")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "POST /v2/webhooks", true);
    }

    Answer unsubscribe(String id) throws PlatformException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v2/webhooks/" + URLEncoder.encode(id, StandardCharsets.UTF_8))).DELETE(),
                "DELETE /v2/webhooks/{id}", true);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /**
     * One call. {@code wait}: the caller owns its thread (reconciliation, subscription) and waits out the pauses;
     * otherwise (a delivery) a pause longer than a moment is a {@link Kind#RATE_LIMITED} failure carrying the wait.
     */
    Answer send(HttpRequest.Builder request, String what, boolean wait) throws PlatformException, InterruptedException {
        if (!configured()) {
            throw new PlatformException(Kind.NOT_CONFIGURED, "no API key for Immersion Facilitée: set api.key in "
                    + ImSettings.FILE, null);
        }
        awaitPause(wait);
        permit(wait, what);
        pace();
        calls.incrementAndGet();
        HttpResponse<InputStream> r;
        byte[] body;
        try {
            r = http.send(request.timeout(requestTimeout).header("authorization", key).header("Accept", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                body = in.readNBytes((int) MAX_ANSWER_BYTES + 1);
            }
        } catch (HttpTimeoutException e) {
            guard.failed();
            throw new PlatformException(Kind.UNAVAILABLE, "Immersion Facilitée did not answer " + what + " within "
                    + requestTimeout.toMillis() + " ms", null);
        } catch (IOException e) {
            guard.failed();
            throw new PlatformException(Kind.UNAVAILABLE, "Immersion Facilitée unreachable for " + what + " ("
                    + e.getClass().getSimpleName() + ")", null);
        }
        int status = r.statusCode();
        LOG.debug("Immersion Facilitée {}: HTTP {}", what, status);
        if (body.length > MAX_ANSWER_BYTES) {
            guard.failed();
            throw new PlatformException(Kind.UNAVAILABLE, "Immersion Facilitée answered " + what + " with more than "
                    + MAX_ANSWER_BYTES + " bytes", null);
        }
        if (status == 429) {
            Duration pause = pauseAfter429();
            throw new PlatformException(Kind.RATE_LIMITED, "Immersion Facilitée rate limit (429) on " + what
                    + ": no call for " + pause.toSeconds() + " s", pause);
        }
        rateLimitedInARow.set(0);
        if (status >= 500 || !isJson(r)) {
            guard.failed();
            throw new PlatformException(Kind.UNAVAILABLE, "Immersion Facilitée answered " + what + " with HTTP " + status
                    + (isJson(r) ? "" : " (not JSON: a gateway page)"), null);
        }
        guard.succeeded();
        Answer a = new Answer(status, body);
        if (status == 401) {
            keyProblem = "Immersion Facilitée refuses the API key (401 " + a.message() + "): set a valid api.key in "
                    + ImSettings.FILE;
            throw new PlatformException(Kind.KEY_REFUSED, keyProblem, null);
        }
        keyProblem = null;
        return a;
    }

    private static boolean isJson(HttpResponse<?> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        return type.isEmpty() || type.toLowerCase(java.util.Locale.ROOT).contains("json")
                || r.statusCode() == 201 || r.statusCode() == 204;
    }

    /** The platform locks the consumer out for 5 s after a 429, again at each call meanwhile: stay away longer. */
    private Duration pauseAfter429() {
        int n = rateLimitedInARow.incrementAndGet();
        rateLimitedTotal.incrementAndGet();
        lastRateLimited = Instant.now();
        long ms = Math.min(maxBackoff.toMillis(), backoff.toMillis() << Math.min(16, n - 1));
        Duration pause = Duration.ofMillis(ms);
        pausedUntilNanos = Math.max(pausedUntilNanos, System.nanoTime() + pause.toNanos());
        guard.pause(pause);
        LOG.warn("Immersion Facilitée rate limit (429, {} in a row): no call for {} s", n, pause.toSeconds());
        return pause;
    }

    private void awaitPause(boolean wait) throws PlatformException, InterruptedException {
        long left = pausedUntilNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        if (!wait && left > 1_000_000_000L) {
            throw new PlatformException(Kind.RATE_LIMITED, "Immersion Facilitée asked to slow down (429): no call for "
                    + Math.max(1, left / 1_000_000_000L) + " s", Duration.ofNanos(left));
        }
        Thread.sleep(left / 1_000_000L + 1);
    }

    private void permit(boolean wait, String what) throws PlatformException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                guard.permit();
                return;
            } catch (DeliveryFailure refused) {
                Duration after = refused.retryAfter().orElse(Duration.ofSeconds(1));
                if (!wait || System.nanoTime() + after.toNanos() > deadline) {
                    throw new PlatformException(guard.open() ? Kind.UNAVAILABLE : Kind.RATE_LIMITED, "Immersion Facilitée "
                            + "not called for " + what + ": " + refused.getMessage(), after);
                }
                Thread.sleep(Math.max(50, after.toMillis()));
            }
        }
    }

    /**
     * At least minInterval between two calls as they leave, whichever thread makes them: one thread at a time waits for
     * its turn, and the next turn counts from the moment the call really leaves (a thread woken late does not bring the
     * next call closer).
     */
    private void pace() throws InterruptedException {
        synchronized (pacer) {
            long wait = lastSent + minIntervalNanos - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
            lastSent = System.nanoTime();
        }
    }
}
