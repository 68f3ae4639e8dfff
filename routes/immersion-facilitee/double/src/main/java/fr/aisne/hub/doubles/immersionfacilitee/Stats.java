package fr.aisne.hub.doubles.immersionfacilitee;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shown by {@code GET /double/stats}: per endpoint (method and path template, never a value taken from the
 * request), per HTTP status, and the webhook counts. Never a key, a name or any personal value in here.
 */
final class Stats {
    static final String REQUESTS = "requests";
    static final String THROTTLED = "throttled429";
    static final String OUTAGE_ANSWERS = "outageAnswers";
    static final String UNAUTHENTICATED = "unauthenticated401";
    static final String FORBIDDEN = "forbidden403";
    static final String WEBHOOK_EVENTS = "webhookEvents";
    static final String WEBHOOKS_SENT = "webhooksSent";
    static final String WEBHOOKS_FAILED = "webhooksFailed";
    static final String WEBHOOKS_TIMED_OUT = "webhooksTimedOut";
    static final String WEBHOOKS_DROPPED = "webhooksDropped";
    static final String WEBHOOKS_DUPLICATED = "webhooksDuplicated";
    static final String WEBHOOKS_REORDERED = "webhooksReordered";
    static final String SUBSCRIPTIONS_CREATED = "subscriptionsCreated";
    static final String SUBSCRIPTIONS_DELETED = "subscriptionsDeleted";

    private static final List<String> COUNTERS = List.of(REQUESTS, THROTTLED, OUTAGE_ANSWERS, UNAUTHENTICATED, FORBIDDEN,
            WEBHOOK_EVENTS, WEBHOOKS_SENT, WEBHOOKS_FAILED, WEBHOOKS_TIMED_OUT, WEBHOOKS_DROPPED, WEBHOOKS_DUPLICATED,
            WEBHOOKS_REORDERED, SUBSCRIPTIONS_CREATED, SUBSCRIPTIONS_DELETED);

    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void answered(String endpoint, int status) {
        add(counters, REQUESTS);
        add(byEndpoint, endpoint);
        add(byStatus, String.valueOf(status));
        if (status == 429) {
            add(counters, THROTTLED);
        } else if (status == 401) {
            add(counters, UNAUTHENTICATED);
        } else if (status == 403) {
            add(counters, FORBIDDEN);
        }
    }

    void count(String counter) {
        add(counters, counter);
    }

    long get(String counter) {
        LongAdder a = counters.get(counter);
        return a == null ? 0 : a.sum();
    }

    void clear() {
        byEndpoint.clear();
        byStatus.clear();
        counters.clear();
    }

    /** The JSON view; {@code live} adds gauges computed by the caller. */
    Map<String, Object> toMap(Map<String, Object> live) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : COUNTERS) {
            m.put(c, get(c));
        }
        m.putAll(live);
        m.put("byEndpoint", snapshot(byEndpoint));
        m.put("byStatus", snapshot(byStatus));
        return m;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> source) {
        Map<String, Long> m = new TreeMap<>();
        source.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private static void add(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
}
