package fr.aisne.hub.connector.urssaf.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Set;
import java.util.TreeSet;

/**
 * The French public holidays (jours fériés, article L3133-1 of the Code du travail) of metropolitan France outside
 * Alsace-Moselle, which is the Aisne's: eight fixed dates and three that follow Easter (Easter Monday, Ascension
 * Thursday, Whit Monday), Easter being computed with the Gregorian computus (anonymous algorithm, Meeus/Jones/Butcher).
 */
public final class PublicHolidays {
    private static final Set<MonthDay> FIXED = Set.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(5, 8),
            MonthDay.of(7, 14), MonthDay.of(8, 15), MonthDay.of(11, 1), MonthDay.of(11, 11), MonthDay.of(12, 25));

    private PublicHolidays() {
    }

    /** Easter Sunday of {@code year} (Gregorian calendar, 1583 onwards). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    /** The eleven public holidays of {@code year}, in order. */
    public static Set<LocalDate> of(int year) {
        Set<LocalDate> days = new TreeSet<>();
        for (MonthDay md : FIXED) {
            days.add(md.atYear(year));
        }
        LocalDate easter = easterSunday(year);
        days.add(easter.plusDays(1));   // lundi de Pâques
        days.add(easter.plusDays(39));  // Ascension
        days.add(easter.plusDays(50));  // lundi de Pentecôte
        return days;
    }

    public static boolean isHoliday(LocalDate date) {
        if (FIXED.contains(MonthDay.from(date))) {
            return true;
        }
        LocalDate easter = easterSunday(date.getYear());
        return date.equals(easter.plusDays(1)) || date.equals(easter.plusDays(39)) || date.equals(easter.plusDays(50));
    }

    /** A day that does not count towards the accident declaration's 48 hours: a Sunday or a public holiday. */
    public static boolean notCounted(LocalDate date) {
        return date.getDayOfWeek() == DayOfWeek.SUNDAY || isHoliday(date);
    }
}
