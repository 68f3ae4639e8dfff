package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Seen;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Stored;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.Answer;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.PlatformException;
import fr.aisne.hub.connector.immersionfacilitee.internal.WindowWalk.Window;

/**
 * The platform never sends a failed webhook again: the reconciliation walks the list of conventions by start-date
 * windows ({@link WindowWalk}) and hands over to flow immersion-facilitee/conventions every convention whose read
 * differs from what the hub last read of it (a keyed fingerprint, {@code if_seen}), and every convention the hub keeps
 * for the department that a complete window no longer lists (moved to other dates, or out of the hub's reach: the
 * re-read says which). Recent windows ({@code reconcile.recentPastDays} back, {@code reconcile.futureDays} ahead)
 * every {@code reconcile.recentSeconds}; the last {@code reconcile.nightlyMonths} months each night at
 * {@code reconcile.nightlyAt}, and at the first start. One walk at a time; its progress is kept in {@code if_state}
 * after each window, so a walk interrupted (the platform down, the hub stopped) resumes where it stopped. Calls go
 * through {@link PlatformClient}: 5 a second at most, a pause after a 429.
 */
final class Reconciliation {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciliation.class);
    static final String RUN = "reconcile.run";
    static final String LAST = "reconcile.last.";
    static final String NIGHTLY_DATE = "reconcile.nightly.date";
    static final String SENDER = "immersion-facilitee-reconciliation";
    /** 429s in a row a walk waits out before it stops until the next pass. */
    static final int MAX_RATE_LIMITED = 6;

    enum Kind { RECENT, NIGHTLY, MANUAL }

    /** A walk under way, as kept between windows. */
    record Run(Kind kind, LocalDate from, LocalDate to, LocalDate after, int size, Instant started, int calls, int listed,
            int handed, int windows, int incomplete) {
    }

    private final PlatformClient platform;
    private final ConventionStore store;
    private final Fingerprints fingerprints;
    private final Intake intake;
    private final Flow flow;
    private final ImSettings settings;
    private final Clock clock;
    private volatile Instant lastRecentStart = Instant.MIN;
    private volatile Instant retryAt = Instant.MIN;
    private volatile Run requested;
    private volatile String status = "reconciliation not run yet";

    Reconciliation(PlatformClient platform, ConventionStore store, Fingerprints fingerprints, Intake intake, Flow flow,
            ImSettings settings, Clock clock) {
        this.platform = platform;
        this.store = store;
        this.fingerprints = fingerprints;
        this.intake = intake;
        this.flow = flow;
        this.settings = settings;
        this.clock = clock;
    }

    /** Asks for a walk now (operations API, shell): recent, or the nightly one. */
    String request(Kind kind) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), settings.zone());
        LocalDate from = kind == Kind.RECENT ? today.minusDays(settings.recentPastDays()) : today.minusMonths(settings.nightlyMonths());
        requested = new Run(Kind.MANUAL, from, today.plusDays(settings.futureDays()), from.minusDays(1),
                settings.windowDays(), null, 0, 0, 0, 0, 0);
        retryAt = Instant.MIN;
        return "reconciliation of start dates " + from + ".." + today.plusDays(settings.futureDays())
                + " requested; it starts within a few seconds (progress in /hub/health)";
    }

    /** Called every second by the connector's timer: continues the walk under way, or starts the one that is due. */
    synchronized void tick() {
        if (!platform.configured()) {
            status = "reconciliation waiting for api.key";
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(retryAt)) {
            return;
        }
        Run run = load().orElse(null);
        if (run == null) {
            run = due(now);
            if (run == null) {
                return;
            }
            save(run);
        }
        try {
            walk(run);
            retryAt = Instant.MIN;
        } catch (PlatformException e) {
            Duration retry = settings.reconcileRetry();
            Duration wait = e.retryAfter() != null && e.retryAfter().compareTo(retry) > 0 ? e.retryAfter() : retry;
            retryAt = clock.instant().plus(wait);
            status = describe(load().orElse(run)) + "; interrupted: " + e.getMessage() + "; resumes at " + retryAt;
            LOG.warn("Immersion Facilitée reconciliation interrupted: {}; resumes in {} s", e.getMessage(), wait.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            retryAt = clock.instant().plus(settings.reconcileRetry());
            status = describe(run) + "; failed: " + Redaction.describe(e) + "; resumes at " + retryAt;
            LOG.warn("Immersion Facilitée reconciliation failed: {}", Redaction.describe(e));
        }
    }

    private Run due(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, settings.zone());
        Run manual = requested;
        if (manual != null) {
            requested = null;
            return new Run(manual.kind(), manual.from(), manual.to(), manual.after(), manual.size(), now, 0, 0, 0, 0, 0);
        }
        LocalTime at = settings.nightlyAt();
        boolean neverNightly = store.state(LAST + Kind.NIGHTLY).isEmpty();
        boolean nightlyToday = store.state(NIGHTLY_DATE).map(d -> d.equals(today.toString())).orElse(false);
        if (at != null && (neverNightly && !nightlyToday || !nightlyToday
                && !LocalTime.ofInstant(now, settings.zone()).isBefore(at))) {
            store.state(NIGHTLY_DATE, today.toString());
            LocalDate from = today.minusMonths(settings.nightlyMonths());
            return new Run(Kind.NIGHTLY, from, today.plusDays(settings.futureDays()), from.minusDays(1), settings.windowDays(),
                    now, 0, 0, 0, 0, 0);
        }
        if (!now.isBefore(lastRecentStart.plus(settings.reconcileRecent()))) {
            lastRecentStart = now;
            LocalDate from = today.minusDays(settings.recentPastDays());
            return new Run(Kind.RECENT, from, today.plusDays(settings.futureDays()), from.minusDays(1), settings.windowDays(),
                    now, 0, 0, 0, 0, 0);
        }
        return null;
    }

    /** Walks the run's remaining windows, saving the progress after each. */
    private void walk(Run start) throws PlatformException, InterruptedException, IOException {
        Run run = start;
        WindowWalk walk = new WindowWalk(run.from(), run.to(), run.size(), settings.maxWindowDays(), run.after());
        status = describe(run);
        for (Window w = walk.next(); w != null; w = walk.next()) {
            JsonNode list = list(w, List.of());
            int calls = 1;
            int listed = list.size();
            int handed = 0;
            int incomplete = 0;
            if (walk.done(w, list.size())) {
                handed += handOver(list, w, true);
            } else if (walk.needsStatusSplit()) {
                Set<String> ids = new HashSet<>();
                for (String s : Convention.STATUSES) {
                    JsonNode part = list(w, List.of(s));
                    ids.addAll(seenIds(part));
                    calls++;
                    listed += part.size();
                    boolean complete = part.size() < WindowWalk.CAP;
                    if (!complete) {
                        incomplete++;
                        LOG.warn("Immersion Facilitée lists {} or more conventions of status {} starting on {}: some may "
                                + "be missed", WindowWalk.CAP, s, w.upTo());
                    }
                    handed += handOver(part, w, false);
                }
                if (incomplete == 0) {
                    handed += handOverMissing(w, ids);
                }
                walk.skipDay();
            }
            run = new Run(run.kind(), run.from(), run.to(), walk.after(), walk.size(), run.started(), run.calls() + calls,
                    run.listed() + listed, run.handed() + handed, run.windows() + 1, run.incomplete() + incomplete);
            save(run);
            status = describe(run);
        }
        finish(run);
    }

    /** One list call; a 429 is waited out (the client pauses every call) and the same list asked again. */
    private JsonNode list(Window w, List<String> statuses) throws PlatformException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                return listOf(platform.conventions(w.after(), w.upTo(), statuses, true), w);
            } catch (PlatformException e) {
                if (e.kind() != PlatformClient.Kind.RATE_LIMITED || attempt >= MAX_RATE_LIMITED) {
                    throw e;
                }
                status = status + "; waiting after a 429";
            }
        }
    }

    private JsonNode listOf(Answer a, Window w) throws PlatformException {
        if (a.status() != 200) {
            throw new PlatformException(PlatformClient.Kind.UNAVAILABLE, "Immersion Facilitée refused the list of "
                    + w.after() + ".." + w.upTo() + " (HTTP " + a.status() + " " + a.message() + ")", Duration.ofMinutes(10));
        }
        JsonNode list = a.json();
        if (!list.isArray()) {
            throw new PlatformException(PlatformClient.Kind.UNAVAILABLE, "Immersion Facilitée's list is not an array", null);
        }
        return list;
    }

    /** Hands over the listed conventions whose read changed; with a complete list, those kept but no longer listed. */
    private int handOver(JsonNode list, Window w, boolean complete) throws IOException {
        int handed = 0;
        Set<String> ids = new HashSet<>();
        for (JsonNode c : list) {
            String id = PlatformMapping.id(c);
            if (id == null) {
                continue;
            }
            ids.add(id);
            String fp;
            try {
                fp = fingerprints.of(PlatformMapping.map(c));
            } catch (PlatformMapping.MappingException e) {
                fp = fingerprints.of("unusable:" + c); // the delivery will quarantine it with the reason
            }
            if (handIfChanged(id, fp)) {
                handed++;
            }
        }
        if (complete) {
            handed += handOverMissing(w, ids);
        }
        return handed;
    }

    private int handOverMissing(Window w, Set<String> listed) throws IOException {
        int handed = 0;
        for (Stored s : store.platformStartingIn(w.after(), w.upTo())) {
            if (!listed.contains(s.key()) && handIfChanged(s.key(), "absent:" + s.fingerprint())) {
                handed++;
            }
        }
        return handed;
    }

    private static Set<String> seenIds(JsonNode list) {
        Set<String> ids = new HashSet<>();
        for (JsonNode c : list) {
            String id = PlatformMapping.id(c);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Hands a convention over unless the hub already read that state, or handed it over a moment ago. */
    private boolean handIfChanged(String id, String fp) throws IOException {
        Optional<Seen> seen = store.seen(id);
        if (seen.isPresent() && fp.equals(seen.get().fingerprint())) {
            return false;
        }
        Instant now = clock.instant();
        if (seen.isPresent() && fp.equals(seen.get().handedFingerprint()) && seen.get().handedAt() != null
                && seen.get().handedAt().plus(settings.rehandAfter()).isAfter(now)) {
            return false;
        }
        long epoch = now.getEpochSecond() / Math.max(1, settings.rehandAfter().toSeconds());
        String messageId = "rec-" + ConventionRecorder.sha256(id + ":" + fp + ":" + epoch).substring(0, 40);
        IngestResult r = new HandOver(id, HandOver.RECONCILIATION, now, null, null, null).handTo(intake, flow, messageId, SENDER);
        if (!r.outcome().taken()) {
            throw new IOException("the hub did not take the hand-over of " + id + ": " + r.outcome() + " " + r.reason());
        }
        store.handed(id, fp);
        return true;
    }

    private void finish(Run run) {
        Duration took = Duration.between(run.started(), clock.instant());
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("at", clock.instant().toString());
        last.put("from", run.from().toString());
        last.put("to", run.to().toString());
        last.put("windows", run.windows());
        last.put("calls", run.calls());
        last.put("listed", run.listed());
        last.put("handed", run.handed());
        last.put("incomplete", run.incomplete());
        last.put("millis", took.toMillis());
        store.state(LAST + run.kind(), Json.write(last));
        store.state(RUN, null);
        String line = "reconciliation " + run.kind().name().toLowerCase(java.util.Locale.ROOT) + " done: start dates "
                + run.from() + ".." + run.to() + " in " + run.windows() + " windows, " + run.calls() + " list calls, "
                + run.listed() + " listed, " + run.handed() + " handed over for re-read, " + took.toMillis() + " ms"
                + (run.incomplete() > 0 ? ", " + run.incomplete() + " lists at the cap (some may be missed)" : "");
        status = line;
        if (run.kind() == Kind.RECENT) {
            LOG.debug("Immersion Facilitée {}", line);
        } else {
            LOG.info("Immersion Facilitée {}", line);
        }
    }

    // ---------------------------------------------------------------------------------------------- state, health

    private Optional<Run> load() {
        return store.state(RUN).filter(s -> !s.isBlank()).map(s -> {
            try {
                JsonNode n = Json.MAPPER.readTree(s);
                return new Run(Kind.valueOf(n.get("kind").asText()), LocalDate.parse(n.get("from").asText()),
                        LocalDate.parse(n.get("to").asText()), LocalDate.parse(n.get("after").asText()), n.get("size").asInt(),
                        Instant.parse(n.get("started").asText()), n.get("calls").asInt(), n.get("listed").asInt(),
                        n.get("handed").asInt(), n.get("windows").asInt(), n.get("incomplete").asInt());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Immersion Facilitée reconciliation state unreadable: a new walk starts");
                return null;
            }
        });
    }

    private void save(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind().name());
        m.put("from", r.from().toString());
        m.put("to", r.to().toString());
        m.put("after", r.after().toString());
        m.put("size", r.size());
        m.put("started", r.started().toString());
        m.put("calls", r.calls());
        m.put("listed", r.listed());
        m.put("handed", r.handed());
        m.put("windows", r.windows());
        m.put("incomplete", r.incomplete());
        store.state(RUN, Json.write(m));
    }

    private static String describe(Run r) {
        WindowWalk w = new WindowWalk(r.from(), r.to(), r.size(), r.size(), r.after());
        return "reconciliation " + r.kind().name().toLowerCase(java.util.Locale.ROOT) + " running: start dates " + r.from()
                + ".." + r.to() + ", " + w.percent() + " % walked (up to " + r.after() + "), " + r.windows() + " windows, "
                + r.calls() + " calls, " + r.handed() + " handed over";
    }

    /** For health: what runs now and the last success of each kind. */
    String status() {
        StringBuilder sb = new StringBuilder(status);
        for (Kind k : Kind.values()) {
            store.state(LAST + k).ifPresent(s -> {
                try {
                    JsonNode n = Json.MAPPER.readTree(s);
                    sb.append("; last ").append(k.name().toLowerCase(java.util.Locale.ROOT)).append(" success ")
                            .append(n.path("at").asText()).append(" (").append(n.path("calls").asInt()).append(" calls, ")
                            .append(n.path("handed").asInt()).append(" handed over, ").append(n.path("millis").asLong())
                            .append(" ms)");
                } catch (IOException e) {
                    // not shown
                }
            });
        }
        return sb.toString();
    }

    /** The last success of a kind, as kept (JSON), for the operations API. */
    Optional<String> last(Kind k) {
        return store.state(LAST + k);
    }

    boolean failing() {
        return clock.instant().isBefore(retryAt);
    }
}
