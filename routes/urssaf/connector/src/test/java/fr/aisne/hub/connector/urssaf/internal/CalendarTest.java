package fr.aisne.hub.connector.urssaf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.junit.Test;

/** The public-holiday calendar and the accident declaration's 48 hours. */
public class CalendarTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    public void easterSundaysOfKnownYears() {
        assertEquals(LocalDate.parse("2024-03-31"), PublicHolidays.easterSunday(2024));
        assertEquals(LocalDate.parse("2025-04-20"), PublicHolidays.easterSunday(2025));
        assertEquals(LocalDate.parse("2026-04-05"), PublicHolidays.easterSunday(2026));
        assertEquals(LocalDate.parse("2027-03-28"), PublicHolidays.easterSunday(2027));
        assertEquals(LocalDate.parse("2038-04-25"), PublicHolidays.easterSunday(2038)); // the latest possible date
        assertEquals(LocalDate.parse("2285-03-22"), PublicHolidays.easterSunday(2285)); // the earliest possible date
    }

    @Test
    public void theElevenHolidaysOf2025() {
        assertEquals("[2025-01-01, 2025-04-21, 2025-05-01, 2025-05-08, 2025-05-29, 2025-06-09, 2025-07-14, 2025-08-15, "
                + "2025-11-01, 2025-11-11, 2025-12-25]", PublicHolidays.of(2025).toString());
        assertTrue(PublicHolidays.isHoliday(LocalDate.parse("2026-05-14"))); // Ascension 2026
        assertTrue(PublicHolidays.isHoliday(LocalDate.parse("2026-05-25"))); // Whit Monday 2026
        assertFalse(PublicHolidays.isHoliday(LocalDate.parse("2026-04-03"))); // Good Friday: only in Alsace-Moselle
        assertFalse(PublicHolidays.isHoliday(LocalDate.parse("2026-12-26"))); // idem
        assertTrue(PublicHolidays.notCounted(LocalDate.parse("2026-12-06"))); // a Sunday
    }

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    static String deadline(String learned) {
        return AccidentDeadline.deadline(paris(learned), PARIS).atZone(PARIS).toLocalDateTime().toString();
    }

    @Test
    public void fortyEightHoursOnOrdinaryDays() {
        assertEquals("2026-12-03T10:00", deadline("2026-12-01T10:00")); // Tuesday -> Thursday
    }

    @Test
    public void aSundayIsNotCounted() {
        // Friday 10:00: Friday 14 h + Saturday 24 h = 38 h, Sunday skipped, Monday 10 h -> Monday 10:00
        assertEquals("2026-12-07T10:00", deadline("2026-12-04T10:00"));
        // learned on a Sunday: the count starts on Monday at midnight
        assertEquals("2026-12-09T00:00", deadline("2026-12-06T15:00"));
    }

    @Test
    public void easterBasedAndFixedHolidaysAreNotCounted() {
        // Saturday 2026-04-04 09:00: Saturday 15 h, Easter Sunday and Easter Monday skipped, Tuesday 24 h, Wednesday 9 h
        assertEquals("2026-04-08T09:00", deadline("2026-04-04T09:00"));
        // Wednesday 2026-05-13 18:00 before Ascension (Thursday 14th): Wed 6 h, Thu skipped, Fri 24 h, Sat 18 h
        assertEquals("2026-05-16T18:00", deadline("2026-05-13T18:00"));
        // Christmas Eve 2026 (Thursday) 12:00: Thu 12 h, Fri 25th skipped, Sat 24 h, Sun skipped, Mon 12 h
        assertEquals("2026-12-28T12:00", deadline("2026-12-24T12:00"));
    }

    @Test
    public void theClockChangesFallOnSundaysSoTheyNeverCount() {
        // Saturday 2026-03-28 12:00: Saturday 12 h, Sunday 29 (the spring change, and a Sunday) skipped, Monday 24 h,
        // Tuesday 12 h
        assertEquals("2026-03-31T12:00", deadline("2026-03-28T12:00"));
        // the autumn change is on Sunday 2026-10-25: learned Friday 23rd 12:00 -> Fri 12 h, Sat 24 h, Sun skipped, Mon 12 h
        assertEquals("2026-10-26T12:00", deadline("2026-10-23T12:00"));
    }
}
