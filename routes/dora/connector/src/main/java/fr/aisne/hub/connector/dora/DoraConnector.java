package fr.aisne.hub.connector.dora;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Health;
import fr.aisne.hub.api.JsonWellFormed;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.PartnerGuard;

/**
 * The Dora / data·inclusion connector (partner id {@code dora}), bound to etc/hub.connector.dora.cfg. There is no
 * write API at data·inclusion nor at Dora (shared/docs/PARTNERS.md §4), hence two directions:
 * <ol>
 * <li><b>The directory, read</b>: {@link DirectoryPull} (a timer: at start, daily, again after a failure; or
 * {@code POST /hub/api/dora/directory/pull}) fetches the structures and services of the département from the
 * data·inclusion API v1 and hands every page to the hub (flow {@code dora/directory}: journaled, queued, delivered
 * in order); {@link DirectoryHandler} validates each item against schema v1 and its rules, rejects the invalid ones
 * alone, and writes only what changed; the department queries it with {@code GET /hub/api/departement/services}.</li>
 * <li><b>The department's offer, published once</b>: {@code POST /hub/in/departement/offre} (flow
 * {@code departement/offre}), from the department's agents or Aisne-actifs.com, checked whole at intake
 * ({@link OfferCheck}), mapped to schema v1 ({@link OfferMapping}), published by {@link OfferHandler} as the feed
 * data·inclusion pulls ({@code /hub/feed/dora/structures}, {@code /services}) and Dora's import CSV
 * ({@code /hub/feed/dora/offre.csv}).</li>
 * </ol>
 * Both flows are the core's: journal, duplicates, durable queue, retries, quarantine, replay.
 */
@Component(service = Connector.class, configurationPid = DoraSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class DoraConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(DoraConnector.class);
    static final String ID = "dora";
    static final String DEPARTEMENT = "departement";
    /** One ordering key for the offers: published in the order received. */
    static final OrderingKey ONE_OFFER_AT_A_TIME = (meta, payload) -> "departement-offre";

    private Map<String, Object> config;
    private volatile Runtime runtime;

    /** What configure built, for health and settings. */
    private record Runtime(DoraSettings settings, DirectoryPull pull, PullReports reports, DirectoryStore directory,
            OfferStore offer, PartnerGuard guard) {
    }

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
        DoraSettings s = DoraSettings.from(config, ctx.secrets());
        ctx.database().migrate(ID, DoraConnector.class.getClassLoader(), "db/dora/V1__dora.sql");
        SchemaV1 v1 = new SchemaV1();
        PullReports reports = new PullReports();
        DirectoryStore directory = new DirectoryStore(ctx.database().jdbc(), ctx.clock());
        OfferStore offer = new OfferStore(ctx.database().jdbc(), ctx.clock());
        PartnerGuard guard = ctx.partnerGuard(ID, s.limits());

        // 1. The directory: pages handed over by the poller, validated and written by the handler, in order.
        Flow directoryFlow = ctx.flow(Flow.inbound(ID, "directory")
                .validator(new JsonWellFormed())
                .maxPayloadBytes(s.maxPageBytes())
                .duplicates(Duplicates.MESSAGE_ID)
                .orderingKey(OrderingKey.FROM_METADATA)
                .retry(s.retry())
                .deliverTo(new DirectoryHandler(v1, directory, reports, ctx.clock())));
        DirectoryPull pull = null;
        if (s.directoryEnabled() && s.hasApiToken()) {
            DataInclusionClient client = new DataInclusionClient(s, guard, d -> Thread.sleep(d.toMillis()));
            pull = new DirectoryPull(s, client, ctx.intake(), directoryFlow, reports, ctx.clock());
            ctx.routes(pull.routes());
        }

        // 2. The department's offer: checked whole at intake, published whole by the handler.
        OfferCheck offerCheck = new OfferCheck(v1, new OfferMapping(s.offerSource(), s.offerZone()), ctx.clock());
        ctx.flow(Flow.inbound(DEPARTEMENT, "offre")
                .acceptHttp("/in/departement/offre", s.senderRoles().toArray(String[]::new))
                .validator(offerCheck)
                .maxPayloadBytes(s.offerMaxBytes())
                .duplicates(Duplicates.MESSAGE_ID)
                .orderingKey(ONE_OFFER_AT_A_TIME)
                .retry(s.retry())
                .deliverTo(new OfferHandler(offerCheck, offer, ctx.clock())));

        ctx.routes(new DoraApi(ctx.http(), s, v1, directory, reports, pull, offer));
        ctx.describeApi(ApiDocument.json());
        runtime = new Runtime(s, pull, reports, directory, offer, guard);
        LOG.info("Dora connector ready: {}, directory {}, offer source {}", s.apiUrl(),
                pull == null ? "not pulled (" + (s.directoryEnabled() ? "api.token not set" : "off") + ")" : "pulled",
                s.offerSource());
    }

    @Override
    public Health health() {
        Runtime r = runtime;
        if (r == null) {
            return Health.down("not configured");
        }
        StringBuilder detail = new StringBuilder();
        if (r.pull() == null) {
            if (r.settings().directoryEnabled()) {
                return Health.down("api.token is not set in etc/hub.connector.dora.cfg: the directory of data·inclusion "
                        + "is not pulled (ask data·inclusion for a token with the api scope and write it encrypted with "
                        + "hub:encrypt-secret); the offer is still published");
            }
            detail.append("directory: off");
        } else {
            if (r.pull().refusal() != null) {
                return Health.down(r.pull().refusal());
            }
            PullReports.Report last = r.reports().lastCompleted();
            detail.append("directory: ").append(r.directory().count(SchemaV1.Kind.STRUCTURE)).append(" structures, ")
                    .append(r.directory().count(SchemaV1.Kind.SERVICE)).append(" services")
                    .append(last == null ? ", not pulled yet" : "; last " + last.summary());
            if (r.pull().retryAt() != null) {
                PullReports.Report latest = r.reports().latest();
                detail.append("; last pull failed (").append(latest == null ? "" : latest.error)
                        .append("), tried again at ").append(r.pull().retryAt());
            }
        }
        detail.append("; offer: ").append(r.offer().current().map(o -> o.structures() + " structures, " + o.services()
                + " services published at " + o.publishedAt()).orElse("none published yet"));
        if (!r.settings().hasFeedToken()) {
            detail.append("; feed.token not set: data·inclusion cannot pull the feed (accounts only)");
        }
        detail.append("; ").append(r.guard().describe());
        return Health.up(detail.toString());
    }

    @Override
    public Map<String, String> describeSettings() {
        Runtime r = runtime;
        return r == null ? Map.of() : r.settings().describe();
    }

    /** For tests: the pull (null when off). */
    DirectoryPull pull() {
        Runtime r = runtime;
        return r == null ? null : r.pull();
    }
}
