package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the double logs (its own loggers at DEBUG, see the surefire settings) during a full scenario: ids, statuses
 * and codes, never a name, date of birth, commune, e-mail, phone, France Travail number, NIR, password or token.
 */
public class LogHygieneTest extends DoubleTestSupport {
    static HubStub hub;

    @BeforeClass
    public static void start() throws Exception {
        hub = new HubStub();
        startDouble(Map.of("hub.rest.url", hub.restUrl(), "hub.soap.url", hub.soapUrl(), "hub.password",
                "mot-de-passe-du-hub", "status.positionedAfterSeconds", "1", "status.enteredAfterSeconds", "1",
                "account.aisne-hub.password", PASSWORD, "account.autre.token", "jeton-secret-de-test"));
    }

    @AfterClass
    public static void stopHub() {
        hub.close();
    }

    @Test
    public void noPersonalValueOrSecretInTheLogs() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            soap("soumettrePrescription", prescriptionXml("HUB-L-1", Catalogue.SESSION_OUVERTE));
            post(RestApi.PRESCRIPTIONS, prescriptionJson("HUB-L-2", Catalogue.SESSION_HIRSON).toString(),
                    Map.of("Authorization", "Bearer jeton-secret-de-test"));
            ObjectNode nir = prescriptionJson("HUB-L-3", Catalogue.SESSION_OUVERTE);
            ((ObjectNode) nir.get("beneficiaire")).put("nir", "185057800608436");
            post(RestApi.PRESCRIPTIONS, nir.toString(), basic());
            soap("soumettrePrescription", prescriptionXml("HUB-L-4", Catalogue.SESSION_OUVERTE)
                    .replace("<of:numeroFranceTravail>", "<of:nir>285057800608411</of:nir><of:numeroFranceTravail>"));
            soap("soumettrePrescription", prescriptionXml("HUB-L-5", Catalogue.SESSION_OUVERTE), basic(ACCOUNT, "faux-mdp"));
            post(RestApi.PRESCRIPTIONS, "{}", Map.of("Authorization", "Bearer faux-jeton"));
            hub.await(r -> r.body().contains("entre"), 2, 15);
            control("/statut", "{\"idPrescriptionHub\":\"HUB-L-1\",\"statut\":\"abandon\",\"motif\":\"Déménagement\"}");
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue("the double's lines were captured: " + logs, logs.contains("SOAP soumettrePrescription -> 200"));
        assertTrue(logs.contains("REST POST /v1/prescriptions -> 400"));
        assertTrue(logs.contains("is now abandon"));
        for (String secret : new String[] {"DUPONT", "Camille", "1990-02-14", "Laon", "12345678901", "claire.martin",
            "MARTIN", "03 23 00 00 42", "185057800608436", "285057800608411", PASSWORD, "faux-mdp",
            "jeton-secret-de-test", "faux-jeton", "mot-de-passe-du-hub", "Déménagement"}) {
            assertFalse("logged: " + secret, logs.contains(secret));
        }
    }
}
