package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The events the double sends to the hub's side, received by a small HTTP server standing for the hub
 * ({@link HubStub}): the automatic life cycle (positionne, then entre), statuses on demand, in SOAP and in REST,
 * each checked against the contract; retries while the hub is unavailable, a refusal kept, an event sent twice;
 * the catalogue published.
 */
public class StatusEventsTest extends DoubleTestSupport {
    static HubStub hub;

    @BeforeClass
    public static void start() throws Exception {
        hub = new HubStub();
        startDouble(Map.of("hub.soap.url", hub.soapUrl(), "hub.rest.url", hub.restUrl(), "hub.username", "region-ouiform",
                "hub.password", "secret-du-hub-pour-les-tests", "status.positionedAfterSeconds", "1",
                "status.enteredAfterSeconds", "1"));
    }

    @AfterClass
    public static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Before
    public void clearHub() {
        hub.requests.clear();
    }

    private static boolean isSoapStatus(HubStub.Request r) {
        return r.path().equals("/hub/ouiform/soap/v1") && r.body().contains("notifierStatut");
    }

    private static String submitSoap(String idHub, String session) throws Exception {
        HttpResponse<String> r = soap("soumettrePrescription", prescriptionXml(idHub, session));
        assertEquals(r.body(), 200, r.statusCode());
        return text(bodyChild(r.body()), "idPrescriptionOuiForm");
    }

    private static String submitRest(String idHub, String session) throws Exception {
        HttpResponse<String> r = post(RestApi.PRESCRIPTIONS, prescriptionJson(idHub, session).toString(), basic());
        assertEquals(r.body(), 201, r.statusCode());
        return json(r).get("idPrescriptionOuiForm").asText();
    }

    @Test
    public void soapPrescriptionThenPositionneThenEntreBySoap() throws Exception {
        String idOuiForm = submitSoap("HUB-E-1", Catalogue.SESSION_OUVERTE);
        List<HubStub.Request> events = hub.await(StatusEventsTest::isSoapStatus, 2, 15);
        assertEquals(2, events.size());
        String[] expected = {"positionne", "entre"};
        for (int i = 0; i < 2; i++) {
            HubStub.Request r = events.get(i);
            assertEquals("POST", r.method());
            assertEquals("\"urn:fr:aisne:hub:ouiform:v1:notifierStatut\"", r.header("SOAPAction"));
            assertTrue(r.header("Content-Type").startsWith("text/xml"));
            assertEquals("Basic " + Base64.getEncoder().encodeToString(
                    "region-ouiform:secret-du-hub-pour-les-tests".getBytes(StandardCharsets.UTF_8)), r.header("Authorization"));
            Element e = bodyChild(r.body());
            assertEquals("notifierStatut", e.getLocalName());
            assertValid(e);
            assertEquals(expected[i], text(e, "statut"));
            assertEquals(String.valueOf(i + 2), text(e, "sequence"));
            assertEquals(idOuiForm, text(e, "idPrescriptionOuiForm"));
            assertEquals("HUB-E-1", text(e, "idPrescriptionHub"));
            assertEquals("EVT-" + idOuiForm + "-" + (i + 2), text(e, "idEvenement"));
        }
        awaitNotifications(2, "ACCEPTE");
        HttpResponse<String> c = get(RestApi.PRESCRIPTIONS + "/" + idOuiForm, basic());
        assertEquals("entre", json(c).get("statut").asText());
        assertEquals(3, json(c).get("historique").size());
    }

    @Test
    public void restPrescriptionGetsItsEventsInRest() throws Exception {
        String idOuiForm = submitRest("HUB-E-2", Catalogue.SESSION_EN_COURS);
        List<HubStub.Request> events = hub.await(r -> r.path().endsWith("/statuts"), 2, 15);
        assertEquals(2, events.size());
        for (HubStub.Request r : events) {
            assertEquals("/hub/ouiform/api/v1/prescriptions/HUB-E-2/statuts", r.path());
            assertTrue(r.header("Content-Type").startsWith("application/json"));
            JsonNode e = JSON.readTree(r.body());
            assertValidJson("EvenementStatut", e);
            assertEquals(idOuiForm, e.get("idPrescriptionOuiForm").asText());
        }
        assertEquals("positionne", JSON.readTree(events.get(0).body()).get("statut").asText());
        assertEquals("entre", JSON.readTree(events.get(1).body()).get("statut").asText());
    }

