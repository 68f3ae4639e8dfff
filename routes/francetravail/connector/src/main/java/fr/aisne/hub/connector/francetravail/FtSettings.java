package fr.aisne.hub.connector.francetravail;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.api.SettingsException;

/**
 * The settings of etc/hub.connector.francetravail.cfg, checked on load; errors name the key, never a value of a
 * secret. {@code clientSecret} is the value as written (possibly ENC(...)): the hub's Secrets open it.
 */
public record FtSettings(URI baseUrl, URI tokenUrl, String realm, String clientId, String clientSecret,
        Duration renewBefore, Map<String, String> scopes, Agent agent, Agent batchAgent, PartnerLimits limits,
        Duration connectTimeout, Duration requestTimeout, Duration retryAfterMaxWait, int retryAfterMaxRetries,
        Duration jetonTtl, boolean eventsEnabled, Duration eventsPoll, int eventsBatchSize, LocalTime batchDailyAt,
        Duration batchInterval, ZoneId batchZone, String[] senderRoles, String[] batchRoles, RetryPolicy retry,
        long maxPayloadBytes, int concurrency) {

    public static final String PID = "hub.connector.francetravail";
    public static final String FILE = "etc/" + PID + ".cfg";
    /** France Travail's documented rate for a partner: 5 calls a second; the circuit opens after 5 failures. */
    static final PartnerLimits DEFAULT_LIMITS = new PartnerLimits(5, 0, 5, Duration.ofSeconds(30));
    /**
     * Generous retries by default, so that a partner outage of 10 minutes or more loses nothing: 24 attempts, 5 s
     * doubling up to 2 min, about 40 minutes in all before quarantine (replayable).
     */
    static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(24, 5_000, 2.0, 120_000);
    /** What France Travail accepts in an HTTP header value: visible ASCII and spaces (no accents, no controls). */
    private static final java.util.regex.Pattern HEADER_SAFE = java.util.regex.Pattern.compile("[\\x20-\\x7E]{1,100}");

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

    /**
     * Who is acting, sent as pa-identifiant-agent, pa-nom-agent, pa-prenom-agent on person-scoped calls: values an
     * HTTP header can carry (France Travail expects the name without accents, as in its own directory).
     */
    public record Agent(String id, String nom, String prenom) {
        public Agent {
            if (!safe(id) || !safe(nom) || !safe(prenom)) {
                throw new IllegalArgumentException("agent id, nom and prenom must be 1 to 100 characters of plain ASCII "
                        + "(no accents: they travel as HTTP headers)");
            }
        }

        /** True when the value can travel as an HTTP header value. */
        public static boolean safe(String s) {
            return s != null && !s.isBlank() && HEADER_SAFE.matcher(s).matches();
        }
    }

    public static FtSettings from(Map<String, ?> cfg) {
        Settings s = Settings.of(cfg, FILE);
        URI base = URI.create(s.url("baseUrl", "http://127.0.0.1:8383").toString().replaceAll("/+$", ""));
        Map<String, String> scopes = new LinkedHashMap<>();
        DEFAULT_SCOPES.forEach((call, def) -> scopes.put(call, normaliseScopes(s.string("scope." + call, def))));
        Agent agent = agent(s, "agent", s.string("agent.id", "hub-aisne"), s.string("agent.nom", "HUB"),
                s.string("agent.prenom", "AISNE"));
        Agent batch = agent(s, "batch.agent", "BATCH", s.string("batch.agent.nom", "BATCH"),
                s.string("batch.agent.prenom", "HUB"));
        LocalTime dailyAt = s.string("batch.dailyAt", "02:00").equalsIgnoreCase("off") ? null
                : s.time("batch.dailyAt", LocalTime.of(2, 0));
        return new FtSettings(base,
                s.url("token.url", base + "/connexion/oauth2/access_token"),
                s.string("token.realm", "/partenaire"),
                s.string("client.id", "aisne-hub"),
                s.string("client.secret", ""),
                s.seconds("token.renewBeforeSeconds", 60, 0, 3600),
                Map.copyOf(scopes), agent, batch,
                s.partnerLimits(DEFAULT_LIMITS),
                s.millis("http.connectTimeoutMs", 5_000, 100, 120_000),
                s.millis("http.requestTimeoutMs", 30_000, 100, 600_000),
                s.seconds("retryAfter.maxWaitSeconds", 5, 0, 60),
                s.integer("retryAfter.maxRetries", 3, 0, 10),
                Duration.ofMinutes(s.longValue("jeton.ttlMinutes", 30, 1, 24 * 60)),
                s.bool("events.enabled", true),
                s.seconds("events.pollSeconds", 10, 1, 86_400),
                s.integer("events.batchSize", 200, 1, 10_000),
                dailyAt,
                Duration.ofMinutes(s.longValue("batch.intervalMinutes", 0, 0, 7 * 24 * 60)),
                s.zone("batch.zone", "Europe/Paris"),
                s.list("senders.roles", "sender-france-travail,admin").toArray(String[]::new),
                s.list("batch.roles", "admin,manager").toArray(String[]::new),
                s.retry(DEFAULT_RETRY),
                s.maxPayloadBytes(64 * 1024),
                s.integer("delivery.concurrency", 4, 1, fr.aisne.hub.api.Flow.MAX_CONCURRENCY));
    }

    private static Agent agent(Settings s, String prefix, String id, String nom, String prenom) {
        try {
            return new Agent(id, nom, prenom);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(s.file(), prefix + ".*", "is not usable: " + e.getMessage(),
                    "write the agent's id, nom and prenom without accents");
        }
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
        m.put("client.secret", !hasSecret() ? "(not set)" : clientSecret.trim().startsWith("ENC(") ? "(set, encrypted)"
                : "(set, in clear: encrypt it with hub:encrypt-secret)");
        scopes.forEach((k, v) -> m.put("scope." + k, v));
        m.put("agent.id", agent.id());
        m.put("partner", "at most " + limits.ratePerSecond() + " calls/s; circuit opens after "
                + limits.circuitFailures() + " failures in a row, for " + limits.circuitOpen().toSeconds() + " s");
        m.put("http.timeouts", "connect " + connectTimeout.toMillis() + " ms, request " + requestTimeout.toMillis() + " ms");
        m.put("jeton.ttlMinutes", Long.toString(jetonTtl.toMinutes()));
        m.put("events", eventsEnabled ? "every " + eventsPoll.toSeconds() + " s" : "off");
        m.put("batch", (batchDailyAt == null ? "no daily run" : "daily at " + batchDailyAt + " " + batchZone)
                + (batchInterval.isZero() ? "" : ", every " + batchInterval.toMinutes() + " min"));
        m.put("retry", retry.toString());
        m.put("delivery.concurrency", Integer.toString(concurrency));
        return m;
    }

    static String normaliseScopes(String scopes) {
        return String.join(" ", new java.util.TreeSet<>(java.util.List.of(scopes.trim().split("\\s+"))));
    }
}
