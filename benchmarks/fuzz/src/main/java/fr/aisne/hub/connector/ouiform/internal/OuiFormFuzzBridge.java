package fr.aisne.hub.connector.ouiform.internal;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.Messages;

/**
 * Opens the OuiForm connector's package-private parsers to the fuzzer. Lives in benchmarks/fuzz only (same package
 * name on a plain class path); the connector's bundle knows nothing of it.
 */
public final class OuiFormFuzzBridge {
    private OuiFormFuzzBridge() {
    }

    /** The intake validators: the department's prescription request, then a status event as journaled. */
    public static List<PayloadValidator> intakeValidators(Contract contract) {
        return List.of(PrescriptionRequest.validator(contract, "22020000000019"), OuiFormRuntime.statusValidator(contract));
    }

    /**
     * {@code soumettrePrescription} of {@code p} to OuiForm through the connector's real client, over {@code http}, on
     * {@code channel} (soap or rest): OuiForm's id of the prescription, or the client's DeliveryFailure.
     */
    public static Callable<String> soumettre(String channel, Contract contract, PartnerGuard guard, HttpClient http,
            Messages.Prescription p) {
        OuiFormSettings s = OuiFormSettings.from(Map.of("ouiform.channel", channel, "ouiform.password", "fuzz-password",
                "ouiform.soap.url", "http://127.0.0.1:9/ouiform/soap/v1", "ouiform.rest.url", "http://127.0.0.1:9/ouiform/api"),
                CLEAR);
        OuiFormClient c = new OuiFormClient(s, contract, guard, http);
        return () -> c.soumettre(p).idPrescriptionOuiForm();
    }

    /** Settings in clear (nothing sealed). */
    private static final Secrets CLEAR = new Secrets() {
        @Override
        public String reveal(String settingValue) {
            return settingValue;
        }

        @Override
        public boolean isSealed(String settingValue) {
            return false;
        }

        @Override
        public String sealSetting(String clear) {
            return clear;
        }

        @Override
        public String seal(String clear, String use) {
            return clear;
        }

        @Override
        public String open(String sealed, String use) {
            return sealed;
        }
    };
}
