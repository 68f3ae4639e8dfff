package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.namespace.QName;
import javax.wsdl.Definition;
import javax.wsdl.factory.WSDLFactory;
import javax.wsdl.xml.WSDLReader;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The contract files of docs/contracts/ouiform as the Région will receive them: the WSDL and the XSD read, the OpenAPI
 * read, every example valid (XML against the XSD, JSON against the OpenAPI's schemas), and the two bindings saying the
 * same thing (each JSON example is, field for field, the XML example of the same message).
 */
public class ContractExamplesTest {
    private static final Path DIR = OpenApiSchemas.CONTRACT_DIR;
    private static final Path EXAMPLES = DIR.resolve("examples");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every JSON example and the OpenAPI component it is an instance of. */
    private static final Map<String, String> JSON_EXAMPLES = Map.ofEntries(
            Map.entry("rest/post-prescriptions.requete.json", "Prescription"),
            Map.entry("rest/post-prescriptions.reponse-201.json", "EtatPrescription"),
            Map.entry("rest/get-prescription.reponse-200.json", "ConsultationPrescription"),
            Map.entry("rest/post-statuts.requete-entre.json", "EvenementStatut"),
            Map.entry("rest/post-statuts.requete-abandon.json", "EvenementStatut"),
            Map.entry("rest/post-statuts.reponse-200.json", "NotifierStatutReponse"),
            Map.entry("rest/post-statuts.reponse-200-deja-recu.json", "NotifierStatutReponse"),
            Map.entry("rest/post-sessions.requete.json", "PublicationSessions"),
            Map.entry("rest/post-sessions.reponse-200.json", "PublierSessionsReponse"),
            Map.entry("rest/erreur-400-requete-invalide.json", "Erreur"),
            Map.entry("rest/erreur-401-non-authentifie.json", "Erreur"),
            Map.entry("rest/erreur-404-prescription-inconnue.json", "Erreur"),
            Map.entry("rest/erreur-409-doublon.json", "Erreur"),
            Map.entry("rest/erreur-422-beneficiaire-incomplet.json", "Erreur"),
            Map.entry("rest/erreur-422-session-inconnue.json", "Erreur"),
            Map.entry("rest/erreur-422-session-fermee.json", "Erreur"),
            Map.entry("rest/erreur-422-lheo-version.json", "Erreur"),
            Map.entry("rest/erreur-503-indisponible.json", "Erreur"));

    /** SOAP examples and their REST twin with the shape both follow. */
    private record Twin(String soap, String rest, Shapes.Shape shape) {
    }

    private static final List<Twin> TWINS = List.of(
            new Twin("soap/soumettrePrescription.requete.xml", "rest/post-prescriptions.requete.json", Shapes.PRESCRIPTION),
            new Twin("soap/soumettrePrescription.reponse.xml", "rest/post-prescriptions.reponse-201.json", Shapes.ETAT),
            new Twin("soap/consulterPrescription.reponse.xml", "rest/get-prescription.reponse-200.json", Shapes.CONSULTATION),
            new Twin("soap/notifierStatut.requete.xml", "rest/post-statuts.requete-entre.json", Shapes.EVENEMENT),
            new Twin("soap/notifierStatut.reponse.xml", "rest/post-statuts.reponse-200.json", Shapes.NOTIFIER_REPONSE),
            new Twin("soap/faute-doublon.xml", "rest/erreur-409-doublon.json", Shapes.ERREUR),
            new Twin("soap/faute-beneficiaire-incomplet.xml", "rest/erreur-422-beneficiaire-incomplet.json", Shapes.ERREUR),
            new Twin("soap/faute-session-inconnue.xml", "rest/erreur-422-session-inconnue.json", Shapes.ERREUR),
            new Twin("soap/faute-lheo-version.xml", "rest/erreur-422-lheo-version.json", Shapes.ERREUR));

    private static List<Path> files(String ext) throws Exception {
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
        }
    }

    private static String rel(Path p) {
        return EXAMPLES.relativize(p).toString().replace('\\', '/');
    }

    @Test
    public void wsdlReadsWithBothPortTypesAndTheirFaults() throws Exception {
        WSDLReader reader = WSDLFactory.newInstance().newWSDLReader();
        reader.setFeature("javax.wsdl.verbose", false);
        Definition wsdl = reader.readWSDL(DIR.resolve("ouiform-v1.wsdl").toUri().toString());
        assertEquals(Contract.NS, wsdl.getTargetNamespace());
        Map<String, Set<String>> expected = Map.of("OuiFormPrescriptions",
                Set.of("soumettrePrescription", "consulterPrescription"), "HubOuiForm",
                Set.of("publierSessions", "notifierStatut"));
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            javax.wsdl.PortType pt = wsdl.getPortType(new QName(Contract.NS, e.getKey()));
            assertNotNull(e.getKey(), pt);
            Set<String> ops = new TreeSet<>();
            for (Object o : pt.getOperations()) {
                javax.wsdl.Operation op = (javax.wsdl.Operation) o;
                ops.add(op.getName());
                assertNotNull(op.getName() + " has the fault erreur", op.getFault("erreur"));
                QName in = ((javax.wsdl.Part) op.getInput().getMessage().getParts().values().iterator().next())
                        .getElementName();
                assertEquals(new QName(Contract.NS, op.getName()), in);
                QName out = ((javax.wsdl.Part) op.getOutput().getMessage().getParts().values().iterator().next())
                        .getElementName();
                assertEquals(new QName(Contract.NS, op.getName() + "Reponse"), out);
            }
            assertEquals(e.getValue(), ops);
        }
        assertNotNull(wsdl.getService(new QName(Contract.NS, "OuiFormService")));
        assertNotNull(wsdl.getService(new QName(Contract.NS, "HubOuiFormService")));
        // versioned namespace: a v2 lives beside v1
        assertTrue(Contract.NS.endsWith(":v1"));
    }

    @Test
    public void everyXmlExampleIsValidAgainstTheContract() throws Exception {
        List<Path> xml = files(".xml");
        assertTrue(xml.size() >= 15);
        for (Path p : xml) {
            String name = rel(p);
            Document doc = DoubleTestSupport.parse(Files.readString(p, StandardCharsets.UTF_8));
            Element root = doc.getDocumentElement();
            if (name.endsWith("lheo22-refusee.xml")) {
                assertEquals(Contract.LHEO_22_NS, root.getNamespaceURI());
                assertFalse("a 2.2 document is not LHEO 2.3", DoubleTestSupport.problems(root).isEmpty());
                continue;
            }
            Element message;
            if ("Envelope".equals(root.getLocalName())) {
                assertEquals(Contract.SOAP_ENV_NS, root.getNamespaceURI());
                message = DoubleTestSupport.firstElement(DoubleTestSupport.first(root, "Body"));
                if ("Fault".equals(message.getLocalName())) {
                    assertTrue(name, DoubleTestSupport.first(message, "faultcode").getTextContent()
                            .matches("soapenv:(Client|Server)"));
                    message = DoubleTestSupport.first(DoubleTestSupport.first(message, "detail"), "erreur");
                }
                assertEquals(name, Contract.NS, message.getNamespaceURI());
            } else {
                assertEquals(name, Contract.LHEO_NS, root.getNamespaceURI());
                message = root;
            }
            List<String> problems = DoubleTestSupport.problems(message);
            assertTrue(name + ": " + problems, problems.isEmpty());
        }
    }

    @Test
    public void everyJsonExampleIsValidAgainstTheOpenApi() throws Exception {
        List<Path> json = files(".json");
        assertEquals("every JSON example is checked", new TreeSet<>(JSON_EXAMPLES.keySet()),
                json.stream().map(ContractExamplesTest::rel).collect(Collectors.toCollection(TreeSet::new)));
        for (Path p : json) {
            String component = JSON_EXAMPLES.get(rel(p));
            Set<String> problems = OpenApiSchemas.problems(component, JSON.readTree(p.toFile()));
            assertTrue(rel(p) + " as " + component + ": " + problems, problems.isEmpty());
        }
    }

    @Test
    public void soapAndRestExamplesSayTheSameThing() throws Exception {
        for (Twin t : TWINS) {
            Element root = DoubleTestSupport.parse(Files.readString(EXAMPLES.resolve(t.soap()), StandardCharsets.UTF_8))
                    .getDocumentElement();
            Element message = DoubleTestSupport.firstElement(DoubleTestSupport.first(root, "Body"));
            if ("Fault".equals(message.getLocalName())) {
                message = DoubleTestSupport.first(DoubleTestSupport.first(message, "detail"), "erreur");
            }
            ObjectNode fromXml = Shapes.toJson(message, t.shape());
            JsonNode rest = JSON.readTree(EXAMPLES.resolve(t.rest()).toFile());
            assertEquals(t.soap() + " and " + t.rest(), rest, fromXml);
        }
    }

    @Test
    public void theSchemasAgreeOnWhatIsRefused() throws Exception {
        Contract contract = Contract.load();
        try {
            ObjectNode base = (ObjectNode) JSON.readTree(EXAMPLES.resolve("rest/post-prescriptions.requete.json").toFile());
            Map<String, java.util.function.Consumer<ObjectNode>> breakers = new TreeMap<>();
            breakers.put("a NIR", p -> ((ObjectNode) p.get("beneficiaire")).put("nir", "185057800608436"));
            breakers.put("a SIRET of 4 digits", p -> ((ObjectNode) p.get("prescripteur")).put("siret", "2202"));
            breakers.put("a date that is not one", p -> ((ObjectNode) p.get("beneficiaire")).put("dateNaissance", "14/02/1990"));
            breakers.put("a date with a time zone", p -> p.put("datePrescription", "2026-12-07Z"));
            breakers.put("no prescripteur", p -> p.remove("prescripteur"));
            breakers.put("an e-mail without @", p -> ((ObjectNode) p.at("/prescripteur/referent")).put("courriel", "claire"));
            breakers.put("an id with a space", p -> p.put("idPrescriptionHub", "HUB 42"));
            breakers.put("a FT number of 5 digits", p -> ((ObjectNode) p.get("beneficiaire")).put("numeroFranceTravail", "12345"));
            breakers.put("a blank name", p -> ((ObjectNode) p.get("beneficiaire")).put("nom", " "));
            for (Map.Entry<String, java.util.function.Consumer<ObjectNode>> b : breakers.entrySet()) {
                ObjectNode broken = base.deepCopy();
                b.getValue().accept(broken);
                assertFalse("OpenAPI refuses " + b.getKey(), OpenApiSchemas.problems("Prescription", broken).isEmpty());
                boolean xmlRefused;
                try {
                    Element e = Shapes.toXml(contract.newDocument(), "soumettrePrescription", Shapes.PRESCRIPTION, broken);
                    xmlRefused = !contract.problems(e).isEmpty();
                } catch (Refus r) {
                    xmlRefused = r.code == CodeErreur.REQUETE_INVALIDE;
                }
                assertTrue("XSD refuses " + b.getKey(), xmlRefused);
            }
            // an event's timestamp carries its offset, for both
            ObjectNode event = (ObjectNode) JSON.readTree(EXAMPLES.resolve("rest/post-statuts.requete-entre.json").toFile());
            event.put("horodatage", "2027-01-04T09:00:05");
            assertFalse(OpenApiSchemas.problems("EvenementStatut", event).isEmpty());
            assertFalse(contract.problems(Shapes.toXml(contract.newDocument(), "notifierStatut", Shapes.EVENEMENT, event))
                    .isEmpty());
            event.put("horodatage", "2027-01-04T08:00:05Z");
            assertTrue(OpenApiSchemas.problems("EvenementStatut", event).isEmpty());
            assertTrue(contract.problems(Shapes.toXml(contract.newDocument(), "notifierStatut", Shapes.EVENEMENT, event))
                    .isEmpty());
            // and an incomplete beneficiary is valid for both (the receiver answers BENEFICIAIRE_INCOMPLET)
            ObjectNode incomplete = base.deepCopy();
            ((ObjectNode) incomplete.get("beneficiaire")).remove("commune");
            assertTrue(OpenApiSchemas.problems("Prescription", incomplete).isEmpty());
            assertTrue(contract.problems(Shapes.toXml(contract.newDocument(), "soumettrePrescription",
                    Shapes.PRESCRIPTION, incomplete)).isEmpty());
        } finally {
            contract.close();
        }
    }

    @Test
    public void openApiHasTheContractsPathsAndCodes() throws Exception {
        JsonNode api = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("ouiform-v1.openapi.yaml").toFile());
        assertTrue(api.get("openapi").asText().startsWith("3.0"));
        Set<String> paths = new TreeSet<>();
        api.get("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(Set.of("/v1/prescriptions", "/v1/prescriptions/{idPrescriptionOuiForm}", "/v1/sessions",
                "/v1/prescriptions/{idPrescriptionHub}/statuts"), paths);
        assertEquals("soumettrePrescription", api.at("/paths/~1v1~1prescriptions/post/operationId").asText());
        assertEquals("publierSessions", api.at("/paths/~1v1~1sessions/post/operationId").asText());
        assertEquals("notifierStatut", api.at("/paths/~1v1~1prescriptions~1{idPrescriptionHub}~1statuts/post/operationId").asText());
        // the error codes of the OpenAPI are the XSD's and the double's
        Set<String> openApiCodes = new TreeSet<>();
        api.at("/components/schemas/CodeErreur/enum").forEach(n -> openApiCodes.add(n.asText()));
        Set<String> javaCodes = Stream.of(CodeErreur.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(javaCodes, openApiCodes);
        String xsd = Files.readString(DIR.resolve("ouiform-v1.xsd"), StandardCharsets.UTF_8);
        for (String code : javaCodes) {
            assertTrue(code, xsd.contains("<xs:enumeration value=\"" + code + "\">"));
        }
    }
}
