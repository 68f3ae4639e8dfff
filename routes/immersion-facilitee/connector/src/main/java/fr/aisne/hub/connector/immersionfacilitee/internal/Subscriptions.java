package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.Answer;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.PlatformException;

/**
 * Makes sure that exactly one convention.updated subscription of the hub's key points at the hub's callback URL with
 * the current secret in its {@code authorization} callback header: at start, every {@code subscription.checkMinutes},
 * and on demand (operations API, shell). The platform calls only a key's first convention.updated subscription, and
 * answers a new one with 201 and an empty body: the id is read back with {@code GET /v2/webhooks}. So the right one is
 * created first when missing (the old one keeps being called meanwhile), then every other one is deleted, so that the
 * right one is the first.
 * <p>
 * <b>Secret.</b> {@code webhook.secret} in the settings (ENC(...)) when an operator manages it; otherwise the
 * connector generates one (32 random bytes) and keeps it sealed in {@code if_state}. A rotation (on demand, generated
 * secrets only) creates the subscription with the new secret, switches the secret the intake expects, then deletes the
 * old subscription: a call made through the old one in that moment is refused (401) and caught by the reconciliation,
 * which is asked to run at once. A secret is never logged nor shown.
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    static final String SECRET_STATE = "webhook.secret";
    static final String SUBSCRIPTION_STATE = "webhook.subscription";
    private static final String USE = "immersion-facilitee/webhook-secret";
    static final String EVENT = "convention.updated";

    private final PlatformClient platform;
    private final ConventionStore store;
    private final Secrets secrets;
    private final String callbackUrl;
    private final String settingsSecret;
    private final Clock clock;
    private volatile String current;
    private volatile String status = "subscription not checked yet";
    private volatile boolean healthy;
    private volatile Instant checkedAt = Instant.MIN;

    Subscriptions(PlatformClient platform, ConventionStore store, Secrets secrets, String callbackUrl, String settingsSecret,
            Clock clock) {
        this.platform = platform;
        this.store = store;
        this.secrets = secrets;
        this.callbackUrl = callbackUrl;
        this.settingsSecret = settingsSecret;
        this.clock = clock;
        this.current = settingsSecret != null ? settingsSecret : store.state(SECRET_STATE).map(s -> secrets.open(s, USE))
                .orElseGet(this::generate);
    }

    /** The secret the webhook intake expects now. */
    String secret() {
        return current;
    }

    private String generate() {
        String s = newSecret();
        store.state(SECRET_STATE, secrets.seal(s, USE));
        return s;
    }

    Instant checkedAt() {
        return checkedAt;
    }

    String status() {
        return status;
    }

    boolean healthy() {
        return healthy;
    }

    /** Checks and repairs the subscription; with {@code rotate}, with a new secret. Returns what was done. */
    synchronized String ensure(boolean rotate) throws PlatformException, InterruptedException {
        if (rotate && settingsSecret != null) {
            throw new IllegalStateException("webhook.secret is set in " + ImSettings.FILE + ": put the new ENC(...) value "
                    + "there; the connector subscribes again with it when it restarts");
        }
        String target = rotate ? newSecret() : current;
        List<String> done = new ArrayList<>();
        try {
            List<JsonNode> subs = conventionUpdated();
            JsonNode keep = subs.stream().filter(s -> matches(s, target)).findFirst().orElse(null);
            if (keep == null) {
                Answer a = platform.subscribe(callbackUrl, Map.of(WebhookIntake.SECRET_HEADER, target));
                if (a.status() != 201 && a.status() != 200) {
                    throw new PlatformException(PlatformClient.Kind.UNAVAILABLE, "Immersion Facilitée refused the "
                            + "subscription (HTTP " + a.status() + " " + a.message() + ")", null);
                }
                subs = conventionUpdated();
                keep = subs.stream().filter(s -> matches(s, target)).reduce((first, second) -> second).orElse(null);
                if (keep == null) {
                    throw new PlatformException(PlatformClient.Kind.UNAVAILABLE, "the new subscription is not listed by "
                            + "GET /v2/webhooks", null);
                }
                done.add("subscribed (" + id(keep) + ")");
            }
            if (rotate) {
                current = target;
                store.state(SECRET_STATE, secrets.seal(target, USE));
                done.add("secret rotated");
            }
            for (JsonNode s : subs) {
                if (s != keep && !id(s).equals(id(keep))) {
                    Answer d = platform.unsubscribe(id(s));
                    done.add("deleted " + id(s) + (d.status() == 204 || d.status() == 200 ? ""
                            : " (HTTP " + d.status() + ")"));
                }
            }
            store.state(SUBSCRIPTION_STATE, id(keep));
            checkedAt = clock.instant();
            healthy = true;
            status = "subscription " + id(keep) + " (convention.updated) calls " + callbackUrl + ", checked " + checkedAt
                    + (done.isEmpty() ? "" : "; " + String.join(", ", done));
            if (!done.isEmpty()) {
                LOG.info("Immersion Facilitée webhook subscription: {}", String.join(", ", done));
            }
            return status;
        } catch (PlatformException e) {
            healthy = false;
            status = "subscription not checked: " + e.getMessage();
            throw e;
        }
    }

    /** The key's convention.updated subscriptions, oldest first (the platform calls the first one only). */
    private List<JsonNode> conventionUpdated() throws PlatformException, InterruptedException {
        Answer a = platform.subscriptions();
        if (a.status() != 200) {
            throw new PlatformException(PlatformClient.Kind.UNAVAILABLE, "Immersion Facilitée refused to list the "
                    + "subscriptions (HTTP " + a.status() + " " + a.message() + ")", null);
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : a.json()) {
            if (EVENT.equals(s.path("subscribedEvent").asText())) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing((JsonNode s) -> s.path("createdAt").asText("")).thenComparing(Subscriptions::id));
        return out;
    }

    private boolean matches(JsonNode s, String secret) {
        String given = s.path("callbackHeaders").path(WebhookIntake.SECRET_HEADER).asText(null);
        return callbackUrl.equals(s.path("callbackUrl").asText()) && given != null
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String id(JsonNode s) {
        return s.path("id").asText("");
    }

    private static String newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
