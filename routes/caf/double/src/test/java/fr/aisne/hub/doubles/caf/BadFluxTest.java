package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.xml.sax.SAXParseException;

import fr.aisne.hub.doubles.caf.CafFluxGenerator.Spec;

public class BadFluxTest {
    private static final Charset CP1252 = Charset.forName("windows-1252");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theBaseOfTheBadCasesIsValid() throws Exception {
        Flux.validate(new CafFluxGenerator().toBytes(BadFlux.DEFAULT_BASE));
    }

    @Test
    public void xsdInvalidIsWellFormedButFailsValidation() throws Exception {
        for (byte[] bad : new byte[][] {BadFlux.xsdInvalid(), BadFlux.xsdInvalidValue(),
                BadFlux.xsdInvalid(CafFluxGenerator.daily(50, 3).day(2)),
                BadFlux.xsdInvalid(CafFluxGenerator.monthly(0, 1)),
                BadFlux.xsdInvalidValue(CafFluxGenerator.monthly(0, 1))}) {
            Flux.parseSecurely(bad, true);
            assertThrows(SAXParseException.class, () -> Flux.validate(bad));
        }
        SAXParseException e = assertThrows(SAXParseException.class, () -> Flux.validate(BadFlux.xsdInvalid()));
        assertTrue(e.getMessage(), e.getMessage().contains("DonneesAdministratives"));
        e = assertThrows(SAXParseException.class, () -> Flux.validate(BadFlux.xsdInvalidValue()));
        assertTrue(e.getMessage(), e.getMessage().contains("xsd:date") || e.getMessage().contains("date"));
    }

    @Test
    public void wrongTotalsValidatesButDoesNotAddUp() throws Exception {
        byte[] bad = BadFlux.wrongTotals();
        Flux.validate(bad);
        Flux.Content c = Flux.content(bad);
        assertEquals(3, c.foyers.size());
        assertEquals(4, c.total);
    }

