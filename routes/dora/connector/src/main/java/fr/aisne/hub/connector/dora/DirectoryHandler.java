package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * Delivers the messages of flow {@code dora/directory} (partner message id {@code <run>:<collection>:<page>} or
 * {@code <run>:end}):
 * <ul>
 * <li>a page of data·inclusion: every item checked against schema v1 and its rules ({@link SchemaV1}); each valid
 * item kept with the fields v1 knows (others ignored) and written only when its digest changed; each invalid item
 * rejected alone, with every problem, counted, logged (id, field, rule) and listed in the pull's report and the
 * journal's detail, the page delivered all the same;</li>
 * <li>the end of a pull: the items the pull did not see are removed.</li>
 * </ul>
 * A database failure is temporary (the hub retries the page); a message that is not what the poller hands over is
 * permanent. Delivering a page twice (after a crash) writes nothing the second time.
 */
final class DirectoryHandler implements DeliveryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryHandler.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Longest journal detail written (the journal keeps 2,000 characters). */
    private static final int DETAIL_MAX = 1900;

    private final SchemaV1 schema;
    private final DirectoryStore store;
    private final PullReports reports;
    private final Clock clock;

    DirectoryHandler(SchemaV1 schema, DirectoryStore store, PullReports reports, Clock clock) {
        this.schema = schema;
        this.store = store;
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        String[] part = d.partnerMessageId() == null ? new String[0] : d.partnerMessageId().split(":");
        if (part.length < 2) {
            throw DeliveryFailure.permanent("not a message of the directory pull (partner message id <run>:<part>)");
        }
        String run = part[0];
        JsonNode doc;
        try (InputStream in = d.openPayload()) {
            doc = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw DeliveryFailure.permanent("the " + part[1] + " message of " + run + " is not JSON");
        }
        try {
            if (part[1].equals(DirectoryPull.END)) {
                return end(run, doc);
            }
            if (part.length != 3 || !(part[1].equals("structures") || part[1].equals("services"))) {
                throw DeliveryFailure.permanent("unknown part " + part[1] + " of the directory pull");
            }
            return page(run, Kind.ofCollection(part[1]), part[2], doc);
        } catch (Jdbc.StoreException e) {
            throw DeliveryFailure.temporary("directory tables not written: " + e.getMessage());
        }
    }

    private DeliveryResult page(String run, Kind kind, String page, JsonNode envelope) throws DeliveryFailure {
        JsonNode items = envelope == null ? null : envelope.get("items");
        if (items == null || !items.isArray()) {
            throw DeliveryFailure.permanent(kind.collection + " page " + page + " of " + run + " has no items list");
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), PARIS);
        List<ObjectNode> valid = new ArrayList<>();
        List<String> rejectedIds = new ArrayList<>();
        List<PullReports.Rejection> rejections = new ArrayList<>();
        int warnings = 0;
        for (JsonNode item : items) {
            SchemaV1.Check check = schema.check(kind, item, today);
            String id = item.path("id").isTextual() ? item.get("id").asText() : null;
            warnings += check.warnings().size();
            if (check.valid()) {
                valid.add(schema.known(kind, item));
            } else {
                if (id != null) {
                    rejectedIds.add(id);
                }
                String shown = shown(id);
                rejections.add(new PullReports.Rejection(kind.label, shown, check.errors()));
                LOG.warn("Dora directory {}: {} {} rejected: {}", run, kind.label, shown,
                        Problem.describe(check.errors(), 5));
            }
        }
        DirectoryStore.Writes w = store.apply(kind, valid, rejectedIds);
        reports.page(run, kind, items.size(), w, rejections, warnings);
        StringBuilder detail = new StringBuilder(kind.collection + " page " + page + " of " + run + ": " + items.size()
                + " items, " + w.inserted() + " new, " + w.updated() + " changed, " + w.unchanged() + " unchanged, "
                + rejections.size() + " rejected" + (w.removed() > 0 ? " (" + w.removed() + " removed)" : "")
                + (warnings > 0 ? ", " + warnings + " warnings" : ""));
        for (PullReports.Rejection r : rejections) {
            String one = "; " + r.id() + ": " + Problem.describe(r.problems(), 3);
            if (detail.length() + one.length() > DETAIL_MAX) {
                detail.append("; ...");
                break;
            }
            detail.append(one);
        }
        return DeliveryResult.delivered(detail.toString());
    }

    private DeliveryResult end(String run, JsonNode end) throws DeliveryFailure {
        if (end == null || !end.path("structures").isArray() || !end.path("services").isArray()) {
            throw DeliveryFailure.permanent("the end message of " + run + " has no lists of ids");
        }
        int removedStructures = store.removeAbsent(Kind.STRUCTURE, ids(end.get("structures")));
        int removedServices = store.removeAbsent(Kind.SERVICE, ids(end.get("services")));
        PullReports.Report r = reports.finished(run, removedStructures, removedServices, clock.instant());
        LOG.info("Dora directory {}", r.summary());
        return DeliveryResult.delivered("end of " + run + ": " + removedStructures + " structures and " + removedServices
                + " services no longer in data·inclusion removed; directory: " + store.count(Kind.STRUCTURE)
                + " structures, " + store.count(Kind.SERVICE) + " services; " + r.summary());
    }

    /**
     * An item's id as the journal, the log and the pull's report show it: at most 120 characters, and what looks like a
     * date or a person's number masked (data·inclusion's ids are slugs and UUIDs; an id is the partner's free text).
     */
    static String shown(String id) {
        if (id == null) {
            return "(no id)";
        }
        return Redaction.dates(Redaction.redact(id.length() > 120 ? id.substring(0, 120) + "…" : id));
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }
}
