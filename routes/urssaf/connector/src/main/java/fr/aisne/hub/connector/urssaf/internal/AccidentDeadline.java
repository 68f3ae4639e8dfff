package fr.aisne.hub.connector.urssaf.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The deadline of an accident declaration to the CPAM: 48 hours from when the department (the prescriber, the
 * PMSMP's "employer" for the AT/MP risk) learned of the accident, Sundays and public holidays not counted
 * (article R441-3 of the Code de la sécurité sociale). The hours are counted in real elapsed time, day by day in the
 * given zone (Europe/Paris): the time of a Sunday or a public holiday, from its midnight to the next, is skipped; the
 * other days count for the time actually lived (23 h on the spring change day, 25 h on the autumn one).
 */
public final class AccidentDeadline {
    public static final Duration DELAY = Duration.ofHours(48);

    private AccidentDeadline() {
    }

    public static Instant deadline(Instant learnedAt, ZoneId zone) {
        return deadline(learnedAt, zone, DELAY);
    }

    static Instant deadline(Instant learnedAt, ZoneId zone, Duration delay) {
        ZonedDateTime t = learnedAt.atZone(zone);
        Duration remaining = delay;
        // at most a year of days: the loop always ends (there are never more than a few days off in a row)
        for (int guard = 0; guard < 366; guard++) {
            LocalDate day = t.toLocalDate();
            ZonedDateTime nextMidnight = day.plusDays(1).atStartOfDay(zone);
            if (PublicHolidays.notCounted(day)) {
                t = nextMidnight;
                continue;
            }
            Duration left = Duration.between(t, nextMidnight);
            if (left.compareTo(remaining) >= 0) {
                return t.plus(remaining).toInstant();
            }
            remaining = remaining.minus(left);
            t = nextMidnight;
        }
        throw new IllegalStateException("no deadline within a year");
    }
}
