package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.immersionfacilitee.internal.ConventionStore.Trigger;

/**
 * Delivers flow departement/immersions: the department's own immersions (checked when received, see
 * {@link DepartmentImmersions}) feed the same conventions as the platform's, under the key {@code cd-<reference>}; a
 * later entry with the same reference is a new version (hours done, assessment, cancellation). An entry naming a
 * {@code personId} whose probable match is exactly that person is confirmed in the sender's name.
 */
final class DepartmentHandler implements DeliveryHandler {
    private final ConventionRecorder recorder;

    DepartmentHandler(ConventionRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        JsonNode doc;
        try (InputStream in = d.openPayload()) {
            doc = DepartmentImmersions.read(in);
        } catch (ValidationException | IOException e) {
            throw DeliveryFailure.permanent("immersion unreadable: " + e.getMessage());
        }
        List<String> problems = DepartmentImmersions.problems(doc);
        if (!problems.isEmpty()) {
            // replayed after a change of rules: the same precise reasons as at reception
            throw DeliveryFailure.permanent(String.join("; ", problems));
        }
        Convention c = DepartmentImmersions.toConvention(doc);
        return DeliveryResult.delivered(recorder.record(c, new Trigger(Convention.DEPARTEMENT, d.exchangeId()),
                "departement:" + d.sender()));
    }
}
