package fr.aisne.hub.doubles.dora;

import java.net.URI;
import java.util.Map;

/**
 * Settings of the double ({@code etc/hub.double.dora.cfg}); every value is checked and a wrong one names its key.
 * Keys that are not the double's (Karaf adds {@code service.pid}, {@code felix.fileinstall.filename}...) are ignored.
 *
 * @param host interface to listen on ({@code http.host}, default 127.0.0.1)
 * @param port port ({@code http.port}, default 8585)
 * @param tokenSecret HS256 key of the double's JWTs ({@code token.secret}); opens the double only
 * @param consumer where the consumer pulls the hub's feed from (the {@code consumer.*} keys)
 * @param csvMaxBytes largest CSV accepted by {@code POST /double/consumer/csv} ({@code csv.maxBytes})
 * @param behaviour the injected behaviour at start and after a reset (see {@link Behaviour})
 */
record Settings(String host, int port, String tokenSecret, Consumer consumer, int csvMaxBytes, Behaviour behaviour) {

    static final String DEFAULT_TOKEN_SECRET = "double-dora-secret-change-me";

    /**
     * The consumer's settings; {@code POST /double/consumer} changes them at run time.
     *
     * @param feedBaseUrl base URL of the hub's feed ({@code consumer.feedBaseUrl}); {@code /structures} and
     *        {@code /services} are appended. Empty: not configured.
     * @param token the feed's read token, sent as {@code Authorization: Bearer} ({@code consumer.token}); empty: none
     * @param pageSize {@code size} asked for each page ({@code consumer.pageSize}, 1-10000, default 1000)
     * @param timeoutSeconds timeout of each page request ({@code consumer.timeoutSeconds}, default 30)
     * @param maxPages pages pulled at most per collection, a guard against a feed that never ends
     *        ({@code consumer.maxPages}, default 1000)
     */
    record Consumer(String feedBaseUrl, String token, int pageSize, int timeoutSeconds, int maxPages) {
        Consumer {
            feedBaseUrl = feedBaseUrl == null ? "" : feedBaseUrl.trim();
            token = token == null ? "" : token.trim();
            if (!feedBaseUrl.isEmpty()) {
                URI uri;
                try {
                    uri = URI.create(feedBaseUrl);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("consumer.feedBaseUrl: not a URL");
                }
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawQuery() != null) {
                    throw new IllegalArgumentException("consumer.feedBaseUrl: an http(s) URL without query expected");
                }
                while (feedBaseUrl.endsWith("/")) {
                    feedBaseUrl = feedBaseUrl.substring(0, feedBaseUrl.length() - 1);
                }
            }
            check(pageSize >= 1 && pageSize <= 10_000, "consumer.pageSize", "must be between 1 and 10000");
            check(timeoutSeconds >= 1 && timeoutSeconds <= 600, "consumer.timeoutSeconds", "must be between 1 and 600");
            check(maxPages >= 1 && maxPages <= 100_000, "consumer.maxPages", "must be between 1 and 100000");
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Consumer[feedBaseUrl=" + (feedBaseUrl.isEmpty() ? "(not set)" : feedBaseUrl) + ", token="
                    + (token.isEmpty() ? "(none)" : "(set)") + ", pageSize=" + pageSize + ", timeoutSeconds="
                    + timeoutSeconds + ", maxPages=" + maxPages + "]";
        }
    }

    static Settings from(Map<String, ?> config) {
        String host = text(config, "http.host", "127.0.0.1");
        int port = intValue(text(config, "http.port", null), "http.port", 8585);
        check(port >= 0 && port <= 65535, "http.port", "must be between 0 and 65535");
        String secret = text(config, "token.secret", DEFAULT_TOKEN_SECRET);
        // RFC 7518: an HS256 key should be at least as long as the hash
        check(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 16, "token.secret",
                "at least 16 bytes expected");
        Consumer consumer = new Consumer(text(config, "consumer.feedBaseUrl", ""), text(config, "consumer.token", ""),
                intValue(text(config, "consumer.pageSize", null), "consumer.pageSize", 1000),
                intValue(text(config, "consumer.timeoutSeconds", null), "consumer.timeoutSeconds", 30),
                intValue(text(config, "consumer.maxPages", null), "consumer.maxPages", 1000));
        int csvMax = intValue(text(config, "csv.maxBytes", null), "csv.maxBytes", 10 * 1024 * 1024);
        check(csvMax >= 1024 && csvMax <= 200 * 1024 * 1024, "csv.maxBytes", "must be between 1024 and 209715200");
        return new Settings(host, port, secret, consumer, csvMax, Behaviour.from(config));
    }

    static String text(Map<String, ?> config, String key, String fallback) {
        Object v = config.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        return String.valueOf(v).trim();
    }

    static int intValue(String value, String key, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
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

    static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + message);
        }
    }

    /** Never shows the token secret nor the consumer's token. */
    @Override
    public String toString() {
        return "Settings[" + host + ":" + port + ", token.secret=" + (DEFAULT_TOKEN_SECRET.equals(tokenSecret)
                ? "(default)" : "(set)") + ", " + consumer + ", csv.maxBytes=" + csvMaxBytes + ", " + behaviour + "]";
    }
}