    @Test
    public void statusOnDemandIsSentNowThroughTheChosenChannel() throws Exception {
        String idOuiForm = submitRest("HUB-E-3", Catalogue.SESSION_PERMANENTE);
        hub.await(r -> r.body().contains("entre"), 1, 15);
        HttpResponse<String> r = control("/statut", "{\"idPrescriptionHub\":\"HUB-E-3\",\"statut\":\"abandon\","
                + "\"motif\":\"Reprise d'emploi\",\"canal\":\"SOAP\"}");
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode n = json(r);
        assertEquals("ACCEPTE", n.get("etat").asText());
        assertEquals(1, n.get("tentatives").asInt());
        assertEquals("EVT-" + idOuiForm + "-4", n.get("idEvenement").asText());
        HubStub.Request sent = hub.await(StatusEventsTest::isSoapStatus, 1, 5).get(0);
        Element e = bodyChild(sent.body());
        assertValid(e);
        assertEquals("abandon", text(e, "statut"));
        assertEquals("Reprise d'emploi", text(e, "motif"));

        // the life cycle is enforced unless forced; abandon needs a motif
        HttpResponse<String> refused = control("/statut", "{\"idPrescriptionHub\":\"HUB-E-3\",\"statut\":\"entre\"}");
        assertEquals(400, refused.statusCode());
        assertTrue(json(refused).get("message").asText().contains("abandon -> entre"));
        assertEquals(200, control("/statut", "{\"idPrescriptionHub\":\"HUB-E-3\",\"statut\":\"entre\",\"force\":true}")
                .statusCode());
        String other = submitRest("HUB-E-4", Catalogue.SESSION_OUVERTE);
        assertEquals(400, control("/statut", "{\"idPrescriptionOuiForm\":\"" + other + "\",\"statut\":\"abandon\"}")
                .statusCode());
        assertEquals(404, control("/statut", "{\"idPrescriptionHub\":\"inconnu\",\"statut\":\"abandon\"}").statusCode());
    }

    @Test
    public void unavailableHubIsRetriedRefusalIsKept() throws Exception {
        control("/reset", "");
        submitRest("HUB-E-5", Catalogue.SESSION_HIRSON);
        hub.await(r -> r.body().contains("entre"), 1, 15);
        hub.requests.clear();
        // 503 then accepted: the event is sent again with the same id
        hub.next(1, 503, "application/json", "{\"code\":\"INDISPONIBLE\",\"message\":\"maintenance\"}");
        JsonNode first = json(control("/statut", "{\"idPrescriptionHub\":\"HUB-E-5\",\"statut\":\"sorti\"}"));
        assertEquals("EN_COURS", first.get("etat").asText());
        assertEquals("INDISPONIBLE", first.get("dernierCode").asText());
        List<HubStub.Request> attempts = hub.await(r -> r.path().endsWith("/statuts"), 2, 10);
        assertEquals(2, attempts.size());
        assertEquals(JSON.readTree(attempts.get(0).body()).get("idEvenement"),
                JSON.readTree(attempts.get(1).body()).get("idEvenement"));
        JsonNode done = awaitNotification(first.get("idEvenement").asText(), "ACCEPTE");
        assertEquals(2, done.get("tentatives").asInt());

        // a refusal is final
        submitRest("HUB-E-6", Catalogue.SESSION_HIRSON);
        hub.await(r -> r.body().contains("HUB-E-6") && r.body().contains("entre"), 1, 15);
        hub.next(1, 404, "application/json", "{\"code\":\"PRESCRIPTION_INCONNUE\",\"message\":\"inconnue\"}");
        JsonNode refused = json(control("/statut", "{\"idPrescriptionHub\":\"HUB-E-6\",\"statut\":\"sorti\"}"));
        assertEquals("REFUSE", refused.get("etat").asText());
        assertEquals("PRESCRIPTION_INCONNUE", refused.get("dernierCode").asText());

        // an event sent again is acknowledged DEJA_RECU by a hub that had it
        hub.next(1, "application/json", "{\"idEvenement\":\"x\",\"etat\":\"DEJA_RECU\"}");
        JsonNode again = json(control("/statut", "{\"idEvenement\":\"" + first.get("idEvenement").asText()
                + "\",\"renvoyer\":true}"));
        assertEquals("DEJA_RECU", again.get("etat").asText());

        // a hub that never answers: given up after hub.maxAttempts (3 in these tests), connection refused
        JsonNode stats = json(get("/double/stats", Map.of()));
        assertTrue(stats.get("statusEventsDelivered").asInt() >= 5);
        assertEquals(1, stats.get("statusEventsRefusedByHub").asInt());
    }

