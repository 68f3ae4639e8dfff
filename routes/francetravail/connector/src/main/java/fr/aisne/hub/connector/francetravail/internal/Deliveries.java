package fr.aisne.hub.connector.francetravail.internal;

import java.io.InputStream;

import org.apache.camel.Processor;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.connector.francetravail.client.FtException;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.spi.ValidationException;

/**
 * The delivery endpoints of the connector's flows (direct: routes in the hub's context, without an error
 * handler of their own: a failure goes back to the core's delivery route). What France Travail refuses or finds
 * invalid is not retried: it is quarantined at once with the reason (a ValidationException for the core); what
 * may work later is thrown as is, and the core retries it with the connector's retry policy.
 */
final class Deliveries {
    private final FtSettings settings;
    private final Identification identification;
    private final PersonFlows persons;
    private final RefreshBatch batch;

    Deliveries(FtSettings settings, Identification identification, PersonFlows persons, RefreshBatch batch) {
        this.settings = settings;
        this.identification = identification;
        this.persons = persons;
        this.batch = batch;
    }

    @FunctionalInterface
    interface Work {
        String run(ObjectNode payload, String exchangeId) throws Exception;
    }

    Processor identification() {
        return processor((p, id) -> identification.identify(Payloads.person(p).personId(), id, settings.agent()).detail());
    }

    Processor orientation() {
        return processor((p, id) -> {
            Payloads.OrientationRequest r = Payloads.orientation(p);
            return persons.orientation(r.personId(), r.parcours(), r.origine(), agentOr(r.agent()), id);
        });
    }

    Processor refresh() {
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

    Processor rendezVous() {
        return processor((p, id) -> {
            Payloads.RendezVousRequest r = Payloads.rendezVous(p);
            return persons.rendezVous(r.personId(), r.action(), r.reference(), r.id(), r.fields(), agentOr(r.agent()), id);
        });
    }

    Processor batch() {
        return processor((p, id) -> batch.run(id));
    }

    private Agent agentOr(Agent a) {
        return a != null ? a : settings.agent();
    }

    @FunctionalInterface
    interface After {
        void done(ObjectNode payload, String exchangeId);
    }

    private static Processor processor(Work work) {
        return processor(work, (p, id) -> { });
    }

    private static Processor processor(Work work, After after) {
        return e -> {
            String exchangeId = e.getMessage().getHeader(DeliveryHeaders.EXCHANGE_ID, String.class);
            ObjectNode payload;
            try (InputStream in = e.getMessage().getBody(InputStream.class)) {
                payload = Payloads.read(in);
            }
            String detail = run(work, payload, exchangeId);
            after.done(payload, exchangeId);
            e.getMessage().setBody(null);
            e.getMessage().setHeader(DeliveryHeaders.DETAIL, detail);
        };
    }

    static String run(Work work, ObjectNode payload, String exchangeId) throws Exception {
        try {
            return work.run(payload, exchangeId);
        } catch (FtException f) {
            if (f.retryable()) {
                throw f;
            }
            throw new ValidationException(f.getMessage());
        }
    }
}
