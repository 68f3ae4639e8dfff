package fr.aisne.hub.connector.aisneactifs;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Delivers one referent's decision: recorded once in the registry on the person it names (provenance aisne-actifs
 * and the journal id; {@link PersonObservation#REGISTRY_ID}), appended once to the department event feed (the
 * batch is the exchange: a redelivery adds nothing), and for a sanction request handed to the flow that sends it
 * to the CAF. A person the registry does not hold is a permanent refusal (quarantined with the reason).
 */
final class DecisionHandler implements DeliveryHandler {
    static final String PARTNER = "aisne-actifs";

    /** Where a sanction request goes next (the caf/demandes-sanction flow), or null when not a sanction. */
    interface SanctionSink {
        /** Hands the request over; returns what happened, for the journal. */
        String accept(String json, String messageId) throws IOException, DeliveryFailure;
    }

    private final Decision decision;
    private final DecisionSchemas schemas;
    private final PersonRegistry registry;
    private final Supplier<DepartmentEvents> events;
    private final SanctionSink sanctions;

    DecisionHandler(Decision decision, DecisionSchemas schemas, PersonRegistry registry, Supplier<DepartmentEvents> events,
            SanctionSink sanctions) {
        this.decision = decision;
        this.schemas = schemas;
        this.registry = registry;
        this.events = events;
        this.sanctions = sanctions;
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) throws DeliveryFailure {
        try {
            return record(delivery);
        } catch (IOException e) {
            throw DeliveryFailure.temporary("the " + decision.path + " decision could not be read or handed over: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private DeliveryResult record(Delivery delivery) throws DeliveryFailure, IOException {
        JsonNode d;
        try {
            d = Json.readPayload(delivery.openPayload(), "the " + decision.path + " decision");
            schemas.check(decision, d); // again: a replay after a contract change meets the current schema
        } catch (ValidationException e) {
            throw DeliveryFailure.permanent(e.getMessage());
        }
        String personId = d.path("personId").asText();
        Optional<ConsolidatedPerson> person = registry.find(personId);
        if (person.isEmpty()) {
            throw DeliveryFailure.permanent("person " + personId + " is not in the registry (purged, or an id the hub "
                    + "never gave): the " + decision.path + " decision is kept here for an operator");
        }
        DepartmentEvents feed = events.get();
        if (feed == null) {
            throw DeliveryFailure.temporary("the department event feed is not available (registry starting?)");
        }
        Decision.Mapped m = decision.map(d);
        String exchange = delivery.exchangeId();
        StringBuilder detail = new StringBuilder(decision.path).append(" ").append(d.path("decisionId").asText())
                .append(" for person ").append(personId);
        if (!m.attributes().isEmpty()) {
            MatchResult r = registry.observe(new PersonObservation(PARTNER, exchange, m.occurredAt(), null,
                    Map.of(PersonObservation.REGISTRY_ID, personId), m.attributes(), null));
            if (r.outcome() != MatchResult.Outcome.CERTAIN || !personId.equals(r.personId())) {
                // only if the person was purged between the two calls: never recorded on someone else
                throw DeliveryFailure.permanent("registry placed the " + decision.path + " decision " + r.outcome()
                        + " instead of on person " + personId);
            }
            detail.append("; registry: ").append(String.join(", ", m.attributes().keySet()));
        }
        String household = person.get().households().stream().findFirst()
                .map(h -> h.numorg() + "/" + h.matricule()).orElse(null);
        int added = feed.publish(exchange, List.of(DepartmentEvent.of(m.eventType(), personId, household, m.occurredAt(),
                PARTNER, exchange, m.details())));
        detail.append("; event ").append(m.eventType()).append(added == 0 ? " (already published)" : "");
        if (decision == Decision.SANCTION && sanctions != null) {
            ObjectNode request = Json.MAPPER.createObjectNode().put("personId", personId)
                    .put("decisionId", d.path("decisionId").asText()).put("motif", d.path("motif").asText())
                    .put("dateConstat", d.path("dateConstat").asText()).put("demandeLe", d.path("decideLe").asText())
                    .put("referentId", d.path("referent").path("id").asText()).put("source", exchange);
            detail.append("; CAF: ").append(sanctions.accept(Json.write(request), "aa-" + exchange));
        }
        return DeliveryResult.delivered(detail.toString());
    }
}
