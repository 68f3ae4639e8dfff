package fr.aisne.hub.itests;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import fr.aisne.hub.api.Connector;
import fr.aisne.hub.api.ConnectorContext;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.RetryPolicy;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.ObservationJson;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * A stand-in for a partner connector that has already mapped its partner's message to the registry's canonical
 * observation: POST /hub/in/<partner>/<flow>, validated, queued, delivered in-process to the registry.
 */
public class ObservationConnector implements Connector {
    private final String partner;
    private final String flow;
    private final PersonRegistry registry;

    public ObservationConnector(String partner, String flow, PersonRegistry registry) {
        this.partner = partner;
        this.flow = flow;
        this.registry = registry;
    }

    @Override
    public String id() {
        return "it-" + partner;
    }

    @Override
    public void configure(ConnectorContext context) {
        context.flow(Flow.inbound(partner, flow).acceptHttp("/in/" + partner + "/" + flow)
                .validator(ObservationJson.validator())
                .retry(new RetryPolicy(2, 100, 1.0, 100))
                .deliverTo(d -> {
                    MatchResult r;
                    try (InputStream in = d.openPayload()) {
                        r = registry.observe(ObservationJson.parse(in, partner, d.exchangeId(), Instant.now()));
                    } catch (IOException e) {
                        throw DeliveryFailure.temporary("payload unreadable: " + e.getClass().getSimpleName());
                    } catch (ValidationException | IllegalArgumentException e) {
                        throw DeliveryFailure.permanent(e.getMessage());
                    }
                    return DeliveryResult.delivered("registry: " + r.outcome() + " (" + r.how() + ") person "
                            + r.personId() + (r.candidateId() == null ? "" : ", probable match " + r.candidateId()
                                    + " waits for an operator"));
                }));
    }
}
