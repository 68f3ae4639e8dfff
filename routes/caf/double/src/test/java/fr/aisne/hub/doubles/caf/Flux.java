package fr.aisne.hub.doubles.caf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** Test helper: the CNAF schema with a secure factory, secure parsing, and a light reading of a flux. */
final class Flux {
    static final Path XSD = Path.of(System.getProperty("basedir", "."))
            .resolve("../connector/src/main/resources/xsd/vrsb0801.xsd").normalize();

    private static Schema schema;

    private Flux() {
    }

    static synchronized Schema schema() throws SAXException {
        if (schema == null) {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            schema = f.newSchema(XSD.toFile());
        }
        return schema;
    }

    /** Validates against vrsb0801.xsd (secure: no DTD, no external access); throws on the first error. */
    static void validate(byte[] xml) throws SAXException, IOException {
        Validator v = schema().newValidator();
        v.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        v.validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    static boolean isValid(byte[] xml) throws IOException {
        try {
            validate(xml);
            return true;
        } catch (SAXException e) {
            return false;
        }
    }

    /** Parses with SAX, secure processing on (entity expansion limits, no external access). */
    static void parseSecurely(byte[] xml, boolean disallowDoctype) throws Exception {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        if (disallowDoctype) {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        }
        f.newSAXParser().parse(new ByteArrayInputStream(xml), new DefaultHandler());
    }

    static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    /** What a test needs of a flux. */
    static final class Content {
        final Map<String, String> header = new LinkedHashMap<>();
        final List<Foyer> foyers = new ArrayList<>();
        long total = -1;
        long totalAno = -1;

        Foyer byMatricule(String matricule) {
            for (Foyer f : foyers) {
                if (f.get("MATRICULE").equals(matricule)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** One InfosFoyerRSA: leaf values by path below InfosFoyerRSA (first occurrence), persons, events. */
    static final class Foyer {
        final Map<String, String> values = new LinkedHashMap<>();
        final List<Map<String, String>> persons = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<String> blocks = new ArrayList<>();

        String get(String leaf) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (e.getKey().equals(leaf) || e.getKey().endsWith("/" + leaf)) {
                    return e.getValue();
                }
            }
            return null;
        }

        String etat() {
            return get("ETATDOSRSA");
        }
    }

    /**
     * Reads a flux with StAX (no DTD, no external entities). Person leaves are keyed by their name, except the two
     * Prestations, kept as PFA.ROLEPERS / RSA.ROLEPERS (and PRESTATIONS = their count).
     */
    static Content content(byte[] xml) throws XMLStreamException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(xml));
        Content c = new Content();
        Deque<String> path = new ArrayDeque<>();
        Foyer foyer = null;
        Map<String, String> person = null;
        String nature = null;
        StringBuilder text = new StringBuilder();
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                path.addLast(name);
                text.setLength(0);
                if (name.equals("InfosFoyerRSA")) {
                    foyer = new Foyer();
                    c.foyers.add(foyer);
                } else if (name.equals("Personne")) {
                    person = new LinkedHashMap<>();
                    person.put("PRESTATIONS", "0");
                    foyer.persons.add(person);
                } else if (name.equals("Prestations")) {
                    person.put("PRESTATIONS", Integer.toString(Integer.parseInt(person.get("PRESTATIONS")) + 1));
                } else if (foyer != null && path.contains("SituationDossierRSA") && !name.equals("SituationDossierRSA")
                        && !name.equals("EtatDossierRSA") && Character.isUpperCase(name.charAt(0))
                        && Character.isLowerCase(name.charAt(1))) {
                    foyer.blocks.add(name);
                }
            } else if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA) {
                text.append(r.getText());
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                String name = r.getLocalName();
                String value = text.toString();
                if (foyer == null) {
                    if (path.contains("IdentificationFlux") && !name.equals("IdentificationFlux")) {
                        c.header.put(name, value);
                    } else if (name.equals("NBTOTDOSRSATRANSM")) {
                        c.total = Long.parseLong(value);
                    } else if (name.equals("NBTOTDOSRSATRANSMANO")) {
                        c.totalAno = Long.parseLong(value);
                    }
                } else if (name.equals("InfosFoyerRSA")) {
                    foyer = null;
                } else if (name.equals("Personne")) {
                    person = null;
                } else if (person != null) {
                    if (name.equals("NATPREST")) {
                        nature = value;
                    } else if (name.equals("ROLEPERS")) {
                        person.put(nature + ".ROLEPERS", value);
                    } else if (name.equals("TOPCHAPERS")) {
                        person.put(nature + ".TOPCHAPERS", value);
                    } else if (!isContainer(name)) {
                        person.put(name, value);
                    }
                } else if (name.equals("FG")) {
                    foyer.events.add(value);
                } else if (!isContainer(name) && !path.contains("Evenement")) {
                    String key = String.join("/", path).replaceFirst("^Racine/InfosFoyerRSA/", "");
                    foyer.values.putIfAbsent(key, value);
                }
                path.removeLast();
                text.setLength(0);
            }
        }
        return c;
    }

    /** Blocks have a capital then a lower-case letter (Organisme), leaves are all upper case (NOM). */
    private static boolean isContainer(String name) {
        return name.length() > 1 && Character.isLowerCase(name.charAt(1));
    }
}
