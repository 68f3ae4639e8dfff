package fr.aisne.hub.core.connector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.camel.RoutesBuilder;

import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.Secrets;

/**
 * One connector's view of the hub while it configures itself, and the record of what it declared (its flows and
 * routes), so that exactly those are built now and removed when it goes.
 */
final class ConnectorRuntime implements ConnectorContext {
    /** What the core gives every connector. */
    record Services(Intake intake, ModuleDatabase database, HttpSecurity http, Secrets secrets, Clock clock,
            java.util.function.BiFunction<String, PartnerLimits, PartnerGuard> guards) {
    }

    private final String connectorId;
    private final Services services;
    private final List<Flow> flows = new ArrayList<>();
    private final List<RoutesBuilder> routes = new ArrayList<>();
    private String apiDocument;
    private final Intake ownIntake;

    ConnectorRuntime(String connectorId, Services services) {
        this.connectorId = connectorId;
        this.services = services;
        this.ownIntake = new Intake() {
            @Override
            public IngestResult accept(Flow flow, InputStream payload, InboundMetadata metadata) throws IOException {
                return services.intake().accept(declared(flow), payload, metadata);
            }

            @Override
            public IngestResult refuse(Flow flow, Path received, InboundMetadata metadata, String reason)
                    throws IOException {
                return services.intake().refuse(declared(flow), received, metadata, reason);
            }
        };
    }

    @Override
    public String connectorId() {
        return connectorId;
    }

    @Override
    public synchronized Flow flow(Flow flow) {
        Objects.requireNonNull(flow);
        if (flows.stream().anyMatch(f -> f.key().equals(flow.key()))) {
            throw new IllegalArgumentException("flow " + flow.key() + " is declared twice by connector " + connectorId);
        }
        flows.add(flow);
        return flow;
    }

    @Override
    public synchronized void routes(RoutesBuilder builder) {
        routes.add(Objects.requireNonNull(builder));
    }

    @Override
    public synchronized void describeApi(String openApiJson) {
        apiDocument = Objects.requireNonNull(openApiJson);
    }

    synchronized String apiDocument() {
        return apiDocument;
    }

    @Override
    public Intake intake() {
        return ownIntake;
    }

    @Override
    public ModuleDatabase database() {
        return services.database();
    }

    @Override
    public PartnerGuard partnerGuard(String partner, PartnerLimits limits) {
        return services.guards().apply(partner, limits);
    }

    @Override
    public HttpSecurity http() {
        return services.http();
    }

    @Override
    public Secrets secrets() {
        return services.secrets();
    }

    @Override
    public Clock clock() {
        return services.clock();
    }

    synchronized List<Flow> flows() {
        return List.copyOf(flows);
    }

    synchronized List<RoutesBuilder> routes() {
        return List.copyOf(routes);
    }

    /** A connector hands messages only to flows it declared (another connector's flow is not its to feed). */
    private Flow declared(Flow flow) {
        synchronized (this) {
            if (!flows.contains(flow)) {
                throw new IllegalArgumentException("flow " + flow.key() + " is not declared by connector " + connectorId);
            }
        }
        return flow;
    }
}
