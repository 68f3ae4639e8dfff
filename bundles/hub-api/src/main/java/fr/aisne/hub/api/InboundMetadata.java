package fr.aisne.hub.api;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the transport tells about an inbound message, checked before it reaches the journal: ids are kept
 * only when they are short plain tokens (they come from outside).
 *
 * @param correlationId the exchange's correlation id (a new one when absent or unsafe)
 * @param partnerMessageId the partner's own id of the message, the key of the duplicate check when present
 * @param contentType the payload's media type
 * @param sender who handed it over (an account, a transport)
 * @param orderingKey the ordering key when the transport knows it (see {@link OrderingKey#FROM_METADATA})
 */
public record InboundMetadata(String correlationId, String partnerMessageId, String contentType, String sender,
        String orderingKey) {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._:/@-]{1," + OrderingKey.MAX_LENGTH + "}");

    public InboundMetadata {
        correlationId = correlationId != null && SAFE_ID.matcher(correlationId).matches()
                ? correlationId : UUID.randomUUID().toString();
        partnerMessageId = partnerMessageId != null && SAFE_ID.matcher(partnerMessageId).matches()
                ? partnerMessageId : null;
        contentType = contentType == null ? "application/octet-stream"
                : contentType.length() > 120 ? contentType.substring(0, 120) : contentType;
        orderingKey = orderingKey != null && SAFE_KEY.matcher(orderingKey).matches() ? orderingKey : null;
    }

    public InboundMetadata(String correlationId, String partnerMessageId, String contentType, String sender) {
        this(correlationId, partnerMessageId, contentType, sender, null);
    }

    public InboundMetadata withOrderingKey(String key) {
        return new InboundMetadata(correlationId, partnerMessageId, contentType, sender, key);
    }
}
