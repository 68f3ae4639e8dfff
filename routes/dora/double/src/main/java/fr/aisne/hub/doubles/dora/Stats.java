package fr.aisne.hub.doubles.dora;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shown by {@code GET /double/stats}: per endpoint (method and path template, never a value taken from the
 * request), per HTTP status, and the counts the tests need. Never a token in here.
 */
final class Stats {
    static final String REQUESTS = "requests";
    static final String THROTTLED = "throttled429";
    static final String OUTAGE_ANSWERS = "outageAnswers";
    static final String UNAUTHENTICATED = "refused401";
    static final String FORBIDDEN = "refused403";
    static final String INVALID = "invalid422";
    static final String TOKENS_MINTED = "tokensMinted";
    static final String PULLS = "consumerPulls";
    static final String CSV_CHECKS = "csvChecks";
    private static final String[] ORDER = {REQUESTS, THROTTLED, OUTAGE_ANSWERS, UNAUTHENTICATED, FORBIDDEN, INVALID,
        TOKENS_MINTED, PULLS, CSV_CHECKS};

    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void answered(String endpoint, int status) {
        add(counters, REQUESTS);
        add(byEndpoint, endpoint);
        add(byStatus, String.valueOf(status));
        switch (status) {
            case 429 -> add(counters, THROTTLED);
            case 401 -> add(counters, UNAUTHENTICATED);
            case 403 -> add(counters, FORBIDDEN);
            case 422 -> add(counters, INVALID);
            default -> {
                // counted by status only
            }
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

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : ORDER) {
            m.put(c, get(c));
        }
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
