package fr.aisne.hub.connector.ouiform.internal;

import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.ouiform.contract.Messages;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The delivery of flow {@code ouiform/prescription}: the department's request becomes the contract's
 * {@code soumettrePrescription}, the beneficiary filled from the registry through the disclosure rules
 * ({@code disclose.ouiform.<purpose>}, logged by the registry), and is sent to OuiForm. The hub's id of the
 * prescription is given at the first attempt and kept across retries and replays, so that a prescription OuiForm
 * registered while its answer was lost is answered DOUBLON, with its id, rather than created twice.
 */
final class PrescriptionHandler implements DeliveryHandler {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final OuiFormSettings settings;
    private final PrescriptionStore store;
    private final PersonRegistry registry;
    private final RegistryRecorder recorder;
    private final OuiFormClient client;
    private final Clock clock;

    PrescriptionHandler(OuiFormSettings settings, PrescriptionStore store, PersonRegistry registry,
            RegistryRecorder recorder, OuiFormClient client, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.registry = registry;
        this.recorder = recorder;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        PrescriptionRequest req;
        try (InputStream in = d.openPayload()) {
            req = PrescriptionRequest.parse(in);
        } catch (ValidationException e) {
            throw DeliveryFailure.permanent("prescription request unreadable: " + e.describe());
        } catch (java.io.IOException e) {
            throw DeliveryFailure.temporary("the stored request could not be read: " + e.getClass().getSimpleName());
        }
        LocalDate date = req.datePrescription() == null ? LocalDate.now(clock.withZone(PARIS))
                : LocalDate.parse(req.datePrescription());
        String siret = req.prescripteur() != null && req.prescripteur().siret() != null ? req.prescripteur().siret()
                : settings.prescripteurSiret();
        if (siret == null) {
            throw DeliveryFailure.permanent("no prescripteur.siret in the request nor in " + OuiFormSettings.FILE);
        }
        PrescriptionStore.Prescription row = store.open(d.exchangeId(), d.correlationId(), req.personId(),
                req.idSession(), req.idAction(), date, settings.channel().name());
        if (row.etat() == PrescriptionStore.Etat.ACCEPTEE) {
            return DeliveryResult.delivered("prescription " + row.idHub() + " already registered by OuiForm as "
                    + row.idOuiform() + " (status " + row.statut() + "): nothing sent again");
        }
        ConsolidatedPerson person = registry.find(req.personId()).orElseThrow(() -> {
            store.refused(row.idHub(), "person not in the registry");
            return DeliveryFailure.permanent("person " + req.personId() + " is not in the registry: nothing sent to "
                    + "OuiForm");
        });
        Map<String, Object> disclosed = registry.disclose(req.personId(), RegistryRecorder.PARTNER, settings.purpose(),
                d.exchangeId());
        Beneficiaires.Filled b = Beneficiaires.fill(disclosed, req.commune());
        String rule = "disclose." + RegistryRecorder.PARTNER + "." + settings.purpose();
        if (!b.missing().isEmpty()) {
            String reason = "BENEFICIAIRE_INCOMPLET (checked by the hub, nothing sent to OuiForm): "
                    + String.join(", ", b.missing()) + " not known: the registry holds no value that " + rule
                    + " gives" + (b.missing().stream().anyMatch(m -> m.startsWith("beneficiaire/commune"))
                            ? ", and the request gave no commune" : "")
                    + "; fix the rule or the person's record, then replay";
            store.refused(row.idHub(), reason);
            throw DeliveryFailure.permanent(reason);
        }
        Messages.Prescription message = req.toMessage(row.idHub(), date.toString(), b.beneficiaire(), siret,
                settings.prescripteurLibelle());
        OuiFormClient.Answer answer;
        try {
            answer = client.soumettre(message);
        } catch (DeliveryFailure f) {
            if (f.isPermanent()) {
                store.refused(row.idHub(), f.getMessage());
            } else {
                store.failedAttempt(row.idHub(), f.getMessage());
            }
            throw f;
        }
        Messages.EtatPrescription etat = answer.etat();
        String statut = etat == null ? "prescrit" : etat.statut();
        long sequence = etat == null || etat.sequence() == null ? 1 : etat.sequence();
        String dateEffet = etat == null ? date.toString() : etat.dateEffet();
        RegistryRecorder.Recorded recorded = recorder.prescrit(person, row.idHub(), req.idSession(), statut, dateEffet,
                d.exchangeId());
        store.accepted(row.idHub(), answer.idPrescriptionOuiForm(), statut, sequence, LocalDate.parse(dateEffet),
                recorded.placed() ? RegistryRecorder.PRESCRIPTION_KEY : null);
        String commune = b.communeGiven() ? "; " + recorder.commune(person, req.commune(), d.exchangeId()) : "";
        return DeliveryResult.delivered("prescription " + row.idHub() + " (session " + req.idSession() + ") "
                + (answer.doublon() ? "already registered by OuiForm (DOUBLON) as " : "registered by OuiForm over "
                        + answer.channel() + " as ") + answer.idPrescriptionOuiForm() + ", " + statut
                + "; beneficiary from the registry (" + rule + "): " + String.join(", ", b.sent())
                + (b.notSent().isEmpty() ? "" : "; disclosed by the rule but not carried by the contract, not sent: "
                        + String.join(", ", b.notSent()) + " (narrow " + rule + ")")
                + "; " + recorded.detail() + commune);
    }
}
