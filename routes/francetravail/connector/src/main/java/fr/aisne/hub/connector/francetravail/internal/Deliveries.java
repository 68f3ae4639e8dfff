package fr.aisne.hub.connector.francetravail.internal;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.connector.francetravail.client.FtException;

/**
 * The delivery handlers of the connector's flows. What France Travail refuses or finds invalid is not retried: it
 * is a permanent failure (quarantined at once with the reason); what may work later is a temporary failure,
 * carrying France Travail's Retry-After when it gave one, and the hub retries it with the connector's retry policy
 * without holding a thread.
 */
final class Deliveries {
    private final FtSettings settings;
    private final Identification identification;
    private final PersonFlows persons;
    private final RefreshBatch batch;
    private final FtEvents events;

    Deliveries(FtSettings settings, Identification identification, PersonFlows persons, RefreshBatch batch,
            FtEvents events) {
        this.settings = settings;
        this.identification = identification;
        this.persons = persons;
        this.batch = batch;
        this.events = events;
    }

    @FunctionalInterface
    interface Work {
        String run(ObjectNode payload, String exchangeId) throws Exception;
    }

    DeliveryHandler identification() {
        return processor((p, id) -> identification.identify(Payloads.person(p).personId(), id, settings.agent()).detail(),
                (p, id) -> events.identified(p.path("personId").asText(), id));
    }

    DeliveryHandler orientation() {
        return processor((p, id) -> {
            Payloads.OrientationRequest r = Payloads.orientation(p);
            return persons.orientation(r.personId(), r.parcours(), r.origine(), agentOr(r.agent()), id);
        }, (p, id) -> events.orientationRead(p.path("personId").asText(), id));
    }

    DeliveryHandler refresh() {
        return processor((p, id) -> {
            Payloads.PersonRequest r = Payloads.person(p);
            Agent agent = r.batch() != null ? settings.batchAgent() : settings.agent();
            try {
                return persons.refresh(r.personId(), agent, id);
            } catch (FtException e) {
                // A refresh given up counts as done for the batch progress; a retryable one counts when it succeeds.
                if (!e.retryable() && r.batch() != null) {
                    batch.refreshed(r.batch());
                }
                throw e;
            }
        }, (p, id) -> {
            String b = p.hasNonNull("batch") ? p.get("batch").asText() : null;
            if (b != null) {
                batch.refreshed(b);
            }
        });
    }

    DeliveryHandler rendezVous() {
        return processor((p, id) -> {
            Payloads.RendezVousRequest r = Payloads.rendezVous(p);
            return persons.rendezVous(r.personId(), r.action(), r.reference(), r.id(), r.fields(), agentOr(r.agent()), id);
        });
    }

    DeliveryHandler batch() {
        return processor((p, id) -> batch.run(id));
    }

    private Agent agentOr(Agent a) {
        return a != null ? a : settings.agent();
    }

    @FunctionalInterface
    interface After {
        void done(ObjectNode payload, String exchangeId);
    }

    private static DeliveryHandler processor(Work work) {
        return processor(work, (p, id) -> { });
    }

    private static DeliveryHandler processor(Work work, After after) {
        return d -> {
            ObjectNode payload;
            try (InputStream in = d.openPayload()) {
                payload = Payloads.read(in);
            } catch (ValidationException e) {
                throw DeliveryFailure.permanent(e.describe());
            } catch (IOException e) {
                throw DeliveryFailure.temporary("stored payload unreadable: " + Redaction.describe(e));
            }
            String detail = run(work, payload, d.exchangeId());
            after.done(payload, d.exchangeId());
            return DeliveryResult.delivered(detail);
        };
    }

    /** France Travail's answer, or the hub's own failure, as the hub's two failure signals. */
    static String run(Work work, ObjectNode payload, String exchangeId) throws DeliveryFailure {
        try {
            return work.run(payload, exchangeId);
        } catch (FtException f) {
            if (!f.retryable()) {
                throw DeliveryFailure.permanent(f.getMessage());
            }
            return f.retryAfter().isPresent() ? failTemporarily(f.getMessage(), f.retryAfter().get())
                    : failTemporarily(f.getMessage(), null);
        } catch (ValidationException v) {
            throw DeliveryFailure.permanent(v.describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrupted");
        } catch (IOException | Jdbc.StoreException e) {
            throw DeliveryFailure.temporary(Redaction.describe(e));
        } catch (Exception e) {
            throw DeliveryFailure.temporary(Redaction.describe(e));
        }
    }

    private static String failTemporarily(String reason, java.time.Duration retryAfter) throws DeliveryFailure {
        throw retryAfter == null ? DeliveryFailure.temporary(reason) : DeliveryFailure.temporary(reason, retryAfter);
    }
}
