package fr.aisne.hub.doubles.urssaf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The payroll service's checks and memory: what deposerDeclaration must satisfy beyond the schema (README.md of the
 * contract: known declarant and CTP codes, each amount = hours x rate rounded to the cent half up, totals, the
 * evidence's digests, the evidence's hours adding up to every line), the acknowledgements given (one accepted
 * deposit per month, the same deposit again answered with the same acknowledgement), consulterDepot.
 */
final class Payroll {
    static final String CSV_HEADER = "mois_declare;mois_origine;type;convention;source;reference;personne;"
            + "siret_accueil;jour;heures;ctp;taux;motif";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** An accepted deposit. */
    record Depot(String numero, String idDepot, YearMonth mois, String recuLe, BigDecimal totalHeures,
            BigDecimal totalMontant, int lignes, int regularisations, int conventions, String sha256Csv,
            String sha256Json) {
    }

    private final DoubleSettings settings;
    private final Clock clock;
    private final Map<YearMonth, Depot> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    final AtomicInteger rejections = new AtomicInteger();

    Payroll(DoubleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    Map<YearMonth, Depot> accepted() {
        return accepted;
    }

    /** Checks a deposerDeclaration (already schema-valid) and accepts it, or throws the precise rejection. */
    synchronized Depot deposer(Element req) {
        String idDepot = text(req, "idDepot");
        YearMonth mois = YearMonth.parse(text(req, "mois"));
        String siret = text(child(req, "declarant"), "siret");
        if (!settings.declarants().contains(siret)) {
            throw new Rejet("DECLARANT_INCONNU", "declarant/siret", "Déclarant inconnu du service paie");
        }
        List<Element> lignes = children(child(req, "lignes"), "ligne");
        Map<String, BigDecimal> declared = new LinkedHashMap<>();
        BigDecimal heures = BigDecimal.ZERO;
        BigDecimal montant = BigDecimal.ZERO;
        int regularisations = 0;
        for (int i = 0; i < lignes.size(); i++) {
            Element l = lignes.get(i);
            String where = "lignes/ligne[" + (i + 1) + "]";
            String type = text(l, "type");
            String ctp = text(l, "ctp");
            if (!settings.ctpKnown().contains(ctp)) {
                throw new Rejet("CTP_INCONNU", where + "/ctp", "Code CTP " + ctp + " inconnu du service paie (codes "
                        + "paramétrés : " + String.join(", ", settings.ctpKnown().stream().sorted().toList()) + ")");
            }
            BigDecimal taux = new BigDecimal(text(l, "taux"));
            BigDecimal h = new BigDecimal(text(l, "heures"));
            BigDecimal m = new BigDecimal(text(l, "montant"));
            BigDecimal expected = h.multiply(taux).setScale(2, RoundingMode.HALF_UP);
            if (expected.compareTo(m) != 0) {
                throw new Rejet("MONTANT_INCORRECT", where + "/montant", "Montant " + m.toPlainString() + " attendu "
                        + expected.toPlainString() + " (heures x taux arrondi au centime)");
            }
            String key;
            if ("REGULARISATION".equals(type)) {
                regularisations++;
                String origine = text(l, "moisOrigine");
                String convention = text(l, "convention");
                if (origine.isEmpty() || convention.isEmpty()) {
                    throw new Rejet("SCHEMA_INVALIDE", where, "Une régularisation nomme son mois d'origine et sa convention");
                }
                if (!YearMonth.parse(origine).isBefore(mois)) {
                    throw new Rejet("SCHEMA_INVALIDE", where + "/moisOrigine", "Le mois d'origine d'une régularisation "
                            + "précède le mois déclaré");
                }
                key = "REGULARISATION|" + origine + "|" + convention + "|" + ctp + "|" + norm(taux);
            } else {
                if (!text(l, "moisOrigine").isEmpty() || !text(l, "convention").isEmpty()) {
                    throw new Rejet("SCHEMA_INVALIDE", where, "Une ligne MOIS ne nomme ni mois d'origine ni convention");
                }
                key = "MOIS|" + mois + "||" + ctp + "|" + norm(taux);
            }
            if (declared.putIfAbsent(key, h) != null) {
                throw new Rejet("SCHEMA_INVALIDE", where, "Ligne en double (même type, mois, convention, CTP et taux)");
            }
            heures = heures.add(h);
            montant = montant.add(m);
        }
        if (heures.compareTo(new BigDecimal(text(req, "totalHeures"))) != 0) {
            throw new Rejet("TOTAL_INCORRECT", "totalHeures", "Total des heures " + text(req, "totalHeures")
                    + " ; somme des lignes " + heures.toPlainString());
        }
        if (montant.compareTo(new BigDecimal(text(req, "totalMontant"))) != 0) {
            throw new Rejet("TOTAL_INCORRECT", "totalMontant", "Total des montants " + text(req, "totalMontant")
                    + " ; somme des lignes " + montant.toPlainString());
        }
        byte[] csv = null;
        byte[] json = null;
        String shaCsv = null;
        String shaJson = null;
        for (Element p : children(child(req, "preuves"), "preuve")) {
            String format = text(p, "format");
            byte[] content;
            try {
                content = Base64.getMimeDecoder().decode(text(p, "contenu"));
            } catch (IllegalArgumentException e) {
                throw new Rejet("PREUVE_ILLISIBLE", "preuves/preuve " + format, "Contenu base64 illisible");
            }
            String sha = sha256(content);
            if (!sha.equals(text(p, "sha256"))) {
                throw new Rejet("PREUVE_EMPREINTE", "preuves/preuve " + format + "/sha256",
                        "L'empreinte SHA-256 ne correspond pas au contenu");
            }
            if ("CSV".equals(format)) {
                csv = content;
                shaCsv = sha;
            } else {
                json = content;
                shaJson = sha;
            }
        }
        if (csv == null || json == null) {
            throw new Rejet("SCHEMA_INVALIDE", "preuves", "Une preuve CSV et une preuve JSON sont attendues");
        }
        Set<String> conventions = new HashSet<>();
        compare(declared, csvHours(csv, mois, conventions), "CSV");
        compare(declared, jsonHours(json, mois), "JSON");

        Depot previous = accepted.get(mois);
        if (previous != null) {
            if (previous.idDepot().equals(idDepot) && previous.sha256Csv().equals(shaCsv)
                    && previous.sha256Json().equals(shaJson)) {
                return previous;
            }
            throw new Rejet("DEPOT_DEJA_ACCEPTE", "mois", "Le mois " + mois + " a déjà été accepté (dépôt "
                    + previous.numero() + ") : une correction se déclare en régularisation d'un mois suivant");
        }
        Depot d = new Depot("DEP-" + mois + "-" + String.format("%04d", counter.incrementAndGet()), idDepot, mois,
                clock.instant().toString(), heures, montant, lignes.size(), regularisations, conventions.size(), shaCsv,
                shaJson);
        accepted.put(mois, d);
        return d;
    }

    Depot consulter(Element req) {
        YearMonth mois = YearMonth.parse(text(req, "mois"));
        Depot d = accepted.get(mois);
        if (d == null) {
            throw new Rejet("DEPOT_INCONNU", "mois", "Aucun dépôt accepté pour " + mois);
        }
        return d;
    }

    /** The CSV evidence's hours per line key; every line checked (field count, month, numbers). */
    static Map<String, BigDecimal> csvHours(byte[] csv, YearMonth mois, Set<String> conventions) {
        String text = new String(csv, StandardCharsets.UTF_8);
        String[] rows = text.split("\r\n", -1);
        if (rows.length == 0 || !CSV_HEADER.equals(rows[0])) {
            throw new Rejet("PREUVE_ILLISIBLE", "preuve CSV ligne 1", "En-tête attendu : " + CSV_HEADER);
        }
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].isEmpty() && i == rows.length - 1) {
                break;
            }
            String where = "preuve CSV ligne " + (i + 1);
            String[] f = rows[i].split(";", -1);
            if (f.length != 13) {
                throw new Rejet("PREUVE_ILLISIBLE", where, "13 champs attendus, " + f.length + " trouvés");
            }
            if (!f[0].equals(mois.toString())) {
                throw new Rejet("PREUVE_INCOHERENTE", where + " mois_declare", "mois_declare différent du mois déclaré");
            }
            BigDecimal h;
            BigDecimal taux;
            try {
                java.time.LocalDate jour = java.time.LocalDate.parse(f[8]);
                if (!YearMonth.from(jour).toString().equals(f[1])) {
                    throw new Rejet("PREUVE_INCOHERENTE", where + " jour", "Le jour n'appartient pas à mois_origine");
                }
                h = new BigDecimal(f[9]);
                taux = new BigDecimal(f[11]);
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new Rejet("PREUVE_ILLISIBLE", where, "jour, heures ou taux illisible");
            }
            if (!seen.add(f[1] + "|" + f[3] + "|" + f[8])) {
                throw new Rejet("PREUVE_INCOHERENTE", where, "Jour en double pour la même convention");
            }
            String key = "MOIS".equals(f[2]) ? "MOIS|" + f[1] + "||" + f[10] + "|" + norm(taux)
                    : "REGULARISATION|" + f[1] + "|" + f[3] + "|" + f[10] + "|" + norm(taux);
            if ("MOIS".equals(f[2])) {
                conventions.add(f[3]);
            }
            out.merge(key, h, BigDecimal::add);
        }
        return out;
    }

    /** The JSON evidence's hours per line key. */
    static Map<String, BigDecimal> jsonHours(byte[] json, YearMonth mois) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new Rejet("PREUVE_ILLISIBLE", "preuve JSON", "JSON illisible");
        }
        if (!"aisne-hub-atmp-preuves/1".equals(root.path("format").asText()) || !mois.toString().equals(
                root.path("mois").asText())) {
            throw new Rejet("PREUVE_INCOHERENTE", "preuve JSON format/mois", "Format aisne-hub-atmp-preuves/1 du mois "
                    + mois + " attendu");
        }
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode c : root.path("conventions")) {
            i++;
            String type = c.path("type").asText();
            for (JsonNode j : c.path("jours")) {
                BigDecimal taux = j.path("taux").decimalValue();
                String key = "MOIS".equals(type) ? "MOIS|" + c.path("moisOrigine").asText() + "||" + j.path("ctp").asText()
                        + "|" + norm(taux) : "REGULARISATION|" + c.path("moisOrigine").asText() + "|"
                        + c.path("convention").asText() + "|" + j.path("ctp").asText() + "|" + norm(taux);
                if (!j.path("heures").isNumber()) {
                    throw new Rejet("PREUVE_ILLISIBLE", "preuve JSON conventions[" + i + "]", "heures non numériques");
                }
                out.merge(key, j.path("heures").decimalValue(), BigDecimal::add);
            }
        }
        return out;
    }

    private static void compare(Map<String, BigDecimal> declared, Map<String, BigDecimal> evidence, String format) {
        List<String> keys = new ArrayList<>(declared.keySet());
        evidence.keySet().stream().filter(k -> !declared.containsKey(k)).forEach(keys::add);
        for (String k : keys) {
            BigDecimal d = declared.getOrDefault(k, BigDecimal.ZERO);
            BigDecimal e = evidence.getOrDefault(k, BigDecimal.ZERO);
            if (d.compareTo(e) != 0) {
                throw new Rejet("PREUVE_INCOHERENTE", "preuve " + format + " " + k.replace('|', ' ').strip(),
                        "Heures de la preuve " + e.toPlainString() + " ; heures déclarées " + d.toPlainString());
            }
        }
    }

    static String norm(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Element child(Element parent, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new Rejet("SCHEMA_INVALIDE", local, "Élément absent");
    }

    static List<Element> children(Element parent, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    static String text(Element parent, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }

    /** The acknowledgement element of a deposit. */
    static Element accuse(Document doc, Depot d) {
        Element r = doc.createElementNS(Contract.NS, "deposerDeclarationReponse");
        Element a = add(doc, r, "accuse", null);
        add(doc, a, "numeroDepot", d.numero());
        add(doc, a, "idDepot", d.idDepot());
        add(doc, a, "mois", d.mois().toString());
        add(doc, a, "recuLe", d.recuLe());
        add(doc, a, "totalMontant", d.totalMontant().toPlainString());
        return r;
    }

    static Element depot(Document doc, Depot d) {
        Element r = doc.createElementNS(Contract.NS, "consulterDepotReponse");
        Element a = add(doc, r, "depot", null);
        add(doc, a, "numeroDepot", d.numero());
        add(doc, a, "idDepot", d.idDepot());
        add(doc, a, "mois", d.mois().toString());
        add(doc, a, "recuLe", d.recuLe());
        add(doc, a, "totalHeures", d.totalHeures().toPlainString());
        add(doc, a, "totalMontant", d.totalMontant().toPlainString());
        add(doc, a, "nombreLignes", String.valueOf(d.lignes()));
        add(doc, a, "nombreRegularisations", String.valueOf(d.regularisations()));
        add(doc, a, "nombreConventions", String.valueOf(d.conventions()));
        add(doc, a, "sha256Csv", d.sha256Csv());
        add(doc, a, "sha256Json", d.sha256Json());
        return r;
    }

    static Element add(Document doc, Element parent, String name, String text) {
        Element e = doc.createElementNS(Contract.NS, name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }
}
