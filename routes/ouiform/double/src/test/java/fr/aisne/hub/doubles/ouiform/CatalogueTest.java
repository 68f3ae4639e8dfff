package fr.aisne.hub.doubles.ouiform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.BeforeClass;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Carif-Oref style catalogue: valid against lheo-2.3.xsd (alone, as the Carif-Oref publishes it), every known
 * habit of the real regional file present, the session ids prescriptions use; the LHEO 2.2 document; both served.
 */
public class CatalogueTest extends DoubleTestSupport {
    private static final LocalDate WEEK = LocalDate.of(2026, 12, 9);
    private static Catalogue catalogue;
    private static Document lheo;
    private static XPath xpath;

    @BeforeClass
    public static void start() throws Exception {
        catalogue = Catalogue.aisne(WEEK);
        lheo = parse(catalogue.lheo23());
        xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new javax.xml.namespace.NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return "l".equals(prefix) ? Contract.LHEO_NS : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
        startDouble(Map.of());
    }

    private static List<String> values(String expression) throws Exception {
        NodeList nodes = (NodeList) xpath.evaluate(expression, lheo, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    public void validAgainstLheo23Alone() throws Exception {
        Schema lheo23 = SchemaFactory.newDefaultInstance().newSchema(
                OpenApiSchemas.CONTRACT_DIR.resolve("lheo-2.3.xsd").toFile());
        lheo23.newValidator().validate(new StreamSource(new ByteArrayInputStream(
                catalogue.lheo23().getBytes(StandardCharsets.UTF_8))));
        assertEquals(Contract.LHEO_NS, lheo.getDocumentElement().getNamespaceURI());
        assertEquals("lheo", lheo.getDocumentElement().getLocalName());
        assertEquals(5, values("/l:lheo/l:offres/l:formation").size());
        assertEquals(6, values("//l:action").size());
        assertEquals(new TreeSet<>(catalogue.sessions().keySet()), new TreeSet<>(values("//l:session/@numero")));
    }

    @Test
    public void everyHabitOfTheRegionalFileIsThere() throws Exception {
        // several actions sharing one numero
        Map<String, Integer> actions = new HashMap<>();
        values("//l:action/@numero").forEach(n -> actions.merge(n, 1, Integer::sum));
        assertEquals(Integer.valueOf(2), actions.get(Catalogue.ACTION_PARTAGEE));
        // @datemaj = 00000000
        assertTrue(values("//l:formation/@datemaj").contains("00000000"));
        assertTrue(values("//l:action/@datemaj").contains("00000000"));
        // date sentinels, month only, year only
        List<String> debuts = values("//l:session/l:periode/l:debut");
        List<String> fins = values("//l:session/l:periode/l:fin");
        assertTrue(debuts.contains("00000000"));
        assertTrue(fins.contains("99999999"));
        assertTrue(debuts.stream().anyMatch(d -> d.matches("\\d{4}(0[1-9]|1[0-2])00")));
        assertTrue(fins.stream().anyMatch(d -> d.matches("\\d{4}0000") && !d.equals("00000000")));
        // prices with a decimal comma
        assertTrue(values("//l:prix-total-TTC").stream().allMatch(p -> p.matches("\\d+,\\d{2}")));
        assertTrue(values("//l:prix-horaire-TTC").stream().anyMatch(p -> p.contains(",")));
        // HTML and "Non renseigné" in text fields
        assertTrue(values("//l:objectif-formation").stream().anyMatch(t -> t.contains("<p>")));
        assertTrue(values("//l:contenu-formation").stream().anyMatch(t -> t.contains("<ul><li>")));
        assertTrue(catalogue.lheo23().contains("<![CDATA[<ul>"));
        assertTrue(catalogue.lheo23().contains("&lt;p&gt;"));
        assertTrue(values("//l:resultats-attendus | //l:conditions-specifiques | //l:modalites-alternance")
                .contains(Catalogue.NON_RENSEIGNE));
        // weekly duration in extras[@info="duree-hebdo"]
        List<String> hebdo = values("//l:action/l:extras[@info='duree-hebdo']/l:extra");
        assertEquals(6, hebdo.size());
        assertTrue(hebdo.contains("24,5"));
        // main place in lieu-de-formation[@tag="principal"], and a second place once
        assertEquals(6, values("//l:action/l:lieu-de-formation[@tag='principal']").size());
        assertEquals(1, values("//l:action/l:lieu-de-formation[not(@tag)]").size());
    }

    @Test
    public void sessionsPrescriptionsReferTo() {
        Map<String, Catalogue.SessionInfo> s = catalogue.sessions();
        assertEquals(8, s.size());
        assertTrue(s.get(Catalogue.SESSION_OUVERTE).ouverte());
        assertEquals(Catalogue.ACTION_PARTAGEE, s.get(Catalogue.SESSION_MOIS_SEULEMENT).action());
        assertEquals(2, s.get(Catalogue.SESSION_FERMEE).etatRecrutement());
        assertEquals(3, s.get(Catalogue.SESSION_SUSPENDUE).etatRecrutement());
        assertEquals("00000000", s.get(Catalogue.SESSION_PERMANENTE).debut());
        // the ids do not move with the week, the dates do
        Catalogue later = Catalogue.aisne(WEEK.plusWeeks(3));
        assertEquals(s.keySet(), later.sessions().keySet());
        assertEquals(LocalDate.of(2027, 1, 4), Catalogue.firstDay(s.get(Catalogue.SESSION_OUVERTE).debut()));
        assertEquals(LocalDate.of(2027, 1, 25), Catalogue.firstDay(later.sessions().get(Catalogue.SESSION_OUVERTE).debut()));
    }

    @Test
    public void lheoDates() {
        assertNull(Catalogue.firstDay("00000000"));
        assertNull(Catalogue.firstDay("99999999"));
        assertNull(Catalogue.firstDay("2027"));
        assertEquals(LocalDate.of(2027, 3, 1), Catalogue.firstDay("20270300"));
        assertEquals(LocalDate.of(2027, 1, 1), Catalogue.firstDay("20270000"));
        assertEquals(LocalDate.of(2027, 3, 15), Catalogue.firstDay("20270315"));
        assertNull(Catalogue.firstDay("20271399"));
    }

    @Test
    public void lheo22DocumentHasThe22Namespace() throws Exception {
        Element root = parse(catalogue.lheo22()).getDocumentElement();
        assertEquals(Contract.LHEO_22_NS, root.getNamespaceURI());
        assertEquals("lheo", root.getLocalName());
        assertTrue("not LHEO 2.3", !problems(root).isEmpty());
    }

    @Test
    public void servedByTheControlApi() throws Exception {
        var r = get("/double/catalogue.xml", Map.of());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        Document served = parse(r.body());
        assertEquals(Contract.LHEO_NS, served.getDocumentElement().getNamespaceURI());
        assertTrue(problems(served.getDocumentElement()).isEmpty());
        Set<String> ids = new TreeSet<>();
        NodeList sessions = served.getElementsByTagNameNS(Contract.LHEO_NS, "session");
        for (int i = 0; i < sessions.getLength(); i++) {
            ids.add(((Element) sessions.item(i)).getAttribute("numero"));
        }
        assertEquals(new TreeSet<>(catalogue.sessions().keySet()), ids);
        assertEquals(Contract.LHEO_22_NS, parse(get("/double/catalogue.xml?version=2.2", Map.of()).body())
                .getDocumentElement().getNamespaceURI());
        assertEquals(400, get("/double/catalogue.xml?version=1.0", Map.of()).statusCode());
        assertValidJson("PublicationSessions", json(get("/double/catalogue.json", Map.of())));
    }
}
