package fr.aisne.hub.connector.caf.internal;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;

import fr.aisne.hub.connector.caf.CafFluxImporter;
import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.connector.caf.CafHouseholdStates;
import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HealthStatus;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.spi.Settings;
import fr.aisne.hub.core.util.Json;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The CAF connector: files dropped into the inbox enter the hub's standard path (journal with digest,
 * duplicate check, durable queue), then {@link CafImport} validates and imports them into the registry.
 * What changed for the department (new households subject to rights and duties, state changes, new persons)
 * leaves as journaled batches on the flow departement/evenements-rsa, delivered into the department's event
 * feed.
 * With {@code sftp.enabled=true}, {@link CafSftpPickup} (route {@code caf.sftp}) fetches the CAF's files
 * from its SFTP server into the same inbox; OpenPGP files are decrypted and verified by
 * {@link CafPgpIntake} before the hub sees them. Settings: etc/hub.connector.caf.cfg.
 */
@Component(service = HubConnector.class, configurationPid = "hub.connector.caf",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class CafConnector implements HubConnector {
    private static final Logger LOG = LoggerFactory.getLogger(CafConnector.class);
    static final String IMPORT = "direct:caf.import";
    static final String EVENTS = "direct:caf.events";
    private static final TypeReference<List<DepartmentEvent>> EVENT_LIST = new TypeReference<>() { };

    @Reference
    private Hub hub;

    @Reference
    private PersonRegistry registry;

    @Reference
    private DepartmentEvents departmentEvents;

    @Reference(target = "(hub.datasource=main)")
    private DataSource dataSource;

    private Flow flow;
    private Flow eventsFlow;
    private Path inbox;
    private int stableSeconds;
    private CafImport importer;
    private CafPgpIntake intake;
    private CafSftpPickup sftp;

    @Activate
    void activate(Map<String, Object> config) {
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        inbox = data.resolve(Settings.string(config, "inbox.directory", "inbox/caf"));
        Path quarantine = data.resolve(Settings.string(config, "quarantine.directory", "quarantine/caf"));
        stableSeconds = Settings.intValue(config, "inbox.stableSeconds", 2);
        Set<String> accepted = Set.of(Settings.string(config, "accepted.applications", "CRI").split("\\s*,\\s*"));
        // OpenPGP and SFTP (key files under etc/, working files under data/staging.directory)
        Path etc = Paths.get(System.getProperty("karaf.etc", "etc"));
        Path staging = data.resolve(Settings.string(config, "staging.directory", "staging/caf"));
        intake = new CafPgpIntake(CafPgp.fromSettings(config, etc),
                Settings.bool(config, "pgp.requireEncryption", false), staging.resolve("pgp"), quarantine,
                // journaled without its content (which the hub cannot read), QUARANTINED with the reason
                (file, name, reason) -> {
                    try {
                        IngestResult r = hub.refuse(flow, file, new InboundMetadata(name, null, CafPgp.isOpenPgp(file)
                                ? "application/pgp-encrypted" : "application/xml", "caf-inbox"), "refused before import: "
                                + reason);
                        LOG.info("CAF file {} journaled as refused (exchange {})", name, r.exchangeId());
                    } catch (IOException | RuntimeException e) {
                        // not journaled: still counted, so the metrics show it
                        hub.metrics().countState(flow.partner(), flow.name(), flow.direction(), ExchangeState.QUARANTINED);
                        throw e;
                    }
                });
        sftp = Settings.bool(config, "sftp.enabled", false)
                ? new CafSftpPickup(CafSftpPickup.Config.from(config, etc, data, inbox)) : null;
        // settings checked first: a refused setting must not touch the database
        eventsFlow = Flow.outbound("departement", "evenements-rsa")
                .retry(RetryPolicy.fromSettings(config))
                .deliverTo(EVENTS);
        CafFluxImporter fluxImporter;
        try {
            fluxImporter = new CafFluxImporter(new CafFluxReader(CafFluxReader.loadSchema(), accepted),
                    registry, new CafHouseholdStates(dataSource), this::publishEvents,
                    data.resolve(Settings.string(config, "import.spoolDirectory", "spool/caf")),
                    Boolean.parseBoolean(Settings.string(config, "import.skipUnchanged", "true")),
                    Settings.intValue(config, "import.batchHouseholds", 500));
        } catch (IOException e) {
            throw new UncheckedIOException("CAF spool directory unusable: " + e.getMessage(), e);
        }
        importer = new CafImport(fluxImporter, quarantine);
        flow = Flow.inbound("caf", "flux-rsa")
                .maxPayloadBytes(Settings.longValue(config, "maxPayloadBytes", 8L << 30))
                .retry(RetryPolicy.fromSettings(config))
                .deliverTo(IMPORT);
    }

    @Deactivate
    void deactivate() {
        if (sftp != null) {
            sftp.close();
        }
    }

    @Override
    public String id() {
        return "caf";
    }

    @Override
    public List<Flow> flows() {
        return List.of(flow, eventsFlow);
    }

    @Override
    public List<RoutesBuilder> extraRoutes() {
        return List.of(new RouteBuilder() {
            @Override
            public void configure() {
                // Taken once: journaled with its digest before the file is moved to .done/; a file seen
                // again (hub killed between the two) is recorded as a duplicate, not imported twice.
                fromF("file:%s?readLock=changed&readLockMinAge=%d&readLockCheckInterval=500&move=.done"
                        + "&moveFailed=.failed&include=.*\\.(xml|XML|pgp|PGP|gpg|GPG|asc|ASC)&delay=1000", inbox,
                        stableSeconds * 1000L)
                        .routeId("caf.inbox")
                        .process(e -> {
                            String name = e.getMessage().getHeader("CamelFileNameOnly", String.class);
                            Path file = Paths.get(e.getMessage().getHeader("CamelFileAbsolutePath", String.class));
                            // OpenPGP files are decrypted and verified first; a refused one is quarantined here
                            intake.take(file, name, (InputStream in, String plainName) -> {
                                IngestResult r = hub.accept(flow, in, new InboundMetadata(plainName, null,
                                        "application/xml", "caf-inbox"));
                                LOG.info("CAF file {} taken: {} (exchange {})", plainName, r.outcome(), r.exchangeId());
                            });
                        });
                if (sftp != null) {
                    // one poll at a time (the timer waits for the previous one); errors end up in health()
                    fromF("timer:caf.sftp?delay=%d&period=%d", 2000L, sftp.config().pollSeconds() * 1000L)
                            .routeId("caf.sftp").process(e -> sftp.poll());
                }
                from(IMPORT).routeId("caf.import").errorHandler(noErrorHandler()).process(importer);
                // a batch delivered twice (redelivery after a crash) is recorded once: publish is idempotent
                from(EVENTS).routeId("caf.events").errorHandler(noErrorHandler()).process(e -> {
                    String batch = e.getMessage().getHeader(fr.aisne.hub.core.spi.DeliveryHeaders.EXCHANGE_ID, String.class);
                    List<DepartmentEvent> events = Json.MAPPER.readValue(e.getMessage().getBody(File.class), EVENT_LIST);
                    int added = departmentEvents.publish(batch, events);
                    e.getMessage().setHeader(fr.aisne.hub.core.spi.DeliveryHeaders.DETAIL,
                            added + " events in the department feed" + (added == 0 ? " (already there)" : ""));
                });
            }
        });
    }

    @Override
    public HealthStatus health() {
        String detail = importer.status() + "; " + intake.describe() + (sftp == null ? "" : "; " + sftp.describe());
        return sftp == null || sftp.healthy() ? HealthStatus.up(id(), detail) : HealthStatus.down(id(), detail);
    }

    /** A batch of department events becomes a journaled exchange (its key detects a replayed batch). */
    private void publishEvents(String batchKey, List<DepartmentEvent> events) throws Exception {
        IngestResult r = hub.accept(eventsFlow, new ByteArrayInputStream(Json.write(events).getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(batchKey.substring(0, batchKey.indexOf(':')), batchKey, "application/json", "caf-import"));
        if (r.outcome() != IngestResult.Outcome.QUEUED && r.outcome() != IngestResult.Outcome.DUPLICATE) {
            throw new IllegalStateException("department events not queued: " + r.outcome() + " " + r.reason());
        }
    }

    @Override
    public Map<String, String> describeSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("inbox", inbox.toString());
        m.put("flow", flow.key());
        m.put("retry", flow.retry().toString());
        if (sftp != null) {
            m.put("sftp", sftp.config().target() + " every " + sftp.config().pollSeconds() + " s, host key "
                    + String.join(",", sftp.config().hostKeyFingerprints())
                    + (sftp.config().knownHosts() == null ? "" : " / known_hosts " + sftp.config().knownHosts()));
        }
        m.put("pgp", intake.describe());
        return m;
    }
}
