package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import javax.wsdl.Definition;
import javax.wsdl.factory.WSDLFactory;
import javax.wsdl.xml.WSDLReader;

import org.junit.BeforeClass;
import org.junit.Test;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The SOAP side over real HTTP: the WSDL served, soumettrePrescription and consulterPrescription, every fault. */
public class SoapTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Test
    public void wsdlIsServedAndParses() throws Exception {
        HttpResponse<String> r = get(SoapService.PATH + "?wsdl", Map.of());
        assertEquals(200, r.statusCode());
        // a WSDL 1.1 reader (wsdl4j, as CXF's tooling uses) reads it with the schema it imports, all from the double
        WSDLReader reader = WSDLFactory.newInstance().newWSDLReader();
        reader.setFeature("javax.wsdl.verbose", false);
        Definition wsdl = reader.readWSDL(base + SoapService.PATH + "?wsdl");
        assertEquals(NS, wsdl.getTargetNamespace());
        assertNotNull(wsdl.getPortType(new javax.xml.namespace.QName(NS, "OuiFormPrescriptions")));
        assertNotNull(wsdl.getPortType(new javax.xml.namespace.QName(NS, "HubOuiForm")));
        assertEquals(2, wsdl.getPortType(new javax.xml.namespace.QName(NS, "OuiFormPrescriptions")).getOperations().size());
        javax.wsdl.Port port = wsdl.getService(SoapService.SERVICE).getPort(SoapService.PORT.getLocalPart());
        javax.wsdl.extensions.soap.SOAPAddress address = (javax.wsdl.extensions.soap.SOAPAddress) port
                .getExtensibilityElements().get(0);
        assertEquals("the served WSDL gives the double's own address", base + SoapService.PATH, address.getLocationURI());
        // the schema it imports is served too, and is the contract's
        Element wsdlRoot = parse(r.body()).getDocumentElement();
        String xsdLocation = ((Element) wsdlRoot.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "import")
                .item(0)).getAttribute("schemaLocation");
        assertTrue(xsdLocation, xsdLocation.startsWith(base + SoapService.PATH + "?xsd="));
        HttpResponse<String> xsd = get(xsdLocation.substring(base.length()), Map.of());
        assertEquals(200, xsd.statusCode());
        assertEquals(NS, parse(xsd.body()).getDocumentElement().getAttribute("targetNamespace"));
    }

    @Test
    public void soumettrePrescriptionRoundTrip() throws Exception {
        // the contract's own example envelope, as is
        HttpResponse<String> r = send("POST", SoapService.PATH, example("soap/soumettrePrescription.requete.xml"),
                Map.of("Content-Type", "text/xml; charset=UTF-8", "SOAPAction",
                        "\"urn:fr:aisne:hub:ouiform:v1:soumettrePrescription\"", "Authorization",
                        basic().get("Authorization")));
        assertEquals(r.body(), 200, r.statusCode());
        Element answer = bodyChild(r.body());
        assertEquals("soumettrePrescriptionReponse", answer.getLocalName());
        assertEquals(NS, answer.getNamespaceURI());
        assertValid(answer);
        String idOuiForm = text(answer, "idPrescriptionOuiForm");
        assertTrue(idOuiForm, idOuiForm.matches("OF-\\d{4}-\\d{6}"));
        assertEquals("HUB-2026-000042", text(answer, "idPrescriptionHub"));
        assertEquals(Catalogue.SESSION_OUVERTE, text(answer, "idSession"));
        assertEquals("prescrit", text(answer, "statut"));
        assertEquals("1", text(answer, "sequence"));

        // consulted by either id
        for (String query : new String[] {"<of:idPrescriptionOuiForm>" + idOuiForm + "</of:idPrescriptionOuiForm>",
            "<of:idPrescriptionHub>HUB-2026-000042</of:idPrescriptionHub>"}) {
            HttpResponse<String> c = soap("consulterPrescription", "<of:consulterPrescription>" + query
                    + "</of:consulterPrescription>");
            assertEquals(c.body(), 200, c.statusCode());
            Element etat = bodyChild(c.body());
            assertEquals("consulterPrescriptionReponse", etat.getLocalName());
            assertValid(etat);
            assertEquals(idOuiForm, text(etat, "idPrescriptionOuiForm"));
            assertEquals("prescrit", text(etat, "historique/statutHistorique/statut"));
        }

        // what the double received, as JSON
        HttpResponse<String> list = get("/double/prescriptions", Map.of());
        assertEquals("SOAP", json(list).get(0).get("canal").asText());
        assertEquals("DUPONT", json(list).get(0).at("/prescription/beneficiaire/nom").asText());
        assertEquals(1, json(get("/double/stats", Map.of())).at("/byEndpoint/SOAP soumettrePrescription").asInt());
    }

    @Test
    public void beneficiaireIncompletNamesEachMissingField() throws Exception {
        ObjectNode p = prescriptionJson("HUB-T-1", Catalogue.SESSION_OUVERTE);
        ((ObjectNode) p.get("beneficiaire")).remove(List.of("dateNaissance", "commune"));
        HttpResponse<String> r = soap("soumettrePrescription", prescriptionXml(p));
        assertEquals(500, r.statusCode());
        assertTrue(faultCode(r.body()), faultCode(r.body()).endsWith(":Client"));
        Element erreur = faultErreur(r.body());
        assertEquals("BENEFICIAIRE_INCOMPLET", text(erreur, "code"));
        assertEquals(List.of("beneficiaire/dateNaissance", "beneficiaire/commune"),
                Shapes.children(erreur, "champ").stream().map(Element::getTextContent).toList());
    }

    @Test
    public void unknownAndClosedSessions() throws Exception {
        Element unknown = faultErreur(soap("soumettrePrescription", prescriptionXml("HUB-T-2", "02_SE_9999999_1")).body());
        assertEquals("SESSION_INCONNUE", text(unknown, "code"));
        Element closed = faultErreur(soap("soumettrePrescription", prescriptionXml("HUB-T-3", Catalogue.SESSION_FERMEE)).body());
        assertEquals("SESSION_FERMEE", text(closed, "code"));
        Element suspended = faultErreur(soap("soumettrePrescription",
                prescriptionXml("HUB-T-4", Catalogue.SESSION_SUSPENDUE)).body());
        assertEquals("SESSION_FERMEE", text(suspended, "code"));
    }

    @Test
    public void duplicateGivesTheFirstOuiFormId() throws Exception {
        HttpResponse<String> first = soap("soumettrePrescription", prescriptionXml("HUB-T-5", Catalogue.SESSION_PERMANENTE));
        String idOuiForm = text(bodyChild(first.body()), "idPrescriptionOuiForm");
        HttpResponse<String> again = soap("soumettrePrescription", prescriptionXml("HUB-T-5", Catalogue.SESSION_HIRSON));
        assertEquals(500, again.statusCode());
        Element erreur = faultErreur(again.body());
        assertEquals("DOUBLON", text(erreur, "code"));
        assertEquals(idOuiForm, text(erreur, "idPrescriptionOuiForm"));
    }

    @Test
    public void aNirOrAnyMessageOutsideTheContractIsRequeteInvalide() throws Exception {
        String withNir = prescriptionXml("HUB-T-6", Catalogue.SESSION_OUVERTE).replace("<of:numeroFranceTravail>",
                "<of:nir>185057800608436</of:nir><of:numeroFranceTravail>");
        HttpResponse<String> r = soap("soumettrePrescription", withNir);
        assertEquals(500, r.statusCode());
        Element erreur = faultErreur(r.body());
        assertEquals("REQUETE_INVALIDE", text(erreur, "code"));
        assertTrue(text(erreur, "message"), text(erreur, "message").contains("/soumettrePrescription/beneficiaire"));
        assertFalse("the value is not sent back", r.body().contains("185057800608436"));

        String badSiret = prescriptionXml("HUB-T-7", Catalogue.SESSION_OUVERTE).replace("22020000000019", "2202");
        Element e2 = faultErreur(soap("soumettrePrescription", badSiret).body());
        assertEquals("REQUETE_INVALIDE", text(e2, "code"));
        assertTrue(text(e2, "message"), text(e2, "message").contains("/siret"));
        assertEquals(0, json(get("/double/prescriptions", Map.of())).size());
    }

    @Test
    public void unknownPrescription() throws Exception {
        Element erreur = faultErreur(soap("consulterPrescription",
                "<of:consulterPrescription><of:idPrescriptionOuiForm>OF-0000-000000</of:idPrescriptionOuiForm></of:consulterPrescription>").body());
        assertEquals("PRESCRIPTION_INCONNUE", text(erreur, "code"));
    }

    @Test
    public void credentialsAreRequired() throws Exception {
        HttpResponse<String> none = soap("soumettrePrescription", prescriptionXml("HUB-T-8", Catalogue.SESSION_OUVERTE),
                Map.of());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").contains("Basic"));
        HttpResponse<String> wrong = soap("soumettrePrescription", prescriptionXml("HUB-T-8", Catalogue.SESSION_OUVERTE),
                basic(ACCOUNT, "wrong"));
        assertEquals(401, wrong.statusCode());
        assertEquals(0, json(get("/double/prescriptions", Map.of())).size());
    }

    @Test
    public void injectedFaultsOnTheNextCallsThenBackToNormal() throws Exception {
        assertEquals(200, control("", "{\"faultNext\":2,\"faultCode\":\"INDISPONIBLE\"}").statusCode());
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = soap("soumettrePrescription", prescriptionXml("HUB-T-9", Catalogue.SESSION_OUVERTE));
            assertEquals(500, r.statusCode());
            assertTrue(faultCode(r.body()), faultCode(r.body()).endsWith(":Server"));
            assertEquals("INDISPONIBLE", text(faultErreur(r.body()), "code"));
        }
        HttpResponse<String> ok = soap("soumettrePrescription", prescriptionXml("HUB-T-9", Catalogue.SESSION_OUVERTE));
        assertEquals(ok.body(), 200, ok.statusCode());

        control("", "{\"faultNext\":1,\"faultCode\":\"DOUBLON\"}");
        assertEquals("DOUBLON", text(faultErreur(soap("consulterPrescription",
                "<of:consulterPrescription><of:idPrescriptionHub>HUB-T-9</of:idPrescriptionHub></of:consulterPrescription>")
                .body()), "code"));
        assertEquals(3, json(get("/double/stats", Map.of())).get("injectedFaults").asInt());
    }

    @Test
    public void outageAnswersWithoutAnEnvelopeAndLatencySlowsDown() throws Exception {
        control("", "{\"outage\":true}");
        HttpResponse<String> r = soap("soumettrePrescription", prescriptionXml("HUB-T-10", Catalogue.SESSION_OUVERTE));
        assertEquals(503, r.statusCode());
        assertFalse(r.body().contains("Envelope"));
        assertEquals(503, get(SoapService.PATH + "?wsdl", Map.of()).statusCode());
        control("", "{\"outage\":false,\"latencyMillis\":600}");
        long start = System.nanoTime();
        HttpResponse<String> slow = soap("soumettrePrescription", prescriptionXml("HUB-T-10", Catalogue.SESSION_OUVERTE));
        assertEquals(200, slow.statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 600);
        HttpResponse<String> reset = control("/reset", "");
        assertNull(json(reset).get("unknown"));
        assertEquals(0, json(reset).get("latencyMillis").asInt());
    }
}
