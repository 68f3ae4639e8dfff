package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.ValidationException;

/**
 * Delivers flow {@code departement/offre}: the offer, checked again (a replay runs with today's date and the current
 * settings), replaces the published one in one transaction ({@link OfferStore}). An offer that no longer passes is
 * quarantined with its problems and the published offer stays as it was; a database failure is retried. Publishing
 * the same offer again writes nothing.
 */
final class OfferHandler implements DeliveryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OfferHandler.class);

    private final OfferCheck check;
    private final OfferStore store;
    private final Clock clock;

    OfferHandler(OfferCheck check, OfferStore store, Clock clock) {
        this.check = check;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        JsonNode offre;
        try (InputStream in = d.openPayload()) {
            offre = OfferCheck.read(in);
        } catch (ValidationException e) {
            throw DeliveryFailure.permanent(e.describe());
        } catch (IOException e) {
            throw DeliveryFailure.temporary("the offer could not be read: " + e.getClass().getSimpleName());
        }
        OfferCheck.Result r = check.check(offre, LocalDate.ofInstant(clock.instant(), DirectoryHandler.PARIS));
        if (!r.valid()) {
            throw DeliveryFailure.permanent("offer not published, " + r.errors().size() + " problems: "
                    + Problem.describe(r.errors(), OfferCheck.SHOWN));
        }
        OfferStore.Publication p;
        try {
            p = store.publish(r.mapped(), d.exchangeId(), d.sender());
        } catch (Jdbc.StoreException e) {
            throw DeliveryFailure.temporary("offer not published, tables not written: " + e.getMessage());
        }
        String detail = "offer published: " + p.structures() + " structures, " + p.services() + " services ("
                + p.inserted() + " new, " + p.updated() + " changed, " + p.unchanged() + " unchanged, " + p.withdrawn()
                + " withdrawn)" + (r.warnings().isEmpty() ? "" : "; warnings: " + Problem.describe(r.warnings(), 5));
        LOG.info("Dora: {} (exchange {})", detail, d.exchangeId());
        return DeliveryResult.delivered(detail);
    }
}
