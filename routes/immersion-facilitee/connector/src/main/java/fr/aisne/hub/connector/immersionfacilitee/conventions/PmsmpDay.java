package fr.aisne.hub.connector.immersionfacilitee.conventions;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One calendar day of a convention.
 *
 * @param plannedHours wall-clock hours of the day's periods, as the platform adds them (a 02:00-09:00 period is 7 h,
 *                     also on the nights the clocks change)
 * @param elapsedHours the same periods as lived in Europe/Paris (6 h on the spring night, 8 h on the autumn one)
 * @param doneHours hours actually done that day, when the department entered them; null when unknown
 * @param periods the day's periods as {@code HH:mm-HH:mm}, comma separated (empty on a day off)
 */
public record PmsmpDay(LocalDate date, BigDecimal plannedHours, BigDecimal elapsedHours, BigDecimal doneHours,
        String periods) {
}
