package fr.aisne.hub.connector.ouiform.lheo;

import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.action;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.document;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.formation;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.session;
import static fr.aisne.hub.connector.ouiform.lheo.LheoFixtures.stream;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import fr.aisne.hub.connector.ouiform.contract.CodeErreur;
import fr.aisne.hub.connector.ouiform.contract.Contract;

/** The LHEO 2.3 reader: each habit of the regional file, the 2.2 refusal, and what it refuses. */
public class LheoReaderTest {
    private static Contract contract;
    private static LheoReader reader;

    @BeforeClass
    public static void load() throws IOException {
        contract = Contract.load();
        reader = new LheoReader(contract.schema());
    }

    @AfterClass
    public static void close() {
        contract.close();
    }

    private static Map<String, LheoSession> read(byte[] xml, List<LheoReader.Summary> summary) throws Exception {
        List<LheoSession> out = new ArrayList<>();
        summary.add(reader.read(new ByteArrayInputStream(xml), out::add));
        return out.stream().collect(Collectors.toMap(LheoSession::numero, Function.identity()));
    }

    @Test
    public void theContractsExampleWithTheRegionalFilesHabits() throws Exception {
        List<LheoReader.Summary> summary = new ArrayList<>();
        Map<String, LheoSession> s = read(LheoFixtures.exampleBytes("rest/post-sessions.requete.xml"), summary);
        assertEquals(1, summary.get(0).formations());
        assertEquals("two actions sharing one numero are two actions", 2, summary.get(0).actions());
        assertEquals(2, summary.get(0).sessions());

        LheoSession laon = s.get("02_SE_0000101_1");
        LheoSession sq = s.get("02_SE_0000101_2");
        assertEquals("shared action numero", laon.actionNumero(), sq.actionNumero());
        assertEquals("02_AF_0000101", laon.formationNumero());
        assertEquals("Agent de propreté et d'hygiène", laon.intitule());
        assertEquals("escaped HTML removed", "Acquérir les gestes professionnels du nettoyage .", laon.objectif());
        assertEquals("42811", laon.formacode());
        assertEquals("K2204", laon.rome());
        assertTrue(laon.certifiante());
        assertEquals("12345678900017", laon.organismeSiret());
        assertEquals("Centre de formation du Laonnois (fictif)", laon.organismeNom());
        assertEquals(new LheoSession.Lieu("02000", "Laon", "02408"), laon.lieu());
        assertEquals("main place of the second action", "Saint-Quentin", sq.lieu().ville());
        // dates: exact, month only, year only
        assertEquals(LheoDate.Precision.JOUR, laon.debut().precision());
        assertEquals(LocalDate.of(2027, 1, 4), laon.debut().earliest());
        assertEquals(LheoDate.Precision.MOIS, sq.debut().precision());
        assertEquals(LocalDate.of(2027, 2, 1), sq.debut().earliest());
        assertEquals(LocalDate.of(2027, 2, 28), sq.debut().latest());
        assertEquals(LheoDate.Precision.ANNEE, sq.fin().precision());
        assertEquals(LocalDate.of(2027, 12, 31), sq.fin().latest());
        // decimal comma
        assertEquals(new BigDecimal("4520.50"), laon.prixTotalTtc());
        assertEquals("4520,50", laon.prixTotalTexte());
        assertEquals(new BigDecimal("3890.00"), sq.prixTotalTtc());
        assertEquals(new BigDecimal("35"), laon.dureeHebdo());
        assertEquals(new BigDecimal("24.5"), sq.dureeHebdo());
        assertEquals(Integer.valueOf(420), laon.nombreHeuresTotal());
        assertEquals(Integer.valueOf(1), laon.etatRecrutement());
        // @datemaj 00000000: unknown, counted
        assertEquals(LheoDate.Precision.INCONNUE, laon.datemaj().precision());
        assertTrue(summary.get(0).warnings().toString(), summary.get(0).warnings().containsKey(
                "datemaj 00000000 (unknown update date)"));
    }

