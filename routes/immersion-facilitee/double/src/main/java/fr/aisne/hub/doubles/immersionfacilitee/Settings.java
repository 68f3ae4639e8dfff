package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the double ({@code etc/hub.double.immersionfacilitee.cfg}); every value is checked and a wrong one
 * names its key. Keys that are not the double's (Karaf adds {@code service.pid}, {@code felix.fileinstall.filename}...)
 * are ignored.
 *
 * @param host interface to listen on ({@code http.host}, default 127.0.0.1)
 * @param port port ({@code http.port}, default 8484); the API is under {@code /api}, as the platform's
 * @param jwtSecret the secret the double signs and checks its API keys with ({@code jwt.secret}; double-only)
 * @param consumers the API consumers by name: the built-in ones ({@link #BUILT_IN}), changed or completed by
 *        {@code consumer.<name>.*} keys
 * @param errorStyle {@code partners} (default): 403 bodies are the JSON string "Accès refusé" and a call without an
 *        authorization header is a 401 "unauthenticated", as docs/PARTNERS.md section 3 says; {@code platform}: as
 *        the platform's code answers in 2026 (403 {@code {status, message}} objects, a missing header is a 400 of
 *        its request validation, an empty one the 401)
 * @param webhookConcurrency webhook calls in flight at once ({@code webhook.concurrency}, the platform: 5)
 * @param fixturesSeed seed of the generated conventions ({@code fixtures.seed})
 * @param fixturesGenerated how many conventions are generated besides the named ones ({@code fixtures.generated})
 * @param fixturesReferenceDate the "today" the fixtures are consistent with ({@code fixtures.referenceDate})
 * @param behaviour the injected behaviour at start and after a reset (see {@link Behaviour})
 */
record Settings(String host, int port, String jwtSecret, Map<String, Consumer> consumers, String errorStyle,
        int webhookConcurrency, long fixturesSeed, int fixturesGenerated, LocalDate fixturesReferenceDate,
        Behaviour behaviour) {

    static final String DEFAULT_JWT_SECRET = "double-only-immersion-facilitee-signing-secret";
    static final Instant DEFAULT_KEY_ISSUED_AT = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant FAR_FUTURE = Instant.parse("2099-12-31T00:00:00Z");
    static final String STYLE_PARTNERS = "partners";
    static final String STYLE_PLATFORM = "platform";
    private static final Pattern CONSUMER_KEY = Pattern.compile(
            "consumer\\.([A-Za-z0-9_-]+)\\.(id|rights|agencies|agencyKinds|revoked|expiresAt|keyIssuedAt)");

    /** The built-in consumers (README, "Keys"): the Aisne hub's, a neighbour's, and the refused ones. */
    static final Map<String, Consumer> BUILT_IN;

    static {
        Map<String, Consumer> m = new LinkedHashMap<>();
        Set<String> both = Set.of(Consumer.READ, Consumer.SUBSCRIPTION);
        m.put("aisne-hub", new Consumer("aisne-hub", "a15e0000-0000-4000-8000-0000000000a1", both,
                Set.of(Agency.CD02.id(), Agency.FT_LAON.id(), Agency.CD80.id()), Set.of(), false, FAR_FUTURE,
                DEFAULT_KEY_ISSUED_AT));
        m.put("somme-partner", new Consumer("somme-partner", "a15e0000-0000-4000-8000-0000000000a2", both,
                Set.of(Agency.CD80.id(), Agency.FT_AMIENS.id()), Set.of(), false, FAR_FUTURE, DEFAULT_KEY_ISSUED_AT));
        m.put("no-rights", new Consumer("no-rights", "a15e0000-0000-4000-8000-0000000000a3", Set.of(),
                Set.of(Agency.CD02.id()), Set.of(), false, FAR_FUTURE, DEFAULT_KEY_ISSUED_AT));
        m.put("revoked", new Consumer("revoked", "a15e0000-0000-4000-8000-0000000000a4", both,
                Set.of(Agency.CD02.id()), Set.of(), true, FAR_FUTURE, DEFAULT_KEY_ISSUED_AT));
        m.put("expired", new Consumer("expired", "a15e0000-0000-4000-8000-0000000000a5", both,
                Set.of(Agency.CD02.id()), Set.of(), false, Instant.parse("2025-06-30T00:00:00Z"),
                DEFAULT_KEY_ISSUED_AT));
        BUILT_IN = java.util.Collections.unmodifiableMap(m);
    }

    static Settings from(Map<String, ?> config) {
        String host = text(config, "http.host", "127.0.0.1");
        int port = intValue(text(config, "http.port", null), "http.port", 8484);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http.port: must be between 0 and 65535");
        }
        String secret = text(config, "jwt.secret", DEFAULT_JWT_SECRET);
        if (secret.length() < 16) {
            throw new IllegalArgumentException("jwt.secret: at least 16 characters");
        }
        String style = text(config, "errors.style", STYLE_PARTNERS);
        if (!style.equals(STYLE_PARTNERS) && !style.equals(STYLE_PLATFORM)) {
            throw new IllegalArgumentException("errors.style: partners or platform");
        }
        int concurrency = intValue(text(config, "webhook.concurrency", null), "webhook.concurrency", 5);
        if (concurrency < 1 || concurrency > 50) {
            throw new IllegalArgumentException("webhook.concurrency: must be between 1 and 50");
        }
        long seed = longValue(text(config, "fixtures.seed", null), "fixtures.seed", 2024);
        int generated = intValue(text(config, "fixtures.generated", null), "fixtures.generated", 140);
        if (generated < 0 || generated > 100_000) {
            throw new IllegalArgumentException("fixtures.generated: must be between 0 and 100000");
        }
        LocalDate reference;
        try {
            reference = LocalDate.parse(text(config, "fixtures.referenceDate", "2026-01-15"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("fixtures.referenceDate: a date yyyy-MM-dd is expected");
        }
        return new Settings(host, port, secret, consumers(config), style, concurrency, seed, generated, reference,
                Behaviour.from(config));
    }

    private static Map<String, Consumer> consumers(Map<String, ?> config) {
        Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            Matcher m = CONSUMER_KEY.matcher(e.getKey());
            if (m.matches()) {
                overrides.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2),
                        e.getValue() == null ? "" : String.valueOf(e.getValue()).trim());
            }
        }
        Map<String, Consumer> consumers = new LinkedHashMap<>(BUILT_IN);
        for (Map.Entry<String, Map<String, String>> e : overrides.entrySet()) {
            String name = e.getKey();
            Map<String, String> o = e.getValue();
            Consumer base = consumers.get(name);
            String prefix = "consumer." + name + ".";
            String id = o.getOrDefault("id", base == null ? null : base.id());
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(prefix + "id: missing (a new consumer needs an id)");
            }
            Set<String> rights = o.containsKey("rights") ? words(o.get("rights"))
                    : base == null ? Set.of(Consumer.READ, Consumer.SUBSCRIPTION) : base.rights();
            for (String r : rights) {
                if (!r.equals(Consumer.READ) && !r.equals(Consumer.SUBSCRIPTION)) {
                    throw new IllegalArgumentException(prefix + "rights: READ and/or SUBSCRIPTION");
                }
            }
            Set<String> agencies = base == null ? Set.of() : base.agencyIds();
            if (o.containsKey("agencies")) {
                Set<String> ids = new LinkedHashSet<>();
                for (String a : words(o.get("agencies"))) {
                    Agency known = Agency.find(a);
                    if (known == null && !a.matches("[0-9a-fA-F-]{36}")) {
                        throw new IllegalArgumentException(prefix + "agencies: unknown agency " + a
                                + " (an alias such as cd02, or an agency id)");
                    }
                    ids.add(known == null ? a : known.id());
                }
                agencies = Set.copyOf(ids);
            }
            Set<String> kinds = o.containsKey("agencyKinds") ? words(o.get("agencyKinds"))
                    : base == null ? Set.of() : base.agencyKinds();
            boolean revoked = booleanValue(o.get("revoked"), prefix + "revoked", base != null && base.revoked());
            Instant expires = instant(o.get("expiresAt"), prefix + "expiresAt", base == null ? FAR_FUTURE : base.expiresAt());
            Instant issued = instant(o.get("keyIssuedAt"), prefix + "keyIssuedAt",
                    base == null ? DEFAULT_KEY_ISSUED_AT : base.keyIssuedAt());
            consumers.put(name, new Consumer(name, id, rights, agencies, kinds, revoked, expires, issued));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Consumer c : consumers.values()) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("consumer." + c.name() + ".id: already the id of another consumer");
            }
        }
        return java.util.Collections.unmodifiableMap(consumers);
    }

    private static Set<String> words(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Set.copyOf(new LinkedHashSet<>(Arrays.asList(value.trim().split("[\\s,]+"))));
    }

    private static Instant instant(String value, String key, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": a date (yyyy-MM-dd) or an instant (yyyy-MM-ddTHH:mm:ssZ) is expected");
        }
    }

    private static String text(Map<String, ?> config, String key, String fallback) {
        Object v = config.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        return String.valueOf(v).trim();
    }

    static int intValue(String value, String key, int fallback) {
        long v = longValue(value, key, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + ": out of range");
        }
        return (int) v;
    }

    static long longValue(String value, String key, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": an integer is expected");
        }
    }

    static boolean booleanValue(String value, String key, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": true or false expected");
        };
    }

    boolean platformErrors() {
        return STYLE_PLATFORM.equals(errorStyle);
    }

    @Override
    public String toString() {
        // never the secret
        return "Settings[" + host + ":" + port + ", consumers=" + consumers.keySet() + ", errors.style=" + errorStyle
                + ", webhook.concurrency=" + webhookConcurrency + ", fixtures.seed=" + fixturesSeed
                + ", fixtures.generated=" + fixturesGenerated + ", fixtures.referenceDate=" + fixturesReferenceDate
                + ", " + behaviour + "]";
    }
}
