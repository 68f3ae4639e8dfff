package fr.aisne.hub.connector.caf.internal;

import java.io.ByteArrayInputStream;
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

import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Settings;
import fr.aisne.hub.connector.caf.CafFluxImporter;
import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.connector.caf.CafHouseholdStates;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The CAF connector: files dropped into the inbox (or fetched by {@link CafSftpPickup} from the CAF's SFTP
 * server, and opened by {@link CafPgpIntake} when they are OpenPGP) enter the hub's standard path on flow
 * caf/flux-rsa (journal with digest, duplicate check, durable queue); {@link CafImport} then validates and
 * imports them into the registry, one file at a time and in order. What changed for the department (new
 * households subject to rights and duties, state changes, new persons) leaves as journaled batches on the flow
 * departement/evenements-rsa, delivered into the department's event feed. Settings: etc/hub.connector.caf.cfg.
 */
@Component(service = Connector.class, configurationPid = "hub.connector.caf",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class CafConnector implements Connector {
    static final String FILE = "etc/hub.connector.caf.cfg";
    private static final Logger LOG = LoggerFactory.getLogger(CafConnector.class);
    private static final TypeReference<List<DepartmentEvent>> EVENT_LIST = new TypeReference<>() { };
    /** One ordering key for every CAF file: imported one at a time, in the order received, across retries. */
    static final String FILES_IN_ORDER = "caf-files";

    @Reference
    private PersonRegistry registry;

    @Reference
    private DepartmentEvents departmentEvents;

    private Map<String, Object> config;
    private volatile Flow flow;
    private volatile Path inbox;
    private volatile CafImport importer;
    private volatile CafPgpIntake intake;
    private volatile CafInbox inboxFiles;
    private volatile CafRetention retention;
    private volatile CafSftpPickup sftp;

    @Activate
    void activate(Map<String, Object> config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Override
    public void close() {
        if (sftp != null) {
            sftp.close();
        }
    }

    @Override
    public String id() {
        return "caf";
    }

    @Override
    public void configure(ConnectorContext ctx) {
        Settings s = Settings.of(config, FILE);
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        Path etc = Paths.get(System.getProperty("karaf.etc", "etc"));
        inbox = data.resolve(s.string("inbox.directory", "inbox/caf"));
        Path quarantine = data.resolve(s.string("quarantine.directory", "quarantine/caf"));
        int stableSeconds = s.integer("inbox.stableSeconds", 2, 0, 3600);
        Set<String> accepted = Set.copyOf(s.list("accepted.applications", "CRI"));
        Path staging = data.resolve(s.string("staging.directory", "staging/caf"));
        Path spool = data.resolve(s.string("import.spoolDirectory", "spool/caf"));
        int retentionDays = s.integer("retention.days", 30, 1, 3650);
        try {
            // what the connector writes holds personal data: its own folders are owner-only (the inbox may be
            // shared with a transfer agent: only created so)
            OwnerOnly.createDirectories(inbox);
            for (Path own : List.of(quarantine, staging, staging.resolve("pgp"), staging.resolve("sftp"), spool)) {
                OwnerOnly.privateDirectory(own);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CAF folders unusable: " + e.getMessage(), e);
        }
        CafInbox.recoverFailed(inbox);
        Intake hub = ctx.intake();
        long maxBytes = s.maxPayloadBytes(8L << 30);
        Flow fluxFlow = Flow.inbound("caf", "flux-rsa")
                .maxPayloadBytes(maxBytes)
                .retry(s.retry())
                .orderingKey((meta, payload) -> FILES_IN_ORDER);
        // OpenPGP and SFTP (key files under etc/, working files under data/staging.directory); settings are checked
        // before the database is touched.
        CafPgp pgp = CafPgp.fromSettings(config, etc, maxBytes);
        boolean acceptPlain = pgp == null || s.bool("pgp.acceptPlainFiles", false);
        warnAboutWeakSettings(s, pgp, acceptPlain);
        intake = new CafPgpIntake(pgp, acceptPlain, staging.resolve("pgp"), quarantine,
                // journaled without its content (which the hub cannot read), QUARANTINED with the reason
                (file, name, reason) -> {
                    IngestResult r = hub.refuse(fluxFlow, file, new InboundMetadata(name, null, CafPgp.isOpenPgp(file)
                            ? "application/pgp-encrypted" : "application/xml", "caf-inbox"), "refused before import: "
                            + reason);
                    LOG.info("CAF file {} journaled as refused (exchange {})", name, r.exchangeId());
                });
        inboxFiles = new CafInbox(intake, hub, fluxFlow, inbox, quarantine, ctx.clock());
        retention = new CafRetention(inbox, quarantine, java.time.Duration.ofDays(retentionDays), ctx.clock());
        sftp = s.bool("sftp.enabled", false) ? new CafSftpPickup(CafSftpPickup.Config.from(config, etc, data, inbox)) : null;
        Flow eventsFlow = ctx.flow(Flow.outbound("departement", "evenements-rsa")
                .retry(s.retry())
                .orderingKey((meta, payload) -> "rsa-events")
                .deliverTo(d -> {
                    List<DepartmentEvent> events;
                    try (InputStream in = d.openPayload()) {
                        events = Json.MAPPER.readValue(in, EVENT_LIST);
                    } catch (IOException e) {
                        throw DeliveryFailure.permanent("events batch unreadable: " + e.getClass().getSimpleName());
                    }
                    // a batch delivered twice (a redelivery after a crash) is recorded once: publish is idempotent
                    int added = departmentEvents.publish(d.exchangeId(), events);
                    return DeliveryResult.delivered(added + " events in the department feed"
                            + (added == 0 ? " (already there)" : ""));
                }));
        CafFluxImporter fluxImporter;
        try {
            fluxImporter = new CafFluxImporter(new CafFluxReader(CafFluxReader.loadSchema(), accepted), registry,
                    new CafHouseholdStates(ctx.database()), (batchKey, events) -> publishEvents(hub, eventsFlow,
                            batchKey, events),
                    spool, s.bool("import.skipUnchanged", true),
                    s.integer("import.batchHouseholds", 500, 1, 100_000));
        } catch (IOException e) {
            throw new UncheckedIOException("CAF spool directory unusable: " + e.getMessage(), e);
        }
        importer = new CafImport(fluxImporter, quarantine);
        flow = ctx.flow(fluxFlow.deliverTo(importer));
        ctx.routes(routes(hub, stableSeconds));
    }

    /** What an operator turned off, said at every start: files then enter without proof that they are the CAF's. */
    private static void warnAboutWeakSettings(Settings s, CafPgp pgp, boolean acceptPlain) {
        if (s.string("pgp.requireEncryption", null) != null) {
            LOG.warn("CAF connector: pgp.requireEncryption in {} is no longer read: with pgp.secretKeyRing set, plain "
                    + "files are refused unless pgp.acceptPlainFiles=true; remove the line", FILE);
        }
        if (pgp == null) {
            LOG.warn("CAF connector: no OpenPGP key (pgp.secretKeyRing): inbox files are imported without any proof "
                    + "that they come from the CAF (demo and tests only; see {})", FILE);
            return;
        }
        if (acceptPlain) {
            LOG.warn("CAF connector: pgp.acceptPlainFiles=true: plain files dropped into the inbox are imported "
                    + "unencrypted and unsigned, without any proof that they come from the CAF");
        }
        if (!pgp.requireSignature()) {
            LOG.warn("CAF connector: pgp.requireSignature=false: encrypted files that the CAF did not sign are "
                    + "imported");
        }
    }

    private RouteBuilder routes(Intake hub, int stableSeconds) {
        Path in = inbox;
        CafInbox files = inboxFiles;
        CafRetention purge = retention;
        CafSftpPickup pickup = sftp;
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Every stable file is offered at each poll and left where it is (noop): CafInbox journals it, then
                // deletes it or moves it aside; one the hub could not journal stays and is offered again later.
                fromF("file:%s?noop=true&idempotent=false&readLock=changed&readLockMinAge=%d&readLockCheckInterval=500"
                        + "&include=.*\\.(xml|XML|pgp|PGP|gpg|GPG|asc|ASC)&delay=1000", in, stableSeconds * 1000L)
                        .routeId("caf.inbox")
                        .process(e -> files.take(Paths.get(e.getMessage().getHeader("CamelFileAbsolutePath",
                                String.class)), e.getMessage().getHeader("CamelFileNameOnly", String.class)));
                fromF("timer:caf.retention?delay=%d&period=%d", 5000L, 3_600_000L).routeId("caf.retention")
                        .process(e -> purge.purge());
                if (pickup != null) {
                    // one poll at a time (the timer waits for the previous one); errors end up in health(). While the
                    // hub's disk is too full to journal the inbox's files, the CAF's server keeps its copies.
                    fromF("timer:caf.sftp?delay=%d&period=%d", 2000L, pickup.config().pollSeconds() * 1000L)
                            .routeId("caf.sftp").process(e -> {
                                if (files.noSpace()) {
                                    pickup.paused("the hub's disk is nearly full: files wait in the inbox");
                                } else {
                                    pickup.poll();
                                }
                            });
                }
            }
        };
    }

    @Override
    public Health health() {
        CafImport i = importer;
        if (i == null) {
            return Health.down("not configured");
        }
        CafInbox files = inboxFiles;
        String detail = (files.healthy() ? "" : files.describe() + "; ") + i.status() + "; " + intake.describe()
                + (sftp == null ? "" : "; " + sftp.describe());
        return files.healthy() && (sftp == null || sftp.healthy()) ? Health.up(detail) : Health.down(detail);
    }

    /** A batch of department events becomes a journaled exchange (its key detects a replayed batch). */
    private static void publishEvents(Intake hub, Flow eventsFlow, String batchKey, List<DepartmentEvent> events)
            throws Exception {
        IngestResult r = hub.accept(eventsFlow, new ByteArrayInputStream(Json.write(events).getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(batchKey.substring(0, batchKey.indexOf(':')), batchKey, "application/json",
                        "caf-import"));
        if (!r.outcome().taken()) {
            throw new IllegalStateException("department events not taken: " + r.outcome() + " " + r.reason());
        }
    }

    @Override
    public Map<String, String> describeSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        if (flow == null) {
            return m;
        }
        m.put("inbox", inbox.toString());
        m.put("flow", flow.key());
        m.put("retry", flow.retry().toString());
        if (sftp != null) {
            m.put("sftp", sftp.config().target() + " every " + sftp.config().pollSeconds() + " s, host key "
                    + String.join(",", sftp.config().hostKeyFingerprints())
                    + (sftp.config().knownHosts() == null ? "" : " / known_hosts " + sftp.config().knownHosts()));
        }
        m.put("pgp", intake.describe() + "; " + intake.partner());
        m.put("maxPayloadBytes", Long.toString(flow.maxPayloadBytes()));
        m.put("originals", "plain files deleted once journaled (the hub keeps them sealed); OpenPGP originals in "
                + ".done/ and refused files in quarantine kept " + retention.keep().toDays() + " days (retention.days)");
        return m;
    }
}
