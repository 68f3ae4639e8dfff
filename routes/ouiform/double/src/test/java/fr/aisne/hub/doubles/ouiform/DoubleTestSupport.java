package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.validation.Schema;

import org.junit.AfterClass;
import org.junit.Before;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Starts the double (without OSGi) on a free port and talks to it over real HTTP and SOAP (a plain JDK client
 * posting envelopes: no generated client). Each test starts from a reset double (POST /double/control/reset).
 */
abstract class DoubleTestSupport {
    static final String ACCOUNT = "aisne-hub";
    static final String PASSWORD = "double-secret-change-me";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = Contract.NS;

    static OuiFormServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Schema schema;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the double with the test defaults (no automatic statuses) overridden by {@code settings}. */
    static void startDouble(Map<String, Object> settings) throws Exception {
        int port = freePort();
        Map<String, Object> config = new HashMap<>();
        config.put("http.host", "127.0.0.1");
        config.put("http.port", String.valueOf(port));
        config.put("status.positionedAfterSeconds", "0");
        config.put("hub.retrySeconds", "1");
        config.put("hub.maxAttempts", "3");
        config.put("hub.timeoutSeconds", "5");
        config.putAll(settings);
        server = new OuiFormServer(Settings.from(config), Clock.systemUTC());
        server.start();
        base = "http://127.0.0.1:" + port;
    }

    @AfterClass
    public static void stopDouble() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Before
    public void resetDouble() throws Exception {
        HttpResponse<String> r = post("/double/control/reset", "", Map.of());
        assertEquals(r.body(), 200, r.statusCode());
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        Map<String, String> h = new HashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/json");
        return send("POST", path, json, h);
    }

    static HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    static Map<String, String> basic() {
        return basic(ACCOUNT, PASSWORD);
    }

    static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> control(String path, String json) throws Exception {
        return post("/double/control" + path, json, Map.of());
    }

    // ------------------------------------------------------------------------------------------------ SOAP

    /** Posts {@code payload} (an element of the contract, as text) in a SOAP 1.1 envelope. */
    static HttpResponse<String> soap(String operation, String payload, Map<String, String> headers)
            throws IOException, InterruptedException {
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:of=\"" + NS + "\">"
                + "<soapenv:Body>" + payload + "</soapenv:Body></soapenv:Envelope>";
        Map<String, String> h = new HashMap<>(headers);
        h.put("Content-Type", "text/xml; charset=UTF-8");
        h.put("SOAPAction", "\"urn:fr:aisne:hub:ouiform:v1:" + operation + "\"");
        return send("POST", SoapService.PATH, envelope, h);
    }

    static HttpResponse<String> soap(String operation, String payload) throws IOException, InterruptedException {
        return soap(operation, payload, basic());
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The first element child of the SOAP body. */
    static Element bodyChild(String envelope) throws Exception {
        Element env = parse(envelope).getDocumentElement();
        assertEquals("Envelope", env.getLocalName());
        Element body = first(env, "Body");
        return firstElement(body);
    }

    static Element first(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    static String text(Element e, String path) {
        return Shapes.text(e, path);
    }

    /** The contract's erreur element in the detail of a SOAP fault. */
    static Element faultErreur(String envelope) throws Exception {
        Element fault = bodyChild(envelope);
        assertEquals("Fault", fault.getLocalName());
        Element detail = first(fault, "detail");
        assertTrue("fault has a detail: " + envelope, detail != null);
        Element erreur = first(detail, "erreur");
        assertEquals(NS, erreur.getNamespaceURI());
        assertValid(erreur);
        return erreur;
    }

    static String faultCode(String envelope) throws Exception {
        return first(bodyChild(envelope), "faultcode").getTextContent();
    }

    /** The contract's schema (ouiform-v1.xsd and LHEO 2.3) compiled from docs/contracts/ouiform. */
    static synchronized Schema schema() throws IOException {
        if (schema == null) {
            schema = Contract.compile(OpenApiSchemas.CONTRACT_DIR.resolve(Contract.XSD));
        }
        return schema;
    }

    static List<String> problems(Element element) throws Exception {
        List<String> problems = new java.util.ArrayList<>();
        javax.xml.validation.Validator v = schema().newValidator();
        v.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) {
                problems.add(e.getMessage());
            }
        });
        v.validate(new javax.xml.transform.dom.DOMSource(element));
        return problems;
    }

    static void assertValid(Element element) throws Exception {
        List<String> problems = problems(element);
        assertTrue(element.getLocalName() + " valid against the contract: " + problems, problems.isEmpty());
    }

    static void assertValidJson(String component, JsonNode json) {
        java.util.Set<String> problems = OpenApiSchemas.problems(component, json);
        assertTrue(component + " valid against the OpenAPI: " + problems + " in " + json, problems.isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ messages

    static String example(String relative) throws IOException {
        return Files.readString(OpenApiSchemas.CONTRACT_DIR.resolve("examples").resolve(relative), StandardCharsets.UTF_8);
    }

    /** The example prescription (JSON), with another idPrescriptionHub and session. */
    static ObjectNode prescriptionJson(String idHub, String idSession) throws IOException {
        ObjectNode p = (ObjectNode) JSON.readTree(example("rest/post-prescriptions.requete.json"));
        p.put("idPrescriptionHub", idHub);
        p.put("idSession", idSession);
        return p;
    }

    /** The same prescription as the payload element of soumettrePrescription (text). */
    static String prescriptionXml(String idHub, String idSession) throws Exception {
        return prescriptionXml(prescriptionJson(idHub, idSession));
    }

    static String prescriptionXml(ObjectNode json) throws Exception {
        Contract c = server.region().contract();
        Element e = Shapes.toXml(c.newDocument(), "soumettrePrescription", Shapes.PRESCRIPTION, json);
        return c.serialize(e);
    }
}
