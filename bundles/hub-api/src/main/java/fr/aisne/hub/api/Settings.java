package fr.aisne.hub.api;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, checked reads of a connector's settings ({@code etc/hub.connector.<id>.cfg}, bound by Declarative
 * Services). Every problem is a {@link SettingsException} naming the file, the key, what is wrong and the fix,
 * so the connector shows DOWN with a reason an operator can act on.
 */
public final class Settings {
    private static final int QUOTE_MAX = 60;

    private final Map<String, ?> values;
    private final String file;

    private Settings(Map<String, ?> values, String file) {
        this.values = values == null ? Map.of() : values;
        this.file = file;
    }

    /** @param file the settings file, as operators know it (e.g. {@code etc/hub.connector.caf.cfg}) */
    public static Settings of(Map<String, ?> values, String file) {
        return new Settings(values, file);
    }

    public String file() {
        return file;
    }

    /** The trimmed value, or the default when absent or blank. */
    public String string(String key, String defaultValue) {
        Object v = values.get(key);
        return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
    }

    public String required(String key, String fix) {
        String v = string(key, null);
        if (v == null) {
            throw new SettingsException(file, key, "is missing", fix);
        }
        return v;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        long v = longValue(key, defaultValue, min, max);
        return (int) v;
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw wrong(key, v, "is not a whole number", range(min, max));
        }
        if (n < min || n > max) {
            throw wrong(key, v, "is out of range", range(min, max));
        }
        return n;
    }

    public double decimal(String key, double defaultValue, double min, double max) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw wrong(key, v, "is not a number", "write a number from " + min + " to " + max + " (a dot for decimals)");
        }
        if (!(d >= min && d <= max)) {
            throw wrong(key, v, "is out of range", "write a number from " + min + " to " + max);
        }
        return d;
    }

    /** Only {@code true} or {@code false}: a typo must not silently mean false. */
    public boolean bool(String key, boolean defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw wrong(key, v, "is neither true nor false", "write true or false");
        };
    }

    /** A duration in whole seconds. */
    public Duration seconds(String key, long defaultSeconds, long min, long max) {
        return Duration.ofSeconds(longValue(key, defaultSeconds, min, max));
    }

    /** A duration in milliseconds. */
    public Duration millis(String key, long defaultMillis, long min, long max) {
        return Duration.ofMillis(longValue(key, defaultMillis, min, max));
    }

    /** A comma-separated list, trimmed, without empty items. */
    public List<String> list(String key, String defaultValue) {
        String v = string(key, defaultValue);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        throw wrong(key, v, "is not one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT),
                "write one of those");
    }

    /** A time of day (HH:mm), or null when absent and no default. */
    public LocalTime time(String key, LocalTime defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return LocalTime.parse(v);
        } catch (DateTimeException e) {
            throw wrong(key, v, "is not a time of day", "write HH:mm, e.g. 02:30");
        }
    }

    public ZoneId zone(String key, String defaultValue) {
        String v = string(key, defaultValue);
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw wrong(key, v, "is not a time zone", "write a zone id such as Europe/Paris");
        }
    }

    /**
     * A partner's base URL: {@code https}, or {@code http} only towards this machine (loopback: the doubles, a
     * local TLS proxy). No query, no credentials in it (they would end up in logs).
     */
    public URI url(String key, String defaultValue) {
        String v = string(key, defaultValue);
        if (v == null) {
            throw new SettingsException(file, key, "is missing", "write the partner's https:// URL");
        }
        URI u;
        try {
            u = new URI(v);
        } catch (URISyntaxException e) {
            throw new SettingsException(file, key, "is not a URL", "write the partner's https:// URL");
        }
        if (u.getRawUserInfo() != null) {
            throw new SettingsException(file, key, "carries credentials", "remove user:password@ from the URL; "
                    + "credentials have settings of their own");
        }
        if (u.getRawQuery() != null) {
            throw wrong(key, v, "carries a query", "remove the ?... part");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(u.getHost()))) {
            throw wrong(key, v, "is not an https URL", "use https:// (plain http is only accepted towards 127.0.0.1 "
                    + "or localhost)");
        }
        if (u.getHost() == null) {
            throw wrong(key, v, "has no host", "write the partner's https:// URL");
        }
        return u;
    }

    /**
     * A secret (password, client secret, token), written in clear or as {@code ENC(...)} sealed with the hub's
     * keys ({@code hub:encrypt-secret}). Never quoted in an error.
     */
    public String secret(String key, Secrets secrets) {
        String v = string(key, null);
        if (v == null) {
            return null;
        }
        try {
            return secrets.reveal(v);
        } catch (IllegalStateException e) {
            throw new SettingsException(file, key, "cannot be decrypted (" + e.getMessage() + ")",
                    "encrypt it again with hub:encrypt-secret on this installation");
        }
    }

    /** retry.maxAttempts, retry.initialDelayMs, retry.multiplier, retry.maxDelayMs, each with its default. */
    public RetryPolicy retry() {
        return retry(RetryPolicy.DEFAULT);
    }

    public RetryPolicy retry(RetryPolicy defaults) {
        int attempts = integer("retry.maxAttempts", defaults.maxAttempts(), 1, 1000);
        long initial = longValue("retry.initialDelayMs", defaults.initialDelayMs(), 0, 86_400_000L);
        double multiplier = decimal("retry.multiplier", defaults.multiplier(), 1.0, 100.0);
        long max = longValue("retry.maxDelayMs", Math.max(defaults.maxDelayMs(), initial), 0, 86_400_000L);
        if (max < initial) {
            throw new SettingsException(file, "retry.maxDelayMs", "is below retry.initialDelayMs",
                    "make retry.maxDelayMs at least retry.initialDelayMs");
        }
        return new RetryPolicy(attempts, initial, multiplier, max);
    }

    /**
     * partner.ratePerSecond, partner.maxConcurrent, partner.circuit.failures, partner.circuit.openSeconds (0 turns a
     * limit off), with the connector's defaults.
     */
    public PartnerLimits partnerLimits(PartnerLimits defaults) {
        return new PartnerLimits(decimal("partner.ratePerSecond", defaults.ratePerSecond(), 0, 10_000),
                integer("partner.maxConcurrent", defaults.maxConcurrent(), 0, 1000),
                integer("partner.circuit.failures", defaults.circuitFailures(), 0, 1000),
                seconds("partner.circuit.openSeconds", defaults.circuitOpen().toSeconds(), 1, 86_400));
    }

    public PartnerLimits partnerLimits() {
        return partnerLimits(PartnerLimits.NONE);
    }

    /** maxPayloadBytes: the largest message the flows accept. */
    public long maxPayloadBytes(long defaultValue) {
        return longValue("maxPayloadBytes", defaultValue, 1, 64L << 30);
    }

    private SettingsException wrong(String key, String value, String problem, String fix) {
        String quoted = value.length() > QUOTE_MAX ? value.substring(0, QUOTE_MAX) + "…" : value;
        return new SettingsException(file, key, "= '" + quoted + "' " + problem, fix);
    }

    private static String range(long min, long max) {
        return "write a whole number from " + min + " to " + max;
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: a name is never resolved here (no DNS at settings time).
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
