package fr.aisne.hub.core;

import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;

import fr.aisne.hub.core.journal.ExchangeRecord;
import fr.aisne.hub.core.journal.Journal;
import fr.aisne.hub.core.metrics.HubMetrics;
import fr.aisne.hub.core.security.BasicAuthenticator;
import fr.aisne.hub.core.spi.HealthStatus;

/**
 * The hub's core as seen by the operations API and the shell: one OSGi service registered by hub-core.
 */
public interface Hub {

    CamelContext camelContext();

    Journal journal();

    HubMetrics metrics();

    BasicAuthenticator authenticator();

    /** Host and port of the hub's HTTP listener (operations API and HTTP inbound endpoints). */
    String httpHost();

    int httpPort();

    /** Installed connectors, with the state of their routes. */
    List<ConnectorInfo> connectors();

    /** Broker and database health, one entry each. */
    List<HealthStatus> platformHealth();

    /** Messages waiting in each hub queue of the broker (empty when the broker cannot be read). */
    java.util.Map<String, Long> queueDepths();

    /**
     * Replays a QUARANTINED or FAILED exchange: journals REPLAYED, validates again with the connector's
     * current settings and queues it for delivery.
     *
     * @throws IllegalStateException with an operator-readable reason when it cannot be replayed
     */
    ExchangeRecord replay(String exchangeId, String actor);

    Optional<ExchangeRecord> find(String exchangeId);

    /**
     * Receives a message of one of an installed connector's flows: the entry point of every inbound
     * transport a connector runs itself (SFTP poll, watched folder...). Journals, checks duplicates,
     * validates and queues, exactly as the HTTP inbound endpoints do.
     */
    fr.aisne.hub.core.spi.IngestResult accept(fr.aisne.hub.core.spi.Flow flow, java.io.InputStream payload,
            fr.aisne.hub.core.spi.InboundMetadata metadata) throws java.io.IOException;

    /**
     * Records a message a connector refused before the hub could read its content (an OpenPGP file that does
     * not decrypt or whose signature is not the partner's): journaled with the received file's size and
     * digest, without its payload, and QUARANTINED with the reason (so counted in the metrics). The connector
     * keeps the file in its quarantine folder; it is not replayable from the journal.
     */
    fr.aisne.hub.core.spi.IngestResult refuse(fr.aisne.hub.core.spi.Flow flow, java.nio.file.Path received,
            fr.aisne.hub.core.spi.InboundMetadata metadata, String reason) throws java.io.IOException;

    /**
     * Deletes the stored payload of an exchange (retention): the journal record and its history stay,
     * with their digests, and the exchange can no longer be replayed.
     */
    void purgePayload(String exchangeId);

    /** The stored payload of an exchange; callers must restrict it to the admin role. */
    Optional<byte[]> payload(String exchangeId);

    /** One installed connector. */
    record ConnectorInfo(String id, List<String> flows, List<String> routes, boolean started, HealthStatus health,
            java.util.Map<String, String> settings) {
    }
}
