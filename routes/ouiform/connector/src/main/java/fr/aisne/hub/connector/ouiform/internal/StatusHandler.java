package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.ouiform.contract.Messages.EvenementStatut;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;

/**
 * The delivery of flow {@code ouiform/statuts}: a status event OuiForm sent (SOAP notifierStatut or REST, already
 * checked against the contract and journaled). Recorded once per idEvenement; applied as the prescription's current
 * status when it is newer (its sequence) and the current one is not final (sorti, abandon), otherwise kept for
 * review; recorded in the registry with provenance ouiform; and, for an entry, an exit or an abandonment, published
 * in the department's event feed ({@code formation.entree}, {@code formation.sortie}, {@code formation.abandon}) with
 * this exchange as its batch (a delivery run twice publishes once).
 */
final class StatusHandler implements DeliveryHandler {
    static final String ENTREE = "formation.entree";
    static final String SORTIE = "formation.sortie";
    static final String ABANDON = "formation.abandon";
    /** The statuses OuiForm notifies (prescrit is the answer to the prescription, sequence 1, never notified). */
    private static final Set<String> NOTIFIED = Set.of("positionne", "entre", "sorti", "abandon");

    private final PrescriptionStore store;
    private final RegistryRecorder recorder;
    private final Supplier<DepartmentEvents> events;

    StatusHandler(PrescriptionStore store, RegistryRecorder recorder, Supplier<DepartmentEvents> events) {
        this.store = store;
        this.recorder = recorder;
        this.events = events;
    }

    static EvenementStatut read(Delivery d) throws DeliveryFailure {
        try {
            return Json.MAPPER.readValue(d.payloadText(), EvenementStatut.class);
        } catch (IOException e) {
            throw DeliveryFailure.permanent("status event unreadable: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        EvenementStatut e = read(d);
        PrescriptionStore.Prescription p = store.find(e.idPrescriptionHub()).orElseThrow(() -> DeliveryFailure.permanent(
                "PRESCRIPTION_INCONNUE: no prescription " + e.idPrescriptionHub() + " was made through the hub"));
        if (p.etat() == PrescriptionStore.Etat.ENVOI) {
            throw DeliveryFailure.temporary("OuiForm's answer to prescription " + p.idHub() + " is not recorded yet "
                    + "(being sent or retried): this status waits for it");
        }
        Optional<Boolean> before = store.statusApplied(e.idEvenement());
        boolean applied;
        String note;
        if (before.isPresent()) {
            applied = before.get(); // a delivery run again after a crash: what was decided stands
            note = "already recorded";
        } else {
            note = decide(p, e);
            applied = note == null;
            store.recordStatus(e, d.exchangeId(), applied, note);
            if (applied) {
                store.apply(e);
            }
        }
        List<String> parts = new java.util.ArrayList<>();
        parts.add("status " + e.statut() + " (sequence " + e.sequence() + ", " + e.dateEffet() + ") of " + p.idHub()
                + " / " + e.idPrescriptionOuiForm() + (applied ? " applied" : " kept, not applied: " + note));
        if (applied && p.registre() != null) {
            parts.add(recorder.statut(p.personId(), e, p.idSession(), d.exchangeId()));
        } else if (applied) {
            parts.add("registry: not recorded (the prescription could not be placed in the registry)");
        }
        String type = switch (e.statut()) {
            case "entre" -> ENTREE;
            case "sorti" -> SORTIE;
            case "abandon" -> ABANDON;
            default -> null;
        };
        if (type != null) {
            parts.add(publish(type, p, e, d.exchangeId()));
        }
        return DeliveryResult.delivered(String.join("; ", parts));
    }

    /** Null when {@code e} becomes the current status, else why not. */
    private static String decide(PrescriptionStore.Prescription p, EvenementStatut e) {
        if (p.sequence() != null && e.sequence() <= p.sequence()) {
            return "sequence " + e.sequence() + " received after sequence " + p.sequence() + " (out of order): history "
                    + "kept, current status stays " + p.statut();
        }
        if (p.finalStatus()) {
            return "the prescription's status " + p.statut() + " is final";
        }
        // OuiForm is the authority on the life cycle: a skipped step (prescrit then entre) is applied
        return NOTIFIED.contains(e.statut()) ? null : "status " + e.statut() + " is not notified in the contract's life cycle";
    }

    private String publish(String type, PrescriptionStore.Prescription p, EvenementStatut e, String exchangeId)
            throws DeliveryFailure {
        DepartmentEvents feed = events.get();
        if (feed == null) {
            throw DeliveryFailure.temporary("the department event feed (registry) is not available: retried");
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("idPrescriptionHub", p.idHub());
        details.put("idPrescriptionOuiForm", e.idPrescriptionOuiForm());
        details.put("idSession", p.idSession());
        details.put("statut", e.statut());
        details.put("dateEffet", e.dateEffet());
        details.put("sequence", String.valueOf(e.sequence()));
        if (e.motif() != null) {
            details.put("motif", e.motif());
        }
        int added = feed.publish(exchangeId, List.of(DepartmentEvent.of(type, p.personId(), null,
                LocalDate.parse(e.dateEffet()).atStartOfDay(PrescriptionHandler.PARIS).toInstant().atOffset(ZoneOffset.UTC)
                        .toInstant(), RegistryRecorder.PARTNER, exchangeId, details)));
        return "department event " + type + (added == 0 ? " (already in the feed)" : "");
    }
}
