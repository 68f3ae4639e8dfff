package fr.aisne.hub.api.operations;

import java.time.Instant;
import java.util.List;

import fr.aisne.hub.api.Direction;

/** One exchange as journaled: who sent what to whom, when, under which correlation id, with its digest. */
public record ExchangeRecord(
        String id,
        String correlationId,
        String partner,
        String flow,
        Direction direction,
        String sender,
        String contentType,
        long size,
        String sha256,
        String partnerMessageId,
        String orderingKey,
        String queue,
        ExchangeState state,
        int attempts,
        String lastReason,
        boolean hasPayload,
        Instant createdAt,
        Instant updatedAt,
        List<StateChange> history) {

    public ExchangeRecord withHistory(List<StateChange> changes) {
        return new ExchangeRecord(id, correlationId, partner, flow, direction, sender, contentType, size, sha256,
                partnerMessageId, orderingKey, queue, state, attempts, lastReason, hasPayload, createdAt, updatedAt,
                changes);
    }
}
