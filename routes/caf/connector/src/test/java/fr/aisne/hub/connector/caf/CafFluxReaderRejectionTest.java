package fr.aisne.hub.connector.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

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

    private static CafFluxException reject(String xml) {
        return assertThrows(CafFluxException.class, () -> READER.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), "bad.xml", h -> { }));
    }
}
