package fr.aisne.hub.connector.ouiform.lheo;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
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
import fr.aisne.hub.connector.ouiform.contract.CodeErreur;
import fr.aisne.hub.connector.ouiform.contract.Contract;

/**
 * Reads a regional catalogue in LHEO 2.3 in one pass with constant memory: the SAX parser feeds a version gate (an
 * LHEO 2.2 document, namespace {@code http://www.lheo.org/2.2}, is refused as such before anything else), which feeds
 * the schema validator (lheo-2.3.xsd), which feeds the mapping; sessions are handed over one formation at a time
 * (LHEO gives a formation's organisation after its actions, and an action's prices after its sessions: one
 * formation is the most held in memory). No DOCTYPE (so no external entity and no entity expansion), secure
 * processing limits.
 * <p>
 * The regional file's habits are read as such: several actions sharing one {@code numero} (sessions are keyed by
 * their own numero), {@code @datemaj="00000000"}, date sentinels and month- or year-only dates ({@link LheoDate}),
 * prices with a decimal comma, HTML and "Non renseigné" in text ({@link LheoText}), the weekly duration in
 * {@code extras[@info="duree-hebdo"]}, the main place in {@code lieu-de-formation[@tag="principal"]}. What is valid
 * LHEO but unusable (a session without numero, a date the calendar does not have, a price that is not a number) is
 * counted as a warning, never guessed.
 */
public final class LheoReader {
    /** Text kept per field at most (the rest of a huge field is read and dropped). */
    static final int TEXT_MAX = 4_000;

    /** What a document held. */
    public record Summary(long formations, long actions, long sessions, Map<String, Long> warnings) {
        public long warningCount() {
            return warnings.values().stream().mapToLong(Long::longValue).sum();
        }

        public String describe() {
            return formations + " formations, " + actions + " actions, " + sessions + " sessions"
                    + (warnings.isEmpty() ? "" : "; warnings " + warnings);
        }
    }

    private final Schema schema;

    /** @param schema the contract's schema ({@link Contract#schema()}), which holds LHEO 2.3 */
    public LheoReader(Schema schema) {
        this.schema = schema;
    }

