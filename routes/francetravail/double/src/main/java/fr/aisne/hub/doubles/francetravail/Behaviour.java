package fr.aisne.hub.doubles.francetravail;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Injected behaviour of the double: rate limit, forced 429s, latency and outage. The defaults come from the
 * settings file; {@code POST /double/control} changes them at run time, {@code POST /double/control/reset} puts
 * the settings' values back. The same names are used in both places.
 *
 * @param rateLimitPerSecond requests accepted per client and per second (sliding second), 0 for no limit
 * @param retryAfterSeconds value of the {@code Retry-After} header of a 429
 * @param status429Next how many of the next partner requests are answered 429 whatever the rate
 * @param latencyMillis pause before every partner answer
 * @param outage when true, every partner request is answered {@code outageStatus}
 * @param outageStatus status of the outage answers (500-599)
 */
record Behaviour(int rateLimitPerSecond, int retryAfterSeconds, int status429Next, long latencyMillis,
        boolean outage, int outageStatus) {

    static final Behaviour DEFAULT = new Behaviour(10, 1, 0, 0, false, 503);

    Behaviour {
        check(rateLimitPerSecond >= 0, "rateLimitPerSecond", "must be 0 (no limit) or more");
        check(retryAfterSeconds >= 0 && retryAfterSeconds <= 3600, "retryAfterSeconds", "must be between 0 and 3600");
        check(status429Next >= 0, "status429Next", "must be 0 or more");
        check(latencyMillis >= 0 && latencyMillis <= 300_000, "latencyMillis", "must be between 0 and 300000");
        check(outageStatus >= 500 && outageStatus <= 599, "outageStatus", "must be a 5xx status");
    }

    /** From the settings (keys named as the fields), with {@link #DEFAULT} for what is absent. */
    static Behaviour from(Map<String, ?> config) {
        Function<String, String> get = k -> config.get(k) == null ? null : String.valueOf(config.get(k)).trim();
        return new Behaviour(
                Settings.intValue(get.apply("rateLimitPerSecond"), "rateLimitPerSecond", DEFAULT.rateLimitPerSecond),
                Settings.intValue(get.apply("retryAfterSeconds"), "retryAfterSeconds", DEFAULT.retryAfterSeconds),
                Settings.intValue(get.apply("status429Next"), "status429Next", DEFAULT.status429Next),
                Settings.intValue(get.apply("latencyMillis"), "latencyMillis", (int) DEFAULT.latencyMillis),
                Settings.booleanValue(get.apply("outage"), "outage", DEFAULT.outage),
                Settings.intValue(get.apply("outageStatus"), "outageStatus", DEFAULT.outageStatus));
    }

    /** This behaviour with the fields present in {@code json} changed; an unknown field is refused. */
    Behaviour with(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        int rate = rateLimitPerSecond;
        int retry = retryAfterSeconds;
        int next = status429Next;
        long latency = latencyMillis;
        boolean out = outage;
        int outStatus = outageStatus;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "rateLimitPerSecond" -> rate = integer(f.getKey(), v);
                case "retryAfterSeconds" -> retry = integer(f.getKey(), v);
                case "status429Next" -> next = integer(f.getKey(), v);
                case "latencyMillis" -> latency = integer(f.getKey(), v);
                case "outage" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException("outage: true or false expected");
                    }
                    out = v.booleanValue();
                }
                case "outageStatus" -> outStatus = integer(f.getKey(), v);
                default -> throw new IllegalArgumentException("unknown field " + f.getKey());
            }
        }
        return new Behaviour(rate, retry, next, latency, out, outStatus);
    }

    Behaviour withStatus429Next(int remaining) {
        return new Behaviour(rateLimitPerSecond, retryAfterSeconds, remaining, latencyMillis, outage, outageStatus);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rateLimitPerSecond", rateLimitPerSecond);
        m.put("retryAfterSeconds", retryAfterSeconds);
        m.put("status429Next", status429Next);
        m.put("latencyMillis", latencyMillis);
        m.put("outage", outage);
        m.put("outageStatus", outageStatus);
        return m;
    }

    private static int integer(String field, JsonNode v) {
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": an integer is expected");
        }
        return v.intValue();
    }

    private static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + message);
        }
    }
}
