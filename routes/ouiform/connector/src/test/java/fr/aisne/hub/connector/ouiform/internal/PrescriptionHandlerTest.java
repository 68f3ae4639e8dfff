package fr.aisne.hub.connector.ouiform.internal;

import static fr.aisne.hub.connector.ouiform.internal.Fixture.request;
import static fr.aisne.hub.connector.ouiform.internal.Fixture.soapAnswer;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Base64;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.testing.DeliveryFailures;
import fr.aisne.hub.connector.ouiform.testing.FakeRegistry;
import fr.aisne.hub.connector.ouiform.testing.StubOuiForm.Answer;
import fr.aisne.hub.registry.PersonObservation;

/**
 * A prescription: the beneficiary filled from the registry through the disclosure rule (only the contract's fields),
 * sent to OuiForm, and OuiForm's answers read as the contract says (faults with their fault string, DOUBLON,
 * outages), against a scripted OuiForm answering the contract's own examples.
 */
public class PrescriptionHandlerTest {
    private Fixture f;

    @Before
    public void setUp() throws Exception {
        f = new Fixture();
    }

    @After
    public void tearDown() {
        f.close();
    }

    private static Answer xml(int status, String body) {
        return Answer.of(status, "text/xml; charset=UTF-8", body);
    }

    @Test
    public void theRegistryFilledIdentityReachesOuiFormAndTheAnswerIsRecorded() throws Exception {
        String person = f.camille();
        f.ouiform.then(xml(200, soapAnswer("soumettrePrescription.reponse.xml")));
        DeliveryResult r = f.prescribe("0e4f5c2a-0000-4000-8000-000000000001", request(person, "02_SE_0000101_1"));

        assertTrue(r.detail(), r.detail().startsWith("prescription HUB-2026-000001 (session 02_SE_0000101_1) "
                + "registered by OuiForm over SOAP as OF-2026-000123, prescrit"));
        assertTrue(r.detail(), r.detail().contains("beneficiary from the registry (disclose.ouiform.prescription): "
                + "beneficiaire/nom, beneficiaire/prenom, beneficiaire/dateNaissance, beneficiaire/commune, "
                + "beneficiaire/numeroFranceTravail"));
        assertTrue("the rule gives an e-mail the contract does not carry: named, not sent: " + r.detail(),
                r.detail().contains("not sent: email"));

        var sent = f.ouiform.last();
        assertEquals("\"urn:fr:aisne:hub:ouiform:v1:soumettrePrescription\"", sent.headers().get("SOAPAction"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("aisne-hub:" + Fixture.PASSWORD).getBytes()),
                sent.headers().get("Authorization"));
        String body = sent.body();
        assertTrue(body, body.contains("<of:nom>DUPONT</of:nom>"));
        assertTrue(body, body.contains("<of:prenom>Camille</of:prenom>"));
        assertTrue(body, body.contains("<of:dateNaissance>1990-02-14</of:dateNaissance>"));
        assertTrue(body, body.contains("<of:codeInsee>02408</of:codeInsee>"));
        assertTrue(body, body.contains("<of:numeroFranceTravail>12345678901</of:numeroFranceTravail>"));
        assertTrue(body, body.contains("<of:siret>" + Fixture.SIRET + "</of:siret>"));
        assertTrue(body, body.contains("<of:idPrescriptionHub>HUB-2026-000001</of:idPrescriptionHub>"));
        for (String never : new String[] {"2900202408123", "camille.dupont@example.org", "0612345678", "BERNARD"}) {
            assertFalse("not sent: " + never, body.contains(never));
        }

        FakeRegistry.Disclosure d = f.registry.disclosures.get(0);
        assertEquals("ouiform", d.partner());
        assertEquals("prescription", d.purpose());
        assertEquals("0e4f5c2a-0000-4000-8000-000000000001", d.exchangeId());
        assertFalse("the NIR is not in the rule: never disclosed", d.fields().contains("nir"));

        PersonObservation o = f.registry.observations.get(0);
        assertEquals("ouiform", o.sourcePartner());
        assertEquals("0e4f5c2a-0000-4000-8000-000000000001", o.sourceExchange());
        assertEquals(Map.of("france-travail:numero", "12345678901", "ouiform:prescription", "HUB-2026-000001"),
                o.identifiers());
        assertEquals("prescrit", f.registry.attribute(person, "formation_statut"));
        assertEquals("ouiform", f.registry.attributeWithSource(person, "formation_statut").source().partner());
        assertEquals("HUB-2026-000001", f.registry.attribute(person, "formation_prescription"));
        assertEquals(1, f.registry.persons());

        var row = f.runtime.prescriptions.find("HUB-2026-000001").orElseThrow();
        assertEquals(PrescriptionStore.Etat.ACCEPTEE, row.etat());
        assertEquals("OF-2026-000123", row.idOuiform());
        assertEquals("prescrit", row.statut());
        assertEquals(Integer.valueOf(1), row.sequence());
        assertEquals(RegistryRecorder.PRESCRIPTION_KEY, row.registre());

        DeliveryResult again = f.prescribe("0e4f5c2a-0000-4000-8000-000000000001", request(person, "02_SE_0000101_1"));
        assertTrue("a replay after success sends nothing: " + again.detail(), again.detail().contains("nothing sent again"));
        assertEquals(1, f.ouiform.requests.size());
    }

