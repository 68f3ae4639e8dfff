package fr.aisne.hub.itests;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.RetryPolicy;

/** A second connector, registered by the test itself, to show that connectors do not touch each other. */
public class ProbeConnector implements Connector {
    private final String target;

    public ProbeConnector(String target) {
        this.target = target;
    }

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public void configure(ConnectorContext context) {
        context.flow(Flow.outbound("probe", "relay").acceptHttp("/in/probe/relay")
                .retry(new RetryPolicy(3, 200, 2.0, 1000))
                .deliverTo(target + "?throwExceptionOnFailure=true"));
    }
}
