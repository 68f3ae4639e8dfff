package fr.aisne.hub.connector.echo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.JsonWellFormed;
import fr.aisne.hub.api.OrderingKey;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Settings;

/**
 * The reference connector, and the template for partner connectors (docs/CONNECTORS.md). It shows the three
 * shapes a partner needs, each declared, not coded: hub-core journals, checks duplicates, validates, queues,
 * retries without blocking, quarantines and replays.
 * <ol>
 * <li><b>HTTP relay</b>: flow {@code echo/relay}, JSON posted to {@code /hub/in/echo/relay} is delivered to the echo
 * partner over HTTP (a Camel URI), under the partner's limits; messages with one {@code X-Ordering-Key} are
 * delivered in order.</li>
 * <li><b>In-process handler</b>: flow {@code echo/notes}, notes (posted to {@code /hub/in/echo/notes} or taken by
 * the poller) are recorded in the connector's own table by {@link NoteHandler}, in order per subject.</li>
 * <li><b>Poller</b>: {@link EchoPoller} takes the notes the partner has for the department from its outbox, every
 * {@code poll.seconds}, and hands each to the intake with the partner's id (a note taken twice is a
 * duplicate).</li>
 * </ol>
 * Bound to etc/hub.connector.echo.cfg (required, no {@code @Modified}: a change re-creates the component, and the
 * hub rebuilds its routes while queued messages wait).
 */
@Component(service = Connector.class, configurationPid = "hub.connector.echo",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class EchoConnector implements Connector {
    static final String ID = "echo";

    private Map<String, Object> config;
    private volatile EchoSettings settings;
    private volatile EchoPoller poller;

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
        EchoSettings s = EchoSettings.from(Settings.of(config, EchoSettings.FILE));
        PartnerGuard partner = ctx.partnerGuard(ID, s.limits());
        String[] senders = s.senderRoles().toArray(String[]::new);

        // 1. HTTP relay: the partner's own HTTP API is the delivery endpoint.
        ctx.flow(Flow.outbound(ID, "relay")
                .acceptHttp("/in/echo/relay", senders)
                .validator(new JsonWellFormed())
                .maxPayloadBytes(s.maxPayloadBytes())
                .retry(s.retry())
                .concurrency(s.concurrency())
                .orderingKey(OrderingKey.FROM_METADATA)
                .guardedBy(partner)
                .deliverTo(s.deliveryUri()));

        // 2. In-process handler, on the connector's own table.
        ctx.database().migrate("echo", EchoConnector.class.getClassLoader(), "db/echo/V1__echo.sql");
        Flow notes = ctx.flow(Flow.inbound(ID, "notes")
                .acceptHttp("/in/echo/notes", senders)
                .validator(new JsonWellFormed())
                .maxPayloadBytes(s.maxPayloadBytes())
                .retry(s.retry())
                .orderingKey(OrderingKey.jsonField("subject"))
                .deliverTo(new NoteHandler(ctx.database().jdbc(), ctx.clock())));

        // 3. Poller: a Camel timer, its results handed to the intake like any received message.
        if (s.pollSeconds() > 0) {
            poller = new EchoPoller(s.outboxUrl(), ctx.intake(), notes, partner);
            ctx.routes(poller.routes(s.pollSeconds()));
        }
        settings = s;
    }

    @Override
    public fr.aisne.hub.api.Health health() {
        EchoPoller p = poller;
        return fr.aisne.hub.api.Health.up(p == null ? "poller off" : p.status());
    }

    @Override
    public Map<String, String> describeSettings() {
        EchoSettings s = settings;
        Map<String, String> out = new LinkedHashMap<>();
        if (s != null) {
            out.put("target.url", s.targetUrl().toString());
            out.put("retry", s.retry().toString());
            out.put("maxPayloadBytes", Long.toString(s.maxPayloadBytes()));
            out.put("delivery.concurrency", Integer.toString(s.concurrency()));
            out.put("poll.seconds", Integer.toString(s.pollSeconds()));
        }
        return out;
    }
}
