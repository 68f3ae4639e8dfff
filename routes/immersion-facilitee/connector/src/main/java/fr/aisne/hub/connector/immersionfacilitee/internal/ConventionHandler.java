package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Stored;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Trigger;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.Answer;
import fr.aisne.hub.connector.immersionfacilitee.internal.PlatformClient.PlatformException;

/**
 * Delivers flow immersion-facilitee/conventions: reads the convention again ({@code GET /v2/conventions/{id}}) before
 * trusting anything, whatever handed it over (a webhook call, the reconciliation, an operator), then keeps it if the
 * department prescribes it ({@link DepartmentScope}), ignores it with the reason otherwise. Calls of one convention are
 * delivered one at a time in the order received (its id is the ordering key); since each reads the platform's current
 * state, duplicates and calls out of order converge to it, and a call received before the hub last read the convention
 * is answered without a new read. A 403 (the convention moved to another agency, out of the hub's reach) or a 404 takes
 * it out of the department's conventions with that reason. The platform unavailable, slow or limiting: a temporary
 * failure, retried by the hub after the wait.
 */
final class ConventionHandler implements DeliveryHandler {
    private final PlatformClient platform;
    private final ConventionRecorder recorder;
    private final DepartmentScope scope;

    ConventionHandler(PlatformClient platform, ConventionRecorder recorder, DepartmentScope scope) {
        this.platform = platform;
        this.recorder = recorder;
        this.scope = scope;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        HandOver h;
        try (InputStream in = d.openPayload()) {
            h = HandOver.parse(in);
        } catch (ValidationException | IOException e) {
            throw DeliveryFailure.permanent("hand-over unreadable: " + e.getMessage());
        }
        ConventionStore store = recorder.store();
        Stored before = store.storedOf(h.conventionId()).orElse(null);
        if (HandOver.WEBHOOK.equals(h.trigger()) && before != null && h.receivedAt() != null
                && before.lastRead().isAfter(h.receivedAt())) {
            return DeliveryResult.delivered("convention " + h.conventionId() + " already read again at " + before.lastRead()
                    + ", after this call was received: nothing new to read");
        }
        Answer a;
        try {
            a = platform.convention(h.conventionId(), false);
        } catch (PlatformException e) {
            throw e.toDeliveryFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrupted");
        }
        Trigger by = new Trigger(h.trigger(), d.exchangeId());
        switch (a.status()) {
            case 200 -> {
                JsonNode json;
                try {
                    json = a.json();
                } catch (PlatformException e) {
                    throw e.toDeliveryFailure();
                }
                Convention c;
                try {
                    c = PlatformMapping.map(json);
                } catch (PlatformMapping.MappingException e) {
                    throw DeliveryFailure.permanent("convention " + h.conventionId() + " unusable: " + e.getMessage());
                }
                if (!c.key().equals(h.conventionId())) {
                    throw DeliveryFailure.permanent("Immersion Facilitée answered another convention than the one asked");
                }
                DepartmentScope.Decision decision = scope.decide(c.prescriber());
                if (!decision.department()) {
                    if (before != null && before.inDepartment()) {
                        return DeliveryResult.delivered(recorder.removeInScope(c, "no longer prescribed by the department: "
                                + decision.reason(), by));
                    }
                    store.seen(c.key(), recorder.fingerprints().of(c), "IGNORED");
                    return DeliveryResult.ignored("convention " + c.key() + " not the department's: " + decision.reason()
                            + "; nothing stored");
                }
                return DeliveryResult.delivered(recorder.record(c, by, null));
            }
            case 403, 404 -> {
                String reason = a.status() == 403
                        ? "Immersion Facilitée answers 403 on re-read: the convention was transferred to another agency, "
                                + "out of the hub's reach"
                        : "Immersion Facilitée answers 404 on re-read: no such convention";
                store.seen(h.conventionId(), null, a.status() == 403 ? "FORBIDDEN" : "NOT_FOUND");
                if (recorder.remove(h.conventionId(), reason, by)) {
                    return DeliveryResult.delivered("convention " + h.conventionId() + " removed from the department's "
                            + "conventions: " + reason);
                }
                return DeliveryResult.ignored("convention " + h.conventionId() + ": " + reason + "; nothing stored");
            }
            case 400 -> throw DeliveryFailure.permanent("Immersion Facilitée refuses the request for convention "
                    + h.conventionId() + " (400 " + a.message() + ")");
            default -> throw DeliveryFailure.temporary("Immersion Facilitée answered HTTP " + a.status() + " for convention "
                    + h.conventionId());
        }
    }
}
