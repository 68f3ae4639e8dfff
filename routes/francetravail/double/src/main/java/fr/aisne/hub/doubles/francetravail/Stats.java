package fr.aisne.hub.doubles.francetravail;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shown by {@code GET /double/stats}: per endpoint (method and path template, never a value taken from
 * the request), per HTTP status, per rechercher-usager business code, and the counts the tests need. Never a
 * NIR, token or jeton in here.
 */
final class Stats {
    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byCodeRetour = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    static final String REQUESTS = "requests";
    static final String THROTTLED = "throttled429";
    static final String OUTAGE_ANSWERS = "outageAnswers";
    static final String TOKENS_ISSUED = "tokensIssued";
    static final String TOKENS_REFUSED = "tokensRefused";
    static final String JETONS_ISSUED = "jetonsIssued";
    static final String ORIENTATIONS_STORED = "orientationsStored";
    static final String APPOINTMENTS_CREATED = "appointmentsCreated";
    static final String APPOINTMENTS_UPDATED = "appointmentsUpdated";
    static final String APPOINTMENTS_CANCELLED = "appointmentsCancelled";

    void answered(String endpoint, int status) {
        add(counters, REQUESTS);
        add(byEndpoint, endpoint);
        add(byStatus, String.valueOf(status));
        if (status == 429) {
            add(counters, THROTTLED);
        }
    }

    void codeRetour(String code) {
        add(byCodeRetour, code);
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
        byCodeRetour.clear();
        counters.clear();
    }

    /** The JSON view; {@code live} adds gauges (active tokens, jetons...) computed by the caller. */
    Map<String, Object> toMap(Map<String, Object> live) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (String c : new String[] {REQUESTS, THROTTLED, OUTAGE_ANSWERS, TOKENS_ISSUED, TOKENS_REFUSED,
            JETONS_ISSUED, ORIENTATIONS_STORED, APPOINTMENTS_CREATED, APPOINTMENTS_UPDATED, APPOINTMENTS_CANCELLED}) {
            m.put(c, get(c));
        }
        m.putAll(live);
        m.put("byEndpoint", snapshot(byEndpoint));
        m.put("byStatus", snapshot(byStatus));
        m.put("byCodeRetour", snapshot(byCodeRetour));
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
