package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.ContractXml;
import fr.aisne.hub.connector.ouiform.contract.Messages.EvenementStatut;
import fr.aisne.hub.connector.ouiform.lheo.LheoReader;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Everything the connector is made of, assembled from its settings and the hub's services, and declared on the
 * context: built by the OSGi component, and by the tests without OSGi.
 * <ul>
 * <li>flow {@code ouiform/prescription} (outbound): {@code POST /hub/in/departement/prescriptions-formation}, delivered
 * to OuiForm by {@link PrescriptionHandler} under the partner guard, in order per person;</li>
 * <li>flow {@code ouiform/statuts} (inbound): the status events OuiForm sends (SOAP notifierStatut, REST), recorded by
 * {@link StatusHandler}, in order per prescription, idEvenement as duplicate key;</li>
 * <li>flow {@code ouiform/catalogue} (inbound): the weekly LHEO 2.3 file (watched folder {@code catalogue.inbox}) and
 * the publications OuiForm sends (publierSessions), imported by {@link CatalogueImport} one at a time;</li>
 * <li>the hub's side of the contract: SOAP ({@link HubSoapEndpoint}, CXF) and REST ({@link RegionRestRoutes}, the
 * hub's listener); the department's read APIs ({@link DepartementRoutes}), described in the hub's OpenAPI.</li>
 * </ul>
 */