    /**
     * Reads the whole document, handing each session to {@code sink} as its formation ends.
     *
     * @throws LheoException the document is not LHEO 2.3 (2.2: LHEO_VERSION_NON_SUPPORTEE), not valid, or not XML
     */
    public Summary read(InputStream in, Consumer<LheoSession> sink) throws LheoException, IOException {
        Mapping mapping = new Mapping(sink);
        try {
            SAXParserFactory spf = SAXParserFactory.newDefaultInstance();
            spf.setNamespaceAware(true);
            spf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            spf.setFeature("http://xml.org/sax/features/external-general-entities", false);
            spf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            XMLReader reader = spf.newSAXParser().getXMLReader();
            ValidatorHandler validator = schema.newValidatorHandler();
            validator.setErrorHandler(mapping);
            validator.setContentHandler(mapping);
            VersionGate gate = new VersionGate(reader);
            gate.setContentHandler(validator);
            gate.setErrorHandler(mapping);
            gate.parse(new InputSource(in));
        } catch (Refused r) {
            throw r.failure;
        } catch (SAXParseException e) {
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, describe(e), e.getLineNumber(), e.getColumnNumber());
        } catch (SAXException e) {
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, "not an LHEO document: " + Contract.mask(e.getMessage()),
                    mapping.line(), mapping.column());
        } catch (CharConversionException e) {
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, "bytes that are not valid in the declared encoding",
                    mapping.line(), mapping.column());
        } catch (UnsupportedEncodingException e) {
            // the parser opens a reader for the declared encoding: an unknown one is the document's fault, not an I/O
            // failure (the name is not repeated)
            throw new LheoException(CodeErreur.REQUETE_INVALIDE, "the XML declaration names an encoding that is not "
                    + "supported", mapping.line(), mapping.column());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser without secure processing", e);
        }
        return mapping.summary();
    }

    /** Counts only (the document validated and read, nothing kept). */
    public Summary check(InputStream in) throws LheoException, IOException {
        return read(in, s -> { });
    }

    private static String describe(SAXParseException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("DOCTYPE")) {
            return "DOCTYPE declarations are refused (external entities, entity expansion)";
        }
        if (m.contains("must start and end within the same entity") || m.contains("Premature end of file")) {
            return "the document ends before it is complete (truncated)";
        }
        if (m.contains("must be terminated by the matching end-tag")) {
            return "an element is not closed (the document is truncated, or not well formed)";
        }
        if (m.contains("Invalid byte") || m.contains("Invalid encoding") || m.contains("invalid XML character")) {
            return "bytes that are not valid in the declared encoding";
        }
        if (m.contains("Content is not allowed in prolog")) {
            return "not XML";
        }
        String masked = Contract.mask(m); // schema messages name the element and the rule (cvc-*), values masked
        return masked.length() > 400 ? masked.substring(0, 400) + "…" : masked;
    }

    /** Carries a refusal out of the SAX pipeline. */
    private static final class Refused extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient LheoException failure;

        Refused(LheoException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /** Refuses a document whose root is not LHEO 2.3 before the schema says anything. */
    private static final class VersionGate extends XMLFilterImpl {
        private Locator locator;
        private boolean rootSeen;

        VersionGate(XMLReader parent) {
            super(parent);
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (!rootSeen) {
                rootSeen = true;
                int line = locator == null ? -1 : locator.getLineNumber();
                int column = locator == null ? -1 : locator.getColumnNumber();
                if (Contract.LHEO_22_NS.equals(uri)) {
                    throw new Refused(new LheoException(CodeErreur.LHEO_VERSION_NON_SUPPORTEE, "LHEO 2.2 document "
                            + "(namespace " + Contract.LHEO_22_NS + "): only LHEO 2.3 (" + Contract.LHEO_NS
                            + ") is accepted", line, column));
                }
                if (!"lheo".equals(localName) || !Contract.LHEO_NS.equals(uri)) {
                    boolean otherLheo = "lheo".equals(localName);
                    // the document's namespace and name are repeated only when they are a known namespace and a name
                    String ns = uri == null || uri.isEmpty() ? "no namespace" : Contract.LHEO_NS.equals(uri)
                            ? "namespace " + uri : "another namespace";
                    throw new Refused(new LheoException(otherLheo ? CodeErreur.LHEO_VERSION_NON_SUPPORTEE
                            : CodeErreur.REQUETE_INVALIDE, "root element " + Redaction.name(localName) + " in " + ns
                            + " is not the LHEO 2.3 document element {" + Contract.LHEO_NS + "}lheo", line, column));
                }
            }
            super.startElement(uri, localName, qName, atts);
        }
    }

    // ---------------------------------------------------------------------------------------------- the mapping

    private static final Set<String> FORMATION_TEXTS = Set.of("intitule-formation", "objectif-formation",
            "domaine-formation/code-FORMACODE", "domaine-formation/code-ROME", "certifiante",
            "organisme-formation-responsable/SIRET-organisme-formation/SIRET",
            "organisme-formation-responsable/raison-sociale", "organisme-formation-responsable/nom-organisme");
    private static final Set<String> ACTION_TEXTS = Set.of("prix-total-TTC", "nombre-heures-total",
            "lieu-de-formation/coordonnees/adresse/codepostal", "lieu-de-formation/coordonnees/adresse/ville",
            "lieu-de-formation/coordonnees/adresse/code-INSEE-commune", "extras/extra");
    private static final Set<String> SESSION_TEXTS = Set.of("periode/debut", "periode/fin", "etat-recrutement");

    private static final class FormationParts {
        String numero;
        String datemaj;
        String intitule;
        String objectif;
        String formacode;
        String rome;
        boolean certifiante;
        String siret;
        String raisonSociale;
        String nomOrganisme;
        final List<ActionParts> actions = new ArrayList<>();
    }

    private static final class ActionParts {
        String numero;
        String datemaj;
        String prixTotal;
        String heures;
        String dureeHebdo;
        LheoSession.Lieu principal;
        LheoSession.Lieu first;
        final List<SessionParts> sessions = new ArrayList<>();
    }

    private static final class SessionParts {
        String numero;
        String datemaj;
        String debut;
        String fin;
        String etat;
        int line;
    }

    private static final class Mapping extends DefaultHandler implements ErrorHandler {
        private final Consumer<LheoSession> sink;
        private final Map<String, Long> warnings = new TreeMap<>();
        private final Deque<String> path = new ArrayDeque<>();
        private Locator locator;
        private long formations;
        private long actions;
        private long sessions;
        private FormationParts formation;
        private ActionParts action;
        private SessionParts session;
        private int formationDepth = -1;
        private int actionDepth = -1;
        private int sessionDepth = -1;
        private boolean lieuPrincipal;
        private String lieuCp;
        private String lieuVille;
        private String lieuInsee;
        private boolean extraDureeHebdo;
        private StringBuilder text;

        Mapping(Consumer<LheoSession> sink) {
            this.sink = sink;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        int line() {
            return locator == null ? -1 : locator.getLineNumber();
        }

        int column() {
            return locator == null ? -1 : locator.getColumnNumber();
        }

        Summary summary() {
            return new Summary(formations, actions, sessions, Map.copyOf(warnings));
        }

        private void warn(String what) {
            warnings.merge(what, 1L, Long::sum);
        }

        /** The path below the element at {@code depth} ("a/b/c"), or null when not below it. */
        private String below(int depth) {
            if (depth < 0 || path.size() <= depth + 1) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            int i = 0;
            for (var it = path.descendingIterator(); it.hasNext(); i++) {
                String n = it.next();
                if (i > depth) {
                    if (sb.length() > 0) {
                        sb.append('/');
                    }
                    sb.append(n);
                }
            }
            return sb.toString();
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            int depth = path.size();
            path.push(localName);
            text = null;
            if (depth == 2 && "formation".equals(localName)) {
                formation = new FormationParts();
                formation.numero = atts.getValue("numero");
                formation.datemaj = atts.getValue("datemaj");
                formationDepth = depth;
                return;
            }
            if (formation == null) {
                return;
            }
            if (depth == formationDepth + 1 && "action".equals(localName)) {
                action = new ActionParts();
                action.numero = atts.getValue("numero");
                action.datemaj = atts.getValue("datemaj");
                actionDepth = depth;
                return;
            }
            if (action != null && depth == actionDepth + 1 && "session".equals(localName)) {
                session = new SessionParts();
                session.numero = atts.getValue("numero");
                session.datemaj = atts.getValue("datemaj");
                session.line = line();
                sessionDepth = depth;
                return;
            }
            if (action != null && depth == actionDepth + 1 && "lieu-de-formation".equals(localName)) {
                lieuPrincipal = "principal".equals(atts.getValue("tag"));
                lieuCp = null;
                lieuVille = null;
                lieuInsee = null;
            }
            if (action != null && depth == actionDepth + 2 && "extra".equals(localName)) {
                String info = atts.getValue("info");
                extraDureeHebdo = "duree-hebdo".equals(info) || extraDureeHebdo;
            }
            if (action != null && depth == actionDepth + 1 && "extras".equals(localName)) {
                extraDureeHebdo = "duree-hebdo".equals(atts.getValue("info"));
            }
            String rel = session != null ? below(sessionDepth) : action != null ? below(actionDepth) : below(formationDepth);
            Set<String> wanted = session != null ? SESSION_TEXTS : action != null ? ACTION_TEXTS : FORMATION_TEXTS;
            if (rel != null && wanted.contains(rel)) {
                text = new StringBuilder();
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (text != null && text.length() < TEXT_MAX) {
                text.append(ch, start, Math.min(length, TEXT_MAX - text.length()));
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            int depth = path.size() - 1;
            String value = text == null ? null : text.toString();
            text = null;
            if (value != null) {
                take(value);
            }
            if (session != null && depth == sessionDepth) {
                action.sessions.add(session);
                session = null;
            } else if (action != null && depth == actionDepth + 1 && "lieu-de-formation".equals(localName)) {
                LheoSession.Lieu lieu = lieuCp == null && lieuVille == null && lieuInsee == null ? null
                        : new LheoSession.Lieu(lieuCp, lieuVille, lieuInsee);
                if (lieu != null && lieuPrincipal && action.principal == null) {
                    action.principal = lieu;
                }
                if (lieu != null && action.first == null) {
                    action.first = lieu;
                }
            } else if (action != null && depth == actionDepth + 1 && "extras".equals(localName)) {
                extraDureeHebdo = false;
            } else if (action != null && depth == actionDepth) {
                formation.actions.add(action);
                actions++;
                action = null;
            } else if (formation != null && depth == formationDepth) {
                emit(formation);
                formations++;
                formation = null;
            }
            path.pop();
        }

        private void take(String value) {
            String v = value.strip();
            if (session != null) {
                switch (below(sessionDepth)) {
                    case "periode/debut" -> session.debut = v;
                    case "periode/fin" -> session.fin = v;
                    case "etat-recrutement" -> session.etat = v;
                    default -> { }
                }
            } else if (action != null) {
                switch (below(actionDepth)) {
                    case "prix-total-TTC" -> action.prixTotal = v;
                    case "nombre-heures-total" -> action.heures = v;
                    case "lieu-de-formation/coordonnees/adresse/codepostal" -> lieuCp = v;
                    case "lieu-de-formation/coordonnees/adresse/ville" -> lieuVille = v;
                    case "lieu-de-formation/coordonnees/adresse/code-INSEE-commune" -> lieuInsee = v;
                    case "extras/extra" -> {
                        if (extraDureeHebdo && action.dureeHebdo == null) {
                            action.dureeHebdo = v;
                        }
                    }
                    default -> { }
                }
            } else {
                switch (below(formationDepth)) {
                    case "intitule-formation" -> formation.intitule = LheoText.plain(v, 255);
                    case "objectif-formation" -> formation.objectif = LheoText.plain(v, 2000);
                    case "domaine-formation/code-FORMACODE" -> formation.formacode = first(formation.formacode, v);
                    case "domaine-formation/code-ROME" -> formation.rome = first(formation.rome, v);
                    case "certifiante" -> formation.certifiante = "1".equals(v);
                    case "organisme-formation-responsable/SIRET-organisme-formation/SIRET" -> formation.siret = v;
                    case "organisme-formation-responsable/raison-sociale" -> formation.raisonSociale = LheoText.plain(v, 250);
                    case "organisme-formation-responsable/nom-organisme" -> formation.nomOrganisme = LheoText.plain(v, 250);
                    default -> { }
                }
            }
        }

        private static String first(String current, String v) {
            return current != null || v.isEmpty() ? current : v;
        }

        private void emit(FormationParts f) {
            String organisme = f.raisonSociale != null ? f.raisonSociale : f.nomOrganisme;
            for (ActionParts a : f.actions) {
                BigDecimal prix = decimal(a.prixTotal, "prix-total-TTC is not a number (kept as written)");
                BigDecimal hebdo = decimal(a.dureeHebdo, "duree-hebdo is not a number of hours");
                Integer heures = heures(a.heures);
                for (SessionParts s : a.sessions) {
                    if (s.numero == null || s.numero.isBlank()) {
                        warn("session without numero (cannot be prescribed, skipped)");
                        continue;
                    }
                    sessions++;
                    LheoDate debut = date(s.debut, "session debut is not a calendar date");
                    LheoDate fin = date(s.fin, "session fin is not a calendar date");
                    LheoDate maj = date(s.datemaj != null ? s.datemaj : a.datemaj != null ? a.datemaj : f.datemaj,
                            "datemaj is not a calendar date");
                    if (maj != null && maj.precision() == LheoDate.Precision.INCONNUE) {
                        warn("datemaj 00000000 (unknown update date)");
                    }
                    sink.accept(new LheoSession(s.numero.strip(), a.numero, f.numero, f.intitule, f.objectif,
                            f.formacode, f.rome, f.certifiante, f.siret, organisme,
                            a.principal != null ? a.principal : a.first, debut, fin, etat(s.etat), prix,
                            a.prixTotal, hebdo, heures, maj));
                }
            }
        }

        private LheoDate date(String raw, String warning) {
            try {
                return LheoDate.parse(raw);
            } catch (IllegalArgumentException e) {
                warn(warning);
                return null;
            }
        }

        private BigDecimal decimal(String raw, String warning) {
            try {
                return LheoText.decimal(raw);
            } catch (IllegalArgumentException e) {
                warn(warning);
                return null;
            }
        }

        private Integer heures(String raw) {
            try {
                BigDecimal d = LheoText.decimal(raw);
                return d == null ? null : d.setScale(0, java.math.RoundingMode.HALF_UP).intValueExact();
            } catch (IllegalArgumentException | ArithmeticException e) {
                warn("nombre-heures-total is not a number");
                return null;
            }
        }

        private Integer etat(String raw) {
            if (raw == null || raw.isBlank()) {
                return null;
            }
            try {
                return Integer.valueOf(raw.strip());
            } catch (NumberFormatException e) {
                warn("etat-recrutement is not 1, 2 or 3");
                return null;
            }
        }

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
    }
}
