package fr.aisne.hub.doubles.ouiform;

import java.io.StringWriter;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Carif-Oref style weekly catalogue of the Aisne in LHEO 2.3, with the known habits of the real regional file
 * (docs/contracts/ouiform/README.md, PARTNERS.md section 5), every one of them present:
 * <ul>
 * <li>several actions sharing one {@code numero} ({@link #ACTION_PARTAGEE}, at Laon and at Saint-Quentin);</li>
 * <li>{@code @datemaj="00000000"} on formations and actions;</li>
 * <li>date sentinels: unknown start {@code 00000000}, unknown end {@code 99999999}, month only {@code AAAAMM00}, year
 * only {@code AAAA0000};</li>
 * <li>prices with a decimal comma ({@code 4520,50});</li>
 * <li>HTML (escaped text and CDATA) and "Non renseigné" in text fields;</li>
 * <li>the weekly duration in {@code extras[@info="duree-hebdo"]/extra};</li>
 * <li>the main place in {@code lieu-de-formation[@tag="principal"]} (one action also has a second place).</li>
 * </ul>
 * Session ids are fixed (the dates move with the week): prescriptions refer to them. Names, SIRETs and contacts are
 * fictitious. Also gives a small LHEO 2.2 document ({@code http://www.lheo.org/2.2}) for the refusal test.
 */
final class Catalogue {
    static final String NON_RENSEIGNE = "Non renseigné";

    /** Open session, exact dates, in 4 weeks (Laon). */
    static final String SESSION_OUVERTE = "02_SE_0000101_1";
    /** Open session of the second action sharing {@link #ACTION_PARTAGEE}: month-only start, year-only end. */
    static final String SESSION_MOIS_SEULEMENT = "02_SE_0000101_2";
    /** Open all year round: start 00000000, end 99999999. */
    static final String SESSION_PERMANENTE = "02_SE_0000202_1";
    /** Recruitment closed (etat-recrutement 2): prescriptions answered SESSION_FERMEE. */
    static final String SESSION_FERMEE = "02_SE_0000303_1";
    /** Open, in 7 weeks. */
    static final String SESSION_OUVERTE_2 = "02_SE_0000303_2";
    /** Open, started two weeks ago (entrées et sorties permanentes). */
    static final String SESSION_EN_COURS = "02_SE_0000404_1";
    /** Recruitment suspended (etat-recrutement 3): prescriptions answered SESSION_FERMEE. */
    static final String SESSION_SUSPENDUE = "02_SE_0000404_2";
    /** Open, in 2 weeks (Hirson). */
    static final String SESSION_HIRSON = "02_SE_0000505_1";
    /** The action numero shared by two actions of one formation. */
    static final String ACTION_PARTAGEE = "02_AC_0000101";

    private static final DateTimeFormatter LHEO_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** A session as prescriptions see it. {@code debut}/{@code fin} are LHEO dates (sentinels included). */
    record SessionInfo(String numero, String formation, String action, String intitule, String ville, String debut,
            String fin, int etatRecrutement) {
        boolean ouverte() {
            return etatRecrutement == 1;
        }
    }

    record Lieu(String denomination, String ligne, String codePostal, String ville, String codeInsee) {
    }

    record Session(String numero, String debut, String fin, int etat, String inscriptionDebut, String inscriptionFin) {
    }

    record Action(String numero, boolean datemajInconnue, Lieu principal, Lieu secondaire, String dureeHebdo,
            String prixHoraire, String prixTotal, long heures, String conditions, boolean entreesPermanentes,
            List<Session> sessions) {
    }

    record Organisme(String siret, String numeroActivite, String nom, String courriel, String telephone, Lieu adresse) {
    }

    record Formation(String numero, boolean datemajInconnue, String intitule, String formacode, String rome,
            String objectif, String resultats, String contenu, boolean contenuCdata, boolean certifiante,
            Organisme organisme, List<Action> actions) {
    }

    private final LocalDate weekOf;
    private final List<Formation> formations;
    private final Map<String, SessionInfo> sessions;

    private Catalogue(LocalDate weekOf, List<Formation> formations) {
        this.weekOf = weekOf;
        this.formations = List.copyOf(formations);
        Map<String, SessionInfo> s = new LinkedHashMap<>();
        for (Formation f : formations) {
            for (Action a : f.actions()) {
                for (Session se : a.sessions()) {
                    s.put(se.numero(), new SessionInfo(se.numero(), f.numero(), a.numero(), f.intitule(),
                            a.principal().ville(), se.debut(), se.fin(), se.etat()));
                }
            }
        }
        this.sessions = Collections.unmodifiableMap(s);
    }

    /** The catalogue of the week containing {@code day} (dates computed from that week's Monday). */
    static Catalogue aisne(LocalDate day) {
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Lieu laon = new Lieu("Site de Laon", "12 rue de la Formation", "02000", "Laon", "02408");
        Lieu saintQuentin = new Lieu("Site de Saint-Quentin", "3 boulevard de l'Insertion", "02100", "Saint-Quentin",
                "02691");
        Lieu gauchy = new Lieu("Plateau technique de Gauchy", "ZA du Parc", "02430", "Gauchy", "02340");
        Lieu soissons = new Lieu("Espace compétences", "8 place des Métiers", "02200", "Soissons", "02722");
        Lieu chauny = new Lieu("Plateforme logistique école", "Zone industrielle", "02300", "Chauny", "02173");
        Lieu chateau = new Lieu(null, "5 avenue des Services", "02400", "Château-Thierry", "02168");
        Lieu hirson = new Lieu("Restaurant d'application", "1 rue du Marché", "02500", "Hirson", "02381");

        List<Formation> list = new ArrayList<>();
        list.add(new Formation("02_AF_0000101", true, "Agent de propreté et d'hygiène", "42811", "K2204",
                "<p>Acquérir les gestes professionnels du <strong>nettoyage</strong> et de l'hygiène des locaux.</p>",
                "Titre professionnel Agent de propreté et d'hygiène (niveau 3)",
                "<ul><li>Hygiène et sécurité</li><li>Techniques de nettoyage manuel et mécanisé</li><li>Stage en entreprise</li></ul>",
                true, true,
                new Organisme("12345678900017", "32020000101", "Centre de formation du Laonnois (fictif)",
                        "contact@cf-laonnois.example", "03 23 00 00 01", laon),
                List.of(new Action(ACTION_PARTAGEE, true, laon, null, "35", "12,50", "4520,50", 420,
                                "<p>Être inscrit à France Travail.</p>", false,
                                List.of(new Session(SESSION_OUVERTE, d(monday.plusWeeks(4)), d(monday.plusWeeks(16)), 1,
                                        d(monday.minusWeeks(2)), d(monday.plusWeeks(3))))),
                        new Action(ACTION_PARTAGEE, false, saintQuentin, gauchy, "24,5", "11,80", "3890,00", 330,
                                NON_RENSEIGNE, false,
                                List.of(new Session(SESSION_MOIS_SEULEMENT, month(monday.plusMonths(2)),
                                        year(monday.plusYears(1)), 1, null, null))))));
        list.add(new Formation("02_AF_0000202", false, "Remise à niveau - compétences clés", "15041", "K2111",
                "Renforcer les savoirs de base : français, mathématiques, numérique.", NON_RENSEIGNE,
                "<p>Modules : <b>français</b>, mathématiques, <i>outils numériques</i>.</p><br/>Parcours individualisé.",
                false, false,
                new Organisme("23456789000028", "32020000202", "Association Insertion Soissonnais (fictive)",
                        "accueil@ais-soissons.example", "03 23 00 00 02", soissons),
                List.of(new Action("02_AC_0000202", false, soissons, null, "20", "9,00", "1250,00", 150, NON_RENSEIGNE,
                        true, List.of(new Session(SESSION_PERMANENTE, "00000000", "99999999", 1, null, null))))));
        list.add(new Formation("02_AF_0000303", false, "Préparation opérationnelle à l'emploi - cariste", "31812",
                "N1101", "Obtenir les CACES R489 catégories 1A, 3 et 5 et préparer l'embauche.",
                "CACES R489 1A, 3, 5", "<p>Conduite en sécurité, <em>gestes et postures</em>, inventaires.</p>", true,
                true,
                new Organisme("34567890100039", "32020000303", "Logistique Formation Chauny (fictif)",
                        "poe@lf-chauny.example", "03 23 00 00 03", chauny),
                List.of(new Action("02_AC_0000303", false, chauny, null, "35", "14,20", "2982,00", 210,
                        "Aptitude médicale à la conduite d'engins.", false,
                        List.of(new Session(SESSION_FERMEE, d(monday.plusWeeks(1)), d(monday.plusWeeks(7)), 2, null,
                                null),
                                new Session(SESSION_OUVERTE_2, d(monday.plusWeeks(7)), d(monday.plusWeeks(13)), 1,
                                        d(monday), d(monday.plusWeeks(6))))))));
        list.add(new Formation("02_AF_0000404", false, "Assistant de vie aux familles", "44028", "K1302",
                "<p>Accompagner les personnes <b>à domicile</b> dans les actes de la vie quotidienne.</p>",
                "Titre professionnel ADVF (niveau 3)", NON_RENSEIGNE, false, true,
                new Organisme("45678901200041", "32020000404", "Institut des métiers du Sud de l'Aisne (fictif)",
                        "advf@imsa.example", "03 23 00 00 04", chateau),
                List.of(new Action("02_AC_0000404", false, chateau, null, "30", "10,50", "5040,00", 480,
                        NON_RENSEIGNE, true,
                        List.of(new Session(SESSION_EN_COURS, d(monday.minusWeeks(2)), d(monday.plusMonths(6)), 1,
                                null, null),
                                new Session(SESSION_SUSPENDUE, d(monday.plusWeeks(5)), d(monday.plusMonths(8)), 3, null,
                                        null))))));
        list.add(new Formation("02_AF_0000505", true, "Cuisinier (titre professionnel)", "42752", "G1602",
                "Préparer et dresser des plats en restauration traditionnelle.", "Titre professionnel Cuisinier (niveau 3)",
                "<ul><li>Production culinaire</li><li>Hygiène HACCP</li></ul>", true, true,
                new Organisme("56789012300052", "32020000505", "Greta de la Thiérache (fictif)",
                        "cuisine@greta-thierache.example", "03 23 00 00 05", hirson),
                List.of(new Action("02_AC_0000505", true, hirson, null, "35", "13,10", "7860,00", 600,
                        "<p>Entretien de motivation.</p>", false,
                        List.of(new Session(SESSION_HIRSON, d(monday.plusWeeks(2)), month(monday.plusMonths(10)), 1,
                                d(monday.minusWeeks(4)), d(monday.plusWeeks(1))))))));
        return new Catalogue(monday, list);
    }

    private static String d(LocalDate date) {
        return LHEO_DATE.format(date);
    }

    private static String month(LocalDate date) {
        return String.format("%04d%02d00", date.getYear(), date.getMonthValue());
    }

    private static String year(LocalDate date) {
        return String.format("%04d0000", date.getYear());
    }

    /**
     * The first day an LHEO date can mean: itself, the 1st of the month ({@code AAAAMM00}), the 1st of January
     * ({@code AAAA0000}); null for the unknown start {@code 00000000}, the unknown end {@code 99999999} and anything
     * unreadable.
     */
    static LocalDate firstDay(String lheoDate) {
        if (lheoDate == null || !lheoDate.matches("\\d{8}") || lheoDate.equals("00000000")
                || lheoDate.equals("99999999")) {
            return null;
        }
        int y = Integer.parseInt(lheoDate.substring(0, 4));
        int m = Integer.parseInt(lheoDate.substring(4, 6));
        int dd = Integer.parseInt(lheoDate.substring(6, 8));
        try {
            return LocalDate.of(y, m == 0 ? 1 : m, dd == 0 ? 1 : dd);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    LocalDate weekOf() {
        return weekOf;
    }

    Map<String, SessionInfo> sessions() {
        return sessions;
    }

    List<Formation> formations() {
        return formations;
    }

    int actionCount() {
        return formations.stream().mapToInt(f -> f.actions().size()).sum();
    }

    // ---------------------------------------------------------------------------------------------- LHEO 2.3

    /** The catalogue as an LHEO 2.3 document (UTF-8, with its XML declaration). */
    String lheo23() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.setDefaultNamespace(Contract.LHEO_NS);
            w.writeStartElement(Contract.LHEO_NS, "lheo");
            w.writeDefaultNamespace(Contract.LHEO_NS);
            w.writeStartElement(Contract.LHEO_NS, "offres");
            for (Formation f : formations) {
                formation(w, f);
            }
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("catalogue not writable", e);
        }
        return out.toString();
    }

    private void formation(XMLStreamWriter w, Formation f) throws XMLStreamException {
        w.writeStartElement("formation");
        w.writeAttribute("numero", f.numero());
        w.writeAttribute("datemaj", f.datemajInconnue() ? "00000000" : d(weekOf.minusDays(3)));
        w.writeAttribute("datecrea", d(weekOf.minusYears(1)));
        w.writeStartElement("domaine-formation");
        leaf(w, "code-FORMACODE", f.formacode());
        leaf(w, "code-ROME", f.rome());
        w.writeEndElement();
        leaf(w, "intitule-formation", f.intitule());
        leaf(w, "objectif-formation", f.objectif());
        leaf(w, "resultats-attendus", f.resultats());
        w.writeStartElement("contenu-formation");
        if (f.contenuCdata()) {
            w.writeCData(f.contenu());
        } else {
            w.writeCharacters(f.contenu());
        }
        w.writeEndElement();
        leaf(w, "certifiante", f.certifiante() ? "1" : "0");
        w.writeStartElement("contact-formation");
        w.writeStartElement("coordonnees");
        telephone(w, f.organisme().telephone());
        leaf(w, "courriel", f.organisme().courriel());
        w.writeEndElement();
        w.writeEndElement();
        leaf(w, "parcours-de-formation", "1");
        leaf(w, "code-niveau-entree", "0");
        for (Action a : f.actions()) {
            action(w, a);
        }
        organisme(w, f.organisme());
        w.writeEndElement();
    }

    private void action(XMLStreamWriter w, Action a) throws XMLStreamException {
        w.writeStartElement("action");
        w.writeAttribute("numero", a.numero());
        w.writeAttribute("datemaj", a.datemajInconnue() ? "00000000" : d(weekOf.minusDays(2)));
        leaf(w, "rythme-formation", "Temps plein, du lundi au vendredi");
        leaf(w, "code-public-vise", "80056");
        leaf(w, "niveau-entree-obligatoire", "0");
        leaf(w, "modalites-alternance", NON_RENSEIGNE);
        leaf(w, "modalites-enseignement", "0");
        leaf(w, "conditions-specifiques", a.conditions());
        leaf(w, "prise-en-charge-frais-possible", "1");
        lieu(w, a.principal(), "principal");
        if (a.secondaire() != null) {
            lieu(w, a.secondaire(), null);
        }
        leaf(w, "modalites-entrees-sorties", a.entreesPermanentes() ? "1" : "0");
        for (Session s : a.sessions()) {
            session(w, s, a.principal());
        }
        leaf(w, "prix-horaire-TTC", a.prixHoraire());
        leaf(w, "prix-total-TTC", a.prixTotal());
        leaf(w, "nombre-heures-total", String.valueOf(a.heures()));
        w.writeStartElement("extras");
        w.writeAttribute("info", "duree-hebdo");
        w.writeStartElement("extra");
        w.writeAttribute("info", "duree-hebdo");
        w.writeCharacters(a.dureeHebdo());
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private void session(XMLStreamWriter w, Session s, Lieu lieu) throws XMLStreamException {
        w.writeStartElement("session");
        w.writeAttribute("numero", s.numero());
        w.writeAttribute("datemaj", "00000000");
        periode(w, s.debut(), s.fin());
        w.writeStartElement("adresse-inscription");
        adresse(w, lieu);
        w.writeEndElement();
        leaf(w, "modalites-inscription", "Sur prescription du référent (OuiForm)");
        if (s.inscriptionDebut() != null) {
            w.writeStartElement("periode-inscription");
            periode(w, s.inscriptionDebut(), s.inscriptionFin());
            w.writeEndElement();
        }
        leaf(w, "etat-recrutement", String.valueOf(s.etat()));
        w.writeEndElement();
    }

    private static void periode(XMLStreamWriter w, String debut, String fin) throws XMLStreamException {
        w.writeStartElement("periode");
        leaf(w, "debut", debut);
        leaf(w, "fin", fin);
        w.writeEndElement();
    }

    private static void lieu(XMLStreamWriter w, Lieu lieu, String tag) throws XMLStreamException {
        w.writeStartElement("lieu-de-formation");
        if (tag != null) {
            w.writeAttribute("tag", tag);
        }
        w.writeStartElement("coordonnees");
        adresse(w, lieu);
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void adresse(XMLStreamWriter w, Lieu lieu) throws XMLStreamException {
        w.writeStartElement("adresse");
        if (lieu.denomination() != null) {
            leaf(w, "denomination", lieu.denomination());
        }
        leaf(w, "ligne", lieu.ligne());
        leaf(w, "codepostal", lieu.codePostal());
        leaf(w, "ville", lieu.ville());
        leaf(w, "departement", "02");
        leaf(w, "code-INSEE-commune", lieu.codeInsee());
        leaf(w, "region", "32");
        w.writeEndElement();
    }

    private static void organisme(XMLStreamWriter w, Organisme o) throws XMLStreamException {
        w.writeStartElement("organisme-formation-responsable");
        leaf(w, "numero-activite", o.numeroActivite());
        w.writeStartElement("SIRET-organisme-formation");
        leaf(w, "SIRET", o.siret());
        w.writeEndElement();
        leaf(w, "nom-organisme", o.nom());
        leaf(w, "raison-sociale", o.nom());
        w.writeStartElement("coordonnees-organisme");
        w.writeStartElement("coordonnees");
        adresse(w, o.adresse());
        telephone(w, o.telephone());
        leaf(w, "courriel", o.courriel());
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("contact-organisme");
        w.writeStartElement("coordonnees");
        leaf(w, "courriel", o.courriel());
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void telephone(XMLStreamWriter w, String number) throws XMLStreamException {
        w.writeStartElement("telfixe");
        leaf(w, "numtel", number);
        w.writeEndElement();
    }

    private static void leaf(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    // ---------------------------------------------------------------------------------------------- LHEO 2.2

    /**
     * A small LHEO 2.2 document (namespace {@code http://www.lheo.org/2.2}), as an organisation still exporting the old
     * version would send it: the hub refuses it with LHEO_VERSION_NON_SUPPORTEE.
     */
    String lheo22() {
        Formation f = formations.get(0);
        Action a = f.actions().get(0);
        Session s = a.sessions().get(0);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<lheo xmlns=\"" + Contract.LHEO_22_NS + "\">\n"
                + "  <offres>\n"
                + "    <formation numero=\"" + f.numero() + "\">\n"
                + "      <intitule-formation>" + f.intitule().replace("'", "&apos;") + "</intitule-formation>\n"
                + "      <action numero=\"" + a.numero() + "\">\n"
                + "        <session numero=\"" + s.numero() + "\">\n"
                + "          <periode><debut>" + s.debut() + "</debut><fin>" + s.fin() + "</fin></periode>\n"
                + "        </session>\n"
                + "      </action>\n"
                + "    </formation>\n"
                + "  </offres>\n"
                + "</lheo>\n";
    }

    // ---------------------------------------------------------------------------------------------- JSON mapping

    /**
     * The JSON mapping of the catalogue for {@code POST /v1/sessions} (schema {@code PublicationSessions} of the
     * OpenAPI): LHEO dates kept as LHEO strings (sentinels included), prices as written in the file.
     */
    ObjectNode publicationJson(String idPublication, String dateExtraction, boolean complet) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        ObjectNode root = n.objectNode();
        root.put("idPublication", idPublication);
        root.put("dateExtraction", dateExtraction);
        root.put("complet", complet);
        ArrayNode fs = root.putArray("formations");
        for (Formation f : formations) {
            ObjectNode fo = fs.addObject();
            fo.put("numero", f.numero());
            fo.put("intitule", f.intitule());
            ObjectNode org = fo.putObject("organismeResponsable");
            org.put("siret", f.organisme().siret());
            org.put("raisonSociale", f.organisme().nom());
            ArrayNode as = fo.putArray("actions");
            for (Action a : f.actions()) {
                ObjectNode ao = as.addObject();
                ao.put("numero", a.numero());
                ObjectNode lieu = ao.putObject("lieuPrincipal");
                lieu.put("codePostal", a.principal().codePostal());
                lieu.put("ville", a.principal().ville());
                lieu.put("codeInsee", a.principal().codeInsee());
                ao.put("dureeHebdo", a.dureeHebdo());
                ao.put("nombreHeuresTotal", a.heures());
                ao.put("prixTotalTTC", a.prixTotal());
                ArrayNode ss = ao.putArray("sessions");
                for (Session s : a.sessions()) {
                    ObjectNode so = ss.addObject();
                    so.put("numero", s.numero());
                    so.put("debut", s.debut());
                    so.put("fin", s.fin());
                    so.put("etatRecrutement", String.valueOf(s.etat()));
                }
            }
        }
        return root;
    }
}
