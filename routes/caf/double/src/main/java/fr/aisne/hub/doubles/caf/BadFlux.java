package fr.aisne.hub.doubles.caf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.Locale;

import fr.aisne.hub.doubles.caf.CafFluxGenerator.Spec;

/**
 * The files the CAF connector must reject (or, for {@link #duplicate}, recognise), derived from a valid flux.
 * Every method exists without argument (base: {@link #DEFAULT_BASE}, a 3-household monthly flux) and with the
 * {@link Spec} of the valid flux to spoil. Apart from {@link #wrongTotals}, {@link #msa} and the oversized cases
 * ({@link #hugeElement}, {@link #hugeCdata}, {@link #hugeComment}), which are streamed, the bad content is built in
 * memory: keep the base small.
 */
public final class BadFlux {
    /** The valid flux the bad cases are made from when no base is given. */
    public static final Spec DEFAULT_BASE = CafFluxGenerator.monthly(3, 20_090_601L);
    /** Size of the oversized cases on the command line and in {@link #write}: 300 MB of text. */
    public static final long HUGE_DEFAULT_CHARS = 300L * 1024 * 1024;
    /** The value {@link Case#BAD_NIR_VALUE} puts in the first NIR (16 digits). */
    public static final String BAD_NIR = "1810693050030123";

    private static final Charset CP1252 = Charset.forName(CafFluxGenerator.ENCODING);
    private static final CafFluxGenerator GENERATOR = new CafFluxGenerator();

    /** The bad cases, with their command-line names ({@code GenerateFlux --bad}). */
    public enum Case {
        /** A required element is missing (the first household has no DonneesAdministratives, like the real sample). */
        XSD_INVALID("xsd-invalid"),
        /** Valid against the XSD, but NBTOTDOSRSATRANSM is one more than the number of InfosFoyerRSA. */
        WRONG_TOTALS("wrong-totals"),
        /** A valid file cut in the middle of a household (not well-formed). */
        TRUNCATED("truncated"),
        /** Not XML at all: the CAF contacts CSV dropped where a flux was expected. */
        NOT_XML("not-xml"),
        /** Billion laughs: an internal DTD subset with nested entities, used in the first NOM. */
        XML_BOMB("xml-bomb"),
        /** XXE: an external entity to file:///etc/passwd, used in the first NOM. */
        EXTERNAL_ENTITY("external-entity"),
        /** Declares UTF-8 but is encoded in windows-1252 (a lone 0xE9 for é): malformed UTF-8. */
        WRONG_ENCODING("wrong-encoding"),
        /** A valid flux from the MSA (APPLIEME AGO, FONORG MSA), not from the CAF. */
        MSA("msa"),
        /** One element whose text is {@link #HUGE_DEFAULT_CHARS} characters (APPLIEME), streamed: memory exhaustion. */
        HUGE_ELEMENT("huge-element"),
        /** The same as a CDATA section, which an XML parser buffers whole before reporting it. */
        HUGE_CDATA("huge-cdata"),
        /** A {@link #HUGE_DEFAULT_CHARS}-character comment in IdentificationFlux, which a parser buffers whole too. */
        HUGE_COMMENT("huge-comment"),
        /** The first NIR is a 16-digit number (too long for its type): the value must never be quoted back. */
        BAD_NIR_VALUE("bad-nir-value"),
        /** The first DTNAI is written 10/06/1981 (not an xsd:date): the birth date must never be quoted back. */
        BAD_DATE_VALUE("bad-date-value");

        private final String cliName;

        Case(String cliName) {
            this.cliName = cliName;
        }

        /** The name used by {@code GenerateFlux --bad}. */
        public String cliName() {
            return cliName;
        }

