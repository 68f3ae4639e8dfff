package fr.aisne.hub.connector.francetravail.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;

/**
 * Follows the department's event feed: every new person subject to rights and duties (and every new person in a
 * known household) is handed once to the flow france-travail/identification, and every orientation the department
 * decided ({@code orientation.decidee}, from Aisne-actifs.com: its parcours and origine) to the flow
 * france-travail/orientation, with the partner message id {@code evt-<seq>} so that the core records a second
 * hand-over as a duplicate. The cursor (last sequence handed over) is kept in ft_state; it only moves past an event
 * once the hub has it (queued, duplicate or invalid).
 */
final class EventFollower {
    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);
    static final String CURSOR = "events.cursor";
    static final Set<String> TYPES = Set.of(DepartmentEvent.NEW_HOUSEHOLD_SDD, DepartmentEvent.NEW_PERSON,
            DepartmentEvent.ORIENTATION_DECIDED);
    static final String SENDER = "departement-events";

    private final Supplier<DepartmentEvents> events;
    private final FtStore store;
    private final FtIntake intake;
    private final Flow flow;
    private final Flow orientationFlow;
    private final int batchSize;
    private volatile String status = "not started";

    EventFollower(Supplier<DepartmentEvents> events, FtStore store, FtIntake intake, Flow flow, int batchSize) {
        this(events, store, intake, flow, null, batchSize);
    }

    /** With {@code orientationFlow} null, orientation events are passed over. */
    EventFollower(Supplier<DepartmentEvents> events, FtStore store, FtIntake intake, Flow flow, Flow orientationFlow,
            int batchSize) {
        this.events = events;
        this.store = store;
        this.intake = intake;
        this.flow = flow;
        this.orientationFlow = orientationFlow;
        this.batchSize = batchSize;
    }

    /** One pass: hands over the events after the cursor, at most batchSize. Returns how many were queued. */
    synchronized int poll() throws IOException {
        DepartmentEvents feed = events.get();
        if (feed == null) {
            status = "department event feed not available (no DepartmentEvents service): identification waits";
            return 0;
        }
        long cursor = cursor();
        List<DepartmentEvent> batch = feed.since(cursor, batchSize, TYPES);
        int queued = 0;
        for (DepartmentEvent e : batch) {
            boolean orientation = DepartmentEvent.ORIENTATION_DECIDED.equals(e.type());
            if (e.personId() != null && (!orientation || pushable(e))) {
                Flow target = orientation ? orientationFlow : flow;
                String json = Json.write(orientation
                        ? Json.MAPPER.createObjectNode().put("personId", e.personId())
                                .put("parcours", e.details().get("parcours")).put("origine", e.details().get("origine"))
                        : Json.MAPPER.createObjectNode().put("personId", e.personId())
                                .put("event", e.seq()).put("type", e.type()));
                IngestResult r = intake.accept(target, json, "evt-" + e.seq(), SENDER);
                switch (r.outcome()) {
                    case QUEUED -> queued++;
                    case UNAVAILABLE, NO_SPACE -> {
                        // the hub cannot take it now (disk nearly full): the cursor stays, the next pass tries again
                        status = "event " + e.seq() + " waits: the hub did not take it (" + r.reason() + ")";
                        LOG.warn("France Travail identification of event {} not taken: {}; tried again at the next pass",
                                e.seq(), r.reason());
                        return queued;
                    }
                    case DUPLICATE -> LOG.debug("Event {} already handed over ({})", e.seq(), r.reason());
                    default -> LOG.warn("Event {} refused by flow {}: {} {}", e.seq(), target.key(), r.outcome(), r.reason());
                }
            }
            cursor = advance(e.seq());
        }
        status = "event feed followed up to " + cursor + (batch.isEmpty() ? "" : " (" + queued + " identifications queued in the last pass)");
        return queued;
    }

    String status() {
        return status;
    }

    /**
     * An orientation the department decided (not one France Travail itself told us), with what France Travail's
     * orientation flow needs: pushed; anything else is passed over.
     */
    private boolean pushable(DepartmentEvent e) {
        return orientationFlow != null && !Identification.PARTNER.equals(e.sourcePartner())
                && e.details().get("parcours") != null && e.details().get("origine") != null;
    }

    long cursor() {
        return store.state(CURSOR).map(Long::parseLong).orElse(0L);
    }

    private long advance(long seq) {
        store.setState(CURSOR, Long.toString(seq));
        return seq;
    }
}