    @Test
    public void truncatedIsAValidFileCutInTheMiddleOfAHousehold() throws Exception {
        byte[] valid = new CafFluxGenerator().toBytes(BadFlux.DEFAULT_BASE);
        for (Spec base : new Spec[] {BadFlux.DEFAULT_BASE, CafFluxGenerator.monthly(0, 1)}) {
            byte[] bad = BadFlux.truncated(base);
            assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, true));
        }
        byte[] bad = BadFlux.truncated();
        assertTrue(bad.length < valid.length / 2 + 4000 && bad.length > valid.length / 3);
        assertArrayEquals(java.util.Arrays.copyOf(valid, bad.length), bad);
        String text = new String(bad, CP1252);
        int opened = text.split("<InfosFoyerRSA>", -1).length - 1;
        int closed = text.split("</InfosFoyerRSA>", -1).length - 1;
        assertEquals(2, opened); // the second of three households...
        assertEquals(1, closed); // ...is not finished
    }

    @Test
    public void notXmlIsTheContactsCsv() throws Exception {
        byte[] bad = BadFlux.notXml();
        SAXParseException e = assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, true));
        assertTrue(e.getMessage(), e.getMessage().contains("prolog"));
        assertTrue(new String(bad, CP1252).startsWith("MATRICULE;ROLE PERSONNE;NIR;NUMERO DEMANDE RSA;"));
    }

    @Test
    public void xmlBombIsRefusedByASecureParser() throws Exception {
        byte[] bad = BadFlux.xmlBomb();
        String text = new String(bad, CP1252);
        assertTrue(text.contains("<!DOCTYPE Racine ["));
        assertTrue(text.contains("<!ENTITY lol9 \"&lol8;&lol8;"));
        assertTrue(text.contains("<NOM>&lol9;</NOM>"));
        assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, true)); // DOCTYPE refused
        SAXParseException e = assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, false));
        assertTrue(e.getMessage(), e.getMessage().contains("entity expansions")); // JDK limit under FSP
    }

    @Test
    public void externalEntityPointsAtEtcPasswd() throws Exception {
        byte[] bad = BadFlux.externalEntity();
        String text = new String(bad, CP1252);
        assertTrue(text.contains("<!DOCTYPE Racine ["));
        assertTrue(text.contains("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"));
        assertTrue(text.contains("<NOM>&xxe;</NOM>"));
        assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, true));
        assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, false)); // FSP: no file access
    }

    @Test
    public void wrongEncodingDeclaresUtf8ButIsWindows1252() throws Exception {
        for (Spec base : new Spec[] {BadFlux.DEFAULT_BASE, CafFluxGenerator.monthly(1, 2),
                CafFluxGenerator.monthly(0, 2)}) {
            byte[] bad = BadFlux.wrongEncoding(base);
            assertTrue(new String(bad, StandardCharsets.US_ASCII).startsWith(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
            assertThrows(CharacterCodingException.class, () -> strict(StandardCharsets.UTF_8, bad));
            assertThrows(SAXParseException.class, () -> Flux.parseSecurely(bad, true));
        }
        byte[] undefined = BadFlux.undefinedWindows1252Bytes();
        assertTrue(new String(undefined, StandardCharsets.US_ASCII).startsWith(
                "<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
        assertThrows(CharacterCodingException.class, () -> strict(CP1252, undefined));
    }

    @Test
    public void msaIsAValidFluxFromTheMsa() throws Exception {
        byte[] msa = BadFlux.msa();
        Flux.validate(msa);
        assertEquals("AGO", Flux.content(msa).header.get("APPLIEME"));
        assertEquals("CRI", Flux.content(new CafFluxGenerator().toBytes(BadFlux.DEFAULT_BASE)).header.get("APPLIEME"));
    }

    @Test
    public void duplicateIsTheSameContent() throws Exception {
        byte[] first = new CafFluxGenerator().toBytes(CafFluxGenerator.daily(200, 8).day(4));
        byte[] again = BadFlux.duplicate(first);
        assertArrayEquals(first, again);
        assertNotSame(first, again);
        Path original = new CafFluxGenerator().write(CafFluxGenerator.daily(200, 8).day(4),
                tmp.getRoot().toPath().resolve("RSABEI_4.xml"));
        Path copy = BadFlux.duplicate(original, tmp.getRoot().toPath().resolve("again/RSABEI_4.xml"));
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    public void everyCaseHasACommandLineNameAndCanBeWritten() throws Exception {
        for (BadFlux.Case c : BadFlux.Case.values()) {
            assertEquals(c, BadFlux.Case.fromCliName(c.cliName()));
            if (c.cliName().startsWith("huge-")) {
                continue; // 300 MB each: see oversizedCasesAreStreamed
            }
            Path file = BadFlux.write(c, BadFlux.DEFAULT_BASE, tmp.getRoot().toPath().resolve(c.cliName() + ".xml"));
            byte[] written = Files.readAllBytes(file);
            assertArrayEquals(c.name(), BadFlux.bytes(c, BadFlux.DEFAULT_BASE), written);
            boolean acceptable = c == BadFlux.Case.WRONG_TOTALS || c == BadFlux.Case.MSA;
            assertEquals(c.name(), acceptable, Flux.isValid(written));
        }
        assertThrows(IllegalArgumentException.class, () -> BadFlux.Case.fromCliName("nope"));
        assertNotEquals(0, BadFlux.notXml(CafFluxGenerator.monthly(20, 4)).length);
        assertFalse(new String(BadFlux.notXml(), CP1252).contains("<"));
    }

    @Test
    public void oversizedCasesAreStreamedAndOtherwiseValid() throws Exception {
        // small sizes: the same file around a text of 10,000 characters
        String element = new String(BadFlux.hugeElement(BadFlux.DEFAULT_BASE, "APPLIEME", 10_000).readAllBytes(), CP1252);
        int start = element.indexOf("<APPLIEME>") + "<APPLIEME>".length();
        assertEquals(10_000, element.indexOf("</APPLIEME>") - start);
        assertTrue(element.substring(start, start + 30).matches("[A-Z]{30}"));
        Flux.parseSecurely(element.getBytes(CP1252), true);
        assertFalse("too long for its type", Flux.isValid(element.getBytes(CP1252)));
        String cdata = new String(BadFlux.hugeCdata(BadFlux.DEFAULT_BASE, "NOM", 5_000).readAllBytes(), CP1252);
        assertTrue(cdata.contains("<NOM><![CDATA[") && cdata.contains("]]></NOM>"));
        Flux.parseSecurely(cdata.getBytes(CP1252), true);
        byte[] comment = BadFlux.hugeComment(BadFlux.DEFAULT_BASE, 5_000).readAllBytes();
        Flux.validate(comment); // a comment is allowed anywhere: only its size is the attack
        assertTrue(new String(comment, CP1252).contains("<IdentificationFlux><!--"));

        // 300 MB generated as it is read, in a test JVM whose heap is far smaller than that
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (var in = BadFlux.hugeElement(BadFlux.DEFAULT_BASE, "APPLIEME", BadFlux.HUGE_DEFAULT_CHARS)) {
            for (int k; (k = in.read(buf)) > 0;) {
                n += k;
            }
        }
        assertTrue("300 MB and the rest of the file: " + n, n > BadFlux.HUGE_DEFAULT_CHARS);
        assertThrows(IllegalArgumentException.class, () -> BadFlux.hugeElement(BadFlux.DEFAULT_BASE, "NOPE", 1));
    }

    @Test
    public void valueCasesCarryTheValueInTheWrongPlace() throws Exception {
        byte[] nir = BadFlux.badNirValue(BadFlux.DEFAULT_BASE);
        assertTrue(new String(nir, CP1252).contains("<NIR>" + BadFlux.BAD_NIR + "</NIR>"));
        assertThrows(SAXParseException.class, () -> Flux.validate(nir));
        BadFlux.Spoiled date = BadFlux.badDateValue(BadFlux.DEFAULT_BASE);
        assertTrue(date.value(), date.value().matches("\\d{2}/\\d{2}/\\d{4}"));
        assertTrue(new String(date.bytes(), CP1252).contains("<DTNAI>" + date.value() + "</DTNAI>"));
        assertArrayEquals(BadFlux.xsdInvalidValue(), BadFlux.badDateValue(BadFlux.DEFAULT_BASE).bytes());
    }

    private static void strict(Charset charset, byte[] bytes) throws CharacterCodingException {
        charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    }
}
