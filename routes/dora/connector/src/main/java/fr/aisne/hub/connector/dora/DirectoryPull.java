package fr.aisne.hub.connector.dora;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The directory pull, the poller shape: a Camel timer decides when (shortly after start, daily at
 * {@code directory.dailyAt}, again {@code directory.retryMinutes} after a failure; or by hand), then the structures'
 * pages and the services' pages of the département are fetched one after the other and each is handed, as it came, to
 * the hub's intake on flow {@code dora/directory}: journaled, queued, delivered to {@link DirectoryHandler}, which
 * validates and writes. All the pages of a pull share its correlation id (the run) and one ordering key, so they are
 * delivered in order, structures before services; an end message listing every id seen follows the last page, and its
 * delivery removes what data·inclusion no longer has. A pull that cannot fetch every page hands no end message:
 * nothing is removed, and the pull is tried again later.
 */
final class DirectoryPull {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryPull.class);
    static final String ORDERING_KEY = "dora-directory";
    static final String SENDER = "dora-directory-pull";
    static final String END = "end";
    private static final DateTimeFormatter RUN = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Pages per collection at most (10,000 pages of 10,000 items is far beyond any département). */
    static final int MAX_PAGES = 10_000;

    /** Another pull is under way. */
    static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("a directory pull is already under way", null, false, false);
        }
    }

    private final DoraSettings settings;
    private final DataInclusionClient client;
    private final Intake intake;
    private final Flow flow;
    private final PullReports reports;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean startPullDone;
    private volatile LocalDate lastDaily;
    private volatile Instant retryAt;
    private volatile String refusal;

    DirectoryPull(DoraSettings settings, DataInclusionClient client, Intake intake, Flow flow, PullReports reports,
            Clock clock) {
        this.settings = settings;
        this.client = client;
        this.intake = intake;
        this.flow = flow;
        this.reports = reports;
        this.clock = clock;
        ZonedDateTime now = clock.instant().atZone(settings.zone());
        // the first daily pull is the next one: a pull at start (directory.pullOnStart) covers today
        if (settings.dailyAt() != null && !now.toLocalTime().isBefore(settings.dailyAt())) {
            lastDaily = now.toLocalDate();
        }
    }

    RoutesBuilder routes() {
        long delay = Math.max(1000, settings.startDelay().toMillis());
        return new RouteBuilder() {
            @Override
            public void configure() {
                // one tick at a time: a long pull delays the next tick, never overlaps it
                from("timer:dora.directory?delay=" + delay + "&period=15000").routeId("dora.directory.timer")
                        .process(e -> tick());
            }
        };
    }

    /** What the timer does: start, daily, or retry pull when due. */
    void tick() {
        if (!settings.directoryEnabled() || !settings.hasApiToken()) {
            return;
        }
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(settings.zone());
        String trigger = null;
        if (settings.pullOnStart() && !startPullDone) {
            trigger = "start";
        } else if (retryAt != null && !now.isBefore(retryAt)) {
            trigger = "retry";
        } else if (settings.dailyAt() != null && !local.toLocalTime().isBefore(settings.dailyAt())
                && !local.toLocalDate().equals(lastDaily)) {
            trigger = "daily";
        }
        if (trigger == null) {
            return;
        }
        startPullDone = true;
        try {
            pull(trigger);
        } catch (Busy busy) {
            // a pull asked by hand is under way: it counts
        }
    }

    /**
     * Fetches every page and hands it to the hub; returns the pull's report (its deliveries go on after). Never two at
     * once.
     */
    PullReports.Report pull(String trigger) throws Busy {
        if (!running.tryLock()) {
            throw new Busy();
        }
        try {
            Instant started = clock.instant();
            String run = "pull-" + RUN.format(started.atZone(settings.zone())) + "-"
                    + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
            PullReports.Report report = reports.start(run, trigger, started);
            LOG.info("Dora directory pull {} ({}): département {}, pages of {}", run, trigger,
                    settings.codeDepartement(), settings.pageSize());
            try {
                List<String> structures = collect(run, Kind.STRUCTURE);
                List<String> services = collect(run, Kind.SERVICE);
                ObjectNode end = Json.MAPPER.createObjectNode().put("run", run);
                structures.forEach(end.putArray(Kind.STRUCTURE.collection)::add);
                services.forEach(end.putArray(Kind.SERVICE.collection)::add);
                hand(run, END, Json.write(end).getBytes(StandardCharsets.UTF_8));
                reports.handedOver(run, clock.instant());
                retryAt = null;
                refusal = null;
                ZonedDateTime local = clock.instant().atZone(settings.zone());
                if (settings.dailyAt() != null && !local.toLocalTime().isBefore(settings.dailyAt())) {
                    lastDaily = local.toLocalDate();
                }
                LOG.info("Dora directory pull {}: {} structures and {} services handed to the hub", run,
                        structures.size(), services.size());
            } catch (DataInclusionClient.Refused e) {
                refusal = e.getMessage() + (e.credentials() ? ": check api.token (a data·inclusion token with the api "
                        + "scope, encrypted with hub:encrypt-secret)" : "");
                fail(run, refusal);
            } catch (DataInclusionClient.Unavailable | IOException e) {
                fail(run, e instanceof IOException ? Redaction.describe(e) : e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(run, "interrupted");
            }
            return report;
        } finally {
            running.unlock();
        }
    }

    /** The refusal of the last pull (token refused, parameter refused), or null: the connector is then DOWN. */
    String refusal() {
        return refusal;
    }

    Instant retryAt() {
        return retryAt;
    }

    private void fail(String run, String reason) {
        retryAt = clock.instant().plus(settings.retryAfterFailure());
        reports.failed(run, reason, clock.instant());
        LOG.warn("Dora directory pull {} failed: {}; nothing removed, tried again at {}", run, reason, retryAt);
    }

    /** Every page of one collection handed to the hub; returns the ids seen. */
    private List<String> collect(String run, Kind kind)
            throws DataInclusionClient.Refused, DataInclusionClient.Unavailable, InterruptedException, IOException {
        List<String> ids = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            DataInclusionClient.Page p = client.page(kind.collection, page);
            reports.fetched(run, kind, p.items());
            ids.addAll(p.ids());
            hand(run, kind.collection + ":" + page, p.body());
            boolean more = p.pages() != null ? page < p.pages() : p.items() > 0;
            if (!more || p.items() == 0) {
                return ids;
            }
        }
        throw new DataInclusionClient.Unavailable(kind.collection + ": more than " + MAX_PAGES + " pages");
    }

    private void hand(String run, String part, byte[] body) throws IOException, DataInclusionClient.Unavailable {
        InboundMetadata meta = new InboundMetadata(run, run + ":" + part, "application/json", SENDER)
                .withOrderingKey(ORDERING_KEY);
        IngestResult r = intake.accept(flow, new ByteArrayInputStream(body), meta);
        if (!r.outcome().taken()) {
            throw new DataInclusionClient.Unavailable("the hub did not take " + part + " (" + r.outcome() + ": "
                    + r.reason() + ")");
        }
    }
}
