package fr.aisne.hub.core.journal;

import fr.aisne.hub.api.Direction;

/** What is known of an exchange when it enters the hub. */
public record NewExchange(String id, String correlationId, String partner, String flow, Direction direction,
        String sender, String contentType, long size, String sha256, String partnerMessageId, String orderingKey,
        String queue, boolean hasPayload) {
}
