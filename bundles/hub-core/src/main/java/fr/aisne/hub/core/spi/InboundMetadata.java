package fr.aisne.hub.core.spi;

import java.util.UUID;
import java.util.regex.Pattern;

/** What the transport tells about an inbound message, checked before it reaches the journal. */
public record InboundMetadata(String correlationId, String partnerMessageId, String contentType, String sender) {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public InboundMetadata {
        // Ids come from outside: keep them only if they are short, plain tokens.
        correlationId = correlationId != null && SAFE_ID.matcher(correlationId).matches()
                ? correlationId : UUID.randomUUID().toString();
        partnerMessageId = partnerMessageId != null && SAFE_ID.matcher(partnerMessageId).matches()
                ? partnerMessageId : null;
        contentType = contentType == null ? "application/octet-stream"
                : contentType.length() > 120 ? contentType.substring(0, 120) : contentType;
    }
}