    @Test
    public void sentinelsPlaceholdersAndPlacesWithoutATag() throws Exception {
        String xml = document(formation("F1", "Cariste &lt;i&gt;CACES&lt;/i&gt;", "Non renseigné", "12345678900017",
                action("A1", "02300", "Chauny", "02173", "sur devis", "1O",
                        session("S-PERM", "00000000", "99999999", null),
                        session("S-CLOSED", "20270104", "20270402", "2"),
                        session("S-SUSP", "20270100", "20270000", "3"),
                        session(null, "20270104", "20270402", "1"))));
        List<LheoReader.Summary> summary = new ArrayList<>();
        Map<String, LheoSession> s = read(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8), summary);
        assertEquals("a session without numero cannot be prescribed: skipped", 3, s.size());
        LheoSession perm = s.get("S-PERM");
        assertEquals(LheoDate.Precision.INCONNUE, perm.debut().precision());
        assertNull(perm.debut().earliest());
        assertEquals(LheoDate.Precision.SANS_FIN, perm.fin().precision());
        assertNull(perm.fin().latest());
        assertTrue("no etat-recrutement: open", perm.ouverte());
        assertFalse(s.get("S-CLOSED").ouverte());
        assertFalse(s.get("S-SUSP").ouverte());
        assertEquals("tags of HTML escaped in the title removed", "Cariste CACES", perm.intitule());
        assertNull("Non renseigné is no value", perm.objectif());
        assertNull("a price that is not a number is not guessed", perm.prixTotalTtc());
        assertEquals("kept as written", "sur devis", perm.prixTotalTexte());
        assertNull(perm.dureeHebdo());
        assertEquals("lieu-de-formation[@tag=principal], not the first place", "Chauny", perm.lieu().ville());
        Map<String, Long> w = summary.get(0).warnings();
        assertEquals(w.toString(), Long.valueOf(1), w.get("session without numero (cannot be prescribed, skipped)"));
        assertEquals(w.toString(), Long.valueOf(1), w.get("prix-total-TTC is not a number (kept as written)"));
        assertEquals(w.toString(), Long.valueOf(1), w.get("duree-hebdo is not a number of hours"));
    }

    @Test
    public void aDateTheCalendarDoesNotHaveIsAWarningNotAGuess() throws Exception {
        String xml = document(formation("F1", "T", "O", "12345678900017", action("A1", "02000", "Laon", null, "10", "35",
                session("S1", "20270231", "20271399", "1"))));
        List<LheoReader.Summary> summary = new ArrayList<>();
        LheoSession s = read(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8), summary).get("S1");
        assertNull(s.debut());
        assertNull(s.fin());
        assertEquals(Long.valueOf(1), summary.get(0).warnings().get("session debut is not a calendar date"));
        assertEquals(Long.valueOf(1), summary.get(0).warnings().get("session fin is not a calendar date"));
    }

    @Test
    public void anLheo22DocumentIsRefusedWithThatReason() throws Exception {
        LheoException e = assertThrows(LheoException.class, () -> reader.check(Files.newInputStream(
                LheoFixtures.example("rest/post-sessions.requete-lheo22-refusee.xml"))));
        assertEquals(CodeErreur.LHEO_VERSION_NON_SUPPORTEE, e.code());
        assertTrue(e.reason(), e.reason().startsWith("LHEO_VERSION_NON_SUPPORTEE: line 4"));
        assertTrue(e.reason(), e.reason().contains("LHEO 2.2 document (namespace http://www.lheo.org/2.2)"));
    }

    @Test
    public void whatIsNotLheo23IsRefusedWithLineColumnAndRule() {
        LheoException wrongRoot = assertThrows(LheoException.class, () -> reader.check(stream(
                "<?xml version=\"1.0\"?>\n<catalogue xmlns=\"http://lheo.gouv.fr/2.3\"/>")));
        assertEquals(CodeErreur.REQUETE_INVALIDE, wrongRoot.code());
        LheoException noNamespace = assertThrows(LheoException.class, () -> reader.check(stream("<lheo><offres/></lheo>")));
        assertEquals("an lheo element of no LHEO version", CodeErreur.LHEO_VERSION_NON_SUPPORTEE, noNamespace.code());

        String broken = document(formation("F1", "T", "O", "1234", action("A1", "02000", "Laon", null, "10", "35",
                session("S1", "20270104", "20270402", "1"))));
        LheoException invalid = assertThrows(LheoException.class, () -> reader.check(stream(broken)));
        assertEquals(CodeErreur.REQUETE_INVALIDE, invalid.code());
        assertTrue(invalid.reason(), invalid.line() > 0 && invalid.reason().contains("cvc-"));
        assertFalse("the value is not quoted: " + invalid.reason(), invalid.reason().contains("'1234'"));

        LheoException doctype = assertThrows(LheoException.class, () -> reader.check(stream("<?xml version=\"1.0\"?>"
                + "<!DOCTYPE lheo [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><lheo xmlns=\"http://lheo.gouv.fr/2.3\">&x;</lheo>")));
        assertTrue(doctype.reason(), doctype.reason().contains("DOCTYPE declarations are refused"));

        String whole = document(formation("F1", "T", "O", "12345678900017", action("A1", "02000", "Laon", null, "10", "35",
                session("S1", "20270104", "20270402", "1"))));
        LheoException truncated = assertThrows(LheoException.class, () -> reader.check(stream(
                whole.substring(0, whole.length() / 2))));
        assertTrue(truncated.reason(), truncated.reason().contains("truncated"));
        assertTrue(truncated.reason(), truncated.line() > 0);
    }

    @Test
    public void theJsonMappingGivesTheSameSessions() throws Exception {
        List<LheoSession> fromJson = new ArrayList<>();
        PublicationJson.Publication p = PublicationJson.read(Files.newInputStream(LheoFixtures.example(
                "rest/post-sessions.requete.json")), fromJson::add);
        assertEquals("PUB-2026-W50", p.idPublication());
        assertTrue(p.complet());
        assertEquals(2, p.summary().formations());
        assertEquals(3, p.summary().actions());
        assertEquals(3, p.summary().sessions());
        Map<String, LheoSession> json = fromJson.stream().collect(Collectors.toMap(LheoSession::numero, Function.identity()));
        Map<String, LheoSession> xml = read(LheoFixtures.exampleBytes("rest/post-sessions.requete.xml"), new ArrayList<>());
        for (String id : xml.keySet()) {
            LheoSession a = xml.get(id);
            LheoSession b = json.get(id);
            assertEquals(a.actionNumero(), b.actionNumero());
            assertEquals(a.debut(), b.debut());
            assertEquals(a.fin(), b.fin());
            assertEquals(a.prixTotalTtc(), b.prixTotalTtc());
            assertEquals(a.dureeHebdo(), b.dureeHebdo());
            assertEquals(a.lieu(), b.lieu());
            assertEquals(a.organismeSiret(), b.organismeSiret());
            assertEquals(a.etatRecrutement(), b.etatRecrutement());
        }
        LheoSession permanent = json.get("02_SE_0000202_1");
        assertEquals(LheoDate.Precision.INCONNUE, permanent.debut().precision());
        assertEquals(LheoDate.Precision.SANS_FIN, permanent.fin().precision());
    }

    @Test
    public void theJsonMappingRefusesWhatTheOpenApiRefuses() {
        String base = "{\"idPublication\":\"P1\",\"dateExtraction\":\"2026-12-07T06:00:00+01:00\",\"complet\":true,"
                + "\"formations\":[{\"numero\":\"F\",\"intitule\":\"T\",\"organismeResponsable\":{\"siret\":\"%s\","
                + "\"raisonSociale\":\"O\"},\"actions\":[{\"numero\":\"A\",\"sessions\":[{\"numero\":\"S\",\"debut\":\"%s\","
                + "\"fin\":\"99999999\"%s}]}]}]}";
        assertThrows(LheoException.class, () -> PublicationJson.read(stream(String.format(base, "123", "20270104", "")),
                s -> { }));
        assertThrows(LheoException.class, () -> PublicationJson.read(stream(String.format(base, "12345678900017",
                "2027-01-04", "")), s -> { }));
        LheoException unknown = assertThrows(LheoException.class, () -> PublicationJson.read(stream(String.format(base,
                "12345678900017", "20270104", ",\"nir\":\"x\"")), s -> { }));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("unknown field nir"));
    }

    /** Found by benchmarks/fuzz (ouiform.catalogue, ouiform.publication): inputs in its corpus' regressions/. */
    @Test
    public void whatTheDocumentNamesIsNotRepeatedAndItsEncodingIsItsOwnFault() {
        LheoException encoding = assertThrows(LheoException.class, () -> reader.check(stream(
                "<?xml version=\"1.0\" encoding=\"UTF-3\"?><lheo xmlns=\"http://lheo.gouv.fr/2.3\"/>")));
        assertTrue(encoding.getMessage(), encoding.getMessage().contains("encoding that is not supported"));
        LheoException root = assertThrows(LheoException.class, () -> reader.check(stream(
                "<lheo xmlns=\"http://lheo.gouv.fr1985-05-31+14:00/2.3\"/>")));
        assertEquals(CodeErreur.LHEO_VERSION_NON_SUPPORTEE, root.code());
        assertFalse(root.getMessage(), root.getMessage().contains("1985"));
        assertTrue(root.getMessage(), root.getMessage().contains("root element lheo in another namespace"));
        LheoException element = assertThrows(LheoException.class, () -> reader.check(stream(
                "<lheo xmlns=\"http://lheo.gouv.fr/2.3\"><offres><l0000-00-00 </offres></lheo>")));
        assertFalse(element.getMessage(), element.getMessage().contains("0000-00-00"));
        assertEquals("cvc-complex-type.2.4.a: Invalid content was found starting with element "
                + "'{\"http://lheo.gouv.fr/2.3\":formation}', not '{\"…\":…}' nor '[a, …]'", Contract.mask(
                        "cvc-complex-type.2.4.a: Invalid content was found starting with element "
                        + "'{\"http://lheo.gouv.fr/2.3\":formation}', not '{\"urn:1985-05-31\":x2025-01-01}' nor '[a, 12345]'"));
        LheoException name = assertThrows(LheoException.class, () -> PublicationJson.read(stream(
                "{\"idPubli2025-05-31T25:61:61Zcation\":\"P1\"}"), s -> { }));
        assertFalse(name.getMessage(), name.getMessage().contains("2025"));
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0};
        LheoException bytes = assertThrows(LheoException.class, () -> PublicationJson.read(
                new ByteArrayInputStream(utf32), s -> { }));
        assertTrue(bytes.getMessage(), bytes.getMessage().contains("not JSON text in UTF-8"));
    }
}
