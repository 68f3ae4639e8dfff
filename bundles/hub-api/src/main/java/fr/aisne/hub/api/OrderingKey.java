package fr.aisne.hub.api;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The key that orders a flow's deliveries (a person, a household, a file, a convention): computed once, when
 * the message is accepted, and journaled with it. Null means "no order": the message may overtake others.
 */
@FunctionalInterface
public interface OrderingKey {
    /** Longest key kept; a longer one is cut (keys only group messages, they are never shown to a partner). */
    int MAX_LENGTH = 120;

    /** No ordering: messages are delivered in parallel up to the flow's concurrency. */
    OrderingKey NONE = (meta, payload) -> null;

    /** The key the intake was given: {@link InboundMetadata#orderingKey()} (HTTP header {@code X-Ordering-Key}). */
    OrderingKey FROM_METADATA = (meta, payload) -> meta.orderingKey();

    /**
     * @param payload the stored payload, to read the key from (small payloads only: read at most what is needed)
     * @return the key, or null for none
     */
    String of(InboundMetadata metadata, Payload payload) throws IOException;

    /** The stored payload of a message being accepted. */
    interface Payload {
        InputStream open() throws IOException;

        long size();
    }

    /**
     * The value of a top-level string field of a JSON payload (e.g. {@code personId}), read by streaming until
     * it is found; the metadata's key when one was given. Null when absent.
     */
    static OrderingKey jsonField(String field) {
        return (meta, payload) -> {
            if (meta.orderingKey() != null) {
                return meta.orderingKey();
            }
            try (InputStream in = payload.open(); JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals(field) && value == JsonToken.VALUE_STRING) {
                        return p.getText();
                    }
                    p.skipChildren();
                }
                return null;
            } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                return null; // the validator says what is wrong with it
            }
        };
    }
}