    @Test
    public void aSoapFaultIsAPermanentFailureWithItsFaultString() throws Exception {
        String person = f.camille();
        f.ouiform.then(xml(500, soapAnswer("faute-session-inconnue.xml")));
        DeliveryFailure e = DeliveryFailures.permanent(() -> f.prescribe("0e4f5c2a-0000-4000-8000-000000000002",
                request(person, "02_SE_9999999_9")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("OuiForm refused the prescription: SOAP fault soapenv:Client \""));
        assertTrue(e.getMessage(), e.getMessage().contains("(code SESSION_INCONNUE, champs idSession)"));
        var row = f.runtime.prescriptions.byExchange("0e4f5c2a-0000-4000-8000-000000000002").orElseThrow();
        assertEquals(PrescriptionStore.Etat.REFUSEE, row.etat());
        assertTrue(row.refus(), row.refus().contains("SESSION_INCONNUE"));
        assertTrue("nothing recorded in the registry", f.registry.observations.isEmpty());
    }

    @Test
    public void unavailabilityIsRetriedAndDoublonIsTheAnswerOfARetry() throws Exception {
        String person = f.camille();
        String json = request(person, "02_SE_0000101_1");
        String id = "0e4f5c2a-0000-4000-8000-000000000003";
        f.ouiform.then(xml(500, soapAnswer("faute-indisponible.xml")))
                .then(new Answer(503, "text/plain", "", Map.of("Retry-After", "7"), 0))
                .then(xml(500, soapAnswer("faute-doublon.xml")));
        DeliveryFailure indisponible = DeliveryFailures.temporary(() -> f.prescribe(id, json));
        assertTrue(indisponible.getMessage(), indisponible.getMessage().contains("OuiForm is unavailable: SOAP fault "
                + "soapenv:Server") && indisponible.getMessage().contains("code INDISPONIBLE"));
        assertEquals(PrescriptionStore.Etat.ENVOI, f.runtime.prescriptions.byExchange(id).orElseThrow().etat());
        DeliveryFailure http503 = DeliveryFailures.temporary(() -> f.prescribe(id, json));
        assertEquals("Retry-After honoured", java.time.Duration.ofSeconds(7), http503.retryAfter().orElseThrow());
        DeliveryResult r = f.prescribe(id, json);
        assertTrue(r.detail(), r.detail().contains("already registered by OuiForm (DOUBLON) as OF-2026-000123"));
        assertEquals("every attempt carried the same idPrescriptionHub", 1, f.ouiform.requests.stream()
                .map(q -> q.body().replaceAll("(?s).*<of:idPrescriptionHub>([^<]*)<.*", "$1")).distinct().count());
    }

    @Test
    public void aSlowOuiFormIsATimeoutThenDoublonGivesTheId() throws Exception {
        try (Fixture quick = new Fixture("http.requestTimeoutMs", "300")) {
            String person = quick.camille();
            String id = "0e4f5c2a-0000-4000-8000-000000000004";
            quick.ouiform.then(new Answer(200, "text/xml", soapAnswer("soumettrePrescription.reponse.xml"), Map.of(), 1_000))
                    .then(xml(500, soapAnswer("faute-doublon.xml")));
            DeliveryFailure timeout = DeliveryFailures.temporary(() -> quick.prescribe(id, request(person, "S1")));
            assertTrue(timeout.getMessage(), timeout.getMessage().startsWith("OuiForm did not answer within"));
            DeliveryResult r = quick.prescribe(id, request(person, "S1"));
            assertTrue(r.detail(), r.detail().contains("already registered by OuiForm (DOUBLON) as OF-2026-000123"));
            assertEquals(2, quick.ouiform.requests.size());
            assertEquals("OF-2026-000123", quick.runtime.prescriptions.byExchange(id).orElseThrow().idOuiform());
        }
    }

    @Test
    public void unreachableAndRefusedCredentialsAreTemporaryAndShowInHealth() throws Exception {
        String person = f.camille();
        f.ouiform.then(Answer.of(401, "application/json", ""));
        DeliveryFailure refused = DeliveryFailures.temporary(() -> f.prescribe("0e4f5c2a-0000-4000-8000-000000000005",
                request(person, "S1")));
        assertTrue(refused.getMessage(), refused.getMessage().contains("OuiForm refused the hub's credentials (HTTP 401)"));
        assertFalse(f.runtime.health().up());
        assertTrue(f.runtime.health().detail(), f.runtime.health().detail().contains("check ouiform.username"));
        assertFalse("no secret in health", f.runtime.health().detail().contains(Fixture.PASSWORD));

        try (Fixture down = new Fixture("ouiform.soap.url", "http://127.0.0.1:1/ouiform/soap/v1")) {
            String p = down.camille();
            DeliveryFailure e = DeliveryFailures.temporary(() -> down.prescribe("0e4f5c2a-0000-4000-8000-000000000006",
                    request(p, "S1")));
            assertTrue(e.getMessage(), e.getMessage().startsWith("OuiForm unreachable"));
            assertEquals(PrescriptionStore.Etat.ENVOI, down.runtime.prescriptions
                    .byExchange("0e4f5c2a-0000-4000-8000-000000000006").orElseThrow().etat());
        }
    }

    @Test
    public void anIncompleteIdentityIsRefusedBeforeAnythingIsSent() throws Exception {
        String noCommune = f.registry.person(Map.of("nom_naissance", "LEROY", "prenom", "Sam", "date_naissance",
                "1985-05-12"), Map.of("france-travail:numero", "12345678902"), null);
        DeliveryFailure e = DeliveryFailures.permanent(() -> f.prescribe("0e4f5c2a-0000-4000-8000-000000000007",
                request(noCommune, "S1")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("BENEFICIAIRE_INCOMPLET (checked by the hub, nothing sent "
                + "to OuiForm): beneficiaire/commune not known"));
        assertTrue(f.ouiform.requests.isEmpty());

        // the department gives the commune once: sent, and recorded in the registry (provenance departement)
        f.ouiform.then(xml(200, soapAnswer("soumettrePrescription.reponse.xml")));
        String withCommune = request(noCommune, "S1").replaceFirst("\\}$",
                ",\"commune\":{\"codeInsee\":\"02691\",\"codePostal\":\"02100\",\"libelle\":\"Saint-Quentin\"}}");
        DeliveryResult r = f.prescribe("0e4f5c2a-0000-4000-8000-000000000008", withCommune);
        assertTrue(r.detail(), r.detail().contains("beneficiaire/commune (from the request)"));
        assertTrue(r.detail(), r.detail().contains("commune given by the request recorded in the registry"));
        assertTrue(f.ouiform.last().body().contains("<of:libelle>Saint-Quentin</of:libelle>"));
        assertEquals("02691", f.registry.attribute(noCommune, "commune_insee"));
        assertEquals("departement", f.registry.attributeWithSource(noCommune, "commune_insee").source().partner());

        DeliveryFailure unknown = DeliveryFailures.permanent(() -> f.prescribe("0e4f5c2a-0000-4000-8000-000000000009",
                request("no-such-person", "S1")));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("is not in the registry"));
    }

    @Test
    public void aPersonWithoutPartnerIdentifierIsPrescribedButNotPlacedInTheRegistry() throws Exception {
        String person = f.registry.person(Map.of("nom_naissance", "ROUX", "prenom", "Lou", "date_naissance", "1999-09-09",
                "commune_insee", "02408", "commune_libelle", "Laon"), Map.of(), "1990909024081");
        f.ouiform.then(xml(200, soapAnswer("soumettrePrescription.reponse.xml")));
        DeliveryResult r = f.prescribe("0e4f5c2a-0000-4000-8000-000000000010", request(person, "S1"));
        assertTrue(r.detail(), r.detail().contains("registry: not recorded (the person holds no partner identifier"));
        assertTrue("no stray person created", f.registry.observations.isEmpty());
        assertNull(f.runtime.prescriptions.find("HUB-2026-000001").orElseThrow().registre());
        assertFalse(f.ouiform.last().body().contains("numeroFranceTravail"));
    }

    @Test
    public void theRestBindingCarriesTheSameMessage() throws Exception {
        try (Fixture rest = new Fixture("ouiform.channel", "rest")) {
            String person = rest.camille();
            rest.ouiform.then(Answer.of(201, "application/json", new String(fr.aisne.hub.connector.ouiform.lheo.LheoFixtures
                    .exampleBytes("rest/post-prescriptions.reponse-201.json"))));
            DeliveryResult r = rest.prescribe("0e4f5c2a-0000-4000-8000-000000000011", request(person, "02_SE_0000101_1"));
            assertTrue(r.detail(), r.detail().contains("registered by OuiForm over REST as OF-2026-000123"));
            var sent = rest.ouiform.last();
            assertEquals("/ouiform/api/v1/prescriptions", sent.path());
            assertTrue(sent.body(), sent.body().contains("\"beneficiaire\":{\"nom\":\"DUPONT\",\"prenom\":\"Camille\","
                    + "\"dateNaissance\":\"1990-02-14\",\"commune\":{\"codeInsee\":\"02408\",\"codePostal\":\"02000\","
                    + "\"libelle\":\"Laon\"},\"numeroFranceTravail\":\"12345678901\"}"));
            assertFalse(sent.body().contains("camille.dupont@example.org"));

            rest.ouiform.then(Answer.of(422, "application/json", new String(fr.aisne.hub.connector.ouiform.lheo.LheoFixtures
                    .exampleBytes("rest/erreur-422-session-fermee.json"))));
            DeliveryFailure closed = DeliveryFailures.permanent(() -> rest.prescribe("0e4f5c2a-0000-4000-8000-000000000012",
                    request(person, "02_SE_0000303_1")));
            assertTrue(closed.getMessage(), closed.getMessage().contains("HTTP 422") && closed.getMessage()
                    .contains("code SESSION_FERMEE"));
        }
    }
}
