package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class NamesTest {

    @Test
    public void keyIgnoresAccentsCaseHyphensApostrophesAndSpaces() {
        assertEquals("LEFEVREDURAND", Names.key("Lefèvre-Durand"));
        assertEquals(Names.key("LEFEVRE DURAND"), Names.key("Lefèvre-Durand"));
        assertEquals(Names.key("lefevre  durand"), Names.key("LEFÈVRE-DURAND"));
        assertEquals("NDIAYE", Names.key("N'Diaye"));
        assertEquals("NDIAYE", Names.key("N’Diaye"));
        assertEquals("HELENE", Names.key("Hélène"));
        assertEquals("FRANCOIS", Names.key("François"));
        assertEquals("", Names.key(null));
        assertEquals("", Names.key(" - ' "));
    }

    @Test
    public void keyExpandsLigatures() {
        assertEquals("COEUR", Names.key("Cœur"));
        assertEquals(Names.key("COEUR"), Names.key("CŒUR"));
        assertEquals("LAETITIA", Names.key("Lætitia"));
        assertEquals("AELIS", Names.key("Ælis"));
    }

    @Test
    public void partsSplitCompoundNames() {
        assertEquals(List.of("JEAN", "PIERRE", "MARIE"), Names.parts("Jean-Pierre Marie"));
        assertEquals(List.of("N", "DIAYE"), Names.parts("N'Diaye"));
        assertEquals(List.of(), Names.parts(null));
    }

    @Test
    public void sameKeyIsClose() {
        assertTrue(Names.close("Lefèvre-Durand", "LEFEVRE DURAND"));
        assertTrue(Names.close("Léa", "LEA"));
    }

    @Test
    public void leadingPartsOfACompoundNameAreClose() {
        assertTrue(Names.close("Jean-Pierre", "Jean"));
        assertTrue(Names.close("Jean", "Jean-Pierre"));
        assertTrue(Names.close("Martin-Dubois", "Martin"));
        assertTrue(Names.close("MARTIN", "martin dubois"));
        assertTrue(Names.close("Jean Pierre Marie", "jean-pierre"));
    }

    @Test
    public void aPrefixOfAWordIsNotClose() {
        assertFalse(Names.close("Jean", "Jeanne"));
        assertFalse(Names.close("Jeanne", "Jean"));
        assertFalse(Names.close("Léa", "Lucas"));
        assertFalse(Names.close("Martin", "Martinez"));
    }

    @Test
    public void onlyLeadingPartsCount() {
        assertFalse(Names.close("Dubois", "Martin-Dubois"));
        assertFalse(Names.close("Martin-Dubois", "Dubois"));
        assertFalse(Names.close("Pierre", "Jean-Pierre"));
        assertFalse(Names.close("Jean-Marie", "Jean-Pierre"));
    }

    @Test
    public void emptyOrNullIsNeverClose() {
        assertFalse(Names.close(null, null));
        assertFalse(Names.close(null, "Jean"));
        assertFalse(Names.close("Jean", null));
        assertFalse(Names.close("", ""));
        assertFalse(Names.close("", "Jean"));
        assertFalse(Names.close("-", "'"));
    }
}
