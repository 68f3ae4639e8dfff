package fr.aisne.hub.doubles.urssaf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The double's settings (etc/hub.double.urssaf.cfg); defaults when absent. */
record DoubleSettings(String host, int port, Map<String, String> accounts, Set<String> ctpKnown, Set<String> declarants,
        boolean outage) {

    static DoubleSettings from(Map<String, ?> config) {
        Map<String, ?> c = config == null ? Map.of() : config;
        Map<String, String> accounts = new LinkedHashMap<>();
        c.forEach((k, v) -> {
            if (k.startsWith("account.") && v != null && !v.toString().isBlank()) {
                accounts.put(k.substring("account.".length()), v.toString().trim());
            }
        });
        if (accounts.isEmpty()) {
            accounts.put("hub-aisne", "double-paie-change-me");
        }
        return new DoubleSettings(str(c, "http.host", "127.0.0.1"), Integer.parseInt(str(c, "http.port", "8787")), accounts,
                set(str(c, "ctp.known", "999")), set(str(c, "declarants", "22020002600015")),
                Boolean.parseBoolean(str(c, "outage", "false")));
    }

    private static String str(Map<String, ?> c, String key, String def) {
        Object v = c.get(key);
        return v == null || v.toString().isBlank() ? def : v.toString().trim();
    }

    private static Set<String> set(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
