package fr.aisne.hub.doubles.ouiform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shown by {@code GET /double/stats}: per endpoint (binding and operation, or method and path template,
 * never a value taken from the request), per HTTP status, per fault code, and the counts the tests need. Never a
 * name, date of birth, password or token in here.
 */
final class Stats {
    static final String REQUESTS = "requests";
    static final String SOAP_REQUESTS = "soapRequests";
    static final String REST_REQUESTS = "restRequests";
    static final String AUTH_REFUSED = "authRefused";
    static final String OUTAGE_ANSWERS = "outageAnswers";
    static final String INJECTED_FAULTS = "injectedFaults";
    static final String PRESCRIPTIONS_ACCEPTED = "prescriptionsAccepted";
    static final String PRESCRIPTIONS_REFUSED = "prescriptionsRefused";
    static final String CONSULTATIONS = "consultations";
    static final String EVENTS_CREATED = "statusEventsCreated";
    static final String EVENTS_DELIVERED = "statusEventsDelivered";
    static final String EVENTS_REFUSED = "statusEventsRefusedByHub";
    static final String EVENTS_GIVEN_UP = "statusEventsGivenUp";
    static final String EVENT_ATTEMPTS_FAILED = "statusEventAttemptsFailed";
    static final String PUBLICATIONS = "publicationsSent";
    private static final List<String> ORDER = List.of(REQUESTS, SOAP_REQUESTS, REST_REQUESTS, AUTH_REFUSED,
            OUTAGE_ANSWERS, INJECTED_FAULTS, PRESCRIPTIONS_ACCEPTED, PRESCRIPTIONS_REFUSED, CONSULTATIONS, EVENTS_CREATED,
            EVENTS_DELIVERED, EVENTS_REFUSED, EVENTS_GIVEN_UP, EVENT_ATTEMPTS_FAILED, PUBLICATIONS);

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();

    /** A partner call answered: {@code endpoint} is e.g. "SOAP soumettrePrescription" or "GET /v1/prescriptions/{id}". */
    void answered(String endpoint, int status, boolean soap) {
        add(counters, REQUESTS);
        add(counters, soap ? SOAP_REQUESTS : REST_REQUESTS);
        add(byEndpoint, endpoint);
        add(byStatus, String.valueOf(status));
    }

    void code(CodeErreur code) {
        add(byCode, code.name());
    }

    void count(String counter) {
        add(counters, counter);
    }

    long get(String counter) {
        LongAdder a = counters.get(counter);
        return a == null ? 0 : a.sum();
    }

    void clear() {
        counters.clear();
        byEndpoint.clear();
        byStatus.clear();
        byCode.clear();
    }

    Map<String, Object> toMap(Map<String, Object> live) {
        Map<String, Object> m = new LinkedHashMap<>();
        ORDER.forEach(c -> m.put(c, get(c)));
        m.putAll(live);
        m.put("byEndpoint", snapshot(byEndpoint));
        m.put("byStatus", snapshot(byStatus));
        m.put("byCode", snapshot(byCode));
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
