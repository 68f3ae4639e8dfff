package fr.aisne.hub.connector.aisneactifs;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;

/** The connector's settings (etc/hub.connector.aisneactifs.cfg), read once; a wrong value names key and fix. */
record AaSettings(List<String> senderRoles, long maxPayloadBytes, int concurrency, URI webhookUrl, String webhookSecret,
        Duration connectTimeout, Duration requestTimeout, Duration eventsPoll, int eventsBatchSize, List<String> eventTypes,
        Path sanctionOutbox, PartnerLimits limits, RetryPolicy retry) {

    static final String PID = "hub.connector.aisneactifs";
    static final String FILE = "etc/" + PID + ".cfg";

    static AaSettings from(Map<String, ?> config, Secrets secrets) {
        Settings s = Settings.of(config, FILE);
        String url = s.string("webhook.url", null);
        URI webhook = url == null ? null : s.url("webhook.url", null);
        String secret = s.secret("webhook.secret", secrets);
        if (webhook != null && (secret == null || secret.length() < 32)) {
            throw new SettingsException(FILE, "webhook.secret", secret == null ? "is missing while webhook.url is set"
                    : "is shorter than 32 characters", "write the key shared with Aisne-actifs.com (at least 32 random "
                            + "characters), sealed with hub:encrypt-secret");
        }
        String outbox = s.string("sanction.outbox", "outbox/caf-sanctions");
        Path box = Paths.get(outbox);
        if (!box.isAbsolute()) {
            box = Paths.get(System.getProperty("karaf.data", "data")).resolve(box);
        }
        return new AaSettings(s.list("senders.roles", "sender-aisne-actifs,admin"), s.maxPayloadBytes(65_536),
                s.integer("delivery.concurrency", 4, 1, 64), webhook, secret,
                s.millis("http.connectTimeoutMs", 5_000, 100, 120_000), s.millis("http.requestTimeoutMs", 10_000, 100, 300_000),
                s.seconds("events.pollSeconds", 5, 1, 3_600), s.integer("events.batchSize", 100, 1, 10_000),
                s.list("events.types", ""), box, s.partnerLimits(new PartnerLimits(20, 4, 5, Duration.ofSeconds(30))),
                s.retry(new RetryPolicy(24, 5_000, 2.0, 120_000)));
    }

    /** For hub:connectors and the operations API: never the secret. */
    Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("senders.roles", String.join(",", senderRoles));
        out.put("maxPayloadBytes", Long.toString(maxPayloadBytes));
        out.put("delivery.concurrency", Integer.toString(concurrency));
        out.put("webhook.url", webhookUrl == null ? "(none: webhooks off)" : webhookUrl.toString());
        out.put("webhook.secret", webhookSecret == null ? "(none)" : "(set)");
        out.put("events.pollSeconds", Long.toString(eventsPoll.toSeconds()));
        out.put("events.batchSize", Integer.toString(eventsBatchSize));
        out.put("events.types", eventTypes.isEmpty() ? "(all but the platform's own)" : String.join(",", eventTypes));
        out.put("sanction.outbox", sanctionOutbox.toString());
        out.put("retry", retry.toString());
        return out;
    }
}
