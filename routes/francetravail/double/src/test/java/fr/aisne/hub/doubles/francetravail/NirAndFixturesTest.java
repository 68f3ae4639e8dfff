package fr.aisne.hub.doubles.francetravail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;

import org.junit.Test;

import fr.aisne.hub.doubles.francetravail.Usager.Outcome;

public class NirAndFixturesTest {

    @Test
    public void keyIs97MinusTheNumberMod97() {
        // the textbook example: 2 55 08 14 168 025, key 38
        assertEquals(38, Nir.key("2550814168025"));
        assertNull(Nir.problem("255081416802538"));
        assertEquals("clé du nir invalide", Nir.problem("255081416802539"));
    }

    @Test
    public void corsicaReads2AAs19And2BAs18() {
        long asNumber = Long.parseLong("1850519004012");
        assertEquals((int) (97 - asNumber % 97), Nir.key("18505" + "2A" + "004012"));
        asNumber = Long.parseLong("1850518004012");
        assertEquals((int) (97 - asNumber % 97), Nir.key("18505" + "2B" + "004012"));
        assertNull(Nir.problem(Nir.withKey("185052A004012")));
    }

    @Test
    public void malformedNirs() {
        assertNotNull(Nir.problem(null));
        assertNotNull(Nir.problem("2550814168025"));
        assertNotNull(Nir.problem("355081416802538"));
        assertNotNull(Nir.problem(Nir.withKey("2551314168025").substring(0, 13) + "00"));
        assertNotNull(Nir.problem("2 55 08 14 168 025 38"));
        // order number 000 does not exist
        assertNotNull(Nir.problem(Nir.withKey("2550814168000")));
    }

    @Test
    public void birthDateMustAgreeWithYearAndKnownMonth() {
        assertTrue(Nir.matchesBirthDate("255081416802538", LocalDate.of(1955, 8, 3)));
        assertFalse(Nir.matchesBirthDate("255081416802538", LocalDate.of(1956, 8, 3)));
        assertFalse(Nir.matchesBirthDate("255081416802538", LocalDate.of(1955, 9, 3)));
        // month 30-42 or 99: unknown month, only the year counts
        assertTrue(Nir.matchesBirthDate(Nir.withKey("1553099123045"), LocalDate.of(1955, 1, 1)));
    }

    @Test
    public void theRuleByLastTwoDigitsOfTheOrderNumber() {
        for (int xx = 0; xx < 100; xx++) {
            Outcome expected = switch (xx) {
                case 80 -> Outcome.S002;
                case 81 -> Outcome.S003;
                case 82 -> Outcome.R001;
                case 83 -> Outcome.R998_500;
                case 84 -> Outcome.R998_502;
                case 85 -> Outcome.R999;
                default -> Outcome.S001;
            };
            Usager u = Fixtures.fromNir(Nir.withKey(String.format("18505024081%02d", xx)), LocalDate.of(1985, 5, 1));
            assertEquals("xx=" + xx, expected, u.outcome());
            assertEquals(xx < 40 || xx > 49, u.certifiee());
            assertEquals(xx >= 50 && xx <= 59, u.rqth());
            assertEquals(!(xx >= 60 && xx <= 69), u.inscrit());
            assertEquals(!(xx >= 60 && xx <= 69), u.informationsAdministratives());
            assertEquals(xx >= 70 && xx <= 79, u.orientationInitiale());
            assertTrue(u.numeroFranceTravail().matches("\\d{9}" + String.format("%02d", xx)));
        }
    }

    @Test
    public void numerosAreStableAndSyntheticPersonsConsistent() {
        String nir = Nir.withKey("2850502408010");
        assertEquals(Fixtures.fromNir(nir, LocalDate.of(1985, 5, 2)).numeroFranceTravail(),
                Fixtures.fromNir(nir, LocalDate.of(1985, 5, 2)).numeroFranceTravail());
        for (int i = 0; i < 200; i++) {
            String numero = String.format("%09d%02d", i * 7919L, i % 100);
            Usager u = Fixtures.fromNumero(numero);
            assertNull(numero, Nir.problem(u.nir()));
            assertTrue(Nir.matchesBirthDate(u.nir(), u.dateNaissance()));
            assertEquals(i % 100, Nir.orderNumber(u.nir()) % 100);
            assertEquals(Fixtures.outcome(i % 100), u.outcome());
        }
    }
}
