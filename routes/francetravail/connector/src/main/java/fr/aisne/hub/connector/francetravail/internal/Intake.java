package fr.aisne.hub.connector.francetravail.internal;

import java.io.IOException;

import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.IngestResult;

/** How the connector's own pollers hand work to the core (the Hub service; a fake in tests). */
interface Intake {

    /** Journals, checks duplicates (partner message id, then digest), validates and queues a JSON payload. */
    IngestResult accept(Flow flow, String json, String partnerMessageId, String sender) throws IOException;

    /**
     * Queues again an exchange the broker did not take (FAILED, "not queued"). True when it is queued again or
     * no longer waits (someone replayed it meanwhile); false when the broker still refuses it.
     */
    boolean requeue(String exchangeId);
}
