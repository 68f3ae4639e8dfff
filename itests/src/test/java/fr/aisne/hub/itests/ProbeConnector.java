package fr.aisne.hub.itests;

import java.util.List;

import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.RetryPolicy;

/** A second connector, registered by the test itself, to show that connectors do not touch each other. */
public class ProbeConnector implements HubConnector {
    private final String target;

    public ProbeConnector(String target) {
        this.target = target;
    }

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public List<Flow> flows() {
        return List.of(Flow.outbound("probe", "relay").acceptHttp("/in/probe/relay")
                .retry(new RetryPolicy(3, 200, 2.0, 1000))
                .deliverTo(target + "?throwExceptionOnFailure=true"));
    }
}
