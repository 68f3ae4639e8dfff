package fr.aisne.hub.core.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.IngestResult.Outcome;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.core.journal.GroupCommit;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.journal.Journal.Step;
import fr.aisne.hub.core.journal.NewExchange;
import fr.aisne.hub.core.store.PayloadStore;
import fr.aisne.hub.core.util.Digests;
import fr.aisne.hub.core.util.Ids;

/**
 * The write path of a message, in one place: store (sealed), duplicate check, validate, then ONE transaction for
 * its journal entry, its duplicate keys and its small payload (shared with other threads' accepts: {@link GroupCommit});
 * then a first send to the broker.
 * Every transport calls it: the HTTP endpoints ({@link #acceptOverHttp}: a broker that cannot take the message
 * means 503, and nothing is kept as accepted) and the connectors' own pollers ({@link #accept}: the dispatcher
 * sends it once the broker is back; a connector never handles a broker refusal).
 */
public final class IntakeService implements Intake {
    public static final String ACTOR_HUB = Journal.ACTOR_HUB;
    /** Seconds a sender is asked to wait when the broker or the disk cannot take its message. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final Journal journal;
    private final PayloadStore store;
    private final DuplicateKeys duplicates;
    private final Dispatcher dispatcher;
    private final DeliveryService deliveries;
    private final OrderingHolds holds;
    private final GroupCommit accepts;
    private final long minFreeBytes;
    private final BiFunction<String, String, Optional<Flow>> flows;
    private volatile FaultInjection faults = FaultInjection.NONE;

    public IntakeService(Journal journal, PayloadStore store, DuplicateKeys duplicates, Dispatcher dispatcher,
            DeliveryService deliveries, OrderingHolds holds, GroupCommit accepts, long minFreeBytes,
            BiFunction<String, String, Optional<Flow>> flows) {
        this.journal = journal;
        this.store = store;
        this.duplicates = duplicates;
        this.dispatcher = dispatcher;
        this.deliveries = deliveries;
        this.holds = holds;
        this.accepts = accepts;
        this.minFreeBytes = minFreeBytes;
        this.flows = flows;
    }

    /** Tests only: see {@link FaultInjection}. */
    public void faults(FaultInjection faults) {
        this.faults = faults;
    }

    @Override
    public IngestResult accept(Flow flow, InputStream payload, InboundMetadata metadata) throws IOException {
        return accept(flow, payload, metadata, false);
    }

    /** As {@link #accept}, but a broker that cannot take the message now means UNAVAILABLE (HTTP 503). */
    public IngestResult acceptOverHttp(Flow flow, InputStream payload, InboundMetadata metadata) throws IOException {
        return accept(flow, payload, metadata, true);
    }

