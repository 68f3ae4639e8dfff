package fr.aisne.hub.connector.echo;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.spi.Settings;
import fr.aisne.hub.core.validation.JsonWellFormed;

/**
 * The reference connector, and the template for partner connectors (docs/CONNECTORS.md): one outbound
 * flow "relay" that accepts JSON on POST /hub/in/echo/relay and delivers it to the echo partner. All it
 * declares is the flow; hub-core journals, validates, queues, retries and quarantines.
 *
 * <p>Bound to etc/hub.connector.echo.cfg (required: the feature installs it, so the connector starts once,
 * with its settings). Without {@code @Modified}, a settings change makes Declarative
 * Services re-create the component, and hub-core rebuilds its routes with the new settings.
 */
@Component(service = HubConnector.class, configurationPid = EchoConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class EchoConnector implements HubConnector {
    static final String PID = "hub.connector.echo";
    static final String ID = "echo";

    private EchoSettings settings;

    @Activate
    void activate(Map<String, Object> config) {
        settings = EchoSettings.from(config);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Flow> flows() {
        return List.of(relayFlow(settings));
    }

    static Flow relayFlow(EchoSettings s) {
        return Flow.outbound(ID, "relay")
                .acceptHttp("/in/echo/relay", s.senderRoles())
                .validator(new JsonWellFormed())
                .maxPayloadBytes(s.maxPayloadBytes())
                .retry(s.retry())
                .deliverTo(s.deliveryUri());
    }

    @Override
    public Map<String, String> describeSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("target.url", settings.targetUrl().toString());
        out.put("retry", settings.retry().toString());
        out.put("maxPayloadBytes", Long.toString(settings.maxPayloadBytes()));
        return out;
    }

    /** The settings of etc/hub.connector.echo.cfg, checked on load. */
    record EchoSettings(URI targetUrl, int connectTimeoutMs, int responseTimeoutMs, String[] senderRoles,
            RetryPolicy retry, long maxPayloadBytes) {

        static EchoSettings from(Map<String, ?> cfg) {
            URI target = URI.create(Settings.string(cfg, "target.url", "http://127.0.0.1:8282/echo"));
            if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())) {
                throw new IllegalArgumentException("target.url must be an http(s) URL, was " + target.getScheme());
            }
            if (target.getRawQuery() != null || target.getRawUserInfo() != null) {
                throw new IllegalArgumentException("target.url must carry neither a query nor credentials");
            }
            return new EchoSettings(target,
                    Settings.intValue(cfg, "target.connectTimeoutMs", 2000),
                    Settings.intValue(cfg, "target.responseTimeoutMs", 10000),
                    Settings.string(cfg, "senders.roles", "admin,hub-sender").split("\\s*,\\s*"),
                    RetryPolicy.fromSettings(cfg),
                    Settings.longValue(cfg, "maxPayloadBytes", 1024 * 1024));
        }

        /** camel-http endpoint: any status >= 300 raises, and so counts as a failed attempt. */
        String deliveryUri() {
            return targetUrl + "?throwExceptionOnFailure=true&connectTimeout=" + connectTimeoutMs
                    + "&responseTimeout=" + responseTimeoutMs;
        }
    }
}
