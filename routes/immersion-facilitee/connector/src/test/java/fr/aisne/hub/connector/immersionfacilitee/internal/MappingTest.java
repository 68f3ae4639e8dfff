package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Day;

/** The platform's convention read in the canonical shape: dates, per-day schedule and hours, assessment, minimisation. */
public class MappingTest {

    @Test
    public void aConventionAcrossAMonthEndCountsEachDayInItsMonth() throws Exception {
        // the double's fixture 1: 2025-01-27 -> 2025-02-07, Mon-Fri 09:00-12:00 + 13:30-17:00, 65 h, 32.5 h a month
        ObjectNode read = PlatformConventions.convention("0c0a0000-0000-4000-8000-000000000001", LocalDate.of(2025, 1, 27),
                LocalDate.of(2025, 2, 7));
        Convention c = PlatformMapping.map(read);
        assertEquals(LocalDate.of(2025, 1, 27), c.dateStart());
        assertEquals(LocalDate.of(2025, 2, 7), c.dateEnd());
        assertEquals("every calendar day, days off included", 12, c.days().size());
        assertEquals(65 * 60, c.plannedMinutes());
        assertEquals(0, new BigDecimal("65").compareTo(c.declaredTotalHours()));
        assertEquals(Map.of("2025-01", 1950, "2025-02", 1950), Schedules.plannedMinutesByMonth(c.days()));
        Day saturday = c.days().get(5);
        assertEquals(DayOfWeek.SATURDAY, saturday.date().getDayOfWeek());
        assertEquals(0, saturday.plannedMinutes());
        assertEquals("09:00-12:00,13:30-17:00", c.days().get(0).periodsText());
        assertEquals(PlatformConventions.CD02, c.prescriber().prescriberId());
    }

    @Test
    public void daylightSavingNightsCountWallClockHoursAsThePlatformAndKeepTheLivedOnes() throws Exception {
        // bakery nights Tue-Sun 02:00-09:00 across the spring change (Sunday 2025-03-30) and the autumn one (2025-10-26)
        EnumSet<DayOfWeek> tueSun = EnumSet.range(DayOfWeek.TUESDAY, DayOfWeek.SUNDAY);
        Convention spring = PlatformMapping.map(PlatformConventions.convention(PlatformConventions.newId(), "ft-saint-quentin",
                "ACCEPTED_BY_VALIDATOR", LocalDate.of(2025, 3, 25), LocalDate.of(2025, 4, 6), tueSun,
                List.<String[]>of(new String[] {"02:00", "09:00"})));
        Day springNight = day(spring, LocalDate.of(2025, 3, 30));
        assertEquals("7 h as written and as the platform adds them", 7 * 60, springNight.plannedMinutes());
        assertEquals("6 h lived: 02:00 does not exist that night", 6 * 60, springNight.elapsedMinutes());
        assertEquals(84 * 60, spring.plannedMinutes());

        Convention autumn = PlatformMapping.map(PlatformConventions.convention(PlatformConventions.newId(), "cd02",
                "ACCEPTED_BY_VALIDATOR", LocalDate.of(2025, 10, 21), LocalDate.of(2025, 11, 1), tueSun,
                List.<String[]>of(new String[] {"02:00", "09:00"})));
        Day autumnNight = day(autumn, LocalDate.of(2025, 10, 26));
        assertEquals(7 * 60, autumnNight.plannedMinutes());
        assertEquals("8 h lived: 02:00-03:00 happens twice", 8 * 60, autumnNight.elapsedMinutes());
        assertEquals(77 * 60, autumn.plannedMinutes());
        assertEquals("a month end too", Map.of("2025-10", 10 * 7 * 60, "2025-11", 7 * 60),
                Schedules.plannedMinutesByMonth(autumn.days()));
    }

    @Test
    public void aDayWrittenAtParisMidnightIsTheSameDayAsOneWrittenAtUtcMidnight() {
        assertEquals(LocalDate.of(2025, 1, 27), Schedules.day("2025-01-27T00:00:00.000Z"));
        assertEquals(LocalDate.of(2025, 1, 27), Schedules.day("2025-01-26T23:00:00.000Z"));
        assertEquals(LocalDate.of(2025, 7, 14), Schedules.day("2025-07-13T22:00:00.000Z"));
        assertEquals(LocalDate.of(2025, 7, 14), Schedules.day("2025-07-14"));
        assertNull(Schedules.day("14/07/2025"));
        assertNull(Schedules.day("2025-02-30"));
    }

