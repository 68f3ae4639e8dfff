package fr.aisne.hub.connector.dora;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;

/**
 * The settings of etc/hub.connector.dora.cfg, checked on load: a wrong value makes the connector DOWN with the key,
 * the problem and the fix. The two tokens are opened here (ENC(...) through the hub's secrets) and never shown:
 * {@link #describe()} says only whether each is set and whether it is encrypted.
 */
record DoraSettings(URI apiUrl, String apiToken, boolean apiTokenSealed, boolean directoryEnabled,
        String codeDepartement, int pageSize, LocalTime dailyAt, ZoneId zone, boolean pullOnStart,
        Duration startDelay, Duration retryAfterFailure, List<String> queryRoles, List<String> pullRoles,
        Duration connectTimeout, Duration requestTimeout, int attemptsPerPage, Duration retryAfterMaxWait,
        PartnerLimits limits, String offerSource, List<String> offerZone, List<String> senderRoles,
        long offerMaxBytes, String feedToken, boolean feedTokenSealed, List<String> feedRoles, RetryPolicy retry,
        long maxPageBytes) {

    static final String PID = "hub.connector.dora";
    static final String FILE = "etc/" + PID + ".cfg";
    /** data·inclusion has no published rate limit: stay gentle, one call at a time. */
    static final PartnerLimits DEFAULT_LIMITS = new PartnerLimits(5, 1, 5, Duration.ofSeconds(60));
    static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(8, 2_000, 2.0, 120_000);
    /** A département code (2 digits, 2A/2B, or 97x). */
    private static final Pattern DEPARTEMENT = Pattern.compile("\\d{2}|2[AB]|97\\d");
    /** A data·inclusion source slug. */
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,49}");
    /** A zone_eligibilite code: commune (5), département (2-3), EPCI (9 digits). */
    private static final Pattern ZONE = Pattern.compile("\\w{5}|\\w{2,3}|\\d{9}");

    static DoraSettings from(Map<String, ?> config, Secrets secrets) {
        Settings s = Settings.of(config, FILE);
        URI api = URI.create(s.url("api.url", "http://127.0.0.1:8585/api/v1").toString().replaceAll("/+$", ""));
        String token = s.secret("api.token", secrets);
        String codeDepartement = s.string("directory.codeDepartement", "02");
        if (!DEPARTEMENT.matcher(codeDepartement).matches()) {
            throw new SettingsException(FILE, "directory.codeDepartement", "is not a département code",
                    "write the INSEE code of the département, e.g. 02");
        }
        String dailyAtText = s.string("directory.dailyAt", "03:30");
        LocalTime dailyAt = dailyAtText.equalsIgnoreCase("off") ? null : s.time("directory.dailyAt", LocalTime.of(3, 30));
        String source = s.string("offer.source", "departement-aisne");
        if (!SLUG.matcher(source).matches()) {
            throw new SettingsException(FILE, "offer.source", "is not a source slug",
                    "write lower-case letters, digits and hyphens (2 to 50), e.g. departement-aisne");
        }
        List<String> zone = s.list("offer.zoneEligibilite", "02");
        for (String z : zone) {
            if (!ZONE.matcher(z).matches()) {
                throw new SettingsException(FILE, "offer.zoneEligibilite", "holds a value that is no commune, "
                        + "département or EPCI code", "write codes such as 02, 02691 or 200071892, comma-separated");
            }
        }
        String feedToken = s.secret("feed.token", secrets);
        if (feedToken != null && feedToken.length() < 16) {
            throw new SettingsException(FILE, "feed.token", "is shorter than 16 characters",
                    "choose a long random value (e.g. openssl rand -hex 24) and encrypt it with hub:encrypt-secret");
        }
        return new DoraSettings(api, token, secrets.isSealed(s.string("api.token", null)),
                s.bool("directory.enabled", true), codeDepartement,
                s.integer("directory.pageSize", 1000, 1, 10_000), dailyAt, s.zone("directory.zone", "Europe/Paris"),
                s.bool("directory.pullOnStart", true),
                s.seconds("directory.startDelaySeconds", 60, 0, 86_400),
                Duration.ofMinutes(s.longValue("directory.retryMinutes", 30, 1, 24 * 60)),
                s.list("query.roles", "departement,viewer,manager,admin"),
                s.list("pull.roles", "manager,admin"),
                s.millis("http.connectTimeoutMs", 5_000, 100, 120_000),
                s.millis("http.requestTimeoutMs", 60_000, 100, 600_000),
                s.integer("http.attemptsPerPage", 3, 1, 10),
                s.seconds("retryAfter.maxWaitSeconds", 30, 0, 300),
                s.partnerLimits(DEFAULT_LIMITS), source, zone,
                s.list("senders.roles", "departement,sender-aisne-actifs,admin"),
                s.longValue("offer.maxPayloadBytes", 4L << 20, 1024, 64L << 20),
                feedToken, secrets.isSealed(s.string("feed.token", null)),
                s.list("feed.roles", "departement,admin"),
                s.retry(DEFAULT_RETRY), s.maxPayloadBytes(32L << 20));
    }

    boolean hasApiToken() {
        return apiToken != null && !apiToken.isBlank();
    }

    boolean hasFeedToken() {
        return feedToken != null && !feedToken.isBlank();
    }

    /** What operators see: everything but the tokens (only whether each is set, and encrypted). */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("api.url", apiUrl.toString());
        m.put("api.token", tokenState(hasApiToken(), apiTokenSealed));
        m.put("directory", !directoryEnabled ? "off" : "département " + codeDepartement + ", pages of " + pageSize
                + (dailyAt == null ? ", no daily pull" : ", daily at " + dailyAt + " " + zone)
                + (pullOnStart ? ", at start after " + startDelay.toSeconds() + " s" : "")
                + ", again " + retryAfterFailure.toMinutes() + " min after a failure");
        m.put("partner", "at most " + limits.ratePerSecond() + " calls/s, " + limits.maxConcurrent()
                + " at once; circuit opens after " + limits.circuitFailures() + " failures for "
                + limits.circuitOpen().toSeconds() + " s");
        m.put("http", "connect " + connectTimeout.toMillis() + " ms, request " + requestTimeout.toMillis() + " ms, "
                + attemptsPerPage + " attempts per page, Retry-After waited up to " + retryAfterMaxWait.toSeconds() + " s");
        m.put("offer", "source " + offerSource + ", default zone " + String.join(",", offerZone) + ", senders "
                + senderRoles);
        m.put("feed.token", tokenState(hasFeedToken(), feedTokenSealed));
        m.put("feed.roles", feedRoles.toString());
        m.put("retry", retry.toString());
        return m;
    }

    /** Never the tokens (a record's own toString would print them). */
    @Override
    public String toString() {
        return "DoraSettings" + describe();
    }

    private static String tokenState(boolean set, boolean sealed) {
        return !set ? "(not set)" : sealed ? "(set, encrypted)" : "(set, in clear: encrypt it with hub:encrypt-secret)";
    }
}
