package fr.aisne.hub.connector.ouiform.contract;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
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

import fr.aisne.hub.api.Redaction;

/**
 * The OuiForm contract v1 as this bundle carries it ({@code contract/ouiform/v1/}: the WSDL, its XSD and LHEO 2.3,
 * copied from {@code docs/contracts/ouiform/} at build time), compiled once: the schema of every message (the LHEO 2.3
 * document included, imported by ouiform-v1.xsd), and the XML tools around it (a parser without DTDs, validation
 * naming the element in fault with the values masked, serialisation).
 * <p>
 * The files are copied to a private temporary folder so that CXF (the WSDL of the hub's SOAP endpoint) and the schema
 * factory read them through plain {@code file:} URLs, the same way on a unit test's class path and in the OSGi
 * bundle. Thread-safe.
 */
public final class Contract implements AutoCloseable {
    public static final String NS = ContractXml.NS;
    public static final String LHEO_NS = "http://lheo.gouv.fr/2.3";
    public static final String LHEO_22_NS = "http://www.lheo.org/2.2";
    public static final String SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String SOAP_ACTION_PREFIX = "urn:fr:aisne:hub:ouiform:v1:";
    static final String RESOURCE_DIR = "/contract/ouiform/v1/";
    public static final String WSDL = "ouiform-v1.wsdl";
    public static final String XSD = "ouiform-v1.xsd";
    public static final String LHEO_XSD = "lheo-2.3.xsd";
    private static final List<String> FILES = List.of(WSDL, XSD, LHEO_XSD);

    /** Values quoted by the schema validator's messages: never sent back nor logged. */
    private static final Pattern QUOTED_VALUE = Pattern.compile("((?i)value |cvc-datatype-valid\\.1\\.2\\.1: )'[^']*'");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern QUALIFIED = Pattern.compile("\\{\"([^\"]*)\":([^}]*)\\}");
    private static final Pattern LIST = Pattern.compile("\\[([^\\]]*)\\]");
    private static final String CURRENT_ELEMENT = "http://apache.org/xml/properties/dom/current-element-node";
    private static final int MAX_PROBLEMS = 5;

    /** The schema, compiled once per class loader (a Schema is immutable and thread-safe; LHEO's takes a while). */
    private static volatile Schema compiled;

    private final Path dir;
    private final Schema schema;
    private final DocumentBuilderFactory documents;
    private final TransformerFactory transformers = TransformerFactory.newDefaultInstance();

    private Contract(Path dir, Schema schema) {
        this.dir = dir;
        this.schema = schema;
        this.documents = secureDocuments();
    }

    /** Copies the contract out of the class path and compiles its schema. */
    public static Contract load() throws IOException {
        Path dir = Files.createTempDirectory("hub-ouiform-contract-");
        try {
            for (String name : FILES) {
                try (InputStream in = Contract.class.getResourceAsStream(RESOURCE_DIR + name)) {
                    if (in == null) {
                        throw new IOException("contract file missing from the bundle: " + RESOURCE_DIR + name);
                    }
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Schema schema = compiled;
            if (schema == null) {
                schema = compile(dir.resolve(XSD));
                compiled = schema;
            }
            return new Contract(dir, schema);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    private static Schema compile(Path xsd) throws IOException {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
            return factory.newSchema(xsd.toFile());
        } catch (SAXException e) {
            throw new IOException("the contract's schema does not compile: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilderFactory secureDocuments() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser without the secure features", e);
        }
        return f;
    }

    /** The compiled schema: the contract's messages and LHEO 2.3 (thread-safe). */
    public Schema schema() {
        return schema;
    }

    /** {@code file:} URL of the WSDL copy (its relative schema imports resolve beside it). */
    public String wsdlUrl() {
        return dir.resolve(WSDL).toUri().toString();
    }

    public Document newDocument() {
        return builder().newDocument();
    }

    /** Parses {@code xml} (no DTD); a broken document is a REQUETE_INVALIDE. */
    public Document parse(InputStream xml) throws Refus {
        try {
            return builder().parse(xml);
        } catch (SAXException e) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "XML mal formé ou DTD présente"
                    + (e instanceof SAXParseException p ? " (ligne " + p.getLineNumber() + ")" : ""));
        } catch (IOException e) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "XML illisible");
        }
    }

    public Document parse(byte[] xml) throws Refus {
        return parse(new ByteArrayInputStream(xml));
    }

    private DocumentBuilder builder() {
        try {
            DocumentBuilder b = documents.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() { // nothing printed on stderr: errors become the caller's SAXException
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

    /** REQUETE_INVALIDE naming the elements in fault, unless {@code element} follows the contract. */
    public void check(Element element) throws Refus {
        List<String> problems = problems(element);
        if (!problems.isEmpty()) {
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "Message non conforme au contrat OuiForm v1 : "
                    + String.join(" ; ", problems));
        }
    }

    /** The schema errors of {@code element}, each "path : message" (values masked); empty when it is valid. */
    public List<String> problems(Element element) {
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
                    if (problems.size() >= MAX_PROBLEMS) {
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

    /** A schema message without the values it quotes. */
    public static String mask(String message) {
        if (message == null) {
            return "";
        }
        String s = QUOTED_VALUE.matcher(message).replaceAll("$1'…'");
        // what else the parser quotes is a name of the document (element, attribute, entity, namespace) or of the
        // schema: kept only in the shape of a name, a namespace only when it is the contract's (an element named
        // "l0000-00-00" and a namespace holding a date were repeated: found by benchmarks/fuzz)
        return QUOTED.matcher(s).replaceAll(q -> Matcher.quoteReplacement(quoted(q.group())));
    }

    private static String quoted(String q) {
        char mark = q.charAt(0);
        String inner = q.substring(1, q.length() - 1);
        if (inner.equals("…") || inner.isEmpty()) {
            return q;
        }
        Matcher qualified = QUALIFIED.matcher(inner);
        if (qualified.matches()) {
            String uri = qualified.group(1);
            String ns = List.of(NS, LHEO_NS, LHEO_22_NS, SOAP_ENV_NS).contains(uri) ? uri : "…";
            return mark + "{\"" + ns + "\":" + Redaction.name(qualified.group(2)) + "}" + mark;
        }
        Matcher list = LIST.matcher(inner);
        if (list.matches()) { // an enumeration of the schema: [a, b, c]
            List<String> names = new ArrayList<>();
            for (String n : list.group(1).split(",\\s*", -1)) {
                names.add(Redaction.name(n));
            }
            return mark + "[" + String.join(", ", names) + "]" + mark;
        }
        return mark + Redaction.name(inner) + mark;
    }

    /** Slash-separated local names from the message's root element to {@code node}. */
    static String path(Node node) {
        StringBuilder sb = new StringBuilder();
        for (Node n = node; n instanceof Element; n = n.getParentNode()) {
            sb.insert(0, "/" + n.getLocalName());
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** UTF-8 bytes of {@code node} (with an XML declaration for a document). */
    public byte[] serialize(Node node) {
        try {
            Transformer t = transformers.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, node instanceof Document ? "no" : "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toByteArray();
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
