package fr.aisne.hub.connector.francetravail.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;

/**
 * How the connector's pollers (the event feed, the nightly batch) hand JSON work to the hub: the hub's intake,
 * with the partner message id as the duplicate key. Once the hub has taken a message it reaches its queue
 * whatever the broker does: nothing here handles a broker refusal.
 */
interface FtIntake {

    IngestResult accept(Flow flow, String json, String partnerMessageId, String sender) throws IOException;

    static FtIntake of(Intake intake) {
        return (flow, json, partnerMessageId, sender) -> intake.accept(flow,
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(partnerMessageId, partnerMessageId, "application/json", sender));
    }
}
