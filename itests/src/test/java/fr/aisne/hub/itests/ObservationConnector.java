package fr.aisne.hub.itests;

import java.util.List;

import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.HubConnector;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.registry.ObservationJson;

/**
 * A stand-in for a partner connector that has already mapped its partner's message to the registry's
 * canonical observation: POST /hub/in/<partner>/<flow>, validated, queued, delivered to the registry.
 */
public class ObservationConnector implements HubConnector {
    private final String partner;
    private final String flow;

    public ObservationConnector(String partner, String flow) {
        this.partner = partner;
        this.flow = flow;
    }

    @Override
    public String id() {
        return "it-" + partner;
    }

    @Override
    public List<Flow> flows() {
        return List.of(Flow.inbound(partner, flow).acceptHttp("/in/" + partner + "/" + flow)
                .validator(ObservationJson.validator())
                .retry(new RetryPolicy(2, 100, 1.0, 100))
                .deliverTo("direct:hub.registry.observe"));
    }
}
