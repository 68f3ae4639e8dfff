package fr.aisne.hub.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** Synthetic NIRs only (department 99 and made-up communes/orders; no real person). */
public class NirTest {
    static final String MAN = "1850578006084";
    static final String WOMAN = "2920302123456";
    static final String CORSICA_2A = "290052A004012";
    static final String CORSICA_2B = "175112B033005";
    static final String SMALL_KEY = "1950614118008";

    /** Independent reference: 97 - (number mod 97), 2A read as 19 and 2B as 18, in plain long arithmetic. */
    private static int referenceKey(String nir13) {
        String dept = nir13.substring(5, 7);
        String d = dept.equals("2A") ? "19" : dept.equals("2B") ? "18" : dept;
        long n = Long.parseLong(nir13.substring(0, 5) + d + nir13.substring(7));
        return (int) (97 - n % 97);
    }

    private static String withKey(String nir13) {
        return nir13 + String.format("%02d", referenceKey(nir13));
    }

    @Test
    public void keyMatchesAnIndependentComputation() {
        assertEquals(91, Nir.key(MAN));
        assertEquals(67, Nir.key(WOMAN));
        assertEquals(1, Nir.key(SMALL_KEY));
        for (String nir : List.of(MAN, WOMAN, CORSICA_2A, CORSICA_2B, SMALL_KEY, "1750102999001", "2880699123001")) {
            assertEquals(nir, referenceKey(nir), Nir.key(nir));
        }
    }

    @Test
    public void corsicanDepartmentsAreReadAs19And18() {
        assertEquals(66, Nir.key(CORSICA_2A));
        assertEquals(14, Nir.key(CORSICA_2B));
        assertEquals(referenceKey(CORSICA_2A), Nir.key(CORSICA_2A));
        assertEquals(referenceKey(CORSICA_2B), Nir.key(CORSICA_2B));
        // 2A is 19, not 20 nor 2A's other readings: the same digits with 19 give the same key
        assertEquals(Nir.key("2900519004012"), Nir.key(CORSICA_2A));
        assertEquals(Nir.key("1751118033005"), Nir.key(CORSICA_2B));
        assertEquals("lower case accepted", Nir.key(CORSICA_2A), Nir.key("290052a004012"));
    }

    @Test
    public void canonicalAccepts13And15CharactersWithSpacesAndDots() {
        assertEquals(MAN, Nir.canonical(MAN));
        assertEquals(MAN, Nir.canonical(MAN + "91"));
        assertEquals(MAN, Nir.canonical("1 85 05 78 006 084 91"));
        assertEquals(MAN, Nir.canonical("1.85.05.78.006.084"));
        assertEquals(MAN, Nir.canonical(" 1 85 05 78 006 084\t"));
        assertEquals(SMALL_KEY, Nir.canonical(SMALL_KEY + "01"));
        assertEquals(WOMAN, Nir.canonical(withKey(WOMAN)));
        assertEquals(CORSICA_2A, Nir.canonical(withKey(CORSICA_2A)));
        assertEquals(CORSICA_2B, Nir.canonical("1 75 11 2B 033 005 14"));
    }

    @Test
    public void canonicalUppercasesCorsicanDepartments() {
        assertEquals(CORSICA_2A, Nir.canonical("290052a004012"));
        assertEquals(CORSICA_2A, Nir.canonical("2 90 05 2a 004 012 66"));
        assertEquals(CORSICA_2B, Nir.canonical("175112b03300514"));
    }

    @Test
    public void wrongKeyIsRejected() {
        assertInvalid(MAN + "92");
        assertInvalid(MAN + "00");
        assertInvalid(MAN + "98");
        assertInvalid(MAN + "9A");
        assertInvalid(CORSICA_2A + "67");
        assertInvalid(SMALL_KEY + "10");
    }

    @Test
    public void wrongLengthIsRejected() {
        assertInvalid("185057800608");
        assertInvalid("18505780060849");
        assertInvalid("1850578006084911");
        assertInvalid("1");
    }

    @Test
    public void missingIsRejected() {
        assertThrows(InvalidNirException.class, () -> Nir.canonical(null));
        assertThrows(InvalidNirException.class, () -> Nir.canonical(""));
        assertThrows(InvalidNirException.class, () -> Nir.canonical("   "));
    }

    @Test
    public void badMonthIsRejected() {
        assertInvalid("1850078006084");
        assertInvalid("1851378006084");
        assertInvalid("1851978006084");
        assertInvalid("18500780060" + "84" + "91");
    }

    @Test
    public void badSexDigitIsRejected() {
        for (char sex : new char[] {'0', '4', '5', '6', '9'}) {
            assertInvalid(sex + MAN.substring(1));
        }
        for (char sex : new char[] {'1', '2', '3', '7', '8'}) {
            String nir = sex + MAN.substring(1);
            assertEquals(nir, Nir.canonical(nir));
        }
    }

    @Test
    public void lettersOutsideTheCorsicanDepartmentAreRejected() {
        assertInvalid("A850578006084");
        assertInvalid("18A0578006084");
        assertInvalid("185057800608X");
        assertInvalid("1850578A06084");
        assertInvalid("18505AB006084");
        assertInvalid("185052C006084");
        assertInvalid("1850537A06084");
        assertInvalid("2A0052A004012");
    }

    @Test
    public void messagesNeverRepeatTheValue() {
        List<String> bad = List.of(MAN + "92", "185057800608", "18505780060849", "1850078006084", "5850578006084",
                "185057800608X", "1 85 05 78 006 084 92", CORSICA_2A + "67");
        for (String raw : bad) {
            InvalidNirException e = assertThrows(raw, InvalidNirException.class, () -> Nir.canonical(raw));
            String compact = raw.replaceAll("[\\s.]", "");
            assertFalse(e.getMessage(), e.getMessage().contains(compact.substring(0, Math.min(12, compact.length()))));
            assertFalse(e.getMessage(), e.getMessage().contains(raw));
            assertFalse(e.getMessage(), e.getMessage().matches(".*\\d{5,}.*"));
        }
    }

    @Test
    public void maskKeepsSexYearAndMonthOnly() {
        assertEquals("18505********", Nir.mask(MAN));
        assertEquals(13, Nir.mask(MAN).length());
        assertEquals("29005********", Nir.mask(CORSICA_2A));
        assertFalse(Nir.mask(MAN).contains("78006084"));
        assertTrue(Nir.mask(WOMAN).startsWith("29203"));
    }

    private static void assertInvalid(String raw) {
        assertThrows("should be rejected: " + raw.length() + " chars", InvalidNirException.class, () -> Nir.canonical(raw));
    }
}
