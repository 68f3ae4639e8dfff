package fr.aisne.hub.connector.francetravail;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.spi.Settings;

/**
 * The settings of etc/hub.connector.francetravail.cfg, checked on load; errors name the key, never a value of a
 * secret. {@code clientSecret} is the value as written (possibly ENC(...)): decrypt it with {@link SecretBox}.
 */
public record FtSettings(URI baseUrl, URI tokenUrl, String realm, String clientId, String clientSecret,
        Duration renewBefore, Map<String, String> scopes, Agent agent, Agent batchAgent, double ratePerSecond,
        Duration connectTimeout, Duration requestTimeout, Duration retryAfterMaxWait, int retryAfterMaxRetries,
        int circuitFailureThreshold, Duration circuitOpenDuration, Duration jetonTtl, boolean eventsEnabled,
        Duration eventsPoll, int eventsBatchSize, LocalTime batchDailyAt, Duration batchInterval, ZoneId batchZone,
        String[] senderRoles, String[] batchRoles, RetryPolicy retry, long maxPayloadBytes) {

    public static final String PID = "hub.connector.francetravail";
    public static final String FILE = "etc/" + PID + ".cfg";

    /** Calls, each with its own scope set (a token is cached per scope set). */
    public static final String RECHERCHER_USAGER = "rechercherUsager";
    public static final String ORIENTATION = "orientation";
    public static final String CONTRAT = "contrat";
    public static final String INFORMATIONS_ADMINISTRATIVES = "informationsAdministratives";
    public static final String RQTH = "rqth";
    public static final String RENDEZ_VOUS = "rendezVous";

    /**
     * Scopes as France Travail's partner APIs (realm /partenaire) define them: each API its
     * {@code api_<name>v<version>} scope, the searches also {@code rechercheusager}, the person-scoped calls (with
     * a jeton usager) also {@code profil_accedant}. A scope the client is not subscribed to is refused
     * (invalid_scope) when the token is asked.
     */
    private static final Map<String, String> DEFAULT_SCOPES = Map.of(
            RECHERCHER_USAGER, "api_rechercher-usagerv2 rechercheusager profil_accedant",
            ORIENTATION, "api_orientationusagerv1 profil_accedant",
            CONTRAT, "api_contrat-usagerv2 profil_accedant",
            INFORMATIONS_ADMINISTRATIVES, "api_informations-administrativesv1 profil_accedant",
            RQTH, "api_donnees-rqthv1 profil_accedant",
            RENDEZ_VOUS, "api_rendez-vous-partenairev1 profil_accedant");

    /** Who is acting, sent as pa-identifiant-agent, pa-nom-agent, pa-prenom-agent on person-scoped calls. */
    public record Agent(String id, String nom, String prenom) {
        public Agent {
            if (blank(id) || blank(nom) || blank(prenom)) {
                throw new IllegalArgumentException("agent id, nom and prenom must not be empty (France Travail refuses empty agent headers)");
            }
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }

    public static FtSettings from(Map<String, ?> cfg) {
        URI base = URI.create(Settings.string(cfg, "baseUrl", "http://127.0.0.1:8383").replaceAll("/+$", ""));
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL");
        }
        if (base.getRawQuery() != null || base.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must carry neither a query nor credentials");
        }
        Map<String, String> scopes = new LinkedHashMap<>();
        DEFAULT_SCOPES.forEach((call, def) -> scopes.put(call, normaliseScopes(Settings.string(cfg, "scope." + call, def))));
        double rate = Settings.doubleValue(cfg, "rate.perSecond", 5);
        if (!(rate >= 0)) {
            throw new IllegalArgumentException("rate.perSecond must be >= 0 (0: no limit)");
        }
        int threshold = Settings.intValue(cfg, "circuit.failureThreshold", 5);
        if (threshold < 1) {
            throw new IllegalArgumentException("circuit.failureThreshold must be at least 1");
        }
        Agent agent;
        Agent batch;
        try {
            agent = new Agent(Settings.string(cfg, "agent.id", "hub-aisne"), Settings.string(cfg, "agent.nom", "HUB"),
                    Settings.string(cfg, "agent.prenom", "AISNE"));
            batch = new Agent("BATCH", Settings.string(cfg, "batch.agent.nom", "BATCH"),
                    Settings.string(cfg, "batch.agent.prenom", "HUB"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings agent.*: " + e.getMessage());
        }
        LocalTime dailyAt = null;
        String at = Settings.string(cfg, "batch.dailyAt", "02:00");
        if (!at.equalsIgnoreCase("off")) {
            try {
                dailyAt = LocalTime.parse(at);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("batch.dailyAt must be HH:mm or off, was '" + at + "'");
            }
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(Settings.string(cfg, "batch.zone", "Europe/Paris"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("batch.zone must be a time zone id such as Europe/Paris");
        }
        String secret = Settings.string(cfg, "client.secret", "");
        return new FtSettings(base,
                URI.create(Settings.string(cfg, "token.url", base + "/connexion/oauth2/access_token")),
                Settings.string(cfg, "token.realm", "/partenaire"),
                Settings.string(cfg, "client.id", "aisne-hub"),
                secret,
                positive(cfg, "token.renewBeforeSeconds", 60, true),
                Map.copyOf(scopes), agent, batch, rate,
                Duration.ofMillis(Settings.longValue(cfg, "http.connectTimeoutMs", 5_000)),
                Duration.ofMillis(Settings.longValue(cfg, "http.requestTimeoutMs", 30_000)),
                positive(cfg, "retryAfter.maxWaitSeconds", 30, true),
                Settings.intValue(cfg, "retryAfter.maxRetries", 3),
                threshold,
                positive(cfg, "circuit.openSeconds", 30, false),
                Duration.ofMinutes(Settings.longValue(cfg, "jeton.ttlMinutes", 30)),
                Settings.bool(cfg, "events.enabled", true),
                positive(cfg, "events.pollSeconds", 10, false),
                Settings.intValue(cfg, "events.batchSize", 200),
                dailyAt,
                Duration.ofMinutes(Settings.longValue(cfg, "batch.intervalMinutes", 0)),
                zone,
                roles(cfg, "senders.roles", "departement,hub-sender,admin"),
                roles(cfg, "batch.roles", "admin,manager"),
                RetryPolicy.fromSettings(withRetryDefaults(cfg)),
                Settings.longValue(cfg, "maxPayloadBytes", 64 * 1024));
    }

    /** The scope set of a call, space separated, sorted (the cache key of its token). */
    public String scopesOf(String call) {
        String s = scopes.get(call);
        if (s == null) {
            throw new IllegalArgumentException("no scope setting for call " + call);
        }
        return s;
    }

    public boolean hasSecret() {
        return clientSecret != null && !clientSecret.isBlank();
    }

    /** What operators see: everything but the secret (only whether it is set, and whether encrypted). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("baseUrl", baseUrl.toString());
        m.put("token.url", tokenUrl.toString());
        m.put("client.id", clientId);
        m.put("client.secret", !hasSecret() ? "(not set)" : SecretBox.isSealed(clientSecret) ? "(set, encrypted)"
                : "(set, in clear: encrypt it with hub:encrypt-secret)");
        scopes.forEach((k, v) -> m.put("scope." + k, v));
        m.put("agent.id", agent.id());
        m.put("rate.perSecond", Double.toString(ratePerSecond));
        m.put("http.timeouts", "connect " + connectTimeout.toMillis() + " ms, request " + requestTimeout.toMillis() + " ms");
        m.put("circuit", "opens after " + circuitFailureThreshold + " consecutive failures, half-open after "
                + circuitOpenDuration.toSeconds() + " s");
        m.put("jeton.ttlMinutes", Long.toString(jetonTtl.toMinutes()));
        m.put("events", eventsEnabled ? "every " + eventsPoll.toSeconds() + " s" : "off");
        m.put("batch", (batchDailyAt == null ? "no daily run" : "daily at " + batchDailyAt + " " + batchZone)
                + (batchInterval.isZero() ? "" : ", every " + batchInterval.toMinutes() + " min"));
        m.put("retry", retry.toString());
        return m;
    }

    static String normaliseScopes(String scopes) {
        return String.join(" ", new java.util.TreeSet<>(java.util.List.of(scopes.trim().split("\\s+"))));
    }

    private static Duration positive(Map<String, ?> cfg, String key, long def, boolean zeroAllowed) {
        long v = Settings.longValue(cfg, key, def);
        if (v < 0 || (!zeroAllowed && v == 0)) {
            throw new IllegalArgumentException("setting " + key + " must be " + (zeroAllowed ? ">= 0" : "> 0"));
        }
        return Duration.ofSeconds(v);
    }

    private static String[] roles(Map<String, ?> cfg, String key, String def) {
        return Settings.string(cfg, key, def).split("\\s*,\\s*");
    }

    /**
     * Generous retries by default, so that a partner outage of 10 minutes or more loses nothing: 24 attempts,
     * 5 s doubling up to 2 min, about 40 minutes in all before quarantine (replayable).
     */
    private static Map<String, Object> withRetryDefaults(Map<String, ?> cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retry.maxAttempts", "24");
        m.put("retry.initialDelayMs", "5000");
        m.put("retry.multiplier", "2.0");
        m.put("retry.maxDelayMs", "120000");
        if (cfg != null) {
            cfg.forEach((k, v) -> {
                if (k.startsWith("retry.") && v != null && !v.toString().isBlank()) {
                    m.put(k, v);
                }
            });
        }
        return m;
    }
}
