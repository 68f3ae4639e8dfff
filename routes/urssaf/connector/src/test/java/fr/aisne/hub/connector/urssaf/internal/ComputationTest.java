package fr.aisne.hub.connector.urssaf.internal;

import static fr.aisne.hub.connector.urssaf.internal.Conv.h;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpDay;
import fr.aisne.hub.connector.urssaf.internal.Computation.Basis;
import fr.aisne.hub.connector.urssaf.internal.Computation.Decision;
import fr.aisne.hub.connector.urssaf.internal.Computation.Result;

public class ComputationTest {
    static final List<Tariff> PUBLIC = Tariff.parse(List.of("2022-01-01:0.04:999"), "test.cfg", "tariffs");

    static Result compute(String month, List<PmsmpConvention> cs) {
        return Computation.compute(YearMonth.parse(month), cs, Basis.PLANNED, PUBLIC, Map.of());
    }

    @Test
    public void theSeedsYear2259HoursAt4CentsIs90Euros36() {
        assertEquals(new BigDecimal("90.36"), Computation.amount(h("2259"), h("0.04")));
        // the same 2,259 hours as immersion days: 251 days of 9 h in 2024 give one line of 90.36 EUR
        PmsmpConvention c = Conv.daily("a", "2024-01-01", "2024-09-07", "9");
        BigDecimal hours = BigDecimal.ZERO;
        BigDecimal amount = BigDecimal.ZERO;
        for (int m = 1; m <= 9; m++) {
            Result r = compute("2024-0" + m, List.of(c));
            hours = hours.add(r.hours());
            amount = amount.add(r.amount());
        }
        assertEquals(0, h("2259").compareTo(hours));
        assertEquals(0, h("90.36").compareTo(amount));
    }

    @Test
    public void aConventionAcrossAMonthEndIsSplitByDay() {
        // 2025-01-27 .. 2025-02-07, 6.5 h a day: 5 days in January, 7 in February
        PmsmpConvention c = Conv.daily("x", "2025-01-27", "2025-02-07", "6.5");
        Result jan = compute("2025-01", List.of(c));
        Result feb = compute("2025-02", List.of(c));
        assertEquals(0, h("32.5").compareTo(jan.hours()));
        assertEquals(0, h("45.5").compareTo(feb.hours()));
        assertEquals(LocalDate.parse("2025-01-31"), jan.days().get(jan.days().size() - 1).day());
        assertEquals(LocalDate.parse("2025-02-01"), feb.days().get(0).day());
        // February of a leap year ends on the 29th, of another on the 28th
        assertEquals(29, compute("2024-02", List.of(Conv.daily("l", "2024-02-01", "2024-03-01", "1"))).days().size());
        assertEquals(28, compute("2025-02", List.of(Conv.daily("l", "2025-02-01", "2025-03-01", "1"))).days().size());
    }

    @Test
    public void daylightSavingNightsCountTheirWallClockHours() {
        // 02:00-09:00 on the spring (2025-03-30: 6 h lived) and autumn (2025-10-26: 8 h lived) nights: 7 h each
        PmsmpConvention spring = Conv.of("s", "ACCEPTED_BY_VALIDATOR", List.of(
                new PmsmpDay(LocalDate.parse("2025-03-29"), h("7"), h("7"), null, "02:00-09:00"),
                new PmsmpDay(LocalDate.parse("2025-03-30"), h("7"), h("6"), null, "02:00-09:00"),
                new PmsmpDay(LocalDate.parse("2025-03-31"), h("7"), h("7"), null, "02:00-09:00")));
        PmsmpConvention autumn = Conv.of("a", "ACCEPTED_BY_VALIDATOR", List.of(
                new PmsmpDay(LocalDate.parse("2025-10-26"), h("7"), h("8"), null, "02:00-09:00")));
        assertEquals(0, h("21").compareTo(compute("2025-03", List.of(spring)).hours()));
        assertEquals(0, h("7").compareTo(compute("2025-10", List.of(autumn)).hours()));
    }

    @Test
    public void aRateChangingMidMonthGivesOneLinePerRateEachRounded() {
        List<Tariff> t = Tariff.parse(List.of("2022-01-01:0.04:999", "2027-03-16:0.05:999"), "test.cfg", "tariffs");
        // 3.33 h a day, every day of March 2027: 15 days at 0.04 (49.95 h -> 1.998 -> 2.00), 16 at 0.05 (53.28 h -> 2.664 -> 2.66)
        Result r = Computation.compute(YearMonth.parse("2027-03"), List.of(Conv.daily("r", "2027-03-01", "2027-03-31",
                "3.33")), Basis.PLANNED, t, Map.of());
        assertEquals(2, r.lines().size());
        assertEquals(0, h("49.95").compareTo(r.lines().get(0).hours()));
        assertEquals(new BigDecimal("2.00"), r.lines().get(0).amount());
        assertEquals(0, h("0.05").compareTo(r.lines().get(1).rate()));
        assertEquals(new BigDecimal("2.66"), r.lines().get(1).amount());
        assertEquals(new BigDecimal("4.66"), r.amount());
    }

