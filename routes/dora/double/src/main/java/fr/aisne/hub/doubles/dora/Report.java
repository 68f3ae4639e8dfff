package fr.aisne.hub.doubles.dora;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.doubles.dora.SchemaCheck.Kind;
import fr.aisne.hub.doubles.dora.SchemaCheck.Problem;

/**
 * The result of a pull of the hub's feed or of a CSV check, as {@code GET /double/consumer/report} shows it: what
 * was received, accepted and rejected (with the id, field and rule of each problem), the warnings, and the
 * problems of the page envelopes. Never the token.
 */
final class Report {
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";

    final String kind;
    final Instant startedAt;
    Instant finishedAt;
    String status = COMPLETED;
    String error;
    String feedBaseUrl;
    Integer rows;
    final Map<String, Integer> pages = new LinkedHashMap<>();
    final Map<Kind, int[]> counts = new LinkedHashMap<>();
    final Map<Kind, List<String>> accepted = new LinkedHashMap<>();
    final List<Map<String, Object>> rejected = new ArrayList<>();
    final List<Map<String, Object>> warnings = new ArrayList<>();
    final List<String> envelope = new ArrayList<>();

    Report(String kind, Instant startedAt) {
        this.kind = kind;
        this.startedAt = startedAt;
        for (Kind k : Kind.values()) {
            counts.put(k, new int[3]);
            accepted.put(k, new ArrayList<>());
        }
    }

    void received(Kind k) {
        counts.get(k)[0]++;
    }

    void receivedWithoutCheck(Kind k, int count) {
        counts.get(k)[0] += count;
    }

    void accept(Kind k, String id) {
        counts.get(k)[1]++;
        accepted.get(k).add(id);
    }

    void reject(Kind k, String id, Integer line, List<Problem> errors) {
        counts.get(k)[2]++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", k.label);
        m.put("id", id);
        if (line != null) {
            m.put("line", line);
        }
        m.put("errors", errors.stream().map(Problem::toMap).toList());
        rejected.add(m);
    }

    void warn(Kind k, String id, Integer line, Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", k == null ? "file" : k.label);
        m.put("id", id);
        if (line != null) {
            m.put("line", line);
        }
        m.putAll(p.toMap());
        warnings.add(m);
    }

    void fail(String why) {
        status = FAILED;
        error = why;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("status", status);
        m.put("error", error);
        m.put("schemaVersion", Vocabulary.SCHEMA_VERSION);
        m.put("startedAt", startedAt.toString());
        m.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        if (feedBaseUrl != null) {
            m.put("feedBaseUrl", feedBaseUrl);
            m.put("pages", pages);
        }
        if (rows != null) {
            m.put("rows", rows);
        }
        for (Kind k : Kind.values()) {
            int[] c = counts.get(k);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("received", c[0]);
            n.put("accepted", c[1]);
            n.put("rejected", c[2]);
            m.put(k.label + "s", n);
        }
        Map<String, Object> ids = new LinkedHashMap<>();
        accepted.forEach((k, v) -> ids.put(k.label + "s", v));
        m.put("acceptedIds", ids);
        m.put("rejected", rejected);
        m.put("warnings", warnings);
        m.put("envelope", envelope);
        return m;
    }
}
