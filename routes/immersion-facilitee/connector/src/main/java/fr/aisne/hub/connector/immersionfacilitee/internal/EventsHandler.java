package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;

/**
 * Delivers flow departement/evenements-immersion into the department's event feed (as the CAF connector does for its
 * events): a message delivered twice is recorded once, the feed being idempotent per exchange.
 */
final class EventsHandler implements DeliveryHandler {
    private static final TypeReference<List<DepartmentEvent>> EVENTS = new TypeReference<>() { };
    private final Supplier<DepartmentEvents> feed;

    EventsHandler(Supplier<DepartmentEvents> feed) {
        this.feed = feed;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        List<DepartmentEvent> events;
        try (InputStream in = d.openPayload()) {
            events = Json.MAPPER.readValue(in, EVENTS);
        } catch (IOException e) {
            throw DeliveryFailure.permanent("events unreadable: " + e.getClass().getSimpleName());
        }
        DepartmentEvents f = feed.get();
        if (f == null) {
            throw DeliveryFailure.temporary("the department's event feed (DepartmentEvents) is not available");
        }
        int added = f.publish(d.exchangeId(), events);
        return DeliveryResult.delivered(added + " event(s) " + String.join(", ", events.stream().map(DepartmentEvent::type)
                .toList()) + " in the department's feed" + (added == 0 ? " (already there)" : ""));
    }
}
