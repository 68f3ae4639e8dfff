package fr.aisne.hub.connector.caf;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;

import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

import fr.aisne.hub.connector.caf.CafFlux.Header;
import fr.aisne.hub.connector.caf.CafFlux.Household;
import fr.aisne.hub.connector.caf.CafFlux.HouseholdHandler;
import fr.aisne.hub.connector.caf.CafFlux.Person;
import fr.aisne.hub.connector.caf.CafFlux.Summary;

/**
 * Reads a vrsb0801 flux in one pass with constant memory: the SAX parser feeds the schema validator,
 * which feeds the mapping, one household at a time. Secure by construction: no DOCTYPE (so no external
 * entity and no entity expansion bomb), secure processing limits. The control totals of TransmissionFlux
 * are checked against what was read, and only the expected emitting applications are accepted (CRI:
 * CAF; AGO would be the MSA). Any broken rule rejects the file with its line, column and rule.
 *
 * <p>Households are handed over as they are read: a caller that must not keep anything of a bad file
 * stages them and commits only once {@link #read} returns.
 */
public final class CafFluxReader {
    private static final String XSD = "/xsd/vrsb0801.xsd";

    private final Schema schema;
    private final Set<String> acceptedApplications;

    public CafFluxReader(Schema schema, Set<String> acceptedApplications) {
        this.schema = schema;
        this.acceptedApplications = Set.copyOf(acceptedApplications);
    }

    /** Accepts CAF files only (APPLIEME CRI). */
    public static CafFluxReader forCaf() {
        return new CafFluxReader(loadSchema(), Set.of("CRI"));
    }

