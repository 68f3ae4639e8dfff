package fr.aisne.hub.connector.aisneactifs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;

/**
 * The poller of the webhooks: follows the department event feed from its cursor (aa_state {@code events.cursor})
 * and hands each event to the flow aisne-actifs/webhooks with the partner message id {@code evt-<seq>} (a second
 * hand-over is a duplicate) and the person as ordering key (one person's events reach the platform in order, across
 * retries). Events the platform itself caused (source aisne-actifs) are not sent back. The cursor moves past an
 * event only once the hub has it.
 */
final class WebhookFollower {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookFollower.class);
    static final String CURSOR = "events.cursor";
    static final String SENDER = "departement-events";

    private final Supplier<DepartmentEvents> events;
    private final AaStore store;
    private final Intake intake;
    private final Flow flow;
    private final int batchSize;
    private final Set<String> types;
    private volatile String status = "not started";

    WebhookFollower(Supplier<DepartmentEvents> events, AaStore store, Intake intake, Flow flow, int batchSize,
            List<String> types) {
        this.events = events;
        this.store = store;
        this.intake = intake;
        this.flow = flow;
        this.batchSize = batchSize;
        this.types = Set.copyOf(types);
    }

    /** One pass; returns how many events were queued for the platform. */
    synchronized int poll() throws IOException {
        DepartmentEvents feed = events.get();
        if (feed == null) {
            status = "department event feed not available: webhooks wait";
            return 0;
        }
        long cursor = cursor();
        List<DepartmentEvent> batch = feed.since(cursor, batchSize, types);
        int queued = 0;
        for (DepartmentEvent e : batch) {
            if (!DecisionHandler.PARTNER.equals(e.sourcePartner())) {
                byte[] json = Json.write(body(e)).getBytes(StandardCharsets.UTF_8);
                String key = e.personId() != null ? e.personId() : e.householdKey();
                IngestResult r = intake.accept(flow, new ByteArrayInputStream(json), new InboundMetadata("evt-" + e.seq(),
                        "evt-" + e.seq(), "application/json", SENDER, key == null ? null : key.replace(' ', '_')));
                switch (r.outcome()) {
                    case QUEUED -> queued++;
                    case UNAVAILABLE, NO_SPACE -> {
                        status = "event " + e.seq() + " waits: the hub did not take it (" + r.reason() + ")";
                        LOG.warn("Webhook of event {} not taken: {}; tried again at the next pass", e.seq(), r.reason());
                        return queued;
                    }
                    case DUPLICATE -> LOG.debug("Event {} already handed over", e.seq());
                    default -> LOG.warn("Event {} refused by flow {}: {} {}", e.seq(), flow.key(), r.outcome(), r.reason());
                }
            }
            cursor = e.seq();
            store.setState(CURSOR, Long.toString(cursor));
        }
        status = "event feed followed up to " + cursor + (batch.isEmpty() ? "" : " (" + queued + " webhooks queued in the last pass)");
        return queued;
    }

    /** The event as contract v1 sends it (schemas/evenement.schema.json), before the disclosed identity is added. */
    static ObjectNode body(DepartmentEvent e) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("id", "evt-" + e.seq()).put("seq", e.seq()).put("type", e.type());
        o.put("personId", e.personId());
        o.put("foyer", e.householdKey());
        o.put("survenuLe", e.occurredAt().toString());
        o.put("source", e.sourcePartner());
        ObjectNode details = o.putObject("details");
        e.details().forEach(details::put);
        return o;
    }

    long cursor() {
        return store.state(CURSOR).map(Long::parseLong).orElse(0L);
    }

    String status() {
        return status;
    }
}