    private IngestResult accept(Flow flow, InputStream payload, InboundMetadata meta, boolean refuseIfBrokerDown)
            throws IOException {
        long free = store.usableBytes();
        if (free >= 0 && free < minFreeBytes) {
            return new IngestResult(Outcome.NO_SPACE, null, meta.correlationId(), "the hub's disk is nearly full ("
                    + free / (1024 * 1024) + " MB free, at least " + minFreeBytes / (1024 * 1024)
                    + " MB needed): nothing was kept; send it again later", null, 60);
        }
        String id = Ids.newExchangeId();
        PayloadStore.Received r = store.receive(id, payload, flow.maxPayloadBytes());
        if (r.tooLarge()) {
            String reason = "payload larger than the " + flow.maxPayloadBytes() + " bytes accepted by flow "
                    + flow.key() + "; not kept";
            journal.insert(entry(flow, id, meta, r.size(), null, null, false),
                    List.of(received(meta), new Step(ExchangeState.QUARANTINED, reason, ACTOR_HUB)));
            return new IngestResult(Outcome.TOO_LARGE, id, meta.correlationId(), reason, null);
        }
        // A duplicate is recognised when its keys are recorded, in the accept transaction (a pre-check would cost
        // every message a query to spare the rare duplicate its validation).
        List<String> keys = DuplicateKeys.keysOf(flow, meta.partnerMessageId(), r.sha256());
        if (flow.validator() != null) {
            try (InputStream in = store.openReceived(r)) {
                flow.validator().validate(in);
            } catch (ValidationException e) {
                String reason = "rejected by flow " + flow.key() + ": " + e.describe();
                journal.insert(entry(flow, id, meta, r.size(), r.sha256(), null, true),
                        List.of(received(meta), new Step(ExchangeState.QUARANTINED, reason, ACTOR_HUB)),
                        r.inlineSealed());
                return new IngestResult(Outcome.INVALID, id, meta.correlationId(), Redaction.redact(reason), null);
            }
        }
        String key = orderingKey(flow, meta, r);
        List<Step> steps = new ArrayList<>(3);
        steps.add(received(meta));
        if (flow.validator() != null) {
            steps.add(new Step(ExchangeState.VALIDATED, null, ACTOR_HUB));
        }
        steps.add(new Step(ExchangeState.QUEUED, null, ACTOR_HUB));
        try {
            // committed with the accepts of other threads (one commit for many), returns once it is durable
            accepts.run(() -> {
                Optional<String> raced = duplicates.record(keys, id);
                if (raced.isPresent()) {
                    throw new Raced(raced.get());
                }
                journal.insert(entry(flow, id, meta, r.size(), r.sha256(), key, true), steps, r.inlineSealed());
            });
        } catch (Raced raced) {
            return duplicate(flow, id, meta, r, raced.first);
        }
        // Journaled QUEUED: from here the exchange reaches its queue even if the hub dies now (sent again at start).
        faults.at(FaultInjection.Point.AFTER_JOURNAL, flow);
        Dispatcher.Dispatch d = dispatcher.firstSend(id, flow.queue(), key);
        if (dispatcher.sendNow(d) && !faults.at(FaultInjection.Point.SEND_TIMES_OUT_ONCE, flow)) {
            faults.at(FaultInjection.Point.AFTER_SEND, flow);
            return new IngestResult(Outcome.QUEUED, id, meta.correlationId(), null, null);
        }
        if (!refuseIfBrokerDown) {
            dispatcher.retryLater(d);
            return new IngestResult(Outcome.QUEUED, id, meta.correlationId(), null, null);
        }
        // The sender is told to come back: withdraw everything that would make its retry a duplicate. A send that
        // failed (a timeout) may still have left the message with the broker: it is withdrawn, with the deliveries
        // kept off it, only if no consumer has touched it (a copy delivered later finds it REFUSED and drops it);
        // otherwise the broker had it after all and the answer is "accepted".
        String reason = "not accepted: the broker could not take the message ("
                + java.util.Objects.requireNonNullElse(dispatcher.lastProblem(), "no confirmation")
                + "); the sender was answered 503 and its retry is a new exchange";
        boolean withdrawn = deliveries.withoutDelivery(id, () -> journal.transaction(() -> {
            if (!untouched(id, flow, key)) {
                return false;
            }
            duplicates.forget(keys, id);
            journal.transition(new Journal.Ref(id, flow.partner(), flow.name(), flow.direction()), ExchangeState.REFUSED,
                    reason, ACTOR_HUB);
            journal.payloadPurged(id);
            return true;
        }));
        if (!withdrawn) {
            return new IngestResult(Outcome.QUEUED, id, meta.correlationId(), null, null);
        }
        store.delete(id);
        return new IngestResult(Outcome.UNAVAILABLE, id, meta.correlationId(),
                "the hub cannot queue messages right now; send it again later", null, RETRY_AFTER_SECONDS);
    }

    /**
     * True while no consumer has acted on the exchange: still QUEUED, never attempted, no send scheduled (a deferred
     * or released delivery) and not its ordering key's holder. (With the deliveries kept off it: none is under way.)
     */
    private boolean untouched(String id, Flow flow, String orderingKey) {
        Optional<ExchangeRecord> r = journal.record(id);
        return r.isPresent() && r.get().state() == ExchangeState.QUEUED && r.get().attempts() == 0
                && !dispatcher.scheduled(id)
                && (orderingKey == null || !holds.holder(flow.key(), orderingKey).filter(id::equals).isPresent());
    }

    @Override
    public IngestResult refuse(Flow flow, Path received, InboundMetadata meta, String reason) throws IOException {
        String id = Ids.newExchangeId();
        journal.insert(entry(flow, id, meta, Files.size(received), Digests.sha256Hex(received), null, false),
                List.of(received(meta), new Step(ExchangeState.QUARANTINED, reason, ACTOR_HUB)));
        return new IngestResult(Outcome.INVALID, id, meta.correlationId(), Redaction.redact(reason), null);
    }

