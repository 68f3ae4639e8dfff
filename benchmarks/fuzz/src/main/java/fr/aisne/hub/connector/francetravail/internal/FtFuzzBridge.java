package fr.aisne.hub.connector.francetravail.internal;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.PayloadValidator;

/**
 * Opens the France Travail connector's package-private parsers to the fuzzer. Lives in benchmarks/fuzz only (same
 * package name on a plain class path); the connector's bundle knows nothing of it.
 */
public final class FtFuzzBridge {
    private FtFuzzBridge() {
    }

    /** The intake validators of the connector's flows: identification, refresh, orientation, rendez-vous, batch. */
    public static List<PayloadValidator> intakeValidators() {
        return List.of(Payloads.identificationValidator(), Payloads.refreshValidator(), Payloads.orientationValidator(),
                Payloads.rendezVousValidator(), Payloads.batchValidator());
    }

    /** Every mapping of a France Travail answer to registry attributes, as the deliveries apply them. */
    public static int mapAll(JsonNode body) {
        int n = FtMapping.orientation(body).size();
        n += FtMapping.contrat(body).size();
        n += FtMapping.informationsAdministratives(body).size();
        n += FtMapping.numero(body) == null ? 0 : 1;
        n += FtMapping.rqth(body).size();
        return n;
    }

    /** The appointment id of a rendez-vous creation's answer. */
    public static String appointmentId(JsonNode body) {
        return PersonFlows.appointmentId(body);
    }
}
