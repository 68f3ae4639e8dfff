package fr.aisne.hub.api.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ModuleDatabase;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;
import fr.aisne.hub.api.Secrets;

/**
 * A connector's context without the hub, for a connector's own unit tests: it records the flows and routes the
 * connector declares and what it hands to the intake (each accepted message is answered QUEUED unless the test
 * says otherwise), with a real database, in-memory secrets and guards that never refuse.
 */
public final class TestConnectorContext implements ConnectorContext {
    /** What a connector handed to the intake. */
    public record Accepted(Flow flow, byte[] payload, InboundMetadata metadata, String exchangeId) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** What a connector refused before the hub could read it. */
    public record Refused(Flow flow, Path file, InboundMetadata metadata, String reason) {
    }

    private final String connectorId;
    private final ModuleDatabase database;
    private final Clock clock;
    private final List<Flow> flows = new CopyOnWriteArrayList<>();
    private final List<RoutesBuilder> routes = new CopyOnWriteArrayList<>();
    private volatile String apiDocument;
    private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final List<Refused> refused = new CopyOnWriteArrayList<>();
    private final Secrets secrets = new TestSecrets();
    private volatile Function<Accepted, IngestResult.Outcome> answer = a -> IngestResult.Outcome.QUEUED;

    public TestConnectorContext(String connectorId, ModuleDatabase database, Clock clock) {
        this.connectorId = connectorId;
        this.database = database;
        this.clock = clock;
    }

    /** How the intake answers (QUEUED by default). */
    public void answer(Function<Accepted, IngestResult.Outcome> answer) {
        this.answer = answer;
    }

    @Override
    public void describeApi(String openApiJson) {
        this.apiDocument = openApiJson;
    }

    /** The OpenAPI document the connector described its endpoints with, or null. */
    public String apiDocument() {
        return apiDocument;
    }

    public List<Flow> flows() {
        return List.copyOf(flows);
    }

    public Flow flow(String name) {
        return flows.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no flow " + name + " declared; flows: " + flows));
    }

    public List<RoutesBuilder> routeBuilders() {
        return List.copyOf(routes);
    }

    public List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    public List<Refused> refused() {
        return List.copyOf(refused);
    }

    public void clear() {
        accepted.clear();
        refused.clear();
    }

    @Override
    public String connectorId() {
        return connectorId;
    }

    @Override
    public Flow flow(Flow flow) {
        flows.add(flow);
        return flow;
    }

    @Override
    public void routes(RoutesBuilder builder) {
        routes.add(builder);
    }

    @Override
    public Intake intake() {
        return new Intake() {
            @Override
            public IngestResult accept(Flow flow, InputStream payload, InboundMetadata metadata) throws IOException {
                if (!flows.contains(flow)) {
                    throw new IllegalArgumentException("flow " + flow.key() + " is not declared");
                }
                Accepted a = new Accepted(flow, payload.readAllBytes(), metadata, java.util.UUID.randomUUID().toString());
                IngestResult.Outcome o = answer.apply(a);
                if (o.taken()) {
                    accepted.add(a);
                }
                return new IngestResult(o, a.exchangeId(), metadata.correlationId(), o.taken() ? null : "refused by test",
                        null, o.taken() ? 0 : 1);
            }

            @Override
            public IngestResult refuse(Flow flow, Path received, InboundMetadata metadata, String reason) {
                refused.add(new Refused(flow, received, metadata, reason));
                return new IngestResult(IngestResult.Outcome.INVALID, java.util.UUID.randomUUID().toString(),
                        metadata.correlationId(), reason, null);
            }
        };
    }

    @Override
    public ModuleDatabase database() {
        return database;
    }

    @Override
    public PartnerGuard partnerGuard(String partner, PartnerLimits limits) {
        return new PartnerGuard() {
            @Override
            public String partner() {
                return partner;
            }

            @Override
            public void permit() throws DeliveryFailure {
            }

            @Override
            public void pause(Duration pause) {
            }

            @Override
            public void succeeded() {
            }

            @Override
            public void failed() {
            }

            @Override
            public String describe() {
                return partner + ": no limits (test)";
            }

            @Override
            public boolean open() {
                return false;
            }
        };
    }

    @Override
    public HttpSecurity http() {
        return new HttpSecurity() {
            @Override
            public void restOnHub(RouteBuilder builder) {
                builder.restConfiguration().component("jetty").host("127.0.0.1").port(0).contextPath("/hub");
            }

            @Override
            public String baseUrl() {
                return "http://127.0.0.1:8181/hub";
            }

            @Override
            public Optional<Caller> authorize(Exchange exchange, Set<String> roles) {
                return Optional.of(new Caller("test", roles));
            }

            @Override
            public boolean checkSecretHeader(Exchange exchange, String header, String expected) {
                return expected != null && expected.equals(exchange.getMessage().getHeader(header, String.class));
            }

            @Override
            public boolean stateChangeAllowed(Exchange exchange) {
                return true;
            }

            @Override
            public void json(Exchange exchange, int status, Object body) {
                exchange.getMessage().removeHeaders("*");
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
                exchange.getMessage().setBody(body instanceof String s ? s : Json.write(body));
            }

            @Override
            public boolean bodyWithin(Exchange exchange, long maxBytes) {
                return true;
            }
        };
    }

    @Override
    public Secrets secrets() {
        return secrets;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Secrets sealed with a key of this test run (same ENC(...) shape as the hub's). */
    public static final class TestSecrets implements Secrets {
        private final SecretKey key;

        public TestSecrets() {
            try {
                KeyGenerator g = KeyGenerator.getInstance("AES");
                g.init(256);
                key = g.generateKey();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String reveal(String settingValue) {
            return open(settingValue, "hub/settings");
        }

        @Override
        public boolean isSealed(String value) {
            return value != null && value.trim().matches("ENC\\([A-Za-z0-9+/=_-]*\\)");
        }

        @Override
        public String sealSetting(String clear) {
            return seal(clear, "hub/settings");
        }

        @Override
        public String seal(String clear, String use) {
            try {
                return "ENC(" + java.util.Base64.getEncoder().encodeToString(fr.aisne.hub.api.operations.LocalKeys.seal(key,
                        use, clear.getBytes(StandardCharsets.UTF_8))) + ")";
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String open(String sealed, String use) {
            if (sealed == null || !isSealed(sealed)) {
                return sealed;
            }
            String b64 = sealed.trim().substring(4, sealed.trim().length() - 1);
            try {
                return new String(fr.aisne.hub.api.operations.LocalKeys.open(key, use,
                        java.util.Base64.getDecoder().decode(b64)), StandardCharsets.UTF_8);
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException("an ENC(...) value cannot be decrypted");
            }
        }
    }

    /** The settings map of a test, as DS would give it. */
    public static Map<String, Object> settings(String... keyValues) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static List<String> names(List<Flow> flows) {
        List<String> out = new ArrayList<>();
        flows.forEach(f -> out.add(f.key()));
        return out;
    }
}