    /**
     * Replays a QUARANTINED exchange from its stored payload (validated again with the connector's current
     * settings, then queued with its ordering key), or retries a FAILED one now.
     */
    public ExchangeRecord replay(String id, String actor) throws IOException {
        ExchangeRecord rec = journal.record(id).orElseThrow(() -> new IllegalArgumentException("no exchange " + id));
        Journal.Ref ref = Journal.Ref.of(rec);
        if (!rec.state().isReplayable()) {
            throw new IllegalStateException("exchange " + id + " is " + rec.state()
                    + "; only QUARANTINED or FAILED exchanges can be replayed");
        }
        if (rec.state() == ExchangeState.FAILED) {
            journal.transaction(() -> {
                if (!dispatcher.hurry(id)) {
                    throw new IllegalStateException("exchange " + id + " is being retried right now");
                }
                journal.transition(ref, ExchangeState.REPLAYED, "retry now requested", actor);
            });
            return journal.find(id).orElseThrow();
        }
        if (!rec.hasPayload() || !store.exists(id)) {
            throw new IllegalStateException("exchange " + id + " has no stored payload to replay");
        }
        Flow flow = flows.apply(rec.partner(), rec.flow()).orElseThrow(() -> new IllegalStateException(
                "no installed connector handles flow " + rec.partner() + "/" + rec.flow() + "; install it first"));
        journal.transition(ref, ExchangeState.REPLAYED, "replay requested", actor);
        if (flow.validator() != null) {
            try (InputStream in = store.open(id)) {
                flow.validator().validate(in);
            } catch (ValidationException e) {
                journal.transition(ref, ExchangeState.QUARANTINED, "rejected by flow " + flow.key() + ": " + e.describe(),
                        ACTOR_HUB);
                return journal.find(id).orElseThrow();
            }
        }
        Dispatcher.Dispatch d = journal.transaction(() -> {
            journal.resetAttempts(id);
            if (flow.validator() != null) {
                journal.transition(ref, ExchangeState.VALIDATED, null, ACTOR_HUB);
            }
            journal.transition(ref, ExchangeState.QUEUED, null, ACTOR_HUB);
            return dispatcher.schedule(id, flow.queue(), rec.orderingKey(), 1, java.time.Instant.EPOCH);
        });
        dispatcher.sendNow(d); // if the broker refuses, the dispatcher sends it later
        return journal.find(id).orElseThrow();
    }

    private IngestResult duplicate(Flow flow, String id, InboundMetadata meta, PayloadStore.Received r, String first)
            throws IOException {
        String reason = "duplicate of exchange " + first;
        store.discard(r); // a copy of what the hub already holds is not kept
        journal.insert(entry(flow, id, meta, r.size(), r.sha256(), null, false),
                List.of(received(meta), new Step(ExchangeState.DUPLICATE, reason, ACTOR_HUB)));
        return new IngestResult(Outcome.DUPLICATE, id, meta.correlationId(), reason, first);
    }

    private String orderingKey(Flow flow, InboundMetadata meta, PayloadStore.Received r) throws IOException {
        String key = flow.orderingKey().of(meta, new OrderingKey.Payload() {
            @Override
            public InputStream open() throws IOException {
                return store.openReceived(r);
            }

            @Override
            public long size() {
                return r.size();
            }
        });
        if (key == null || key.isEmpty()) {
            return null;
        }
        return key.length() > OrderingKey.MAX_LENGTH ? key.substring(0, OrderingKey.MAX_LENGTH) : key;
    }

    private static NewExchange entry(Flow flow, String id, InboundMetadata meta, long size, String sha256,
            String orderingKey, boolean hasPayload) {
        return new NewExchange(id, meta.correlationId(), flow.partner(), flow.name(), flow.direction(), meta.sender(),
                meta.contentType(), size, sha256, meta.partnerMessageId(), orderingKey, flow.queue(), hasPayload);
    }

    private static Step received(InboundMetadata meta) {
        return new Step(ExchangeState.RECEIVED, null, meta.sender());
    }

    /** Another message took one of the keys between the check and the transaction. */
    private static final class Raced extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String first;

        Raced(String first) {
            super(null, null, false, false);
            this.first = first;
        }
    }
}
