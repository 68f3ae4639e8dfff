package fr.aisne.hub.doubles.dora;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Injected behaviour of the double: outage, latency, bursts of 429s, and whether the deliberately bad items are
 * served. The defaults come from the settings file; {@code POST /double/control} changes them at run time,
 * {@code POST /double/control/reset} puts the settings' values back. The same names are used in both places.
 *
 * @param latencyMillis pause before every API answer
 * @param outage when true, every API request is answered {@code outageStatus}
 * @param outageStatus status of the outage answers (500-599)
 * @param status429Next how many of the next API requests are answered 429
 * @param retryAfterSeconds value of the {@code Retry-After} header of a 429
 * @param includeBadItems whether the items a connector must reject (v0 shape, {@code tous-publics} with another
 *        public, {@code date_maj} out of range, 2-character {@code nom}) are served with the others
 */
record Behaviour(long latencyMillis, boolean outage, int outageStatus, int status429Next, int retryAfterSeconds,
        boolean includeBadItems) {

    static final Behaviour DEFAULT = new Behaviour(0, false, 503, 0, 1, true);

    Behaviour {
        Settings.check(latencyMillis >= 0 && latencyMillis <= 300_000, "latencyMillis", "must be between 0 and 300000");
        Settings.check(outageStatus >= 500 && outageStatus <= 599, "outageStatus", "must be a 5xx status");
        Settings.check(status429Next >= 0, "status429Next", "must be 0 or more");
        Settings.check(retryAfterSeconds >= 0 && retryAfterSeconds <= 3600, "retryAfterSeconds",
                "must be between 0 and 3600");
    }

    /** From the settings (keys named as the fields), with {@link #DEFAULT} for what is absent. */
    static Behaviour from(Map<String, ?> config) {
        Function<String, String> get = k -> config.get(k) == null ? null : String.valueOf(config.get(k)).trim();
        return new Behaviour(
                Settings.intValue(get.apply("latencyMillis"), "latencyMillis", (int) DEFAULT.latencyMillis),
                Settings.booleanValue(get.apply("outage"), "outage", DEFAULT.outage),
                Settings.intValue(get.apply("outageStatus"), "outageStatus", DEFAULT.outageStatus),
                Settings.intValue(get.apply("status429Next"), "status429Next", DEFAULT.status429Next),
                Settings.intValue(get.apply("retryAfterSeconds"), "retryAfterSeconds", DEFAULT.retryAfterSeconds),
                Settings.booleanValue(get.apply("includeBadItems"), "includeBadItems", DEFAULT.includeBadItems));
    }

    /** This behaviour with the fields present in {@code json} changed; an unknown field is refused. */
    Behaviour with(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        long latency = latencyMillis;
        boolean out = outage;
        int outStatus = outageStatus;
        int next = status429Next;
        int retry = retryAfterSeconds;
        boolean bad = includeBadItems;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "latencyMillis" -> latency = integer(f.getKey(), v);
                case "outage" -> out = bool(f.getKey(), v);
                case "outageStatus" -> outStatus = integer(f.getKey(), v);
                case "status429Next" -> next = integer(f.getKey(), v);
                case "retryAfterSeconds" -> retry = integer(f.getKey(), v);
                case "includeBadItems" -> bad = bool(f.getKey(), v);
                default -> throw new IllegalArgumentException("unknown field " + f.getKey());
            }
        }
        return new Behaviour(latency, out, outStatus, next, retry, bad);
    }

    Behaviour withStatus429Next(int remaining) {
        return new Behaviour(latencyMillis, outage, outageStatus, remaining, retryAfterSeconds, includeBadItems);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latencyMillis", latencyMillis);
        m.put("outage", outage);
        m.put("outageStatus", outageStatus);
        m.put("status429Next", status429Next);
        m.put("retryAfterSeconds", retryAfterSeconds);
        m.put("includeBadItems", includeBadItems);
        return m;
    }

    private static int integer(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": an integer is expected");
        }
        return v.intValue();
    }

    private static boolean bool(String field, JsonNode v) {
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + ": true or false expected");
        }
        return v.booleanValue();
    }
}
