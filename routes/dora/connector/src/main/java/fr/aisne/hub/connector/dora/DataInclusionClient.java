package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;

/**
 * The data·inclusion API v1 as the directory pull reads it: {@code GET <api>/structures} and {@code <api>/services}
 * with {@code code_departement}, {@code page} and {@code size}, the token as {@code Authorization: Bearer}, every call
 * under the hub's partner guard for data·inclusion (rate, concurrency, circuit breaker). A timeout, an I/O error or a
 * 5xx is tried again after 1 s, 2 s, 4 s... up to the attempts per page; a 429 pauses every call to data·inclusion for
 * its Retry-After, waited for when short enough. Neither the token nor a body is ever logged.
 */
final class DataInclusionClient {
    /** One page as received: its bytes (journaled as they came) and what the pull needs of it. */
    record Page(byte[] body, List<String> ids, int items, Integer pages) {
    }

    /** data·inclusion refused the request (401/403: the token; 422: a parameter): retrying cannot help. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        boolean credentials() {
            return status == 401 || status == 403;
        }
    }

    /** data·inclusion cannot answer now (down, slow, rate limited): the pull is tried again later. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final URI api;
    private final String token;
    private final String codeDepartement;
    private final int pageSize;
    private final Duration requestTimeout;
    private final int attempts;
    private final Duration retryAfterMaxWait;
    private final PartnerGuard guard;
    private final Sleeper sleeper;

    DataInclusionClient(DoraSettings s, PartnerGuard guard, Sleeper sleeper) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(s.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.api = s.apiUrl();
        this.token = s.apiToken();
        this.codeDepartement = s.codeDepartement();
        this.pageSize = s.pageSize();
        this.requestTimeout = s.requestTimeout();
        this.attempts = s.attemptsPerPage();
        this.retryAfterMaxWait = s.retryAfterMaxWait();
        this.guard = guard;
        this.sleeper = sleeper;
    }

    /** One page of {@code structures} or {@code services} of the département. */
    Page page(String collection, int page) throws Refused, Unavailable, InterruptedException {
        URI uri = URI.create(api + "/" + collection + "?code_departement=" + codeDepartement + "&page=" + page + "&size="
                + pageSize);
        String what = collection + " page " + page;
        String last = "not tried";
        int failures = 0;
        int waits = 0;
        while (failures < attempts) {
            try {
                guard.permit();
            } catch (DeliveryFailure refused) {
                throw new Unavailable("data·inclusion not called for " + what + ": " + refused.getMessage());
            }
            HttpResponse<byte[]> r;
            try {
                r = http.send(HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json")
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                guard.failed();
                last = "no answer within " + requestTimeout.toMillis() + " ms";
                backoff(++failures);
                continue;
            } catch (IOException e) {
                guard.failed();
                last = "unreachable (" + e.getClass().getSimpleName() + ")";
                backoff(++failures);
                continue;
            }
            int status = r.statusCode();
            if (status == 200) {
                guard.succeeded();
                return parse(r.body(), what);
            }
            if (status == 429) {
                guard.succeeded();
                Duration wait = retryAfter(r);
                guard.pause(wait);
                if (wait.compareTo(retryAfterMaxWait) > 0 || ++waits > 5) {
                    throw new Unavailable("data·inclusion rate limit (429) on " + what + ": asked to wait "
                            + Math.max(1, wait.toSeconds()) + " s");
                }
                sleeper.sleep(wait);
                continue;
            }
            if (status >= 500) {
                guard.failed();
                last = "HTTP " + status + detail(r.body());
                backoff(++failures);
                continue;
            }
            guard.succeeded();
            throw new Refused(status, "data·inclusion answered HTTP " + status + " to " + what + detail(r.body()));
        }
        throw new Unavailable("data·inclusion failed " + attempts + " times for " + what + ": " + last);
    }

    /** The page's envelope {items, total, page, size, pages}: the ids it carries and how many pages there are. */
    private static Page parse(byte[] body, String what) throws Unavailable {
        JsonNode env;
        try {
            env = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new Unavailable("data·inclusion answered " + what + " with a body that is not JSON");
        }
        if (env == null || !env.isObject() || !env.path("items").isArray()) {
            throw new Unavailable("data·inclusion answered " + what + " without a page envelope {items, total, page, "
                    + "size, pages}");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : env.get("items")) {
            if (item.path("id").isTextual()) {
                ids.add(item.get("id").asText());
            }
        }
        JsonNode pages = env.get("pages");
        return new Page(body, ids, env.get("items").size(), pages != null && pages.canConvertToInt() ? pages.intValue() : null);
    }

    private void backoff(int failure) throws InterruptedException {
        if (failure < attempts) {
            sleeper.sleep(Duration.ofSeconds(1L << Math.min(failure - 1, 5)));
        }
    }

    /** Retry-After in seconds (1 s when absent or unreadable: data·inclusion sends seconds). */
    private static Duration retryAfter(HttpResponse<?> r) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1").trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** data·inclusion's {"detail": ...}, shortened and redacted (it never holds our token, but be sure). */
    private static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return s.isEmpty() ? "" : ": " + Redaction.redact(s.length() > 200 ? s.substring(0, 200) + "…" : s);
    }
}
