package fr.aisne.hub.connector.dora;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * What the last directory pulls did, in memory (the journal keeps each page's detail for good): the poller's part
 * (pages and items fetched and handed to the hub) and the deliveries' part (items written, unchanged, rejected with
 * their problems, removed). A pull's pages are delivered one after the other (one ordering key), after the poller
 * has handed them over; it is COMPLETED when its end message is delivered. Thread-safe.
 */
final class PullReports {
    /** How many pulls are remembered. */
    static final int KEPT = 10;
    /** How many rejected items a report lists (all are counted). */
    static final int REJECTIONS_LISTED = 200;

    enum Status {
        /** The poller is fetching pages. */
        FETCHING,
        /** Every page is in the hub; deliveries under way. */
        PROCESSING,
        /** Its end message was delivered: the directory is that of this pull. */
        COMPLETED,
        /** The poller could not fetch every page: nothing was removed, tried again later. */
        FAILED
    }

    /** One rejected item: which, and every problem found. */
    record Rejection(String kind, String id, List<Problem> problems) {
    }

    /** Counts per kind. */
    static final class Counts {
        int pages;
        int fetched;
        int received;
        int inserted;
        int updated;
        int unchanged;
        int rejected;
        int removed;
        int warnings;

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pages", pages);
            m.put("fetched", fetched);
            m.put("received", received);
            m.put("inserted", inserted);
            m.put("updated", updated);
            m.put("unchanged", unchanged);
            m.put("rejected", rejected);
            m.put("removed", removed);
            m.put("warnings", warnings);
            return m;
        }
    }

    /** One pull. */
    static final class Report {
        final String run;
        final String trigger;
        final Instant startedAt;
        Instant fetchedAt;
        Instant finishedAt;
        Status status = Status.FETCHING;
        String error;
        final Map<Kind, Counts> counts = new EnumMap<>(Kind.class);
        final List<Rejection> rejections = new ArrayList<>();

        Report(String run, String trigger, Instant startedAt) {
            this.run = run;
            this.trigger = trigger;
            this.startedAt = startedAt;
            for (Kind k : Kind.values()) {
                counts.put(k, new Counts());
            }
        }

        /** Rows inserted, updated and deleted in the directory tables by this pull. */
        int writes() {
            return counts.values().stream().mapToInt(c -> c.inserted + c.updated + c.removed).sum();
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run);
            m.put("trigger", trigger);
            m.put("status", status.name());
            m.put("startedAt", startedAt.toString());
            m.put("fetchedAt", fetchedAt == null ? null : fetchedAt.toString());
            m.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
            m.put("seconds", finishedAt == null || startedAt.equals(Instant.EPOCH) ? null : Duration.between(startedAt, finishedAt).toMillis() / 1000.0);
            m.put("error", error);
            for (Kind k : Kind.values()) {
                m.put(k.collection, counts.get(k).toMap());
            }
            m.put("writes", writes());
            List<Map<String, Object>> rejected = new ArrayList<>();
            for (Rejection r : rejections) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("kind", r.kind());
                one.put("id", r.id());
                one.put("errors", r.problems().stream().map(PullReports::problem).toList());
                rejected.add(one);
            }
            m.put("rejected", rejected);
            return m;
        }

        String summary() {
            Counts s = counts.get(Kind.STRUCTURE);
            Counts v = counts.get(Kind.SERVICE);
            return "pull " + run + " " + status.name().toLowerCase(java.util.Locale.ROOT) + ": structures "
                    + s.received + " (" + s.rejected + " rejected), services " + v.received + " (" + v.rejected
                    + " rejected); " + writes() + " rows written" + (error == null ? "" : "; " + error);
        }
    }

    private final Map<String, Report> reports = new LinkedHashMap<>();

    /** field, rule, message: in this order. */
    static Map<String, Object> problem(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", p.field());
        m.put("rule", p.rule());
        m.put("message", p.message() == null ? "" : p.message());
        return m;
    }

    synchronized Report start(String run, String trigger, Instant now) {
        Report r = new Report(run, trigger, now);
        reports.put(run, r);
        while (reports.size() > KEPT) {
            reports.remove(reports.keySet().iterator().next());
        }
        return r;
    }

    synchronized void fetched(String run, Kind kind, int items) {
        Counts c = of(run).counts.get(kind);
        c.pages++;
        c.fetched += items;
    }

    synchronized void handedOver(String run, Instant now) {
        Report r = of(run);
        r.fetchedAt = now;
        if (r.status == Status.FETCHING) {
            r.status = Status.PROCESSING;
        }
    }

    synchronized void failed(String run, String error, Instant now) {
        Report r = of(run);
        r.status = Status.FAILED;
        r.error = error;
        r.finishedAt = now;
    }

    synchronized void page(String run, Kind kind, int received, DirectoryStore.Writes w, List<Rejection> rejected,
            int warnings) {
        Report r = of(run);
        Counts c = r.counts.get(kind);
        c.received += received;
        c.inserted += w.inserted();
        c.updated += w.updated();
        c.unchanged += w.unchanged();
        c.removed += w.removed();
        c.rejected += rejected.size();
        c.warnings += warnings;
        for (Rejection x : rejected) {
            if (r.rejections.size() < REJECTIONS_LISTED) {
                r.rejections.add(x);
            }
        }
    }

    synchronized Report finished(String run, int removedStructures, int removedServices, Instant now) {
        Report r = of(run);
        r.counts.get(Kind.STRUCTURE).removed += removedStructures;
        r.counts.get(Kind.SERVICE).removed += removedServices;
        r.status = Status.COMPLETED;
        r.finishedAt = now;
        return r;
    }

    synchronized Map<String, Object> snapshot(String run) {
        Report r = reports.get(run);
        return r == null ? null : r.toMap();
    }

    /** The latest pull, or null. */
    synchronized Report latest() {
        Report last = null;
        for (Report r : reports.values()) {
            last = r;
        }
        return last;
    }

    /** The latest completed pull, or null. */
    synchronized Report lastCompleted() {
        Report last = null;
        for (Report r : reports.values()) {
            if (r.status == Status.COMPLETED) {
                last = r;
            }
        }
        return last;
    }

    synchronized List<Map<String, Object>> all() {
        List<Map<String, Object>> out = new ArrayList<>();
        reports.values().forEach(r -> out.add(r.toMap()));
        java.util.Collections.reverse(out);
        return out;
    }

    /** The report of a run, created for a run the hub delivers after a restart (its poller's part is then unknown). */
    private Report of(String run) {
        Report r = reports.get(run);
        if (r == null) {
            r = start(run, "(before a restart)", Instant.EPOCH);
        }
        return r;
    }
}
