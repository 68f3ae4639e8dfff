package fr.aisne.hub.doubles.urssaf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMSource;
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
 * The AT/MP declaration contract v1 as this bundle carries it (copied from docs/contracts/urssaf/ at build time): the
 * WSDL and XSD copied to a private temporary folder (plain file: URLs for CXF and the schema factory, on the tests'
 * class path as in the bundle), the compiled schema, validation naming the element concerned.
 */
final class Contract implements AutoCloseable {
    static final String NS = "urn:fr:aisne:hub:urssaf:atmp:v1";
    static final String WSDL = "atmp-declaration-v1.wsdl";
    static final String XSD = "atmp-declaration-v1.xsd";
    private static final String CURRENT_ELEMENT = "http://apache.org/xml/properties/dom/current-element-node";
    private static final Pattern QUOTED_VALUE = Pattern.compile("((?i)value |cvc-datatype-valid\\.1\\.2\\.1: )'[^']*'");

    private final Path dir;
    private final Schema schema;
    private final DocumentBuilderFactory documents = DocumentBuilderFactory.newDefaultInstance();

    private Contract(Path dir, Schema schema) {
        this.dir = dir;
        this.schema = schema;
        documents.setNamespaceAware(true);
        try {
            documents.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            documents.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Contract load() throws IOException {
        Path dir = Files.createTempDirectory("hub-double-urssaf-contract-");
        for (String name : List.of(WSDL, XSD)) {
            try (InputStream in = Contract.class.getResourceAsStream("/contract/urssaf/v1/" + name)) {
                if (in == null) {
                    throw new IOException("contract file missing from the bundle: " + name);
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
            return new Contract(dir, factory.newSchema(dir.resolve(XSD).toFile()));
        } catch (SAXException e) {
            throw new IOException("contract schema does not compile: " + e.getMessage(), e);
        }
    }

    String wsdlUrl() {
        return dir.resolve(WSDL).toUri().toString();
    }

    Document newDocument() {
        try {
            return documents.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rejects (SCHEMA_INVALIDE) an element that breaks the schema, naming the element and the rule (values masked). */
    void validate(Element element) {
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
                    problems.add(where + " : " + QUOTED_VALUE.matcher(String.valueOf(e.getMessage())).replaceAll("$1'…'"));
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    error(e);
                }
            });
            validator.validate(new DOMSource(element));
        } catch (SAXException | IOException e) {
            if (problems.isEmpty()) {
                problems.add("? : " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            String p = problems.get(0);
            int sep = p.indexOf(" : ");
            throw new Rejet("SCHEMA_INVALIDE", p.substring(0, sep), "Message non conforme au contrat AT/MP v1 : "
                    + p.substring(sep + 3));
        }
    }

    static String path(Node node) {
        StringBuilder sb = new StringBuilder();
        for (Node n = node; n instanceof Element; n = n.getParentNode()) {
            sb.insert(0, "/" + n.getLocalName());
        }
        return sb.length() == 0 ? "/" : sb.substring(1);
    }

    @Override
    public void close() {
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
