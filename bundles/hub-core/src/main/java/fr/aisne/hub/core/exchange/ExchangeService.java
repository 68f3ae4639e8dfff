package fr.aisne.hub.core.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.idempotency.JdbcIdempotentRepository;
import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.journal.NewExchange;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import fr.aisne.hub.core.spi.ValidationException;
import fr.aisne.hub.core.store.PayloadStore;
import fr.aisne.hub.core.util.Redaction;

/**
 * The path of a message through the core, in one place: receive (store, digest, journal), duplicate
 * check, validate, queue; then, on the delivery side, load, mark delivered, count failed attempts,
 * quarantine; and replay. Transports (HTTP, files, SFTP) and connectors only call these methods.
 */
public class ExchangeService {
    /** Message headers carried through the broker (Camel* headers are not). */
    public static final String HEADER_EXCHANGE_ID = "HubExchangeId";
    public static final String HEADER_CORRELATION_ID = "HubCorrelationId";
    public static final String ACTOR_HUB = "hub";
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeService.class);

    private final Journal journal;
    private final PayloadStore store;
    private final JdbcIdempotentRepository idempotency;
    private final ProducerTemplate producer;
    private final String queueComponent;
    private final BiFunction<String, String, Optional<Flow>> flows;

    public ExchangeService(Journal journal, PayloadStore store, JdbcIdempotentRepository idempotency,
            ProducerTemplate producer, String queueComponent, BiFunction<String, String, Optional<Flow>> flows) {
        this.journal = journal;
        this.store = store;
        this.idempotency = idempotency;
        this.producer = producer;
        this.queueComponent = queueComponent;
        this.flows = flows;
    }

    /** Receives a message of a flow: the one entry point of every inbound transport. */
    public IngestResult accept(Flow flow, InputStream payload, InboundMetadata meta) throws IOException {
        String id = UUID.randomUUID().toString();
        PayloadStore.Stored stored = store.store(id, payload, flow.maxPayloadBytes());
        journal.received(new NewExchange(id, meta.correlationId(), flow.partner(), flow.name(), flow.direction(),
                meta.sender(), meta.contentType(), stored.size(), stored.sha256(), meta.partnerMessageId(),
                flow.queue(), !stored.tooLarge()));
        if (stored.tooLarge()) {
            String reason = "payload larger than the " + flow.maxPayloadBytes() + " bytes accepted by flow "
                    + flow.key() + "; not kept";
            journal.transition(id, ExchangeState.QUARANTINED, reason, ACTOR_HUB);
            return new IngestResult(IngestResult.Outcome.TOO_LARGE, id, meta.correlationId(), reason, null);
        }
        Optional<String> duplicateOf = firstReceiptOf(flow, meta, stored.sha256(), id);
        if (duplicateOf.isPresent()) {
            String reason = "duplicate of exchange " + duplicateOf.get();
            journal.transition(id, ExchangeState.DUPLICATE, reason, ACTOR_HUB);
            return new IngestResult(IngestResult.Outcome.DUPLICATE, id, meta.correlationId(), reason,
                    duplicateOf.get());
        }
        return validateAndQueue(flow, id, meta.correlationId(), meta.partnerMessageId(), stored.sha256());
    }

    /** See {@link fr.aisne.hub.core.Hub#refuse}: journaled without payload, then QUARANTINED with the reason. */
    public IngestResult refuse(Flow flow, java.nio.file.Path received, InboundMetadata meta, String reason)
            throws IOException {
        String id = UUID.randomUUID().toString();
        long size = java.nio.file.Files.size(received);
        journal.received(new NewExchange(id, meta.correlationId(), flow.partner(), flow.name(), flow.direction(),
                meta.sender(), meta.contentType(), size, fr.aisne.hub.core.util.Digests.sha256Hex(received),
                meta.partnerMessageId(), flow.queue(), false));
        journal.transition(id, ExchangeState.QUARANTINED, reason, ACTOR_HUB);
        return new IngestResult(IngestResult.Outcome.INVALID, id, meta.correlationId(), Redaction.redact(reason), null);
    }

    private Optional<String> firstReceiptOf(Flow flow, InboundMetadata meta, String sha256, String id) {
        if (meta.partnerMessageId() != null) {
            Optional<String> first = idempotency.addFor(messageIdKey(flow, meta.partnerMessageId()), id);
            if (first.isPresent()) {
                return first;
            }
        }
        return idempotency.addFor(digestKey(flow, sha256), id);
    }

    private IngestResult validateAndQueue(Flow flow, String id, String correlationId, String partnerMessageId,
            String sha256) throws IOException {
        try (InputStream in = store.open(id)) {
            flow.validator().validate(in);
        } catch (ValidationException e) {
            String reason = "rejected by flow " + flow.key() + ": " + e.describe();
            journal.transition(id, ExchangeState.QUARANTINED, reason, ACTOR_HUB);
            // A corrected message may be sent again under the same id: forget this one's keys.
            if (partnerMessageId != null) {
                idempotency.remove(messageIdKey(flow, partnerMessageId));
            }
            idempotency.remove(digestKey(flow, sha256));
            return new IngestResult(IngestResult.Outcome.INVALID, id, correlationId, Redaction.redact(reason), null);
        }
        journal.transition(id, ExchangeState.VALIDATED, null, ACTOR_HUB);
        return queue(flow.queue(), id, correlationId);
    }

    private IngestResult queue(String queue, String id, String correlationId) {
        // QUEUED is journaled before the send so that a fast delivery never precedes it in the history.
        journal.transition(id, ExchangeState.QUEUED, null, ACTOR_HUB);
        try {
            producer.sendBodyAndHeaders(queueComponent + ":queue:" + queue, id,
                    Map.of(HEADER_EXCHANGE_ID, id, HEADER_CORRELATION_ID, correlationId));
            return new IngestResult(IngestResult.Outcome.QUEUED, id, correlationId, null, null);
        } catch (RuntimeException e) {
            String reason = "not queued, broker unavailable: " + Redaction.describe(e);
            LOG.error("Exchange {} could not be queued on {}: {}", id, queue, reason);
            journal.transition(id, ExchangeState.FAILED, reason, ACTOR_HUB);
            return new IngestResult(IngestResult.Outcome.NOT_QUEUED, id, correlationId, reason, null);
        }
    }

    /** The payload to deliver, or empty when the exchange was already delivered (broker redelivery after a kill). */
    public Optional<Delivery> prepareDelivery(String id) throws IOException {
        Optional<ExchangeRecord> rec = journal.find(id);
        if (rec.isEmpty()) {
            LOG.error("Queued exchange {} is not in the journal; dropped", id);
            return Optional.empty();
        }
        ExchangeState state = rec.get().state();
        if (state == ExchangeState.DELIVERED || state == ExchangeState.DUPLICATE) {
            LOG.info("Exchange {} already {}; broker redelivery ignored", id, state);
            return Optional.empty();
        }
        return Optional.of(new Delivery(rec.get(), store.file(id)));
    }

    /**
     * An exchange ready to be delivered. The payload is handed over as its file in the store, so a large
     * file is streamed, and a retry reads it again from the start.
     */
    public record Delivery(ExchangeRecord record, java.io.File payload) {
    }

    public void delivered(String id, String detail) {
        journal.transition(id, ExchangeState.DELIVERED, detail, ACTOR_HUB);
    }

    public void failedAttempt(String id, int attempt, Throwable cause, long nextDelayMs) {
        journal.transition(id, ExchangeState.FAILED, "attempt " + attempt + " failed: " + Redaction.describe(cause)
                + (nextDelayMs >= 0 ? "; next attempt in " + nextDelayMs + " ms" : ""), ACTOR_HUB);
    }

    public void quarantine(String id, String reason) {
        journal.transition(id, ExchangeState.QUARANTINED, reason, ACTOR_HUB);
    }

    /**
     * Replays a QUARANTINED or FAILED exchange from its stored payload, through validation (with the
     * connector's current settings) and the queue.
     */
    public ExchangeRecord replay(String id, String actor) throws IOException {
        ExchangeRecord rec = journal.find(id).orElseThrow(() -> new IllegalArgumentException("no exchange " + id));
        if (!rec.state().isReplayable()) {
            throw new IllegalStateException("exchange " + id + " is " + rec.state()
                    + "; only QUARANTINED or FAILED exchanges can be replayed");
        }
        if (!rec.hasPayload() || !store.exists(id)) {
            throw new IllegalStateException("exchange " + id + " has no stored payload to replay");
        }
        Flow flow = flows.apply(rec.partner(), rec.flow()).orElseThrow(() -> new IllegalStateException(
                "no installed connector handles flow " + rec.partner() + "/" + rec.flow() + "; install it first"));
        journal.transition(id, ExchangeState.REPLAYED, "replay requested", actor);
        validateAndQueue(flow, id, rec.correlationId(), null, rec.sha256());
        return journal.find(id).orElseThrow();
    }

    private static String messageIdKey(Flow flow, String partnerMessageId) {
        return flow.key() + ":id:" + partnerMessageId;
    }

    private static String digestKey(Flow flow, String sha256) {
        return flow.key() + ":sha256:" + sha256;
    }
}
