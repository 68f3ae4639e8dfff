package fr.aisne.hub.connector.ouiform.lheo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;

import org.junit.Test;

/** The habits of the regional file in dates, text and numbers, one by one. */
public class LheoTextAndDateTest {

    @Test
    public void dateSentinelsAndPartialDates() {
        LheoDate day = LheoDate.parse("20270104");
        assertEquals(LheoDate.Precision.JOUR, day.precision());
        assertEquals(LocalDate.of(2027, 1, 4), day.earliest());
        assertEquals(day.earliest(), day.latest());

        LheoDate month = LheoDate.parse("20240200");
        assertEquals(LheoDate.Precision.MOIS, month.precision());
        assertEquals(LocalDate.of(2024, 2, 1), month.earliest());
        assertEquals("leap year", LocalDate.of(2024, 2, 29), month.latest());

        LheoDate year = LheoDate.parse("20270000");
        assertEquals(LheoDate.Precision.ANNEE, year.precision());
        assertEquals(LocalDate.of(2027, 1, 1), year.earliest());
        assertEquals(LocalDate.of(2027, 12, 31), year.latest());

        LheoDate unknown = LheoDate.parse("00000000");
        assertEquals(LheoDate.Precision.INCONNUE, unknown.precision());
        assertNull(unknown.earliest());
        LheoDate noEnd = LheoDate.parse("99999999");
        assertEquals(LheoDate.Precision.SANS_FIN, noEnd.precision());
        assertNull(noEnd.latest());

        assertNull(LheoDate.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> LheoDate.parse("20271301"));
        assertThrows(IllegalArgumentException.class, () -> LheoDate.parse("20270431"));
        assertThrows(IllegalArgumentException.class, () -> LheoDate.parse("2027-01-04"));
        assertThrows(IllegalArgumentException.class, () -> LheoDate.parse("00001300"));
    }

    @Test
    public void decimalCommaPrices() {
        assertEquals(new BigDecimal("4520.50"), LheoText.decimal("4520,50"));
        assertEquals(new BigDecimal("24.5"), LheoText.decimal(" 24,5 "));
        assertEquals(new BigDecimal("12.50"), LheoText.decimal("12.50"));
        assertEquals(new BigDecimal("1250"), LheoText.decimal("1 250 €"));
        assertNull(LheoText.decimal("Non renseigné"));
        assertNull(LheoText.decimal(""));
        assertThrows(IllegalArgumentException.class, () -> LheoText.decimal("sur devis"));
        assertThrows(IllegalArgumentException.class, () -> LheoText.decimal("4,520,50"));
    }

    @Test
    public void htmlInText() {
        assertEquals("escaped once (reaches us as tags)", "Acquérir les gestes du nettoyage .",
                LheoText.plain("<p>Acquérir les gestes du <strong>nettoyage</strong>.</p>", 100));
        assertEquals("CDATA list: one line per item", "Hygiène et sécurité\nTechniques",
                LheoText.plain("<ul><li>Hygiène et sécurité</li><li>Techniques</li></ul>", 100));
        assertEquals("escaped twice, entities", "Niveau « 3 » & plus",
                LheoText.plain("&lt;b&gt;Niveau &laquo;&nbsp;3&nbsp;&raquo; &amp; plus&lt;/b&gt;", 100));
        assertEquals("a comparison is not a tag", "a < b et c > d", LheoText.plain("a < b et c > d", 100));
        assertEquals("numeric entities", "l'été", LheoText.plain("l&#39;&#xE9;t&eacute;", 100));
        assertNull(LheoText.plain("Non renseigné", 100));
        assertNull(LheoText.plain("  NON RENSEIGNE. ", 100));
        assertNull(LheoText.plain("<p> </p>", 100));
        assertEquals("cut with an ellipsis", "abcd…", LheoText.plain("abcdefgh", 5));
    }

    @Test
    public void searchKeys() {
        assertEquals("remise a niveau competences cles", LheoText.searchKey("Remise à niveau - Compétences clés"));
        assertEquals("oeuvre", LheoText.searchKey("Œuvre"));
    }
}
