package fr.aisne.hub.connector.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import fr.aisne.hub.doubles.caf.BadFlux;

/** Files the reader must reject as a whole, each with the file, the line and column and the rule. */
public class CafFluxReaderRejectionTest {
    private static final CafFluxReader READER = CafFluxReader.forCaf();

    @Test
    public void theRealInvalidSampleIsRejectedWithTheSchemaRuleAndItsPosition() throws Exception {
        List<CafFlux.Household> seen = new ArrayList<>();
        CafFluxException e;
        try (InputStream in = getClass().getResourceAsStream("/RSABEI_invalid.xml")) {
            e = assertThrows(CafFluxException.class, () -> READER.read(in, "RSABEI_invalid.xml", seen::add));
        }
        assertEquals("RSABEI_invalid.xml", e.file());
        assertTrue("line " + e.line(), e.line() > 1);
        assertTrue("column " + e.column(), e.column() > 0);
        assertTrue(e.rule(), e.rule().startsWith("cvc-"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("RSABEI_invalid.xml line " + e.line() + ", column "));
        assertTrue("the sample's NIR is not quoted: " + e.getMessage(), !e.getMessage().contains("1810693050030"));
    }

    @Test
    public void externalEntitiesAreRefused() {
        CafFluxException e = reject("""
                <?xml version="1.0" encoding="windows-1252"?>
                <!DOCTYPE Racine [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <Racine>&xxe;</Racine>""");
        assertTrue(e.rule(), e.rule().contains("DOCTYPE declarations are refused"));
        assertEquals(2, e.line());
    }

    @Test
    public void entityExpansionBombsAreRefusedBeforeAnyExpansion() {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            bomb.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        bomb.append("]>\n<Racine>&lol9;</Racine>");
        CafFluxException e = reject(bomb.toString());
        assertTrue(e.rule(), e.rule().contains("DOCTYPE"));
    }

    @Test
    public void notXmlIsRejected() {
        CafFluxException e = reject("MATRICULE;NIR;NOM\n0123;1810693050030;DUPONT\n");
        assertTrue(e.rule(), e.rule().startsWith("not XML"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage(), !e.getMessage().contains("1810693050030"));
    }

    @Test
    public void aTruncatedFileIsRejected() throws Exception {
        byte[] sample;
        try (InputStream in = getClass().getResourceAsStream("/RSABEI_invalid.xml")) {
            sample = in.readAllBytes();
        }
        byte[] cut = java.util.Arrays.copyOf(sample, 200); // inside IdentificationFlux, before any schema error
        CafFluxException e = assertThrows(CafFluxException.class,
                () -> READER.read(new ByteArrayInputStream(cut), "cut.xml", h -> { }));
        assertTrue(e.rule(), e.rule().contains("truncated"));
    }

    @Test
    public void anEmptyFileIsRejected() {
        CafFluxException e = reject("");
        assertTrue(e.rule(), e.rule().contains("truncated") || e.rule().startsWith("not XML"));
    }

    @Test
    public void aHugeElementIsRefusedAtTheLimitWithoutReadingTheRest() {
        for (String element : List.of("APPLIEME", "NOM")) {
            CafFluxImporter.Counting in = new CafFluxImporter.Counting(BadFlux.hugeElement(BadFlux.DEFAULT_BASE, element, BadFlux.HUGE_DEFAULT_CHARS));
            CafFluxException e = assertThrows(CafFluxException.class, () -> READER.read(in, "huge.xml", h -> { }));
            assertTrue(e.rule(), e.rule().startsWith("the text of element " + element + " is longer than "
                    + CafFluxReader.MAX_TEXT_CHARS + " characters"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("huge.xml line " + e.line() + ", column "));
            assertTrue("line " + e.line(), e.line() > 1);
            assertFalse("no text of the element is quoted: " + e.getMessage(), e.getMessage().matches(".*[A-Z]{20}.*"));
            // the parser reads ahead a buffer or two: nothing like the 300 MB
            assertTrue("read " + in.count + " bytes of 300 MB", in.count < 256 * 1024);
            System.out.println("[CafFluxReaderRejectionTest] FIGURE 300 MB text in " + element + ": refused after reading "
                    + in.count + " bytes, at line " + e.line());
        }
    }

    @Test
    public void aHugeCdataSectionOrCommentIsRefusedWithoutBeingBuffered() {
        InputStream[] attacks = {BadFlux.hugeCdata(BadFlux.DEFAULT_BASE, "APPLIEME", BadFlux.HUGE_DEFAULT_CHARS),
            BadFlux.hugeComment(BadFlux.DEFAULT_BASE, BadFlux.HUGE_DEFAULT_CHARS)};
        String[] names = {"CDATA section", "comment"};
        for (int i = 0; i < attacks.length; i++) {
            CafFluxImporter.Counting in = new CafFluxImporter.Counting(attacks[i]);
            CafFluxException e = assertThrows(CafFluxException.class, () -> READER.read(in, "huge.xml", h -> { }));
            assertTrue(e.rule(), e.rule().startsWith("more than " + CafFluxReader.MAX_CONSTRUCT_BYTES
                    + " bytes without a complete XML construct after element "));
            assertTrue("line " + e.line(), e.line() > 1);
            assertTrue("read " + in.count + " bytes of 300 MB",
                    in.count <= CafFluxReader.MAX_CONSTRUCT_BYTES + 256 * 1024);
            System.out.println("[CafFluxReaderRejectionTest] FIGURE 300 MB " + names[i] + ": refused after reading "
                    + in.count + " bytes");
        }
    }

    @Test
    public void aBadNirOrBirthDateIsReportedByRuleElementAndLineWithoutTheValue() {
        CafFluxException nir = assertThrows(CafFluxException.class, () -> READER.read(new ByteArrayInputStream(
                BadFlux.badNirValue(BadFlux.DEFAULT_BASE)), "nir.xml", h -> { }));
        assertEquals("cvc-maxLength-valid: the value of element NIR is longer than its type allows (value not shown)",
                nir.rule());
        assertTrue(nir.line() > 1);
        assertFalse(nir.getMessage(), nir.getMessage().contains(BadFlux.BAD_NIR));
        assertFalse(nir.getMessage(), nir.getMessage().contains(BadFlux.BAD_NIR.substring(0, 13)));

        BadFlux.Spoiled date = BadFlux.badDateValue(BadFlux.DEFAULT_BASE);
        CafFluxException dtnai = assertThrows(CafFluxException.class, () -> READER.read(new ByteArrayInputStream(
                date.bytes()), "date.xml", h -> { }));
        assertTrue(dtnai.rule(), dtnai.rule().startsWith("cvc-datatype-valid.1.2.1: the value of element DTNAI is not of "
                + "the type"));
        assertFalse(dtnai.getMessage(), dtnai.getMessage().contains(date.value()));
        assertFalse(dtnai.getMessage(), dtnai.getMessage().contains(date.value().substring(6)));
    }

    @Test
    public void schemaMessagesQuotingAValueAreReworded() {
        // the validator's own texts (Xerces' XMLSchemaMessages), each quoting a value
        String[][] cases = {
            {"cvc-pattern-valid: Value '1810693050030' is not facet-valid with respect to pattern '[0-9]{3}' for type "
                + "'#AnonType_NIR'.", "cvc-pattern-valid: the value of element NIR does not have the form"},
            {"cvc-type.3.1.3: The value '10/06/1981' of element 'DTNAI' is not valid.",
                "cvc-type.3.1.3: the value of element NIR does not satisfy it"},
            {"cvc-enumeration-valid: Value 'DUPONT' is not facet-valid with respect to enumeration '[DEM, CJT]'. It "
                + "must be a value from the enumeration.", "cvc-enumeration-valid: the value of element NIR is not one"},
            {"cvc-minInclusive-valid: Value '-1981' is not facet-valid with respect to minInclusive '0' for type "
                + "'int'.", "cvc-minInclusive-valid: the value of element NIR is below"},
            {"cvc-identity-constraint.4.1: Duplicate unique value [1810693050030] declared for identity constraint "
                + "of element 'Racine'.", "cvc-identity-constraint.4.1: the value of element NIR does not satisfy it"},
            {"cvc-valeur inconnue '1810693050030'", "cvc-valeur: the value of element NIR does not satisfy it"},
            {"La valeur '10/06/1981' n'est pas valide.", "element NIR: broken schema rule"},
        };
        for (String[] c : cases) {
            String reworded = CafFluxReader.schemaRule(c[0], "NIR");
            assertTrue(reworded, reworded.startsWith(c[1]));
            assertFalse(reworded, reworded.contains("1810693050030") || reworded.contains("1981")
                    || reworded.contains("DUPONT"));
        }
        // rules about the structure keep the validator's words: element names only
        String structure = "cvc-complex-type.2.4.a: Invalid content was found starting with element 'NOM'. One of "
                + "'{PRENOM}' is expected.";
        assertEquals(structure, CafFluxReader.schemaRule(structure, "NOM"));
    }

    /** Found by Jazzer (benchmarks/fuzz, caf.reader regressions/): an IOException would pass for a failed transfer. */
    @Test
    public void anEncodingTheJdkDoesNotKnowIsARefusalNotAnIoError() {
        CafFluxException e = reject("<?xml version=\"1.0\" encoding=\"windows-8675\"?>\n<Racine/>");
        assertEquals("the XML declaration names an encoding that is not supported", e.rule());
        assertFalse(e.getMessage(), e.getMessage().contains("8675"));
    }

    /**
     * Found by Jazzer: the parser quotes what it could not read, and an unterminated {@code version="} runs over the
     * next elements and their values (a date here), or an element's name has a date glued to it.
     */
    @Test
    public void theParsersQuotesOfTheFileAreNotRepeatedButElementNamesAre() {
        CafFluxException version = reject("""
                <?xml version="1.1</DTCREAFLUX>
                <DTREF>2025-05-31</DTREF>
                <Transmiss0" encoding="windows-1252"?>
                <Racine/>""");
        assertFalse(version.getMessage(), version.getMessage().contains("2025-05-31"));
        assertTrue(version.rule(), version.rule().contains("XML version \"…\""));
        CafFluxException name = reject("""
                <?xml version="1.0" encoding="windows-1252"?>
                <Racine>
                <DTREF.2025-05-31 2025-05-31</DTREF>
                </Racine>""");
        assertFalse(name.getMessage(), name.getMessage().contains("2025-05-31"));
        CafFluxException kept = reject("""
                <?xml version="1.0" encoding="windows-1252"?>
                <Racine>
                <DTREF x</DTREF>
                </Racine>""");
        assertTrue(kept.rule(), kept.rule().contains("\"DTREF\""));
    }

    private static CafFluxException reject(String xml) {
        return assertThrows(CafFluxException.class, () -> READER.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), "bad.xml", h -> { }));
    }
}
