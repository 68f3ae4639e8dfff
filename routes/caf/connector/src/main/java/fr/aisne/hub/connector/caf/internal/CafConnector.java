package fr.aisne.hub.connector.caf.internal;

import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.Hub;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HealthStatus;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.InboundMetadata;
import fr.aisne.hub.core.spi.IngestResult;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.spi.Settings;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The CAF connector: files dropped into the inbox enter the hub's standard path (journal with digest,
 * duplicate check, durable queue), then {@link CafImport} validates and imports them into the registry.
 * With {@code sftp.enabled=true}, {@link CafSftpPickup} (route {@code caf.sftp}) fetches the CAF's files
 * from its SFTP server into the same inbox; OpenPGP files are decrypted and verified by
 * {@link CafPgpIntake} before the hub sees them. Settings: etc/hub.connector.caf.cfg.
 */
@Component(service = HubConnector.class, configurationPid = "hub.connector.caf",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class CafConnector implements HubConnector {
    private static final Logger LOG = LoggerFactory.getLogger(CafConnector.class);
    static final String IMPORT = "direct:caf.import";

    @Reference
    private Hub hub;

    @Reference
    private PersonRegistry registry;

    private Flow flow;
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
        importer = new CafImport(new CafFluxReader(CafFluxReader.loadSchema(), accepted), registry, quarantine);
        // OpenPGP and SFTP (key files under etc/, working files under data/staging.directory)
        Path etc = Paths.get(System.getProperty("karaf.etc", "etc"));
        Path staging = data.resolve(Settings.string(config, "staging.directory", "staging/caf"));
        intake = new CafPgpIntake(CafPgp.fromSettings(config, etc),
                Settings.bool(config, "pgp.requireEncryption", false), staging.resolve("pgp"), quarantine,
                // a refused file never reaches the journal: counted here, so operators see it in the metrics
                () -> hub.metrics().countState(flow.partner(), flow.name(), flow.direction(),
                        ExchangeState.QUARANTINED));
        sftp = Settings.bool(config, "sftp.enabled", false)
                ? new CafSftpPickup(CafSftpPickup.Config.from(config, etc, data, inbox)) : null;
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
        return List.of(flow);
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
            }
        });
    }

    @Override
    public HealthStatus health() {
        String detail = importer.progress() + "; " + intake.describe() + (sftp == null ? "" : "; " + sftp.describe());
        return sftp == null || sftp.healthy() ? HealthStatus.up(id(), detail) : HealthStatus.down(id(), detail);
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
