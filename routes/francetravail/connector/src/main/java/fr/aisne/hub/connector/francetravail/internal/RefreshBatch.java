package fr.aisne.hub.connector.francetravail.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;

/**
 * The nightly refresh: one france-travail/refresh exchange per identified person (ft_identification IDENTIFIED),
 * each marked with the batch id so that its calls carry {@code pa-identifiant-agent: BATCH}. A run is itself an
 * exchange of the flow france-travail/batch (journaled, replayable), started by the schedule
 * ({@code batch.dailyAt}, {@code batch.intervalMinutes}) or by an operator (POST /hub/in/france-travail/batch).
 * Progress (done/total, rate, ETA) is in the connector's health and the logs.
 */
final class RefreshBatch {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshBatch.class);
    static final String SENDER = "france-travail-batch";
    static final String LAST_SCHEDULED = "batch.lastScheduled";
    static final String PROGRESS = "batch.progress";
    private static final int PAGE = 500;

    private final FtStore store;
    private final FtIntake intake;
    private volatile Flow refreshFlow;
    private volatile Flow batchFlow;
    private final Clock clock;
    private final LocalTime dailyAt;
    private final ZoneId zone;
    private final Duration interval;

    private String runId;
    private long total;
    private long done;
    private Instant startedAt;
    private String lastReport = "no batch run yet";

    RefreshBatch(FtStore store, FtIntake intake, Flow refreshFlow, Flow batchFlow, Clock clock, LocalTime dailyAt,
            ZoneId zone, Duration interval) {
        this.store = store;
        this.intake = intake;
        this.refreshFlow = refreshFlow;
        this.batchFlow = batchFlow;
        this.clock = clock;
        this.dailyAt = dailyAt;
        this.zone = zone;
        this.interval = interval;
        store.state(PROGRESS).ifPresent(this::restore);
    }

    /** The flows the batch feeds (declared after the deliveries that use this batch). */
    void flows(Flow refresh, Flow batch) {
        this.refreshFlow = refresh;
        this.batchFlow = batch;
    }

    /** Delivery of a france-travail/batch exchange: queues one refresh per identified person. */
    String run(String batchExchangeId) throws IOException {
        // the exchange id's last 8 characters are random (its first ones are its time: batches close together share them)
        String id = batchExchangeId.length() > 8 ? batchExchangeId.substring(batchExchangeId.length() - 8) : batchExchangeId;
        int expected = store.countIdentified();
        synchronized (this) {
            if (!id.equals(runId)) {
                runId = id;
                done = 0;
                startedAt = clock.instant();
            }
            total = expected;
            save();
        }
        LOG.info("France Travail batch {}: queuing a refresh for {} identified persons", id, expected);
        long queued = 0;
        long already = 0;
        String after = null;
        for (List<String> page = store.identifiedPersons(null, PAGE); !page.isEmpty();
                page = store.identifiedPersons(after, PAGE)) {
            for (String personId : page) {
                String json = Json.write(Json.MAPPER.createObjectNode().put("personId", personId).put("batch", id));
                IngestResult r = intake.accept(refreshFlow, json, "rb-" + id + "-" + personId, SENDER);
                switch (r.outcome()) {
                    case QUEUED -> queued++;
                    case DUPLICATE -> already++;
                    case UNAVAILABLE, NO_SPACE -> throw new IOException("the hub did not take the refresh of person "
                            + personId + " (" + r.reason() + "); the batch is retried and skips those already queued");
                    default -> LOG.warn("France Travail batch {}: refresh of person {} refused: {}", id, personId, r.reason());
                }
                after = personId;
            }
        }
        String detail = "batch " + id + ": " + queued + " refreshes queued" + (already > 0 ? ", " + already
                + " already queued" : "") + " for " + expected + " identified persons (pa-identifiant-agent BATCH)";
        LOG.info("France Travail {}", detail);
        return detail;
    }

    /** A refresh of the batch was delivered (or given up): counts towards the progress. */
    void refreshed(String batchId) {
        String report = null;
        synchronized (this) {
            if (!batchId.equals(runId)) {
                return;
            }
            done++;
            if (done == total || done % Math.max(1, Math.min(500, total / 10)) == 0) {
                report = progress();
                save();
            }
        }
        if (report != null) {
            LOG.info("France Travail {}", report);
        }
    }

    /** done/total, rate and ETA of the current run. */
    synchronized String progress() {
        if (runId == null) {
            return lastReport;
        }
        double seconds = Math.max(1, Duration.between(startedAt, clock.instant()).toMillis() / 1000.0);
        double rate = done / seconds;
        String eta = done >= total ? "finished" : rate <= 0 ? "ETA unknown"
                : "ETA " + formatDuration(Duration.ofSeconds(Math.round((total - done) / rate)));
        return String.format(java.util.Locale.ROOT, "batch %s: %d/%d refreshed, %.1f/s, %s", runId, done, total, rate, eta);
    }

    /**
     * Called every minute: queues a france-travail/batch exchange when the daily time (or the interval) has
     * come. The partner message id is the slot, so a slot is run once even across restarts.
     */
    void tick() throws IOException {
        ZonedDateTime now = clock.instant().atZone(zone);
        String slot = null;
        if (dailyAt != null) {
            LocalDate today = now.toLocalDate();
            String last = store.state(LAST_SCHEDULED).orElse(null);
            boolean past = !now.toLocalTime().isBefore(dailyAt);
            if (last == null) {
                // First start: the first run is the next slot, not one missed before the connector existed.
                store.setState(LAST_SCHEDULED, (past ? today : today.minusDays(1)).toString());
                return;
            }
            if (past && LocalDate.parse(last).isBefore(today)) {
                slot = today.toString();
            }
        }
        if (slot == null && !interval.isZero()) {
            String last = store.state(LAST_SCHEDULED + ".interval").orElse(null);
            long minute = clock.instant().getEpochSecond() / 60;
            if (last == null || minute - Long.parseLong(last) >= interval.toMinutes()) {
                store.setState(LAST_SCHEDULED + ".interval", Long.toString(minute));
                if (last != null) {
                    slot = "m" + minute;
                }
            }
        }
        if (slot == null) {
            return;
        }
        String json = Json.write(Json.MAPPER.createObjectNode().put("trigger", "schedule").put("slot", slot)
                .put("at", clock.instant().toString()));
        IngestResult r = intake.accept(batchFlow, json, "batch-" + slot, SENDER);
        if (!r.outcome().taken() && r.outcome() != IngestResult.Outcome.INVALID) {
            LOG.warn("France Travail scheduled batch {} not taken ({}); tried again at the next tick", slot, r.reason());
            return;
        }
        if (!slot.startsWith("m")) {
            store.setState(LAST_SCHEDULED, slot);
        }
        LOG.info("France Travail scheduled batch {}: {}", slot, r.outcome());
    }

    private void save() {
        store.setState(PROGRESS, runId + "," + total + "," + done + "," + startedAt.toEpochMilli());
    }

    private void restore(String saved) {
        String[] p = saved.split(",");
        if (p.length == 4) {
            runId = p[0];
            total = Long.parseLong(p[1]);
            done = Long.parseLong(p[2]);
            startedAt = Instant.ofEpochMilli(Long.parseLong(p[3]));
        }
    }

    private static String formatDuration(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? (s / 3600) + " h " + (s % 3600 / 60) + " min" : s >= 60 ? (s / 60) + " min " + (s % 60) + " s"
                : s + " s";
    }
}
