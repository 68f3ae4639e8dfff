package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.PayloadValidator;

/**
 * Opens the Dora connector's package-private parsers to the fuzzer. Lives in benchmarks/fuzz only (same package name
 * on a plain class path); the connector's bundle knows nothing of it.
 */
public final class DoraFuzzBridge {
    private DoraFuzzBridge() {
    }

    /**
     * The directory's delivery handler ({@link DirectoryHandler}: every item checked against schema v1 and its rules,
     * the valid ones written to the real tables), given each input as page 1 of the structures and then, if that was
     * delivered, of the services (partner message ids {@code fuzz-run:structures:1}, {@code fuzz-run:services:1}).
     */
    public static DeliveryHandler directoryPages(Jdbc jdbc, Clock clock) {
        DirectoryHandler h = new DirectoryHandler(new SchemaV1(), new DirectoryStore(jdbc, clock), new PullReports(), clock);
        return d -> {
            h.deliver(page(d, "fuzz-run:structures:1"));
            return h.deliver(page(d, "fuzz-run:services:1"));
        };
    }

    /** The department's offer, checked whole at intake ({@link OfferCheck}, the settings' default source and zone). */
    public static PayloadValidator offerCheck(Clock clock) {
        return new OfferCheck(new SchemaV1(), new OfferMapping("departement-aisne", List.of("02")), clock);
    }

    private static Delivery page(Delivery d, String partnerMessageId) {
        return new Delivery() {
            @Override
            public String exchangeId() {
                return d.exchangeId();
            }

            @Override
            public String correlationId() {
                return d.correlationId();
            }

            @Override
            public String partner() {
                return DoraConnector.ID;
            }

            @Override
            public String flow() {
                return "directory";
            }

            @Override
            public String contentType() {
                return "application/json";
            }

            @Override
            public String partnerMessageId() {
                return partnerMessageId;
            }

            @Override
            public String orderingKey() {
                return "directory";
            }

            @Override
            public String sender() {
                return d.sender();
            }

            @Override
            public int attempt() {
                return 1;
            }

            @Override
            public long size() {
                return d.size();
            }

            @Override
            public InputStream openPayload() throws IOException {
                return d.openPayload();
            }
        };
    }
}