    /** The vrsb0801 schema shipped with this connector, compiled once (Schema objects are thread-safe). */
    public static Schema loadSchema() {
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            URL xsd = CafFluxReader.class.getResource(XSD);
            return f.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("the vrsb0801 schema shipped with the connector does not load: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads a whole file. Returns its summary only if it is valid, complete, with matching totals.
     *
     * @throws CafFluxException naming the file, the line and column and the rule broken
     */
    public Summary read(InputStream in, String fileName, HouseholdHandler handler) throws CafFluxException, IOException {
        Mapping mapping = new Mapping(fileName, handler);
        try {
            SAXParserFactory spf = SAXParserFactory.newInstance();
            spf.setNamespaceAware(true);
            spf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            spf.setFeature("http://xml.org/sax/features/external-general-entities", false);
            spf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            spf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            XMLReader reader = spf.newSAXParser().getXMLReader();
            ValidatorHandler validator = schema.newValidatorHandler();
            validator.setErrorHandler(mapping);
            validator.setContentHandler(mapping);
            reader.setContentHandler(validator);
            reader.setErrorHandler(mapping);
            reader.parse(new InputSource(in));
        } catch (SAXParseException e) {
            throw new CafFluxException(fileName, e.getLineNumber(), e.getColumnNumber(), describe(e), null);
        } catch (RejectedException e) {
            throw e.failure;
        } catch (SAXException e) {
            throw new CafFluxException(fileName, mapping.line(), mapping.column(), "not a vrsb0801 flux: "
                    + e.getMessage(), e);
        } catch (CharConversionException e) {
            throw new CafFluxException(fileName, mapping.line(), mapping.column(),
                    "bytes that are not valid in the declared encoding (" + e.getClass().getSimpleName() + ")", null);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser without secure processing", e);
        }
        return mapping.summary();
    }

    private static String describe(SAXParseException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("DOCTYPE")) {
            return "DOCTYPE declarations are refused (external entities, entity expansion)";
        }
        if (m.contains("must start and end within the same entity") || m.contains("Premature end of file")) {
            return "the file ends before the document does (truncated)";
        }
        if (m.contains("Invalid byte") || m.contains("Invalid encoding") || m.contains("invalid XML character")) {
            return "bytes that are not valid in the declared encoding: " + m;
        }
        if (m.contains("Content is not allowed in prolog")) {
            return "not XML: " + m;
        }
        // schema messages name the element and the rule (cvc-*), not the data
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
    }

    /** A rule of the flux itself (totals, emitting application) broke: carries the ready failure. */
    private static final class RejectedException extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient CafFluxException failure;

        RejectedException(CafFluxException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /** Receives validated SAX events and builds one household at a time. */
    private final class Mapping extends DefaultHandler implements ErrorHandler {
        private final String file;
        private final HouseholdHandler handler;
        private final StringBuilder text = new StringBuilder();
        private Locator locator;

        private String applieme, typeflux, natflux, heucreaflux;
        private LocalDate dtcreaflux, dtref;
        private Header header;
        private int households;
        private int persons;
        private long declared = -1;
        private int declaredLine, declaredColumn;

        // the household being read
        private boolean inHousehold;
        private int householdLine;
        private String numorg, matricule, ideparte, numdemrsa, etat, motisus, moticlo;
        private LocalDate dtdemrsa, dtclorsa;
        private List<Person> people;
        // the person being read
        private boolean inPerson;
        private String qual, nom, nomnai, prenom, nir, sexe, role, natprest, prestRole, idassedic;
        private LocalDate dtnai;
        private boolean droitsDevoirs;

        Mapping(String file, HouseholdHandler handler) {
            this.file = file;
            this.handler = handler;
        }

        int line() {
            return locator == null ? -1 : locator.getLineNumber();
        }

        int column() {
            return locator == null ? -1 : locator.getColumnNumber();
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
            text.setLength(0);
            switch (local) {
                case "InfosFoyerRSA" -> {
                    inHousehold = true;
                    householdLine = line();
                    numorg = matricule = ideparte = numdemrsa = etat = motisus = moticlo = null;
                    dtdemrsa = dtclorsa = null;
                    people = new ArrayList<>(4);
                }
                case "Personne" -> {
                    inPerson = true;
                    qual = nom = nomnai = prenom = nir = sexe = role = prestRole = idassedic = null;
                    dtnai = null;
                    droitsDevoirs = false;
                }
                case "Prestations" -> natprest = prestRole = null;
                case "NBTOTDOSRSATRANSM" -> {
                    declaredLine = line();
                    declaredColumn = column();
                }
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String local, String qName) throws SAXException {
            String v = text.toString().trim();
            text.setLength(0);
            if (!inHousehold) {
                header(local, v);
                return;
            }
            if (inPerson) {
                person(local, v);
                return;
            }
            switch (local) {
                case "NUMORG" -> numorg = v;
                case "MATRICULE" -> matricule = v;
                case "IDEPARTE" -> ideparte = v;
                case "NUMDEMRSA" -> numdemrsa = v;
                case "DTDEMRSA" -> dtdemrsa = date(v);
                case "ETATDOSRSA" -> etat = v;
                // state 3: SuspensionDroit/MOTISUSDRORSA; state 4: SuspensionVersement/MOTISUSVERSRSA
                case "MOTISUSDRORSA", "MOTISUSVERSRSA" -> motisus = motisus == null ? v : motisus;
                case "MOTICLORSA" -> moticlo = v;
                case "DTCLORSA" -> dtclorsa = date(v);
                case "InfosFoyerRSA" -> {
                    inHousehold = false;
                    households++;
                    persons += people.size();
                    Household h = new Household(householdLine, numorg, matricule, ideparte, numdemrsa, dtdemrsa, etat,
                            motisus, moticlo, dtclorsa, List.copyOf(people));
                    try {
                        handler.household(h);
                    } catch (Exception e) {
                        throw new RejectedException(new CafFluxException(file, householdLine, 1,
                                "household refused by the import: " + e.getMessage(), e));
                    }
                }
                default -> {
                }
            }
        }

        private void person(String local, String v) {
            switch (local) {
                case "QUAL" -> qual = v;
                case "NOM" -> nom = v;
                case "NOMNAI" -> nomnai = v;
                case "PRENOM" -> prenom = prenom == null ? v : prenom;
                case "DTNAI" -> dtnai = date(v);
                case "NIR" -> nir = v;
                case "SEXE" -> sexe = v;
                case "NATPREST" -> natprest = v;
                case "ROLEPERS" -> prestRole = v;
                case "Prestations" -> {
                    if ("RSA".equals(natprest) || role == null) {
                        role = prestRole;
                    }
                }
                case "IDASSEDIC" -> idassedic = v;
                case "TOPPERSDRODEVORSA" -> droitsDevoirs = droitsDevoirs || "1".equals(v) || "true".equals(v);
                case "Personne" -> {
                    inPerson = false;
                    people.add(new Person(qual, nom, nomnai, prenom, dtnai, nir, sexe, role, idassedic, droitsDevoirs));
                }
                default -> {
                }
            }
        }

        private void header(String local, String v) throws SAXException {
            switch (local) {
                case "APPLIEME" -> {
                    applieme = v;
                    if (!acceptedApplications.contains(v)) {
                        throw new RejectedException(new CafFluxException(file, line(), column(), "APPLIEME " + v
                                + " is not accepted by this connector (expected " + acceptedApplications
                                + "; AGO is an MSA flux)", null));
                    }
                }
                case "TYPEFLUX" -> typeflux = v;
                case "NATFLUX" -> natflux = v;
                case "DTCREAFLUX" -> dtcreaflux = date(v);
                case "HEUCREAFLUX" -> heucreaflux = v;
                case "DTREF" -> dtref = date(v);
                case "IdentificationFlux" -> {
                    header = new Header(applieme, typeflux, natflux, dtcreaflux, heucreaflux, dtref);
                    try {
                        handler.header(header);
                    } catch (Exception e) {
                        throw new RejectedException(new CafFluxException(file, line(), column(),
                                "flux refused by the import: " + e.getMessage(), e));
                    }
                }
                case "NBTOTDOSRSATRANSM" -> declared = Long.parseLong(v);
                case "TransmissionFlux" -> {
                    if (declared != households) {
                        throw new RejectedException(new CafFluxException(file, declaredLine, declaredColumn,
                                "control total NBTOTDOSRSATRANSM is " + declared + " but the file holds " + households
                                        + " households (InfosFoyerRSA)", null));
                    }
                }
                default -> {
                }
            }
        }

        private LocalDate date(String v) {
            try {
                return v.isEmpty() ? null : LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
            } catch (DateTimeParseException e) {
                return null; // the schema has already checked xsd:date
            }
        }

        Summary summary() {
            return new Summary(file, header, households, persons, declared);
        }

        @Override
        public void warning(SAXParseException e) {
            // schema warnings do not reject a file
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
