package fr.aisne.hub.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dictionary a target's mutations insert: values at the bounds (numbers, dates, NIR-shaped numbers), the
 * format's syntax, and hostile constructs (DOCTYPE and entities for XXE and billion laughs, invalid UTF-8, BOMs).
 * {@link #nestOpen}/{@link #nestClose} are what deep nesting repeats.
 */
public final class Tokens {
    /** Numbers at the bounds of int, long, double, and leading zeros / signs that lexical rules allow. */
    static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "+1", "00000000000000000000001", "127", "128", "255",
            "256", "32767", "32768", "65535", "65536", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "1e308", "1e309", "-1e309", "1e-400", "4.9e-324", "0.1", "1.0", "1E2", "0x10", "NaN",
            "Infinity", "-Infinity", "99999999999999999999999999999999999999");
    /** Personal-looking values: NIR-shaped numbers (with and without key, spaced, Corsica) and dates. */
    static final List<String> PERSONAL = List.of("185057800608491", "1850578006084", "2850578006084", "2 85 05 78 006 084 91",
            "18505780060849", "1850578006084911", "185052A00608491", "1985-05-31", "31/05/1985", "1985-02-29", "2024-02-29",
            "1985-13-01", "0000-00-00", "9999-12-31", "-0001-01-01", "12345-01-01", "1985-05-31Z", "1985-05-31+14:00",
            "2025-05-31T10:00:00Z", "2025-05-31T25:61:61Z", "10:00:00", "24:00:00", "12345678901");
    private static final List<String> HOSTILE_XML = List.of(
            "<!DOCTYPE Racine [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>",
            "<!DOCTYPE Racine [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "&xxe;", "&d;", "&a;",
            "<!DOCTYPE Racine SYSTEM \"http://127.0.0.1:9/x.dtd\">", "<!DOCTYPE Racine [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.1\" encoding=\"windows-1252\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "<?xml version=\"1.0\" encoding=\"UTF-32\"?>",
            "<?xml version=\"1.0\" encoding=\"EBCDIC-CP-US\"?>", "<?xml version=\"1.0\" encoding=\"x-no-such\"?>",
            "<?xml version=\"1.0\" standalone=\"yes\"?>", "<?pi data?>", "<![CDATA[", "]]>", "<!--", "-->", "&amp;", "&lt;",
            "&#0;", "&#x1F600;", "&#xD800;", "&#1114112;", "&#65;", "&#x30;", "xmlns=\"urn:x\"", "xmlns:a=\"urn:a\"", "a:",
            "xsi:nil=\"true\"", "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
            "xsi:schemaLocation=\"urn:x http://127.0.0.1:9/x.xsd\"", "xsi:type=\"xsd:string\"", " a=\"1\"", "<", ">", "</", "/>",
            "\"", "'", "=", "\r\n", "\t", " ", "CRI", "AGO", "M", "I", "RSA", "DEM", "CJT", "ENF", "true", "false");
    private static final List<String> JSON_SYNTAX = List.of("{", "}", "[", "]", ":", ",", "\"", "\\", "\\u0000", "\\ud800",
            "\\udc00", "\\uD83D\\uDE00", "\\\"", "\\n", "null", "true", "false", "{}", "[]", "\"\"", "\"a\":", "\"nir\":",
            "\"identifiers\":", "\"attributes\":", "\"household\":", "\"observedAt\":", "\"numorg\":", "\"matricule\":",
            "\"role\":", "\"caf:matricule\"", "\"date_naissance\"", "\"date_sortie_rsa\"", "\"nom_naissance\"",
            "\"france-travail:numero\"", "\"subject\":", "\"text\":", "\"personId\":", "\"parcours\":", "\"origine\":",
            "\"agent\":", "\"action\":", "\"reference\":", "\"id\":", "\"batch\":", "\"nom\":", "\"prenom\":", "\"PSP\"",
            "\"PSO\"", "\"PED\"", "\"create\"", "\"update\"", "\"cancel\"", "\"DEM\"", "\"CJT\"", "\"021\"", "/*", "*/", "//",
            "'", "NaN", "\u00e9", "\u2028");
    private static final List<String> FRANCE_TRAVAIL = List.of("HTTP 200\n", "HTTP 201\n", "HTTP 204\n", "HTTP 400\n",
            "HTTP 401\n", "HTTP 403\n", "HTTP 404\n", "HTTP 408\n", "HTTP 429\n", "HTTP 500\n", "HTTP 503\n", "HTTP 999\n",
            "HTTP 100\n", "Retry-After: 0\n", "Retry-After: 1\n", "Retry-After: -1\n", "Retry-After: 9223372036854775807\n",
            "Retry-After: 99999999999999999999\n", "Retry-After: Fri, 31 Dec 9999 23:59:59 GMT\n",
            "Retry-After: Thu, 01 Jan 1970 00:00:00 GMT\n", "Retry-After: Mon, 32 Foo 2025 99:99:99 GMT\n",
            "Content-Type: application/json\n", "\"access_token\":", "\"expires_in\":", "\"token_type\":", "\"scope\":",
            "\"error\":", "\"error_description\":", "\"invalid_client\"", "\"invalid_scope\"", "\"insufficient_scope\"",
            "\"codeRetour\":", "\"code\":", "\"codeErreur\":", "\"libelle\":", "\"message\":", "\"jetonUsager\":",
            "\"topIdentiteCertifiee\":", "\"numeroFranceTravail\":", "\"identifiantFranceTravail\":", "\"S001\"", "\"S002\"",
            "\"S003\"", "\"R001\"", "\"R997\"", "\"R998\"", "\"R999\"", "\"orientations\":", "\"orientation\":",
            "\"parcours\":", "\"etat\":", "\"OUVERT\"", "\"CLOS\"", "\"date_entree_parcours\":", "\"decision\":",
            "\"date_decision\":", "\"structure\":", "\"libelle_structure\":", "\"criteres_orientation\":", "\"m_contrat\":",
            "\"m_statut\":", "\"m_date_effet_statut\":", "\"usager\":", "\"structureSuivi\":", "\"codeSafir\":",
            "\"rqth\":", "\"topValiditeRQTH\":", "\"dateDebutRqth\":", "\"dateFinRqth\":", "\"idRendezVous\":", "\"9999-12-31\"");

    /** XML, with the element names of the CAF schema (vrsb0801.xsd) as tags. */
    public static final Tokens CAF_XML = new Tokens(join(xsdTags("/xsd/vrsb0801.xsd"), HOSTILE_XML, NUMBERS, PERSONAL),
            "<a>", "</a>");
    /** JSON documents. */
    public static final Tokens JSON = new Tokens(join(JSON_SYNTAX, NUMBERS, quoted(PERSONAL), PERSONAL), "[", "]");
    /** Partner answers: a status line and headers, then a JSON body (see {@link HttpAnswer}). */
    public static final Tokens HTTP_JSON = new Tokens(join(FRANCE_TRAVAIL, JSON_SYNTAX, NUMBERS, quoted(PERSONAL)),
            "{\"a\":", "}");

    /** HTTP statuses and Retry-After values of any partner's answer (the France Travail list without its fields). */
    private static final List<String> HTTP = FRANCE_TRAVAIL.subList(0, FRANCE_TRAVAIL.indexOf("Content-Type: application/json\n") + 1);
    private static final List<String> SOAP = List.of("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">",
            "</soapenv:Envelope>", "<soapenv:Body>", "</soapenv:Body>", "<soapenv:Fault>", "</soapenv:Fault>", "<faultcode>",
            "</faultcode>", "<faultstring>", "</faultstring>", "<detail>", "</detail>", "soapenv:Client", "soapenv:Server",
            "Content-Type: text/xml; charset=UTF-8\n");

    /** A regional catalogue in LHEO 2.3: the element names of lheo-2.3.xsd (the OuiForm contract's copy). */
    public static final Tokens LHEO_XML = new Tokens(join(xsdTags("/contract/ouiform/v1/lheo-2.3.xsd"), HOSTILE_XML, NUMBERS,
            PERSONAL, List.of("xmlns=\"http://lheo.gouv.fr/2.3\"", "xmlns=\"http://www.lheo.org/2.2\"", "00000000",
                    "99999999", "202601", "2026", "12,50", "Non renseigné", "<p>", "<br/>", "principal", "duree-hebdo")),
            "<a>", "</a>");
    /** OuiForm's SOAP and REST answers and requests: ouiform-v1.xsd's names, a SOAP envelope and fault, statuses, JSON. */
    public static final Tokens OUIFORM = new Tokens(join(xsdTags("/contract/ouiform/v1/ouiform-v1.xsd"), SOAP, HTTP,
            List.of("xmlns:of=\"urn:fr:aisne:hub:ouiform:v1\"", "xmlns=\"urn:fr:aisne:hub:ouiform:v1\"", "DOUBLON",
                    "INDISPONIBLE", "ERREUR_INTERNE", "SESSION_FERMEE", "REQUETE_INVALIDE", "NON_AUTHENTIFIE", "\"code\":",
                    "\"champs\":", "\"idPrescriptionOuiForm\":", "\"statut\":", "\"sequence\":"),
            HOSTILE_XML, JSON_SYNTAX, NUMBERS, PERSONAL), "<a>", "</a>");
    /** The URSSAF payroll service's SOAP answers (contract atmp-declaration-v1): acknowledgement or rejection. */
    public static final Tokens URSSAF_SOAP = new Tokens(join(SOAP, HTTP, List.of("xmlns:d=\"urn:fr:aisne:hub:urssaf:atmp:v1\"",
            "<d:accuse>", "</d:accuse>", "<d:numeroDepot>", "</d:numeroDepot>", "<d:recuLe>", "</d:recuLe>", "<d:rejet>",
            "</d:rejet>", "<d:code>", "</d:code>", "<d:champ>", "</d:champ>", "<d:message>", "</d:message>", "INDISPONIBLE"),
            HOSTILE_XML, NUMBERS, PERSONAL), "<a>", "</a>");

    private final List<byte[]> tokens;
    private final byte[] nestOpen;
    private final byte[] nestClose;

    public Tokens(List<String> tokens, String nestOpen, String nestClose) {
        List<byte[]> b = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            b.add(t.getBytes(StandardCharsets.UTF_8));
        }
        this.tokens = List.copyOf(b);
        this.nestOpen = nestOpen.getBytes(StandardCharsets.UTF_8);
        this.nestClose = nestClose.getBytes(StandardCharsets.UTF_8);
    }

    /** Another dictionary with more tokens (a partner's field names). */
    public Tokens with(String... more) {
        List<String> all = new ArrayList<>();
        for (byte[] t : tokens) {
            all.add(new String(t, StandardCharsets.UTF_8));
        }
        all.addAll(List.of(more));
        return new Tokens(all, new String(nestOpen, StandardCharsets.UTF_8), new String(nestClose, StandardCharsets.UTF_8));
    }

    List<byte[]> all() {
        return tokens;
    }

    byte[] nestOpen() {
        return nestOpen;
    }

    byte[] nestClose() {
        return nestClose;
    }

    private static List<String> quoted(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add("\"" + v + "\"");
        }
        return out;
    }

    @SafeVarargs
    private static List<String> join(List<String>... lists) {
        Set<String> all = new LinkedHashSet<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    /** {@code <NAME>} and {@code </NAME>} for each element the schema declares. */
    static List<String> xsdTags(String resource) {
        List<String> out = new ArrayList<>();
        try (InputStream in = Tokens.class.getResourceAsStream(resource)) {
            if (in == null) {
                return out;
            }
            String xsd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<xsd?:element name=\"([A-Za-z0-9_.-]+)\"").matcher(xsd);
            Set<String> names = new LinkedHashSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            for (String n : names) {
                out.add("<" + n + ">");
                out.add("</" + n + ">");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        return out;
    }
}