final class OuiFormRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OuiFormRuntime.class);
    static final String ID = "ouiform";
    static final String INBOX_ROUTE = "ouiform.inbox";

    final OuiFormSettings settings;
    final Contract contract;
    final PartnerGuard guard;
    final CatalogueStore catalogue;
    final PrescriptionStore prescriptions;
    final OuiFormClient client;
    final CatalogueImport catalogueImport;
    final Flow prescriptionFlow;
    final Flow statutsFlow;
    final Flow catalogueFlow;
    final RegionSide side;
    final HubSoapEndpoint soap;
    private final ConnectorContext ctx;

    OuiFormRuntime(Map<String, ?> config, ConnectorContext ctx, PersonRegistry registry,
            Supplier<DepartmentEvents> events) {
        this.ctx = ctx;
        this.settings = OuiFormSettings.from(config, ctx.secrets());
        try {
            this.contract = Contract.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the OuiForm contract carried by the bundle cannot be read: " + e.getMessage(), e);
        }
        ctx.database().migrate(ID, OuiFormRuntime.class.getClassLoader(), "db/ouiform/V1__ouiform.sql");
        this.guard = ctx.partnerGuard(ID, settings.limits());
        this.catalogue = new CatalogueStore(ctx.database().jdbc(), ctx.clock());
        this.prescriptions = new PrescriptionStore(ctx.database().jdbc(), ctx.clock());
        this.client = new OuiFormClient(settings, contract, guard);
        LheoReader reader = new LheoReader(contract.schema());
        this.catalogueImport = new CatalogueImport(reader, catalogue);
        RegistryRecorder recorder = new RegistryRecorder(registry, ctx.clock());
        this.prescriptionFlow = Flow.outbound(ID, "prescription")
                .acceptHttp("/in/departement/prescriptions-formation", settings.senderRoles())
                .validator(PrescriptionRequest.validator(contract, settings.prescripteurSiret()))
                .maxPayloadBytes(settings.prescriptionMaxBytes())
                .duplicates(Duplicates.MESSAGE_ID_ELSE_DIGEST)
                .orderingKey(OrderingKey.jsonField("personId"))
                .concurrency(settings.concurrency())
                .retry(settings.retry())
                .guardedBy(guard)
                .deliverTo(new PrescriptionHandler(settings, prescriptions, registry, recorder, client, ctx.clock()));
        this.statutsFlow = Flow.inbound(ID, "statuts")
                .validator(statusValidator(contract))
                .maxPayloadBytes(settings.statutMaxBytes())
                .duplicates(Duplicates.MESSAGE_ID)
                .orderingKey(OrderingKey.jsonField("idPrescriptionHub"))
                .concurrency(settings.concurrency())
                .retry(settings.retry())
                .deliverTo(new StatusHandler(prescriptions, recorder, events));
        this.catalogueFlow = Flow.inbound(ID, "catalogue")
                .maxPayloadBytes(settings.catalogueMaxBytes())
                .duplicates(Duplicates.MESSAGE_ID_ELSE_DIGEST)
                .orderingKey((meta, payload) -> "ouiform-catalogue")
                .retry(settings.retry())
                .deliverTo(catalogueImport);
        Path spool = Paths.get(System.getProperty("karaf.data", "data")).resolve("spool/ouiform");
        this.side = new RegionSide(ctx.intake(), statutsFlow, catalogueFlow, prescriptions, reader, spool);
        this.soap = new HubSoapEndpoint(settings, contract, side, ctx.http());
    }

    /** Declares the flows, the routes and the department's API on the context. */
    void declare() {
        ctx.flow(prescriptionFlow);
        ctx.flow(statutsFlow);
        ctx.flow(catalogueFlow);
        ctx.routes(new RegionRestRoutes(ctx.http(), side, contract, settings));
        ctx.routes(new DepartementRoutes(ctx.http(), catalogue, prescriptions, settings.readerRoles()));
        ctx.routes(soap.routes());
        ctx.routes(inbox());
        try (InputStream in = OuiFormRuntime.class.getResourceAsStream("/openapi/ouiform-departement.json")) {
            ctx.describeApi(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            LOG.warn("OuiForm connector: its OpenAPI document is missing from the bundle");
        }
    }

    /** A status event as journaled: the contract's EvenementStatut in JSON, checked by the contract's schema. */
    static PayloadValidator statusValidator(Contract contract) {
        return in -> {
            EvenementStatut e;
            try {
                e = Json.MAPPER.readValue(in.readNBytes(64 * 1024), EvenementStatut.class);
            } catch (JsonProcessingException | java.io.CharConversionException bad) {
                // undecodable bytes are Jackson's CharConversionException, an IOException: the payload's fault too
                throw new ValidationException("REQUETE_INVALIDE: not an EvenementStatut (JSON)");
            }
            if (e == null) {
                throw new ValidationException("REQUETE_INVALIDE: not an EvenementStatut (JSON)");
            }
            List<String> problems = contract.problems(ContractXml.toXml(contract.newDocument(), "notifierStatut", e));
            if (!problems.isEmpty()) {
                throw new ValidationException("REQUETE_INVALIDE: " + String.join("; ", problems));
            }
        };
    }

    /**
     * The Carif-Oref's weekly LHEO 2.3 file, dropped in {@code catalogue.inbox} (by the SFTP transfer that brings it):
     * taken once stable, journaled with its digest (the same file dropped again is a duplicate), moved to .done/.
     */
    private RouteBuilder inbox() {
        Path dir = settings.inbox();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("catalogue.inbox " + dir + " cannot be created: " + e.getMessage(), e);
        }
        Flow flow = catalogueFlow;
        return new RouteBuilder() {
            @Override
            public void configure() {
                fromF("file:%s?readLock=changed&readLockMinAge=%d&readLockCheckInterval=500&move=.done"
                        + "&moveFailed=.failed&include=.*\\.(xml|XML)&delay=2000", dir,
                        settings.inboxStableSeconds() * 1000L)
                        .routeId(INBOX_ROUTE)
                        .process(e -> {
                            String name = e.getMessage().getHeader("CamelFileNameOnly", String.class);
                            Path file = Paths.get(e.getMessage().getHeader("CamelFileAbsolutePath", String.class));
                            try (InputStream in = Files.newInputStream(file)) {
                                IngestResult r = ctx.intake().accept(flow, in, new InboundMetadata(name, null,
                                        CatalogueImport.contentType(false, true), "ouiform-inbox"));
                                if (!r.outcome().taken()) {
                                    throw new IllegalStateException("catalogue file " + name + " not taken now ("
                                            + r.outcome() + "): left in the inbox");
                                }
                                LOG.info("OuiForm catalogue file {} taken: {} (exchange {})", name, r.outcome(),
                                        r.exchangeId());
                            }
                        });
            }
        };
    }

    Health health() {
        List<String> parts = new ArrayList<>();
        client.credentialProblem().ifPresent(parts::add);
        parts.add(guard.describe());
        try {
            parts.add("prescriptions " + prescriptions.counts());
            parts.add(catalogue.count() + " sessions in the catalogue");
        } catch (RuntimeException e) {
            parts.add("tables unreadable: " + e.getClass().getSimpleName());
        }
        parts.add(catalogueImport.status());
        parts.add("SOAP endpoint " + settings.soapAddress());
        String detail = String.join("; ", parts);
        return client.credentialProblem().isPresent() || guard.open() ? Health.down(detail) : Health.up(detail);
    }

    @Override
    public void close() {
        soap.close();
        contract.close();
    }
}
