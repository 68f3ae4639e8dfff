package fr.aisne.hub.doubles.immersionfacilitee;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Injected behaviour of the double. The defaults come from the settings file; {@code POST /double/control} changes
 * them at run time, {@code POST /double/control/reset} puts the settings' values back. Same names in both places.
 *
 * @param rateLimitPerSecond calls accepted per consumer in each one-second window (the platform: 5), 0 for no limit
 * @param rateLimitPenaltyMillis once over the limit, the consumer is refused for that long, and every call made
 *        meanwhile starts the wait again (the platform's limiter blocks for 5 s); 0 for a plain one-second window
 * @param status429Next how many of the next authenticated partner calls are answered 429 whatever the rate
 * @param latencyMillis pause before every partner answer
 * @param outage when true, every partner call is answered {@code outageStatus} by the "gateway" (an HTML page)
 * @param outageStatus status of the outage answers (500-599)
 * @param webhookTimeoutMillis how long a webhook call may take (the platform: 10 s); no retry after it
 * @param webhookDropNext how many of the next webhook calls are silently not made
 * @param webhookDuplicateNext how many of the next webhook calls are made twice
 * @param webhookReorderNext the next n webhook calls are held, then made one after the other in reverse order
 * @param webhookJitterMillis random pause (0 to this) before each webhook call: with 5 calls in flight, arrivals
 *        then come out of order as they do in production
 */
record Behaviour(int rateLimitPerSecond, long rateLimitPenaltyMillis, int status429Next, long latencyMillis,
        boolean outage, int outageStatus, long webhookTimeoutMillis, int webhookDropNext, int webhookDuplicateNext,
        int webhookReorderNext, long webhookJitterMillis) {

    static final Behaviour DEFAULT = new Behaviour(5, 5000, 0, 0, false, 503, 10_000, 0, 0, 0, 0);

    Behaviour {
        check(rateLimitPerSecond >= 0, "rateLimitPerSecond", "must be 0 (no limit) or more");
        check(rateLimitPenaltyMillis >= 0 && rateLimitPenaltyMillis <= 600_000, "rateLimitPenaltyMillis",
                "must be between 0 and 600000");
        check(status429Next >= 0, "status429Next", "must be 0 or more");
        check(latencyMillis >= 0 && latencyMillis <= 300_000, "latencyMillis", "must be between 0 and 300000");
        check(outageStatus >= 500 && outageStatus <= 599, "outageStatus", "must be a 5xx status");
        check(webhookTimeoutMillis >= 1 && webhookTimeoutMillis <= 600_000, "webhookTimeoutMillis",
                "must be between 1 and 600000");
        check(webhookDropNext >= 0, "webhookDropNext", "must be 0 or more");
        check(webhookDuplicateNext >= 0, "webhookDuplicateNext", "must be 0 or more");
        check(webhookReorderNext >= 0 && webhookReorderNext <= 1000, "webhookReorderNext", "must be between 0 and 1000");
        check(webhookJitterMillis >= 0 && webhookJitterMillis <= 60_000, "webhookJitterMillis",
                "must be between 0 and 60000");
    }

    /** From the settings (keys named as the fields), with {@link #DEFAULT} for what is absent. */
    static Behaviour from(Map<String, ?> config) {
        Function<String, String> get = k -> config.get(k) == null ? null : String.valueOf(config.get(k)).trim();
        Behaviour d = DEFAULT;
        return new Behaviour(
                Settings.intValue(get.apply("rateLimitPerSecond"), "rateLimitPerSecond", d.rateLimitPerSecond),
                Settings.longValue(get.apply("rateLimitPenaltyMillis"), "rateLimitPenaltyMillis", d.rateLimitPenaltyMillis),
                Settings.intValue(get.apply("status429Next"), "status429Next", d.status429Next),
                Settings.longValue(get.apply("latencyMillis"), "latencyMillis", d.latencyMillis),
                Settings.booleanValue(get.apply("outage"), "outage", d.outage),
                Settings.intValue(get.apply("outageStatus"), "outageStatus", d.outageStatus),
                Settings.longValue(get.apply("webhookTimeoutMillis"), "webhookTimeoutMillis", d.webhookTimeoutMillis),
                Settings.intValue(get.apply("webhookDropNext"), "webhookDropNext", d.webhookDropNext),
                Settings.intValue(get.apply("webhookDuplicateNext"), "webhookDuplicateNext", d.webhookDuplicateNext),
                Settings.intValue(get.apply("webhookReorderNext"), "webhookReorderNext", d.webhookReorderNext),
                Settings.longValue(get.apply("webhookJitterMillis"), "webhookJitterMillis", d.webhookJitterMillis));
    }

    /** This behaviour with the fields present in {@code json} changed; an unknown field or a wrong value is refused. */
    Behaviour with(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        Map<String, Object> m = toMap();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            JsonNode v = f.getValue();
            if (!m.containsKey(k)) {
                throw new IllegalArgumentException("unknown field " + k);
            }
            if (k.equals("outage")) {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException("outage: true or false expected");
                }
                m.put(k, v.booleanValue());
            } else {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw new IllegalArgumentException(k + ": an integer is expected");
                }
                m.put(k, v.longValue());
            }
        }
        return new Behaviour(i(m, "rateLimitPerSecond"), l(m, "rateLimitPenaltyMillis"), i(m, "status429Next"),
                l(m, "latencyMillis"), (Boolean) m.get("outage"), i(m, "outageStatus"), l(m, "webhookTimeoutMillis"),
                i(m, "webhookDropNext"), i(m, "webhookDuplicateNext"), i(m, "webhookReorderNext"),
                l(m, "webhookJitterMillis"));
    }

    Behaviour withStatus429Next(int n) {
        return new Behaviour(rateLimitPerSecond, rateLimitPenaltyMillis, n, latencyMillis, outage, outageStatus,
                webhookTimeoutMillis, webhookDropNext, webhookDuplicateNext, webhookReorderNext, webhookJitterMillis);
    }

    Behaviour withWebhookDropNext(int n) {
        return new Behaviour(rateLimitPerSecond, rateLimitPenaltyMillis, status429Next, latencyMillis, outage,
                outageStatus, webhookTimeoutMillis, n, webhookDuplicateNext, webhookReorderNext, webhookJitterMillis);
    }

    Behaviour withWebhookDuplicateNext(int n) {
        return new Behaviour(rateLimitPerSecond, rateLimitPenaltyMillis, status429Next, latencyMillis, outage,
                outageStatus, webhookTimeoutMillis, webhookDropNext, n, webhookReorderNext, webhookJitterMillis);
    }

    Behaviour withWebhookReorderNext(int n) {
        return new Behaviour(rateLimitPerSecond, rateLimitPenaltyMillis, status429Next, latencyMillis, outage,
                outageStatus, webhookTimeoutMillis, webhookDropNext, webhookDuplicateNext, n, webhookJitterMillis);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rateLimitPerSecond", rateLimitPerSecond);
        m.put("rateLimitPenaltyMillis", rateLimitPenaltyMillis);
        m.put("status429Next", status429Next);
        m.put("latencyMillis", latencyMillis);
        m.put("outage", outage);
        m.put("outageStatus", outageStatus);
        m.put("webhookTimeoutMillis", webhookTimeoutMillis);
        m.put("webhookDropNext", webhookDropNext);
        m.put("webhookDuplicateNext", webhookDuplicateNext);
        m.put("webhookReorderNext", webhookReorderNext);
        m.put("webhookJitterMillis", webhookJitterMillis);
        return m;
    }

    private static int i(Map<String, Object> m, String k) {
        long v = ((Number) m.get(k)).longValue();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(k + ": out of range");
        }
        return (int) v;
    }

    private static long l(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    private static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + message);
        }
    }
}
