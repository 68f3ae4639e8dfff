package fr.aisne.hub.connector.echo;

import java.io.IOException;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Json;

/**
 * The in-process shape: records a note {@code {"subject": "...", "text": "..."}} in the connector's table
 * {@code echo_note}. A note without a subject is refused for good (permanent: no retry can mend it); a database
 * that fails is temporary (the hub retries later). Recording the same exchange twice (a redelivery) is harmless:
 * the exchange id is the table's key.
 */
final class NoteHandler implements DeliveryHandler {
    private final Jdbc jdbc;
    private final Clock clock;

    NoteHandler(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        JsonNode note;
        try {
            note = Json.MAPPER.readTree(d.payloadText());
        } catch (IOException e) {
            throw DeliveryFailure.permanent("the note is not JSON");
        }
        String subject = note.path("subject").asText("");
        if (subject.isBlank() || subject.length() > 100) {
            throw DeliveryFailure.permanent("a note needs a subject of 1 to 100 characters");
        }
        try {
            boolean added = jdbc.insertIfAbsent("INSERT INTO echo_note (exchange_id, subject, text_length, recorded_at) "
                    + "VALUES (?,?,?,?)", d.exchangeId(), subject, note.path("text").asText("").length(), clock.instant());
            return DeliveryResult.delivered(added ? "note recorded" : "note already recorded");
        } catch (Jdbc.StoreException e) {
            throw DeliveryFailure.temporary("echo_note not written: " + e.getMessage());
        }
    }
}