        /** The case of a command-line name ({@code xsd-invalid}...). */
        public static Case fromCliName(String name) {
            for (Case c : values()) {
                if (c.cliName.equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown bad case: " + name);
        }
    }

    private BadFlux() {
    }

    /** {@link Case#XSD_INVALID}: the first household's required DonneesAdministratives removed. */
    public static byte[] xsdInvalid() {
        return xsdInvalid(DEFAULT_BASE);
    }

    /** {@link Case#XSD_INVALID} from {@code base} (without household, DTREF is removed instead). */
    public static byte[] xsdInvalid(Spec base) {
        String xml = text(base);
        int start = xml.indexOf("<DonneesAdministratives>");
        String end = "</DonneesAdministratives>\n";
        if (start < 0) {
            start = xml.indexOf("<DTREF>");
            end = "</DTREF>\n";
        }
        int stop = xml.indexOf(end, start) + end.length();
        return bytes(xml.substring(0, start) + xml.substring(stop));
    }

    /** A value breaking its type: the first DTNAI written the French way (10/06/1981), not as an xsd:date. */
    public static byte[] xsdInvalidValue() {
        return xsdInvalidValue(DEFAULT_BASE);
    }

    /** {@link #xsdInvalidValue()} from {@code base} (without household, DTCREAFLUX is spoiled instead). */
    public static byte[] xsdInvalidValue(Spec base) {
        String xml = text(base);
        String tag = xml.contains("<DTNAI>") ? "<DTNAI>" : "<DTCREAFLUX>";
        int at = xml.indexOf(tag) + tag.length();
        String iso = xml.substring(at, at + 10);
        String french = iso.substring(8, 10) + "/" + iso.substring(5, 7) + "/" + iso.substring(0, 4);
        return bytes(xml.substring(0, at) + french + xml.substring(at + 10));
    }

    /**
     * {@link Case#BAD_DATE_VALUE}: {@link #xsdInvalidValue()}; returns the French date written, which a rejection
     * must not repeat, with the bytes.
     */
    public static Spoiled badDateValue(Spec base) {
        byte[] bad = xsdInvalidValue(base);
        String xml = new String(bad, CP1252);
        String tag = xml.contains("<DTNAI>") ? "<DTNAI>" : "<DTCREAFLUX>";
        int at = xml.indexOf(tag) + tag.length();
        return new Spoiled(bad, xml.substring(at, at + 10));
    }

    /** {@link Case#BAD_NIR_VALUE}: the first NIR replaced by {@link #BAD_NIR} (16 digits, its type allows 15). */
    public static byte[] badNirValue(Spec base) {
        return bytes(replaceFirstContent(text(base), "NIR", BAD_NIR));
    }

    /** A spoiled file and the personal value it carries in the wrong place. */
    public record Spoiled(byte[] bytes, String value) {
    }

    /**
     * {@link Case#HUGE_ELEMENT}: a valid flux whose {@code element} (its first occurrence, e.g. APPLIEME or NOM)
     * holds {@code chars} characters of text instead of its value. Streamed: nothing of the size is in memory, so
     * it can be read from, or written to disk, at any size.
     */
    public static InputStream hugeElement(Spec base, String element, long chars) {
        return around(base, element, "", chars, "");
    }

    /** {@link Case#HUGE_CDATA}: the same text as one CDATA section in {@code element}. */
    public static InputStream hugeCdata(Spec base, String element, long chars) {
        return around(base, element, "<![CDATA[", chars, "]]>");
    }

    /** {@link Case#HUGE_COMMENT}: a comment of {@code chars} characters inside IdentificationFlux, streamed. */
    public static InputStream hugeComment(Spec base, long chars) {
        String xml = text(base);
        int at = xml.indexOf("<IdentificationFlux>") + "<IdentificationFlux>".length();
        return concat(bytes(xml.substring(0, at) + "<!--"), repeat(chars), bytes("-->" + xml.substring(at)));
    }

    private static InputStream around(Spec base, String element, String open, long chars, String close) {
        String xml = text(base);
        int start = xml.indexOf("<" + element + ">");
        if (start < 0) {
            throw new IllegalArgumentException("no element " + element + " in the base flux");
        }
        start += element.length() + 2;
        int end = xml.indexOf("</" + element + ">", start);
        return concat(bytes(xml.substring(0, start) + open), repeat(chars), bytes(close + xml.substring(end)));
    }

    private static InputStream concat(byte[] head, InputStream middle, byte[] tail) {
        return new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head), middle),
                new ByteArrayInputStream(tail));
    }

    /** {@code n} letters (A to Z, again and again), generated as they are read. */
    private static InputStream repeat(long n) {
        return new InputStream() {
            private long left = n;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return 'A' + (int) (left % 26);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                for (int i = 0; i < k; i++) {
                    b[off + i] = (byte) ('A' + (int) ((left - i - 1) % 26));
                }
                left -= k;
                return k;
            }
        };
    }

    /** {@link Case#WRONG_TOTALS}: valid, but NBTOTDOSRSATRANSM = number of InfosFoyerRSA + 1. */
    public static byte[] wrongTotals() {
        return wrongTotals(DEFAULT_BASE);
    }

    /** {@link Case#WRONG_TOTALS} from {@code base}. */
    public static byte[] wrongTotals(Spec base) {
        return GENERATOR.toBytes(base.wrongTotals());
    }

    /** {@link Case#TRUNCATED}: cut inside the PRENOM of the first person of the middle household. */
    public static byte[] truncated() {
        return truncated(DEFAULT_BASE);
    }

    /** {@link Case#TRUNCATED} from {@code base} (without household, cut inside IdentificationFlux). */
    public static byte[] truncated(Spec base) {
        byte[] valid = GENERATOR.toBytes(base);
        String xml = new String(valid, CP1252);
        int households = count(xml, "<InfosFoyerRSA>");
        int from = 0;
        for (int i = 0; i <= households / 2 && households > 0; i++) {
            from = xml.indexOf("<InfosFoyerRSA>", from) + 1;
        }
        String tag = households > 0 ? "<PRENOM>" : "<TYPEFLUX>";
        int cut = xml.indexOf(tag, from) + tag.length() + 1;
        byte[] head = new byte[cut]; // windows-1252: one byte per character
        System.arraycopy(valid, 0, head, 0, cut);
        return head;
    }

    /** {@link Case#NOT_XML}: the CAF contacts CSV (MATRICULE;ROLE PERSONNE;NIR;...) in windows-1252. */
    public static byte[] notXml() {
        return notXml(DEFAULT_BASE);
    }

    /** {@link Case#NOT_XML}: the contacts CSV of the adults of {@code base}. */
    public static byte[] notXml(Spec base) {
        StringBuilder csv = new StringBuilder("MATRICULE;ROLE PERSONNE;NIR;NUMERO DEMANDE RSA;NOM;PRENOM;TELEPHONE;"
                + "EMAIL\r\n");
        GENERATOR.forEachHousehold(base, h -> {
            for (Household.Person p : h.persons()) {
                if (p.role().equals("ENF")) {
                    continue;
                }
                long phone = Math.floorMod(Population.key(base.seed(), h.index(), p.slot()), 100_000_000L);
                csv.append(h.matricule()).append(';').append(p.role()).append(';')
                        .append(p.nir() == null ? "" : p.nir()).append(';').append(h.numdemrsa()).append(';')
                        .append(p.nom()).append(';').append(p.prenom()).append(";0")
                        .append(phone % 2 == 0 ? '6' : '7').append(Population.digits(phone, 8)).append(';')
                        .append(ascii(p.prenom())).append('.').append(ascii(p.nom())).append("@example.fr\r\n");
            }
        });
        return bytes(csv.toString());
    }

    /** {@link Case#XML_BOMB}: billion laughs (10^9 "lol" if expanded), referenced in the first NOM. */
    public static byte[] xmlBomb() {
        return xmlBomb(DEFAULT_BASE);
    }

    /** {@link Case#XML_BOMB} from {@code base}. */
    public static byte[] xmlBomb(Spec base) {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE Racine [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
            }
            dtd.append("\">\n");
        }
        dtd.append("]>\n");
        return bytes(withDoctype(text(base), dtd.toString(), "&lol9;"));
    }

    /** {@link Case#EXTERNAL_ENTITY}: {@code <!ENTITY xxe SYSTEM "file:///etc/passwd">}, referenced in the first NOM. */
    public static byte[] externalEntity() {
        return externalEntity(DEFAULT_BASE);
    }

    /** {@link Case#EXTERNAL_ENTITY} from {@code base}. */
    public static byte[] externalEntity(Spec base) {
        return bytes(withDoctype(text(base),
                "<!DOCTYPE Racine [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n", "&xxe;"));
    }

    /**
     * {@link Case#WRONG_ENCODING}: declared {@code UTF-8}, bytes in windows-1252 (a lone 0xE9 is malformed UTF-8).
     * The first NOM is set to Lefèvre if the base has no accented character.
     */
    public static byte[] wrongEncoding() {
        return wrongEncoding(DEFAULT_BASE);
    }

    /** {@link Case#WRONG_ENCODING} from {@code base}. */
    public static byte[] wrongEncoding(Spec base) {
        String xml = text(base).replaceFirst("encoding=\"windows-1252\"", "encoding=\"UTF-8\"");
        if (xml.chars().allMatch(c -> c < 0x80)) {
            xml = xml.contains("<NOM>") ? replaceFirstContent(xml, "NOM", "Lefèvre")
                    : xml.replaceFirst("\n", "\n<!-- flux généré -->\n");
        }
        return bytes(xml);
    }

    /**
     * Declared windows-1252 but carrying bytes that windows-1252 does not define (0x81, 0x8D, 0x8F, 0x90, 0x9D) in
     * the first NOM. Beware: the JDK's decoder maps them to U+FFFD without error, so a connector only rejects this
     * file if it decodes strictly.
     */
    public static byte[] undefinedWindows1252Bytes() {
        return undefinedWindows1252Bytes(DEFAULT_BASE);
    }

    /** {@link #undefinedWindows1252Bytes()} from {@code base} (without household, in NUMVERSIONAPPLIEME). */
    public static byte[] undefinedWindows1252Bytes(Spec base) {
        byte[] valid = GENERATOR.toBytes(base);
        String xml = new String(valid, CP1252);
        String tag = xml.contains("<NOM>") ? "<NOM>" : "<NUMVERSIONAPPLIEME>";
        int at = xml.indexOf(tag) + tag.length();
        byte[] bad = {(byte) 0x81, (byte) 0x8D, (byte) 0x8F, (byte) 0x90, (byte) 0x9D};
        byte[] out = new byte[valid.length + bad.length];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(valid, at, out, at + bad.length, valid.length - at);
        return out;
    }

    /** {@link Case#MSA}: a valid flux whose APPLIEME is AGO (and FONORG MSA). */
    public static byte[] msa() {
        return msa(DEFAULT_BASE);
    }

    /** {@link Case#MSA} from {@code base}. */
    public static byte[] msa(Spec base) {
        return GENERATOR.toBytes(base.msa());
    }

    /** The same file delivered twice: the very same bytes as {@code previous} (a copy). */
    public static byte[] duplicate(byte[] previous) {
        return previous.clone();
    }

    /** The same file delivered twice: copies {@code previous} to {@code target} and returns {@code target}. */
    public static Path duplicate(Path previous, Path target) throws IOException {
        createParent(target);
        return Files.copy(previous, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The bytes of a case made from {@code base}. */
    public static byte[] bytes(Case c, Spec base) {
        switch (c) {
            case XSD_INVALID:
                return xsdInvalid(base);
            case WRONG_TOTALS:
                return wrongTotals(base);
            case TRUNCATED:
                return truncated(base);
            case NOT_XML:
                return notXml(base);
            case XML_BOMB:
                return xmlBomb(base);
            case EXTERNAL_ENTITY:
                return externalEntity(base);
            case WRONG_ENCODING:
                return wrongEncoding(base);
            case MSA:
                return msa(base);
            case BAD_NIR_VALUE:
                return badNirValue(base);
            case BAD_DATE_VALUE:
                return xsdInvalidValue(base);
            default:
                throw new IllegalArgumentException(c.name() + " is streamed: use write(...)");
        }
    }

    /**
     * Writes a case made from {@code base} to {@code file} (WRONG_TOTALS, MSA and the oversized cases, of
     * {@link #HUGE_DEFAULT_CHARS}, are streamed) and returns it.
     */
    public static Path write(Case c, Spec base, Path file) throws IOException {
        createParent(file);
        if (c == Case.WRONG_TOTALS || c == Case.MSA) {
            return GENERATOR.write(c == Case.MSA ? base.msa() : base.wrongTotals(), file);
        }
        if (c == Case.HUGE_ELEMENT || c == Case.HUGE_CDATA || c == Case.HUGE_COMMENT) {
            try (InputStream in = c == Case.HUGE_COMMENT ? hugeComment(base, HUGE_DEFAULT_CHARS)
                    : c == Case.HUGE_CDATA ? hugeCdata(base, "APPLIEME", HUGE_DEFAULT_CHARS)
                    : hugeElement(base, "APPLIEME", HUGE_DEFAULT_CHARS);
                    OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
            return file;
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes(c, base));
        }
        return file;
    }

    // -----------------------------------------------------------------------------------------------------------

    private static String text(Spec base) {
        return new String(GENERATOR.toBytes(base), CP1252);
    }

    private static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        out.writeBytes(text.getBytes(CP1252));
        return out.toByteArray();
    }

    /** The DOCTYPE after the XML declaration, and the entity reference in the first NOM (or NUMVERSIONAPPLIEME). */
    private static String withDoctype(String xml, String doctype, String reference) {
        int afterDeclaration = xml.indexOf("?>") + 3;
        String body = xml.substring(afterDeclaration);
        body = body.contains("<NOM>") ? replaceFirstContent(body, "NOM", reference)
                : replaceFirstContent(body, "NUMVERSIONAPPLIEME", reference);
        return xml.substring(0, afterDeclaration) + doctype + body;
    }

    private static String replaceFirstContent(String xml, String element, String content) {
        int start = xml.indexOf("<" + element + ">") + element.length() + 2;
        int end = xml.indexOf("</" + element + ">", start);
        return xml.substring(0, start) + content + xml.substring(end);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String ascii(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("œ", "oe")
                .replaceAll("[^A-Za-z-]", "").toLowerCase(Locale.ROOT);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
