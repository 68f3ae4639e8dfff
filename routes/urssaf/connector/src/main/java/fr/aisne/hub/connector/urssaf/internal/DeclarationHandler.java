package fr.aisne.hub.connector.urssaf.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.urssaf.internal.PayrollClient.Acknowledgement;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredDay;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredLine;

/**
 * Delivers a closed month's declaration (flow urssaf/declarations, payload {@code {"mois":"YYYY-MM"}}) to the payroll
 * service: the declaration and its evidence built from the stored month, sent by SOAP; the acknowledgement recorded
 * (the month DECLARED, nothing of it changes any more); a rejection recorded on the month and the exchange quarantined
 * with the service's reason (replayed once corrected: before the acknowledgement, CTP and rate follow the settings).
 */
final class DeclarationHandler implements DeliveryHandler {
    private final UrssafStore store;
    private final UrssafSettings settings;
    private final PayrollClient client;
    private final Clock clock;

    DeclarationHandler(UrssafStore store, UrssafSettings settings, PayrollClient client, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) throws DeliveryFailure {
        YearMonth month = month(delivery);
        MonthRow row = store.month(month).orElseThrow(() -> DeliveryFailure.permanent("mois " + month + " non clos"));
        if (UrssafStore.DECLARED.equals(row.state())) {
            return DeliveryResult.ignored("mois " + month + " déjà déclaré (dépôt " + row.depositNumber() + ")");
        }
        int changed = store.retariff(month, settings.tariffs());
        row = store.month(month).orElseThrow();
        List<StoredLine> lines = store.lines(month);
        List<StoredDay> days = store.days(month);
        byte[] csv = Evidence.csv(row, days);
        byte[] json = Evidence.json(row, settings.declarantSiret(), lines, days);
        Acknowledgement ack;
        try {
            ack = client.deposit(PayrollClient.envelope(row, settings.declarantSiret(), lines, csv, json));
        } catch (DeliveryFailure f) {
            store.rejected(month, f.getMessage(), clock.instant());
            throw f;
        }
        store.declared(month, ack.depositNumber(), clock.instant());
        return DeliveryResult.delivered("déclaration AT/MP " + month + " déposée, dépôt " + ack.depositNumber() + " : "
                + row.hours().add(row.adjHours()).toPlainString() + " h, " + row.total().toPlainString() + " EUR"
                + (changed > 0 ? " (CTP/taux repris des réglages sur " + changed + " jour(s))" : ""));
    }

    static YearMonth month(Delivery delivery) throws DeliveryFailure {
        try {
            JsonNode n = Json.MAPPER.readTree(delivery.payloadText());
            return YearMonth.parse(n.path("mois").asText(""));
        } catch (IOException | DateTimeParseException e) {
            throw DeliveryFailure.permanent("message de déclaration illisible : champ mois attendu (AAAA-MM)");
        }
    }
}
