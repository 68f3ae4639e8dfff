package fr.aisne.hub.connector.echo;

import java.net.URI;
import java.util.List;

import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Settings;

/**
 * The settings of etc/hub.connector.echo.cfg, checked on load: a wrong value makes the connector DOWN with the
 * key, the problem and the fix.
 */
record EchoSettings(URI targetUrl, int connectTimeoutMs, int responseTimeoutMs, List<String> senderRoles,
        RetryPolicy retry, long maxPayloadBytes, int concurrency, PartnerLimits limits, int pollSeconds) {
    static final String FILE = "etc/hub.connector.echo.cfg";

    static EchoSettings from(Settings s) {
        return new EchoSettings(
                s.url("target.url", "http://127.0.0.1:8282/echo"),
                s.integer("target.connectTimeoutMs", 2000, 100, 60_000),
                s.integer("target.responseTimeoutMs", 10000, 100, 600_000),
                s.list("senders.roles", "admin,sender-echo"),
                s.retry(),
                s.maxPayloadBytes(1024 * 1024),
                s.integer("delivery.concurrency", 8, 1, fr.aisne.hub.api.Flow.MAX_CONCURRENCY),
                s.partnerLimits(new PartnerLimits(0, 0, 0, java.time.Duration.ofSeconds(30))),
                s.integer("poll.seconds", 0, 0, 86_400));
    }

    /** camel-http endpoint: any status >= 300 raises, so the core sees the partner's answer. */
    String deliveryUri() {
        return targetUrl + "?throwExceptionOnFailure=true&connectTimeout=" + connectTimeoutMs
                + "&responseTimeout=" + responseTimeoutMs;
    }

    /** Where the partner keeps what it has for the department (the poller's source). */
    URI outboxUrl() {
        return URI.create(targetUrl + "/outbox");
    }
}
