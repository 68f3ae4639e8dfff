package fr.aisne.hub.doubles.francetravail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the double ({@code etc/hub.double.francetravail.cfg}); every value is checked and a wrong one names
 * its key. Keys that are not the double's (Karaf adds {@code service.pid}, {@code felix.fileinstall.filename}...)
 * are ignored.
 *
 * @param host interface to listen on ({@code http.host}, default 127.0.0.1)
 * @param port port ({@code http.port}, default 8383)
 * @param clients OAuth2 clients by id: {@code client.<id>.secret} and {@code client.<id>.scopes} (space
 *        separated; all of {@link Scopes#ALL} when absent). Without any {@code client.*} key: {@code aisne-hub} /
 *        {@code double-secret-change-me} with all the scopes.
 * @param tokenExpiresSeconds lifetime of an access token ({@code token.expiresSeconds}, default 60)
 * @param jetonExpiresSeconds lifetime of a jeton usager ({@code jeton.expiresSeconds}, default 1800)
 * @param behaviour the injected behaviour at start and after a reset (see {@link Behaviour})
 */
record Settings(String host, int port, Map<String, Client> clients, int tokenExpiresSeconds,
        int jetonExpiresSeconds, Behaviour behaviour) {

    static final String DEFAULT_CLIENT_ID = "aisne-hub";
    static final String DEFAULT_CLIENT_SECRET = "double-secret-change-me";
    private static final Pattern CLIENT_KEY = Pattern.compile("client\\.([A-Za-z0-9_.-]+)\\.(secret|scopes)");

    /** An OAuth2 client: its secret and the scopes it may ask for. The secret never leaves this record. */
    record Client(String secret, Set<String> scopes) {
        @Override
        public String toString() {
            return "Client[scopes=" + scopes + "]";
        }
    }

    static Settings from(Map<String, ?> config) {
        String host = text(config, "http.host", "127.0.0.1");
        int port = intValue(text(config, "http.port", null), "http.port", 8383);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http.port: must be between 0 and 65535");
        }
        int tokenExpires = intValue(text(config, "token.expiresSeconds", null), "token.expiresSeconds", 60);
        if (tokenExpires < 1) {
            throw new IllegalArgumentException("token.expiresSeconds: must be 1 or more");
        }
        int jetonExpires = intValue(text(config, "jeton.expiresSeconds", null), "jeton.expiresSeconds", 1800);
        if (jetonExpires < 1) {
            throw new IllegalArgumentException("jeton.expiresSeconds: must be 1 or more");
        }
        return new Settings(host, port, clients(config), tokenExpires, jetonExpires, Behaviour.from(config));
    }

    private static Map<String, Client> clients(Map<String, ?> config) {
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> scopes = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            Matcher m = CLIENT_KEY.matcher(e.getKey());
            if (m.matches()) {
                String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).trim();
                (m.group(2).equals("secret") ? secrets : scopes).put(m.group(1), value);
            }
        }
        Map<String, Client> clients = new LinkedHashMap<>();
        if (secrets.isEmpty() && scopes.isEmpty()) {
            clients.put(DEFAULT_CLIENT_ID, new Client(DEFAULT_CLIENT_SECRET, new LinkedHashSet<>(Scopes.ALL)));
            return Map.copyOf(clients);
        }
        for (String id : scopes.keySet()) {
            if (!secrets.containsKey(id)) {
                throw new IllegalArgumentException("client." + id + ".secret: missing");
            }
        }
        for (Map.Entry<String, String> e : secrets.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("client." + e.getKey() + ".secret: must not be empty");
            }
            String list = scopes.get(e.getKey());
            Set<String> allowed = list == null || list.isEmpty() ? new LinkedHashSet<>(Scopes.ALL)
                    : new LinkedHashSet<>(Arrays.asList(list.split("[\\s,]+")));
            clients.put(e.getKey(), new Client(e.getValue(), Set.copyOf(allowed)));
        }
        return Map.copyOf(clients);
    }

    private static String text(Map<String, ?> config, String key, String fallback) {
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

    @Override
    public String toString() {
        return "Settings[" + host + ":" + port + ", clients=" + clients.keySet() + ", token.expiresSeconds="
                + tokenExpiresSeconds + ", jeton.expiresSeconds=" + jetonExpiresSeconds + ", " + behaviour + "]";
    }
}