    @Test
    public void roundingIsOncePerMonthLineHalfUp() {
        // 0.125 EUR: half up to 0.13 (never per day: 10 days of 0.3125 h would each round to 0.01 -> 0.10)
        Result r = compute("2025-06", List.of(Conv.daily("q", "2025-06-01", "2025-06-10", "0.3125")));
        assertEquals(new BigDecimal("0.13"), r.amount());
        assertEquals(new BigDecimal("0.12"), Computation.amount(h("3.1"), h("0.04")));   // 0.124
        assertEquals(new BigDecimal("0.13"), Computation.amount(h("3.125"), h("0.04"))); // 0.125
    }

    @Test
    public void cancelledRejectedDeprecatedNotValidatedEsatAreLeftOutWithTheReason() {
        PmsmpConvention ok = Conv.daily("ok", "2025-05-05", "2025-05-09", "7");
        Result r = compute("2025-05", List.of(ok,
                Conv.with(Conv.daily("c", "2025-05-05", "2025-05-09", "7"), "CANCELLED"),
                Conv.with(Conv.daily("r", "2025-05-05", "2025-05-09", "7"), "REJECTED"),
                Conv.with(Conv.daily("d", "2025-05-05", "2025-05-09", "7"), "DEPRECATED"),
                Conv.with(Conv.daily("i", "2025-05-05", "2025-05-09", "7"), "IN_REVIEW"),
                Conv.flags(Conv.daily("e", "2025-05-05", "2025-05-09", "7"), false, true, null)));
        assertEquals(0, h("35").compareTo(r.hours()));
        assertEquals(5, r.excluded().size());
        assertTrue(r.excluded().toString(), r.excluded().get(0).reason().contains("CANCELLED"));
        assertTrue(r.excluded().get(4).reason().contains("ESAT"));
    }

    @Test
    public void anEmployeeWaitsForAnOperatorThenCountsOrNot() {
        PmsmpConvention emp = Conv.flags(Conv.daily("e", "2025-05-05", "2025-05-09", "7"), true, null, null);
        YearMonth may = YearMonth.parse("2025-05");
        Result waiting = Computation.compute(may, List.of(emp), Basis.PLANNED, PUBLIC, Map.of());
        assertEquals(0, waiting.hours().signum());
        assertEquals(1, waiting.pending().size());
        assertEquals(0, h("35").compareTo(Computation.compute(may, List.of(emp), Basis.PLANNED, PUBLIC,
                Map.of("e", Decision.COUNT)).hours()));
        Result excluded = Computation.compute(may, List.of(emp), Basis.PLANNED, PUBLIC, Map.of("e", Decision.EXCLUDE));
        assertEquals(0, excluded.hours().signum());
        assertTrue(excluded.pending().isEmpty());
    }

    @Test
    public void theDoneBasisTakesTheDoneHoursWhereKnown() {
        PmsmpConvention c = Conv.of("d", "ACCEPTED_BY_VALIDATOR", List.of(
                new PmsmpDay(LocalDate.parse("2025-05-05"), h("7"), h("7"), h("5.5"), "09:00-17:00"),
                new PmsmpDay(LocalDate.parse("2025-05-06"), h("7"), h("7"), null, "09:00-17:00")));
        YearMonth may = YearMonth.parse("2025-05");
        assertEquals(0, h("14").compareTo(Computation.compute(may, List.of(c), Basis.PLANNED, PUBLIC, Map.of()).hours()));
        assertEquals(0, h("12.5").compareTo(Computation.compute(may, List.of(c), Basis.DONE, PUBLIC, Map.of()).hours()));
        PmsmpConvention noShow = Conv.flags(c, false, null, "DID_NOT_SHOW");
        assertEquals(0, Computation.compute(may, List.of(noShow), Basis.DONE, PUBLIC, Map.of()).hours().signum());
    }

    @Test
    public void aDayWithoutTariffIsRefusedNamingTheDay() {
        try {
            compute("2021-12", List.of(Conv.daily("old", "2021-12-30", "2022-01-02", "7")));
            fail();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("2021-12-30"));
        }
    }
}
