package fr.aisne.hub.connector.francetravail.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;

/**
 * OAuth2 client credentials for France Travail: {@code POST <token url>?realm=/partenaire} with the form
 * grant_type, client_id, client_secret, scope. One token per scope set, cached and renewed before it expires
 * (margin {@code renewBefore}, at most half its lifetime); concurrent callers needing the same scope set wait for
 * one refresh (single flight). A refused secret is remembered for health and reported in words an operator can
 * act on; the secret and the tokens never reach a log line or a message.
 */
public final class TokenManager {
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);
    public static final String INVALID_CLIENT = "France Travail refused the client credentials (invalid_client): "
            + "check client_id/client_secret in etc/hub.connector.francetravail.cfg";
    /** After a refusal, calls fail at once for this long instead of asking again with the same secret. */
    static final Duration REFUSAL_HOLD = Duration.ofSeconds(30);

    private final FtTransport transport;
    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final Duration renewBefore;
    private final Clock clock;
    private final String secretProblem;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Refusal refusal;

    private record Token(String value, Instant renewAt, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[renewAt=" + renewAt + ", expiresAt=" + expiresAt + "]";
        }
    }

    private record Refusal(String message, String code, Instant at) {
    }

    public TokenManager(FtTransport transport, URI tokenUrl, String realm, String clientId, String clientSecret,
            Duration renewBefore, Clock clock) {
        this(transport, tokenUrl, realm, clientId, clientSecret, null, renewBefore, clock);
    }

    /**
     * @param clientSecret  the secret in clear (decrypted by the caller), or null/empty when not configured
     * @param secretProblem why the configured secret cannot be used (an ENC(...) value that does not decrypt), or null
     */
    public TokenManager(FtTransport transport, URI tokenUrl, String realm, String clientId, String clientSecret,
            String secretProblem, Duration renewBefore, Clock clock) {
        this.secretProblem = secretProblem;
        this.transport = transport;
        // "?realm=/partenaire" as France Travail documents it ('/' needs no escaping in a query)
        this.tokenUrl = URI.create(tokenUrl + (tokenUrl.getRawQuery() == null ? "?" : "&") + "realm="
                + (realm.matches("[A-Za-z0-9/_.-]+") ? realm : URLEncoder.encode(realm, StandardCharsets.UTF_8)));
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.renewBefore = renewBefore;
        this.clock = clock;
    }

    /** An access token carrying {@code scopes} (space separated), from the cache or freshly obtained. */
    public String token(String scopes) throws FtException, InterruptedException {
        Token t = cache.get(scopes);
        if (t != null && clock.instant().isBefore(t.renewAt())) {
            return t.value();
        }
        synchronized (locks.computeIfAbsent(scopes, k -> new Object())) {
            t = cache.get(scopes);
            if (t != null && clock.instant().isBefore(t.renewAt())) {
                return t.value();
            }
            Token fresh = fetch(scopes);
            cache.put(scopes, fresh);
            return fresh.value();
        }
    }

    /** The partner refused this token (401): forget it so that the next call obtains another. */
    public void invalidate(String scopes, String token) {
        cache.computeIfPresent(scopes, (k, t) -> t.value().equals(token) ? null : t);
    }

    /** Why calls cannot be authorised (credentials refused, secret missing), for health; empty when fine. */
    public Optional<String> credentialProblem() {
        if (secretProblem != null) {
            return Optional.of(secretProblem);
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            return Optional.of(missingSecret());
        }
        Refusal r = refusal;
        return r == null ? Optional.empty() : Optional.of(r.message() + " (since " + r.at() + ")");
    }

    /** Token requests made to the partner (for health and tests). */
    public int requestsMade() {
        return requests.get();
    }

    private Token fetch(String scopes) throws FtException, InterruptedException {
        if (secretProblem != null) {
            throw new FtException(FtException.Kind.CREDENTIALS, "secret", secretProblem);
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new FtException(FtException.Kind.CREDENTIALS, "no-secret", missingSecret());
        }
        Refusal r = refusal;
        if (r != null && clock.instant().isBefore(r.at().plus(REFUSAL_HOLD))) {
            throw new FtException(FtException.Kind.CREDENTIALS, r.code(), r.message());
        }
        String form = "grant_type=client_credentials"
                + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(scopes, StandardCharsets.UTF_8);
        requests.incrementAndGet();
        Instant asked = clock.instant();
        HttpResponse<byte[]> response = transport.send(HttpRequest.newBuilder(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)), "access token");
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 200) {
            String value = text(body, "access_token");
            if (value == null || value.isBlank()) {
                throw new FtException(FtException.Kind.RETRY_LATER, "200", "France Travail answered the token request "
                        + "without an access_token; retried later");
            }
            long expiresIn = body != null && body.hasNonNull("expires_in") ? body.get("expires_in").asLong(0) : 0;
            if (expiresIn <= 0) {
                expiresIn = 60;
            }
            Duration lifetime = Duration.ofSeconds(expiresIn);
            Duration margin = renewBefore.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : renewBefore;
            if (refusal != null) {
                LOG.info("France Travail accepts the client credentials again");
            }
            refusal = null;
            LOG.debug("France Travail access token obtained for scopes [{}], valid {} s", scopes, expiresIn);
            return new Token(value, asked.plus(lifetime).minus(margin), asked.plus(lifetime));
        }
        if (status >= 500) {
            throw new FtException(FtException.Kind.RETRY_LATER, Integer.toString(status), "France Travail token "
                    + "endpoint failed (HTTP " + status + "); retried later");
        }
        String error = code(text(body, "error"));
        String message;
        if ("invalid_client".equals(error) || (error == null && status == 401)) {
            message = INVALID_CLIENT;
            error = "invalid_client";
        } else if ("invalid_scope".equals(error)) {
            message = "France Travail refused the scopes [" + scopes + "] (invalid_scope): check the scope.* settings in "
                    + "etc/hub.connector.francetravail.cfg against the APIs this client is subscribed to";
        } else {
            String description = text(body, "error_description");
            message = "France Travail refused the token request (HTTP " + status + (error == null ? "" : ", " + error)
                    + (description == null ? "" : ": " + safe(description).replace(clientSecret, "***")) + "): check client_id, client_secret and "
                    + "scopes in etc/hub.connector.francetravail.cfg";
            error = error == null ? Integer.toString(status) : error;
        }
        refusal = new Refusal(message, error, clock.instant());
        LOG.error(message);
        throw new FtException(FtException.Kind.CREDENTIALS, error, message);
    }

    private String missingSecret() {
        return "client.secret is not set in etc/hub.connector.francetravail.cfg: set the secret France Travail gave "
                + "for client " + clientId + " (encrypted: hub:encrypt-secret)";
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try { // within the hub's JSON limits: an answer is as untrusted as a request
            return Json.readPayload(new java.io.ByteArrayInputStream(body), "answer");
        } catch (fr.aisne.hub.api.ValidationException | java.io.IOException e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }

    /**
     * A partner's message, made safe for a log line or a journal reason: besides what Redaction removes, dates and
     * runs of 8 digits or more (a birth date, a NIR glued to letters) are masked, since a partner's error text may
     * quote the request it refuses (found by benchmarks/fuzz).
     */
    static String safe(String partnerText) {
        return Redaction.partnerText(partnerText);
    }

    /**
     * A partner's code as an error may repeat it (R998, REQUETE_INVALIDE, invalid_client); any other shape is not
     * repeated, since it may be a value of the request.
     */
    static String code(String partnerCode) {
        if (partnerCode == null) {
            return null;
        }
        return PARTNER_CODE.matcher(partnerCode).matches() ? partnerCode : "unrecognised-code";
    }

    private static final java.util.regex.Pattern PARTNER_CODE = java.util.regex.Pattern.compile(
            "[A-Za-z][A-Za-z_]{0,39}|[A-Z]\\d{3}");
}
