package fr.aisne.hub.doubles.ouiform;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the double ({@code etc/hub.double.ouiform.cfg}); every value is checked and a wrong one names its key.
 * Keys that are not the double's (Karaf adds {@code service.pid}, {@code felix.fileinstall.filename}...) are ignored.
 *
 * @param host interface to listen on ({@code http.host}, default 127.0.0.1)
 * @param port port of SOAP, REST and control ({@code http.port}, default 8686)
 * @param accounts the partner accounts the Région side accepts, by name: {@code account.<name>.password} (HTTP Basic)
 *        and/or {@code account.<name>.token} (bearer). Without any {@code account.*} key: {@code aisne-hub} /
 *        {@code double-secret-change-me}.
 * @param hub where and how the status events and publications are sent (the hub's side of the contract)
 * @param positionedAfterSeconds {@code positionne} is sent that long after {@code prescrit}
 *        ({@code status.positionedAfterSeconds}, default 5; 0: never automatically)
 * @param enteredAtSessionStart {@code entre} is sent at the session's start date, 09:00 Paris time, when the date is
 *        known ({@code status.enteredAtSessionStart}, default true)
 * @param enteredAfterSeconds when above 0, {@code entre} is sent that long after {@code positionne} instead
 *        ({@code status.enteredAfterSeconds}, default 0)
 * @param behaviour the injected behaviour at start and after a reset (see {@link Behaviour})
 */
record Settings(String host, int port, Map<String, Account> accounts, Hub hub, int positionedAfterSeconds,
        boolean enteredAtSessionStart, int enteredAfterSeconds, Behaviour behaviour) {

    static final String DEFAULT_ACCOUNT = "aisne-hub";
    static final String DEFAULT_PASSWORD = "double-secret-change-me";
    private static final Pattern ACCOUNT_KEY = Pattern.compile("account\\.([A-Za-z0-9_.-]+)\\.(password|token)");

    /** A partner account: a password (HTTP Basic) and/or a bearer token; neither ever leaves this record. */
    record Account(String password, String token) {
        @Override
        public String toString() {
            return "Account[basic=" + (password != null) + ", bearer=" + (token != null) + "]";
        }
    }

    /** Channel of the status events: the one the prescription came through, or always SOAP, or always REST. */
    enum Channel {
        SAME, SOAP, REST
    }

    /**
     * The hub's side of the contract.
     *
     * @param channel {@code hub.channel}: same (default), soap or rest
     * @param soapUrl {@code hub.soap.url}: the hub's SOAP endpoint (port type HubOuiForm)
     * @param restUrl {@code hub.rest.url}: base URL of the hub's REST side ({@code /v1/...} is appended)
     * @param username {@code hub.username}: account of the Région at the hub (HTTP Basic)
     * @param password {@code hub.password}; empty: no Basic header
     * @param token {@code hub.token}: a bearer token, used instead of Basic when set
     * @param timeoutSeconds {@code hub.timeoutSeconds}: connect and answer timeout of each call
     * @param retrySeconds {@code hub.retrySeconds}: pause before sending a failed event again
     * @param maxAttempts {@code hub.maxAttempts}: attempts per event (unavailable hub, 5xx, INDISPONIBLE)
     */
    record Hub(Channel channel, URI soapUrl, URI restUrl, String username, String password, String token,
            int timeoutSeconds, int retrySeconds, int maxAttempts) {
        @Override
        public String toString() {
            return "Hub[" + channel + ", soap=" + soapUrl + ", rest=" + restUrl + ", user=" + username + ", password="
                    + (password == null ? "none" : "set") + ", token=" + (token == null ? "none" : "set") + "]";
        }
    }

    static Settings from(Map<String, ?> config) {
        String host = text(config, "http.host", "127.0.0.1");
        int port = intValue(text(config, "http.port", null), "http.port", 8686);
        check(port >= 1 && port <= 65535, "http.port", "must be between 1 and 65535");
        Channel channel;
        try {
            channel = Channel.valueOf(text(config, "hub.channel", "same").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hub.channel: same, soap or rest expected");
        }
        Hub hub = new Hub(channel,
                url(config, "hub.soap.url", "http://127.0.0.1:8187/ouiform/soap/v1"),
                url(config, "hub.rest.url", "http://127.0.0.1:8181/hub/ouiform/api"),
                text(config, "hub.username", "region-ouiform"), text(config, "hub.password", null),
                text(config, "hub.token", null),
                intValue(text(config, "hub.timeoutSeconds", null), "hub.timeoutSeconds", 10),
                intValue(text(config, "hub.retrySeconds", null), "hub.retrySeconds", 5),
                intValue(text(config, "hub.maxAttempts", null), "hub.maxAttempts", 12));
        check(hub.timeoutSeconds() >= 1 && hub.timeoutSeconds() <= 300, "hub.timeoutSeconds", "must be between 1 and 300");
        check(hub.retrySeconds() >= 1 && hub.retrySeconds() <= 3600, "hub.retrySeconds", "must be between 1 and 3600");
        check(hub.maxAttempts() >= 1 && hub.maxAttempts() <= 1000, "hub.maxAttempts", "must be between 1 and 1000");
        int positioned = intValue(text(config, "status.positionedAfterSeconds", null), "status.positionedAfterSeconds", 5);
        check(positioned >= 0, "status.positionedAfterSeconds", "must be 0 (never) or more");
        boolean atStart = booleanValue(text(config, "status.enteredAtSessionStart", null), "status.enteredAtSessionStart", true);
        int entered = intValue(text(config, "status.enteredAfterSeconds", null), "status.enteredAfterSeconds", 0);
        check(entered >= 0, "status.enteredAfterSeconds", "must be 0 (not used) or more");
        return new Settings(host, port, accounts(config), hub, positioned, atStart, entered, Behaviour.from(config));
    }

    private static Map<String, Account> accounts(Map<String, ?> config) {
        Map<String, String> passwords = new LinkedHashMap<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            Matcher m = ACCOUNT_KEY.matcher(e.getKey());
            if (m.matches()) {
                String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).trim();
                if (!value.isEmpty()) {
                    (m.group(2).equals("password") ? passwords : tokens).put(m.group(1), value);
                }
            }
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        if (passwords.isEmpty() && tokens.isEmpty()) {
            accounts.put(DEFAULT_ACCOUNT, new Account(DEFAULT_PASSWORD, null));
            return Map.copyOf(accounts);
        }
        for (String name : passwords.keySet()) {
            accounts.put(name, new Account(passwords.get(name), tokens.get(name)));
        }
        for (String name : tokens.keySet()) {
            accounts.putIfAbsent(name, new Account(null, tokens.get(name)));
        }
        return Map.copyOf(accounts);
    }

    private static URI url(Map<String, ?> config, String key, String fallback) {
        String value = text(config, key, fallback);
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(key + ": an http or https URL is expected");
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException(key + ": no credentials in the URL (hub.username, hub.password)");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(key + ": not a URL");
        }
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
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
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

    @Override
    public String toString() {
        return "Settings[" + host + ":" + port + ", accounts=" + accounts.keySet() + ", " + hub
                + ", status.positionedAfterSeconds=" + positionedAfterSeconds + ", status.enteredAtSessionStart="
                + enteredAtSessionStart + ", status.enteredAfterSeconds=" + enteredAfterSeconds + ", " + behaviour + "]";
    }
}
