package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;

/**
 * The settings of etc/hub.connector.immersionfacilitee.cfg (no hyphen in a configuration pid: docs/PLATFORM-NOTES.md),
 * checked on load: a wrong value makes the connector DOWN with the key, the problem and the fix. Secrets
 * ({@code api.key}, {@code webhook.secret}) are opened with the hub's Secrets (ENC(...)), never kept in a field that
 * could be printed, never returned by {@link #describe}.
 */
record ImSettings(URI apiUrl, Duration connectTimeout, Duration requestTimeout, PartnerLimits limits,
        Duration minInterval, Duration backoff, Duration maxBackoff, boolean webhookEnabled, String callbackUrl,
        long webhookMaxBytes, Duration subscriptionCheck, DepartmentScope scope, boolean reconcileEnabled,
        Duration reconcileRecent, int recentPastDays, int futureDays, LocalTime nightlyAt, ZoneId zone, int nightlyMonths,
        int windowDays, int maxWindowDays, Duration rehandAfter, Duration reconcileRetry, List<String> senderRoles, long maxPayloadBytes,
        int concurrency, RetryPolicy retry, Duration matchCheck, boolean keySet, boolean keySealed, boolean secretSet,
        boolean secretSealed) {

    static final String PID = "hub.connector.immersionfacilitee";
    static final String FILE = "etc/" + PID + ".cfg";
    static final String WEBHOOK_PATH = "/in/immersion-facilitee/conventions";
    /** The platform's published rate for a consumer: 5 calls a second. */
    static final PartnerLimits DEFAULT_LIMITS = new PartnerLimits(5, 0, 5, Duration.ofSeconds(30));
    /** Re-reads survive a platform outage of about 25 minutes before quarantine; the reconciliation catches up anyway. */
    static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(30, 2_000, 2.0, 60_000);

    /** The opened secrets, kept apart from the record so that no toString() can print them. */
    static final class Secret {
        private final String apiKey;
        private final String webhookSecret;

        private Secret(String apiKey, String webhookSecret) {
            this.apiKey = apiKey;
            this.webhookSecret = webhookSecret;
        }

        String apiKey() {
            return apiKey;
        }

        /** The webhook secret set in the settings, or null (then the connector generates and keeps one). */
        String webhookSecret() {
            return webhookSecret;
        }

        @Override
        public String toString() {
            return "Secret[masked]";
        }
    }

    static ImSettings from(Map<String, ?> config, String defaultCallbackBase) {
        Settings s = Settings.of(config, FILE);
        String callback = s.string("webhook.callbackUrl", null);
        String callbackUrl = callback == null ? defaultCallbackBase + WEBHOOK_PATH : s.url("webhook.callbackUrl", null).toString();
        String zoneName = s.string("reconcile.zone", "Europe/Paris");
        String nightly = s.string("reconcile.nightlyAt", "02:30");
        int windowDays = s.integer("reconcile.windowDays", 16, 1, 366);
        int maxWindow = s.integer("reconcile.maxWindowDays", 64, 1, 366);
        if (maxWindow < windowDays) {
            throw new SettingsException(FILE, "reconcile.maxWindowDays", "is below reconcile.windowDays",
                    "make reconcile.maxWindowDays at least reconcile.windowDays");
        }
        Duration backoff = s.seconds("partner.backoffSeconds", 6, 1, 3600);
        Duration maxBackoff = s.seconds("partner.maxBackoffSeconds", 120, 1, 86_400);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new SettingsException(FILE, "partner.maxBackoffSeconds", "is below partner.backoffSeconds",
                    "make partner.maxBackoffSeconds at least partner.backoffSeconds");
        }
        String department = s.string("scope.department", "02");
        if (!department.matches("\\d[0-9AB]\\d?")) {
            throw new SettingsException(FILE, "scope.department", "= '" + department + "' is not a department code",
                    "write the department's code as Immersion Facilitée spells it, e.g. 02");
        }
        List<String> sirets = s.list("scope.prescriberSirets", "");
        for (String p : sirets) {
            if (!p.matches("\\d{9}|\\d{14}")) {
                throw new SettingsException(FILE, "scope.prescriberSirets", "holds '" + p + "', neither a SIREN nor a SIRET",
                        "write SIRETs (14 digits) or SIRENs (9 digits), comma separated, or leave it empty");
            }
        }
        String key = s.string("api.key", null);
        String secret = s.string("webhook.secret", null);
        return new ImSettings(
                URI.create(s.url("api.url", "http://127.0.0.1:8484/api").toString().replaceAll("/+$", "")),
                s.millis("http.connectTimeoutMs", 5_000, 100, 120_000),
                s.millis("http.requestTimeoutMs", 15_000, 100, 600_000),
                s.partnerLimits(DEFAULT_LIMITS),
                s.millis("partner.minIntervalMs", 250, 0, 60_000),
                backoff, maxBackoff,
                s.bool("webhook.enabled", true),
                callbackUrl,
                s.longValue("webhook.maxBodyBytes", 1L << 20, 1024, 64L << 20),
                Duration.ofMinutes(s.longValue("subscription.checkMinutes", 60, 1, 7 * 24 * 60)),
                new DepartmentScope(s.string("scope.agencyKind", "conseil-departemental"), department, sirets),
                s.bool("reconcile.enabled", true),
                s.seconds("reconcile.recentSeconds", 600, 1, 86_400),
                s.integer("reconcile.recentPastDays", 45, 0, 400),
                s.integer("reconcile.futureDays", 183, 0, 800),
                nightly.equalsIgnoreCase("off") ? null : s.time("reconcile.nightlyAt", LocalTime.of(2, 30)),
                s.zone("reconcile.zone", zoneName),
                s.integer("reconcile.nightlyMonths", 13, 1, 60),
                windowDays, maxWindow,
                s.seconds("reconcile.rehandAfterSeconds", 3600, 1, 7 * 86_400),
                s.seconds("reconcile.retrySeconds", 30, 1, 3600),
                s.list("senders.roles", "departement,admin"),
                s.maxPayloadBytes(256 * 1024),
                s.integer("delivery.concurrency", 4, 1, Flow.MAX_CONCURRENCY),
                s.retry(DEFAULT_RETRY),
                s.seconds("match.checkSeconds", 30, 1, 86_400),
                key != null, key != null && key.trim().startsWith("ENC("),
                secret != null, secret != null && secret.trim().startsWith("ENC("));
    }

    /** Opens the secrets with the hub's keys; a value that does not open is a settings problem naming the key. */
    static Secret secrets(Map<String, ?> config, Secrets secrets) {
        Settings s = Settings.of(config, FILE);
        return new Secret(open(s, "api.key", secrets), open(s, "webhook.secret", secrets));
    }

    private static String open(Settings s, String key, Secrets secrets) {
        try {
            return s.secret(key, secrets);
        } catch (SettingsException e) {
            throw e;
        } catch (RuntimeException e) {
            // whatever the sealing says (a truncated value, a provider's error): a settings problem, without the value
            throw new SettingsException(FILE, key, "cannot be decrypted (" + e.getClass().getSimpleName() + ")",
                    "encrypt it again with hub:encrypt-secret on this installation");
        }
    }

    /** What operators see: everything but the secrets (only whether they are set, and sealed). */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("api.url", apiUrl.toString());
        m.put("api.key", !keySet ? "(not set)" : keySealed ? "(set, encrypted)" : "(set, in clear: encrypt it with hub:encrypt-secret)");
        m.put("partner", "at most " + limits.ratePerSecond() + " calls/s, " + minInterval.toMillis() + " ms apart; after a 429 "
                + backoff.toSeconds() + " s without a call, doubled up to " + maxBackoff.toSeconds() + " s");
        m.put("webhook", webhookEnabled ? callbackUrl : "off");
        m.put("webhook.secret", !secretSet ? "(generated by the hub, kept sealed)" : secretSealed ? "(set, encrypted)"
                : "(set, in clear: encrypt it with hub:encrypt-secret)");
        m.put("scope", "prescriber of kind " + scope.kind() + ", agencyDepartment " + scope.department()
                + (scope.prescriberSirets().isEmpty() ? "" : ", SIRET " + String.join("|", scope.prescriberSirets()) + "*"));
        m.put("reconciliation", !reconcileEnabled ? "off" : "recent (" + recentPastDays + " days back, " + futureDays
                + " ahead) every " + reconcileRecent.toSeconds() + " s; " + nightlyMonths + " months "
                + (nightlyAt == null ? "never (nightlyAt off)" : "nightly at " + nightlyAt + " " + zone) + "; windows of "
                + windowDays + " to " + maxWindowDays + " days");
        m.put("senders.roles", String.join(",", senderRoles));
        m.put("retry", retry.toString());
        m.put("delivery.concurrency", Integer.toString(concurrency));
        return m;
    }
}
