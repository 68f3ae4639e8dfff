package fr.aisne.hub.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where a connector's own inbound transports (SFTP poll, watched folder, partner API poller, webhook follow-up)
 * hand what they receive to the hub, exactly as the HTTP inbound endpoints do.
 */
public interface Intake {

    /**
     * Stores the payload (encrypted at rest), checks duplicates, validates, journals the message in one
     * transaction and queues it. Once QUEUED is returned the message reaches its queue even if the broker is
     * away or the hub is killed now (journaled QUEUED, it is sent when the broker is back or at the hub's next
     * start). A connector never handles a broker refusal itself.
     */
    IngestResult accept(Flow flow, InputStream payload, InboundMetadata metadata) throws IOException;

    /**
     * Records a message the connector refused before the hub could read it (an OpenPGP file that does not
     * decrypt or whose signature is not the partner's): journaled with the received file's size and digest,
     * without its payload, and QUARANTINED with the reason (so counted). Not replayable from the journal.
     */
    IngestResult refuse(Flow flow, Path received, InboundMetadata metadata, String reason) throws IOException;
}
