package fr.aisne.hub.connector.urssaf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.Test;

import fr.aisne.hub.api.SettingsException;
import fr.aisne.hub.api.testing.TestConnectorContext;

/** The tariffs and the other settings: wrong values named with the fix; the password never shown. */
public class SettingsTest {

    static void wrong(String tariffs, String expected) {
        try {
            Tariff.parse(List.of(tariffs.split(",")), "etc/hub.connector.urssaf.cfg", "tariffs");
            fail("accepted: " + tariffs);
        } catch (SettingsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("tariffs") && e.getMessage().contains(expected));
        }
    }

    @Test
    public void tariffsAreCheckedAndSortedAndFoundByDay() {
        wrong("2022-01-01:0.04", "not from:rate:ctp");
        wrong("2022-13-01:0.04:999", "YYYY-MM-DD");
        wrong("2022-01-01:quatre:999", "not a number");
        wrong("2022-01-01:0.04:99", "CTP");
        wrong("2022-01-01:-0.04:999", "0 to 10");
        wrong("2022-01-01:0.04:999,2022-01-01:0.05:999", "two entries");
        List<Tariff> t = Tariff.parse(List.of("2027-01-01:0.05:999", "2022-01-01:0.04:999"), "f", "tariffs");
        assertEquals(LocalDate.parse("2022-01-01"), t.get(0).from());
        assertTrue(Tariff.on(t, LocalDate.parse("2021-12-31")).isEmpty());
        assertEquals(new BigDecimal("0.04"), Tariff.on(t, LocalDate.parse("2026-12-31")).orElseThrow().ratePerHour());
        assertEquals(new BigDecimal("0.05"), Tariff.on(t, LocalDate.parse("2027-01-01")).orElseThrow().ratePerHour());
    }

    @Test
    public void theDeclarantSiretIsRequiredAndThePasswordNeverDescribed() {
        try {
            UrssafSettings.from(TestConnectorContext.settings("declarant.siret", "2202000260001"),
                    new TestConnectorContext.TestSecrets());
            fail();
        } catch (SettingsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("declarant.siret"));
        }
        UrssafSettings s = UrssafSettings.from(TestConnectorContext.settings("declarant.siret", "22020002600015",
                "payroll.password", "tres-secret", "basis", "done"), new TestConnectorContext.TestSecrets());
        assertEquals(Computation.Basis.DONE, s.basis());
        assertFalse(s.describe().toString(), s.describe().toString().contains("tres-secret"));
        assertEquals("(set)", s.describe().get("payroll.password"));
    }
}
