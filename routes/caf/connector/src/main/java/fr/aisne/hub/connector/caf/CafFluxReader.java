package fr.aisne.hub.connector.caf;

import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.URL;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.xml.sax.helpers.XMLFilterImpl;

import fr.aisne.hub.api.Redaction;

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
 * <p>
 * <b>Bounded memory, whatever the file.</b> The text of one element is limited to {@link #MAX_TEXT_CHARS}
 * characters (the longest value vrsb0801 allows is 200): counted as the parser hands it over (in chunks), before
 * the schema validator, which would otherwise buffer it whole; the read stops at the limit. The parser itself
 * buffers a comment, a CDATA section, a processing instruction, an attribute list or a name whole before it
 * reports anything: the input may not go on for more than {@link #MAX_CONSTRUCT_BYTES} bytes without a
 * complete construct (the read stops there too). Either way the file is rejected with the element, the line
 * and the rule.
 * <p>
 * <b>No personal data in a rejection.</b> The schema validator's own messages quote the offending value (a NIR,
 * a birth date): a rejection by the schema is reported as its rule (cvc-...), the element and the position,
 * and the validator's text is kept only for the rules whose messages name nothing but elements of the schema.
 *
 * <p>Households are handed over as they are read: a caller that must not keep anything of a bad file
 * stages them and commits only once {@link #read} returns.
 */
public final class CafFluxReader {
    private static final String XSD = "/xsd/vrsb0801.xsd";
    /** Most characters of text one element may hold: generous (the longest value vrsb0801 allows is 200). */
    public static final int MAX_TEXT_CHARS = 4096;
    /** Most bytes read without a complete XML construct (text is reported in chunks, so never reaches it). */
    public static final int MAX_CONSTRUCT_BYTES = 1 << 20;
    private static final Pattern RULE = Pattern.compile("^\\s*(cvc-[A-Za-z0-9.-]+)");
    /**
     * Schema rules whose messages (Xerces' XMLSchemaMessages) name only elements and what the schema expects:
     * kept as they are. Any other rule is about a value, which its message quotes: replaced by our own words.
     */
    private static final Set<String> NAMES_ONLY = Set.of("cvc-complex-type.2.1", "cvc-complex-type.2.2",
            "cvc-complex-type.2.3", "cvc-complex-type.2.4.a", "cvc-complex-type.2.4.b", "cvc-complex-type.2.4.c",
            "cvc-complex-type.2.4.d", "cvc-complex-type.2.4.e", "cvc-complex-type.2.4.f", "cvc-complex-type.3.2.2",
            "cvc-complex-type.4", "cvc-elt.1.a", "cvc-elt.1.b");
    /** What a value rule means, by the start of its name; the value itself is never repeated. */
    private static final Map<String, String> VALUE_RULES = Map.ofEntries(
            Map.entry("cvc-datatype-valid", "is not of the type the schema gives it (e.g. a date written YYYY-MM-DD)"),
            Map.entry("cvc-pattern-valid", "does not have the form its type requires (pattern)"),
            Map.entry("cvc-enumeration-valid", "is not one of the values its type allows"),
            Map.entry("cvc-maxLength-valid", "is longer than its type allows"),
            Map.entry("cvc-minLength-valid", "is shorter than its type allows"),
            Map.entry("cvc-length-valid", "does not have the length its type requires"),
            Map.entry("cvc-maxInclusive-valid", "is above the range its type allows"),
            Map.entry("cvc-maxExclusive-valid", "is above the range its type allows"),
            Map.entry("cvc-minInclusive-valid", "is below the range its type allows"),
            Map.entry("cvc-minExclusive-valid", "is below the range its type allows"),
            Map.entry("cvc-totalDigits-valid", "has more digits than its type allows"),
            Map.entry("cvc-fractionDigits-valid", "has more decimals than its type allows"));

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
        BoundedInput input = new BoundedInput(in);
        Limits limits = new Limits(fileName, input);
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
            validator.setErrorHandler(limits.schemaErrors(mapping));
            validator.setContentHandler(mapping);
            // parser -> limits (text per element, bytes per construct) -> schema validator -> mapping
            limits.setParent(reader);
            limits.setContentHandler(validator);
            limits.setErrorHandler(mapping);
            limits.parse(new InputSource(input));
        } catch (SAXParseException e) {
            throw new CafFluxException(fileName, e.getLineNumber(), e.getColumnNumber(), describe(e), null);
        } catch (RejectedException e) {
            throw e.failure;
        } catch (SAXException e) {
            throw new CafFluxException(fileName, mapping.line(), mapping.column(), "not a vrsb0801 flux ("
                    + e.getClass().getSimpleName() + ")", null);
        } catch (ConstructTooLarge e) {
            throw limits.constructTooLarge();
        } catch (CharConversionException e) {
            throw new CafFluxException(fileName, mapping.line(), mapping.column(),
                    "bytes that are not valid in the declared encoding (" + e.getClass().getSimpleName() + ")", null);
        } catch (UnsupportedEncodingException e) {
            // the XML declaration names an encoding the JDK does not know (found by Jazzer: encoding="windows-8675");
            // an IOException here would be taken for a failure of the transfer, not of the file. The name is not
            // repeated: it is the partner's text.
            throw new CafFluxException(fileName, mapping.line(), mapping.column(),
                    "the XML declaration names an encoding that is not supported", null);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser without secure processing", e);
        }
        return mapping.summary();
    }

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"|'([^']*)'");
    /** An XML name with no run of 4 digits (a name glued to a date or a NIR is the file's data) or a bit of markup. */
    private static final Pattern XML_NAME = Pattern.compile("(?!.*\\d{4})[A-Za-z_][A-Za-z0-9_.:-]{0,63}|[<>/=?&;]{1,2}");

    /**
     * The parser's message with every quoted text that is not such a name replaced by "…" (Jazzer found both an
     * unterminated {@code version="1.1...} quoting the elements that follow, and an element named
     * {@code DTREF.2025-05-31}).
     */
    static String quotedNamesOnly(String message) {
        Matcher q = QUOTED.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (q.find()) {
            String inside = q.group(1) != null ? q.group(1) : q.group(2);
            String quote = q.group(1) != null ? "\"" : "'";
            q.appendReplacement(sb, Matcher.quoteReplacement(XML_NAME.matcher(inside).matches() ? q.group()
                    : quote + "…" + quote));
        }
        return q.appendTail(sb).toString();
    }

    private static String describe(SAXParseException e) {
        String m = quotedNamesOnly(e.getMessage() == null ? "" : e.getMessage());
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
        // well-formedness messages name elements, entities and characters, but some quote what the file holds (an
        // unterminated version="1.1... runs over the next elements and their values: found by Jazzer): a quoted text
        // is kept only when it is an XML name, then redacted all the same
        m = Redaction.redact(m);
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
    }

    /**
     * A schema rule broken in an element, without the value: the rule (cvc-...), the element, and what the rule
     * means. The validator's own text is kept only for rules whose messages name elements and nothing else.
     */
    static String schemaRule(String message, String element) {
        String m = message == null ? "" : message;
        Matcher code = RULE.matcher(m);
        String rule = code.find() ? code.group(1) : null;
        String where = element == null ? "" : "element " + element + ": ";
        if (rule == null) {
            return where + "broken schema rule (the validator's message is not shown: it may quote the value)";
        }
        if (NAMES_ONLY.contains(rule)) {
            String kept = Redaction.redact(m.strip());
            return kept.length() > 500 ? kept.substring(0, 500) + "…" : kept;
        }
        String meaning = "does not satisfy it";
        for (Map.Entry<String, String> e : VALUE_RULES.entrySet()) {
            if (rule.startsWith(e.getKey())) {
                meaning = e.getValue();
            }
        }
        return rule + ": the value of " + (element == null ? "an element" : "element " + element) + " " + meaning
                + " (value not shown)";
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

    /** The input went on too long without a complete XML construct: stops the parser where it reads. */
    private static final class ConstructTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        ConstructTooLarge() {
            super("XML construct too large");
        }
    }

    /** Counts the bytes the parser reads since the last construct it reported; refuses to read further at the limit. */
    private static final class BoundedInput extends FilterInputStream {
        private long sinceLastEvent;

        BoundedInput(InputStream in) {
            super(in);
        }

        void event() {
            sinceLastEvent = 0;
        }

        private int counted(int n) throws ConstructTooLarge {
            if (n > 0) {
                sinceLastEvent += n;
                if (sinceLastEvent > MAX_CONSTRUCT_BYTES) {
                    throw new ConstructTooLarge();
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(super.read(b, off, len));
        }

        @Override
        public long skip(long n) throws IOException {
            return counted((int) super.skip(Math.min(n, Integer.MAX_VALUE)));
        }
    }

    /**
     * Between the parser and the schema validator: limits the text of each element before anything buffers it,
     * tells {@link BoundedInput} of each construct reported, and knows the element a schema error is about.
     */
    private static final class Limits extends XMLFilterImpl {
        private final String file;
        private final BoundedInput input;
        private Locator locator;
        private String element;
        private int textChars;

        Limits(String file, BoundedInput input) {
            this.file = file;
            this.input = input;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) throws SAXException {
            input.event();
            element = local;
            textChars = 0;
            super.startElement(uri, local, qName, atts);
        }

        @Override
        public void endElement(String uri, String local, String qName) throws SAXException {
            input.event();
            element = local;
            textChars = 0;
            super.endElement(uri, local, qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            input.event();
            textChars += length;
            if (textChars > MAX_TEXT_CHARS) {
                throw new RejectedException(new CafFluxException(file, line(), column(), "the text of element "
                        + element + " is longer than " + MAX_TEXT_CHARS + " characters (the longest value vrsb0801 "
                        + "allows is 200): file refused, not read further (value not shown)", null));
            }
            super.characters(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            characters(ch, start, length);
        }

        @Override
        public void processingInstruction(String target, String data) throws SAXException {
            input.event();
            super.processingInstruction(target, data);
        }

        CafFluxException constructTooLarge() {
            return new CafFluxException(file, line(), column(), "more than " + MAX_CONSTRUCT_BYTES + " bytes without "
                    + "a complete XML construct after " + (element == null ? "the start" : "element " + element)
                    + " (an oversized comment, CDATA section, attribute or name): file refused, not read further", null);
        }

        /** The schema validator's errors, reworded without the value before they reach the mapping. */
        ErrorHandler schemaErrors(ErrorHandler next) {
            return new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) throws SAXException {
                    next.warning(e);
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    next.error(new SAXParseException(schemaRule(e.getMessage(), element), null, null,
                            e.getLineNumber(), e.getColumnNumber()));
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    error(e);
                }
            };
        }

        private int line() {
            return locator == null ? -1 : locator.getLineNumber();
        }

        private int column() {
            return locator == null ? -1 : locator.getColumnNumber();
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
                                "household refused by the import: " + Redaction.redact(e.getMessage()), e));
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
                        // an application code is shown; anything else in its place is not repeated
                        throw new RejectedException(new CafFluxException(file, line(), column(), "APPLIEME "
                                + (v.matches("[A-Z0-9]{1,8}") ? v : "(value not shown)")
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
                                "flux refused by the import: " + Redaction.redact(e.getMessage()), e));
                    }
                }
                case "NBTOTDOSRSATRANSM" -> {
                    try {
                        declared = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new RejectedException(new CafFluxException(file, declaredLine, declaredColumn,
                                "control total NBTOTDOSRSATRANSM is not a count of households (value not shown)", null));
                    }
                }
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
