package fr.aisne.hub.core.journal;

import java.time.Instant;

import fr.aisne.hub.core.ExchangeState;

/** Filters of the journal search; null means "any". Results come newest first. */
public record MessageQuery(String partner, ExchangeState state, String correlationId, Instant from, Instant to,
        int limit) {

    public static final int MAX_LIMIT = 1000;

    public MessageQuery {
        if (limit <= 0) {
            limit = 100;
        }
        limit = Math.min(limit, MAX_LIMIT);
    }

    public static MessageQuery all() {
        return new MessageQuery(null, null, null, null, null, 100);
    }
}
