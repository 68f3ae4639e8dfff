package fr.aisne.hub.doubles.ouiform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The OuiForm contract v1 as this bundle carries it ({@code contract/ouiform/v1/}: the WSDL, its XSD, LHEO 2.3 and the
 * OpenAPI, copied from {@code docs/contracts/ouiform/} at build time), and the XML tools every part of the double
 * uses: a safe parser (no DTD, no external entity), the compiled schema, validation that names the element in fault,
 * serialisation.
 * <p>
 * The files are copied to a private temporary folder so that CXF and the schema factory read them through plain
 * {@code file:} URLs, the same way on the unit tests' class path and inside the OSGi bundle (whose {@code bundle:}
 * URLs CXF would otherwise have to resolve relative imports against).
 */
final class Contract implements AutoCloseable {
    static final String NS = "urn:fr:aisne:hub:ouiform:v1";
    static final String LHEO_NS = "http://lheo.gouv.fr/2.3";
    static final String LHEO_22_NS = "http://www.lheo.org/2.2";
    static final String SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String RESOURCE_DIR = "/contract/ouiform/v1/";
    static final String WSDL = "ouiform-v1.wsdl";
    static final String XSD = "ouiform-v1.xsd";
    static final String LHEO_XSD = "lheo-2.3.xsd";
    static final String OPENAPI = "ouiform-v1.openapi.yaml";
    static final List<String> FILES = List.of(WSDL, XSD, LHEO_XSD, OPENAPI);

    /** Values quoted by the schema validator's messages (a request's content never goes back or into a log). */
    private static final Pattern QUOTED_VALUE = Pattern.compile("((?i)value |cvc-datatype-valid\\.1\\.2\\.1: )'[^']*'");
    private static final String CURRENT_ELEMENT = "http://apache.org/xml/properties/dom/current-element-node";

    private final Path dir;
    private final Schema schema;
    private final DocumentBuilderFactory documents;
    private final TransformerFactory transformers = TransformerFactory.newDefaultInstance();

    private Contract(Path dir, Schema schema) {
        this.dir = dir;
        this.schema = schema;
        this.documents = DocumentBuilderFactory.newDefaultInstance();
        documents.setNamespaceAware(true);
        documents.setXIncludeAware(false);
        documents.setExpandEntityReferences(false);
        try {
            documents.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            documents.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser without the secure features", e);
        }
    }

    /** Copies the contract out of the class path and compiles its schema (ouiform-v1.xsd and LHEO 2.3). */
    static Contract load() throws IOException {
        Path dir = Files.createTempDirectory("hub-double-ouiform-contract-");
        try {
            for (String name : FILES) {
                try (InputStream in = Contract.class.getResourceAsStream(RESOURCE_DIR + name)) {
                    if (in == null) {
                        throw new IOException("contract file missing from the bundle: " + RESOURCE_DIR + name);
                    }
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Contract(dir, compile(dir.resolve(XSD)));
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** The schema of {@code xsd} and what it imports (JDK's own schema factory, whatever the TCCL says). */
    static Schema compile(Path xsd) throws IOException {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
            return factory.newSchema(xsd.toFile());
        } catch (SAXException e) {
            throw new IOException("contract schema does not compile: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    String wsdlUrl() {
        return dir.resolve(WSDL).toUri().toString();
    }

    Schema schema() {
        return schema;
    }

    Document newDocument() {
        return builder().newDocument();
    }

    /** Parses {@code xml} (no DTD allowed); a broken document is a REQUETE_INVALIDE. */
    Document parse(byte[] xml) {
        try {
            return builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "XML mal formé ou DTD présente (ligne "
                    + (e instanceof SAXParseException p ? p.getLineNumber() : -1) + ")");
        } catch (IOException e) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "XML illisible");
        }
    }

    private DocumentBuilder builder() {
        try {
            DocumentBuilder b = documents.newDocumentBuilder();
            // errors become the SAXException handled by the caller; nothing printed on stderr
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Validates {@code element} (a message of the contract) against the schema; the first errors (at most 5) are
     * given as a REQUETE_INVALIDE naming each element concerned, quoted values masked.
     */
    void validate(Element element) {
        List<String> problems = problems(element);
        if (!problems.isEmpty()) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "Message non conforme au contrat OuiForm v1 : "
                    + String.join(" ; ", problems), null, List.of());
        }
    }

    /** The schema errors of {@code element}, each as "path: message" (values masked); empty when valid. */
    List<String> problems(Element element) {
        Validator validator = schema.newValidator();
        List<String> problems = new ArrayList<>();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    String where;
                    try {
                        where = path((Node) validator.getProperty(CURRENT_ELEMENT));
                    } catch (SAXException | RuntimeException x) {
                        where = "?";
                    }
                    problems.add(where + " : " + mask(e.getMessage()));
                    if (problems.size() >= 5) {
                        throw e;
                    }
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    error(e);
                    throw e;
                }
            });
            validator.validate(new DOMSource(element));
        } catch (SAXException e) {
            if (problems.isEmpty()) {
                problems.add(mask(e.getMessage()));
            }
        } catch (IOException e) {
            problems.add("illisible");
        }
        return problems;
    }

    static String mask(String message) {
        return message == null ? "" : QUOTED_VALUE.matcher(message).replaceAll("$1'…'");
    }

    /** Slash-separated local names from the message's root element to {@code node}. */
    static String path(Node node) {
        StringBuilder sb = new StringBuilder();
        for (Node n = node; n instanceof Element; n = n.getParentNode()) {
            sb.insert(0, "/" + n.getLocalName());
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    String serialize(Node node) {
        try {
            Transformer t = transformers.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, node instanceof Document ? "no" : "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("XML not serialisable", e);
        }
    }

    @Override
    public void close() {
        delete(dir);
    }

    private static void delete(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
