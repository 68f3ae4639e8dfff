package fr.aisne.hub.api.operations;

import java.time.Instant;

/**
 * Filters of the journal search; null means "any". Results come newest first. {@code text} matches the
 * correlation id or the partner's message id (a CAF file is correlated by its file name).
 */
public record MessageQuery(String partner, String flow, ExchangeState state, String correlationId, String text,
        Instant from, Instant to, int limit) {

    public static final int MAX_LIMIT = 1000;

    public MessageQuery {
        if (limit <= 0) {
            limit = 100;
        }
        limit = Math.min(limit, MAX_LIMIT);
    }

    public static MessageQuery all() {
        return new MessageQuery(null, null, null, null, null, null, null, 100);
    }
}
