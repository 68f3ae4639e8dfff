package fr.aisne.hub.api.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import fr.aisne.hub.api.Delivery;

/** A message as the hub hands it to a delivery handler, for a connector's unit tests. */
public record TestDelivery(String exchangeId, String correlationId, String partner, String flow, String contentType,
        String partnerMessageId, String orderingKey, String sender, int attempt, byte[] payload) implements Delivery {

    /** A JSON message of {@code partner/flow}, first attempt. */
    public static TestDelivery json(String partner, String flow, String exchangeId, String json) {
        return new TestDelivery(exchangeId, exchangeId, partner, flow, "application/json", null, null, "test", 1,
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long size() {
        return payload.length;
    }

    @Override
    public InputStream openPayload() {
        return new ByteArrayInputStream(payload);
    }
}