    @Test
    public void aLegacyTotalIsKeptAsDeclaredBesideTheSumOfTheDays() throws Exception {
        ObjectNode read = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.of(2024, 6, 3),
                LocalDate.of(2024, 6, 14));
        ((ObjectNode) read.get("schedule")).put("totalHours", 75);
        read.remove("updatedAt");
        Convention c = PlatformMapping.map(read);
        assertEquals(65 * 60, c.plannedMinutes());
        assertEquals(0, new BigDecimal("75").compareTo(c.declaredTotalHours()));
        assertNull("updatedAt is optional (conventions before March 2024)", c.partnerUpdatedAt());
    }

    @Test
    public void theAssessmentTheEmployeeAndTheAgencyReferredToAreRead() throws Exception {
        ObjectNode read = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.of(2025, 5, 5),
                LocalDate.of(2025, 5, 9));
        read.putObject("assessment").put("status", "COMPLETED").put("endedWithAJob", true)
                .put("createdAt", "2025-05-12T09:00:00.000Z");
        ((ObjectNode) read.get("signatories")).putObject("beneficiaryCurrentEmployer").put("businessSiret", "99902000300012");
        PlatformConventions.agency(read, "ft-saint-quentin");
        Convention c = PlatformMapping.map(read);
        assertEquals("COMPLETED", c.assessment().status());
        assertTrue(c.assessment().endedWithAJob());
        assertTrue(c.employee());
        assertEquals(PlatformConventions.FT_SAINT_QUENTIN, c.prescriber().agencyId());
        assertEquals("the real prescriber", PlatformConventions.CD02, c.prescriber().prescriberId());
        assertEquals("conseil-departemental", c.prescriber().prescriberKind());

        read.putObject("assessment").put("status", "FINISHED").put("createdAt", "2024-05-12T09:00:00.000Z");
        Convention legacy = PlatformMapping.map(read);
        assertEquals("FINISHED", legacy.assessment().status());
        assertNull(legacy.assessment().endedWithAJob());
    }

    @Test
    public void onlyWhatMatchingNeedsIsReadOfTheBeneficiary() throws Exception {
        Convention c = PlatformMapping.map(PlatformConventions.convention(PlatformConventions.newId(), LocalDate.of(2025, 5, 5),
                LocalDate.of(2025, 5, 9)));
        assertEquals("Marie", c.beneficiary().firstName());
        assertEquals("Durand", c.beneficiary().lastName());
        assertEquals(LocalDate.of(1990, 4, 12), c.beneficiary().birthdate());
        assertEquals(Boolean.TRUE, c.beneficiary().isRqth());
        String all = c.toString() + c.beneficiary();
        for (String planted : List.of(PlatformConventions.EMERGENCY_NAME, PlatformConventions.EMERGENCY_PHONE,
                PlatformConventions.EMERGENCY_EMAIL, PlatformConventions.BENEFICIARY_EMAIL, PlatformConventions.BENEFICIARY_PHONE,
                "Marie", "Durand", "1990-04-12", "Tuteur", "Patron")) {
            assertFalse(planted + " in " + all, all.contains(planted));
        }
    }

    @Test
    public void aConventionTheHubCannotUseIsRefusedWithTheFieldNeverTheValue() {
        ObjectNode read = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.of(2025, 5, 5),
                LocalDate.of(2025, 5, 9));
        read.put("status", "SIGNED_BY_MARIE_DURAND");
        Exception e = assertThrows(PlatformMapping.MappingException.class, () -> PlatformMapping.map(read));
        assertTrue(e.getMessage(), e.getMessage().startsWith("status: "));
        assertFalse(e.getMessage(), e.getMessage().contains("MARIE"));
        read.put("status", "IN_REVIEW");
        ((ObjectNode) read.get("schedule").get("complexSchedule").get(0).get("timePeriods").get(0)).put("start", "9h");
        e = assertThrows(PlatformMapping.MappingException.class, () -> PlatformMapping.map(read));
        assertEquals("schedule.complexSchedule[0].timePeriods[0]: start and end must be HH:mm", e.getMessage());
    }

    private static Day day(Convention c, LocalDate d) {
        return c.days().stream().filter(x -> x.date().equals(d)).findFirst().orElseThrow();
    }
}