    @Test
    public void soapFaultOfTheHubIsReadFromItsDetail() throws Exception {
        submitSoap("HUB-E-7", Catalogue.SESSION_HIRSON);
        hub.await(r -> r.body().contains("HUB-E-7") && r.body().contains(">entre<"), 1, 15);
        hub.next(1, 500, "text/xml", HubStub.envelope("<soapenv:Fault><faultcode>soapenv:Client</faultcode>"
                + "<faultstring>inconnue</faultstring><detail><of:erreur xmlns:of=\"" + NS + "\"><of:code>"
                + "PRESCRIPTION_INCONNUE</of:code><of:message>inconnue</of:message></of:erreur></detail></soapenv:Fault>"));
        JsonNode n = json(control("/statut", "{\"idPrescriptionHub\":\"HUB-E-7\",\"statut\":\"sorti\"}"));
        assertEquals("REFUSE", n.get("etat").asText());
        assertEquals(500, n.get("derniereReponseHttp").asInt());
        assertEquals("PRESCRIPTION_INCONNUE", n.get("dernierCode").asText());
    }

    @Test
    public void catalogueIsPublishedInSoapAndRest() throws Exception {
        JsonNode soap = json(control("/publier", "{\"canal\":\"SOAP\"}"));
        assertEquals("ACCEPTE", soap.get("resultat").asText());
        assertEquals(8, soap.at("/reponse/nombreSessions").asInt());
        Element payload = bodyChild(hub.await(r -> r.body().contains("publierSessions"), 1, 5).get(0).body());
        assertEquals("publierSessions", payload.getLocalName());
        assertValid(payload);

        hub.requests.clear();
        assertEquals("ACCEPTE", json(control("/publier", "{\"canal\":\"REST\",\"format\":\"json\"}")).get("resultat").asText());
        HubStub.Request json = hub.await(r -> r.path().endsWith("/v1/sessions"), 1, 5).get(0);
        assertValidJson("PublicationSessions", JSON.readTree(json.body()));

        hub.requests.clear();
        control("/publier", "{\"canal\":\"REST\",\"format\":\"xml\"}");
        HubStub.Request xml = hub.await(r -> r.path().endsWith("/v1/sessions"), 1, 5).get(0);
        assertTrue(xml.query(), xml.query().contains("idPublication=PUB-") && xml.query().contains("complet=true"));
        assertTrue(xml.header("Content-Type").startsWith("application/xml"));
        assertValid(parse(xml.body()).getDocumentElement());

        hub.requests.clear();
        hub.next(1, 422, "application/json", "{\"code\":\"LHEO_VERSION_NON_SUPPORTEE\",\"message\":\"2.2\"}");
        JsonNode refused = json(control("/publier", "{\"canal\":\"REST\",\"version\":\"2.2\"}"));
        assertEquals("REFUSE", refused.get("resultat").asText());
        assertEquals("LHEO_VERSION_NON_SUPPORTEE", refused.get("code").asText());
        assertEquals(Contract.LHEO_22_NS, parse(hub.requests.get(0).body()).getDocumentElement().getNamespaceURI());
    }

    private static void awaitNotifications(int count, String etat) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            JsonNode list = json(get("/double/notifications", Map.of()));
            long n = 0;
            for (JsonNode x : list) {
                if (x.get("etat").asText().equals(etat)) {
                    n++;
                }
            }
            if (n >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("notifications: " + get("/double/notifications", Map.of()).body());
    }

    private static JsonNode awaitNotification(String idEvenement, String etat) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            for (JsonNode x : json(get("/double/notifications", Map.of()))) {
                if (x.get("idEvenement").asText().equals(idEvenement) && x.get("etat").asText().equals(etat)) {
                    return x;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + etat + " for " + idEvenement + ": " + get("/double/notifications", Map.of()).body());
    }

    @Test
    public void givenUpAfterMaxAttemptsWhenTheHubIsGone() throws Exception {
        submitRest("HUB-E-8", Catalogue.SESSION_HIRSON);
        hub.await(r -> r.body().contains("HUB-E-8") && r.body().contains("entre"), 1, 15);
        hub.next(3, 503, "text/html", "<html>503</html>");
        JsonNode n = json(control("/statut", "{\"idPrescriptionHub\":\"HUB-E-8\",\"statut\":\"sorti\"}"));
        JsonNode last = awaitNotification(n.get("idEvenement").asText(), "ABANDONNE");
        assertEquals(3, last.get("tentatives").asInt());
        assertNotNull(json(get("/double/stats", Map.of())).get("statusEventsGivenUp"));
    }
}
