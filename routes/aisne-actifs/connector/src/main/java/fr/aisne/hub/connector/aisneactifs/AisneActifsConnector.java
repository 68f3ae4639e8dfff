package fr.aisne.hub.connector.aisneactifs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The Aisne-actifs.com connector (partner id aisne-actifs), bound to etc/hub.connector.aisneactifs.cfg; contract v1
 * in docs/contracts/aisne-actifs/v1, story in routes/aisne-actifs/README.md.
 * <ul>
 * <li><b>Platform → hub</b>: one inbound flow per referent's decision, {@code POST /hub/in/aisne-actifs/<type>}
 * (HTTP Basic, role sender-aisne-actifs), each validated by its JSON Schema, journaled, in order per person, and
 * delivered by {@link DecisionHandler}: registry (provenance aisne-actifs) and department event feed, once.</li>
 * <li><b>Sanctions → CAF</b>: flow caf/demandes-sanction, delivered by {@link SanctionFile} into the CAF's outbox.</li>
 * <li><b>Hub → platform</b>: {@link WebhookFollower} (a poller on the event feed, cursor in aa_state) feeds the flow
 * aisne-actifs/webhooks, delivered by {@link WebhookSender} (signed, retried by the core, in order per person).</li>
 * </ul>
 * The orientation reaches France Travail through the event feed: the France Travail connector follows
 * {@code orientation.decidee} and pushes it (routes/francetravail/README.md).
 */
@Component(service = Connector.class, configurationPid = AaSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class AisneActifsConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(AisneActifsConnector.class);
    static final String ID = DecisionHandler.PARTNER;

    @Reference
    private PersonRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DepartmentEvents events;

    private Map<String, Object> config;
    private volatile AaSettings settings;
    private volatile WebhookFollower follower;

    @Activate
    void activate(Map<String, Object> config) {
        this.config = config;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void configure(ConnectorContext ctx) {
        AaSettings s = AaSettings.from(config, ctx.secrets());
        DecisionSchemas schemas = new DecisionSchemas();
        String[] senders = s.senderRoles().toArray(String[]::new);

        Flow sanctions = ctx.flow(Flow.outbound("caf", "demandes-sanction")
                .duplicates(Duplicates.MESSAGE_ID_ELSE_DIGEST)
                .orderingKey(OrderingKey.jsonField("personId"))
                .retry(s.retry())
                .deliverTo(new SanctionFile(registry, s.sanctionOutbox(), ctx.clock())));
        DecisionHandler.SanctionSink toCaf = (json, messageId) -> {
            IngestResult r = ctx.intake().accept(sanctions, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    new InboundMetadata(null, messageId, "application/json", ID));
            if (!r.outcome().taken()) {
                throw DeliveryFailure.temporary("the sanction request could not be queued for the CAF: " + r.reason());
            }
            return "request " + r.outcome() + " on caf/demandes-sanction";
        };
        for (Decision d : Decision.values()) {
            ctx.flow(Flow.inbound(ID, d.path)
                    .acceptHttp("/in/aisne-actifs/" + d.path, senders)
                    .validator(schemas.validator(d))
                    .maxPayloadBytes(s.maxPayloadBytes())
                    .duplicates(Duplicates.MESSAGE_ID_ELSE_DIGEST)
                    .orderingKey(OrderingKey.jsonField("personId"))
                    .concurrency(s.concurrency())
                    .retry(s.retry())
                    .deliverTo(new DecisionHandler(d, schemas, registry, () -> events, d == Decision.SANCTION ? toCaf : null)));
        }
        ctx.describeApi(openApi());

        if (s.webhookUrl() != null) {
            PartnerGuard guard = ctx.partnerGuard(ID, s.limits());
            Flow webhooks = ctx.flow(Flow.outbound(ID, "webhooks")
                    .duplicates(Duplicates.MESSAGE_ID_ELSE_DIGEST)
                    .orderingKey(OrderingKey.FROM_METADATA)
                    .concurrency(s.concurrency())
                    .retry(s.retry())
                    .guardedBy(guard)
                    .deliverTo(new WebhookSender(s.webhookUrl(), s.webhookSecret(), s.connectTimeout(), s.requestTimeout(),
                            registry, guard, ctx.clock())));
            ctx.database().migrate("aisneactifs", AisneActifsConnector.class.getClassLoader(),
                    "db/aisneactifs/V1__aisneactifs.sql");
            WebhookFollower f = new WebhookFollower(() -> events, new AaStore(ctx.database().jdbc()), ctx.intake(), webhooks,
                    s.eventsBatchSize(), s.eventTypes());
            ctx.routes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:aisne-actifs.webhooks?delay=2000&period=" + s.eventsPoll().toMillis())
                            .routeId("aisne-actifs.webhooks").process(e -> {
                                try {
                                    f.poll();
                                } catch (Exception ex) {
                                    LOG.warn("Aisne-actifs.com webhooks: {}; tried again at the next pass", Redaction.describe(ex));
                                }
                            });
                }
            });
            follower = f;
        }
        settings = s;
        LOG.info("Aisne-actifs.com connector ready: {} decision flows, webhooks {}", Decision.values().length,
                s.webhookUrl() == null ? "off" : "to " + s.webhookUrl());
    }

    /**
     * The department-facing part of contract v1 for the hub's /hub/api/openapi.json (OpenAPI 3.0 document): each
     * decision's path with its JSON Schema inlined as component {@code aisne-actifs.<type>}.
     */
    static String openApi() {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        ObjectNode paths = doc.putObject("paths");
        ObjectNode components = doc.putObject("components").putObject("schemas");
        for (Decision d : Decision.values()) {
            ObjectNode schema = (ObjectNode) resource(d.schemaResource());
            schema.remove(java.util.List.of("$schema", "$id", "if", "then"));
            components.set("aisne-actifs." + d.path, schema);
            ObjectNode post = paths.putObject("/in/aisne-actifs/" + d.path).putObject("post");
            post.put("summary", "Aisne-actifs.com: " + schema.path("title").asText() + " (contract v1)");
            post.put("description", schema.path("description").asText());
            post.putArray("tags").add("aisne-actifs");
            post.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .putObject("schema").put("$ref", "#/components/schemas/aisne-actifs." + d.path);
            ObjectNode responses = post.putObject("responses");
            responses.putObject("202").put("description", "QUEUED");
            responses.putObject("200").put("description", "DUPLICATE (same X-Message-Id)");
            responses.putObject("422").put("description", "INVALID: the field and the rule broken");
        }
        return Json.write(doc);
    }

    static JsonNode resource(String name) {
        try (InputStream in = AisneActifsConnector.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the bundle");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Health health() {
        AaSettings s = settings;
        if (s == null) {
            return Health.down("not configured");
        }
        WebhookFollower f = follower;
        return Health.up(f == null ? "webhooks off (no webhook.url); decisions accepted" : "webhooks to "
                + s.webhookUrl() + ": " + f.status());
    }

    @Override
    public Map<String, String> describeSettings() {
        AaSettings s = settings;
        return s == null ? Map.of() : s.describe();
    }

}
