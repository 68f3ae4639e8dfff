package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Day;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Period;

/**
 * Dates and hours of a convention. The platform writes a day as an ISO instant at UTC midnight
 * ({@code 2025-01-27T00:00:00.000Z}); a day is read as the Paris calendar day of that instant, so that an instant at
 * Paris midnight ({@code 2025-01-26T23:00:00.000Z}) gives the same day. Hours are wall-clock hours, as the platform
 * adds them ({@code 02:00-09:00} is 7 h whatever the clocks do that night); the hours as lived in Europe/Paris are
 * kept beside them.
 */
final class Schedules {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    private Schedules() {
    }

    /** A day written as {@code yyyy-MM-dd} or as an ISO instant; null when it is neither. */
    static LocalDate day(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        try {
            if (DATE.matcher(t).matches()) {
                return LocalDate.parse(t);
            }
            if (t.length() > 10 && DATE.matcher(t.substring(0, 10)).matches() && t.charAt(10) == 'T') {
                return Instant.parse(t).atZone(PARIS).toLocalDate();
            }
        } catch (DateTimeException e) {
            return null;
        }
        return null;
    }

    /** An ISO instant, or null. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeException e) {
            LocalDate d = day(text);
            return d == null ? null : d.atStartOfDay(PARIS).toInstant();
        }
    }

    /** {@code HH:mm}, or null. */
    static LocalTime time(String text) {
        if (text == null || !TIME.matcher(text.trim()).matches()) {
            return null;
        }
        return LocalTime.parse(text.trim());
    }

    /**
     * Wall-clock minutes of a period, as the platform counts them. A period that ends at or before its start runs
     * past midnight (the platform refuses those; a department's entry too, but a read is never refused for it).
     */
    static int wallClockMinutes(Period p) {
        long m = ChronoUnit.MINUTES.between(p.start(), p.end());
        return (int) (m <= 0 ? m + 24 * 60 : m);
    }

    /** Minutes of a period of {@code day} as lived in Europe/Paris (the clock changes included). */
    static int elapsedMinutes(LocalDate day, Period p) {
        ZonedDateTime start = ZonedDateTime.of(day, p.start(), PARIS);
        LocalDate endDay = p.end().isAfter(p.start()) ? day : day.plusDays(1);
        ZonedDateTime end = ZonedDateTime.of(endDay, p.end(), PARIS);
        return (int) Duration.between(start, end).toMinutes();
    }

    /** A day with its periods (sorted by start), planned and elapsed minutes, and what was done when known. */
    static Day dayOf(LocalDate date, List<Period> periods, Integer doneMinutes) {
        List<Period> sorted = new ArrayList<>(periods);
        sorted.sort((a, b) -> a.start().compareTo(b.start()));
        int planned = 0;
        int elapsed = 0;
        for (Period p : sorted) {
            planned += wallClockMinutes(p);
            elapsed += elapsedMinutes(date, p);
        }
        return new Day(date, sorted, planned, elapsed, doneMinutes);
    }

    /**
     * Every calendar day from {@code start} to {@code end} (and any given day outside them), days not given being days
     * off; periods given twice for one day (the same day written at UTC and at Paris midnight) are merged.
     */
    static List<Day> fill(LocalDate start, LocalDate end, Map<LocalDate, List<Period>> given, Map<LocalDate, Integer> done) {
        TreeMap<LocalDate, List<Period>> all = new TreeMap<>(given);
        if (start != null && end != null && !end.isBefore(start)) {
            for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
                all.putIfAbsent(d, List.of());
            }
        }
        List<Day> days = new ArrayList<>(all.size());
        all.forEach((d, periods) -> days.add(dayOf(d, periods, done.get(d))));
        return days;
    }

    /** Minutes per calendar month ({@code yyyy-MM}), the planned minutes of each day counted in its own month. */
    static Map<String, Integer> plannedMinutesByMonth(List<Day> days) {
        Map<String, Integer> out = new TreeMap<>();
        for (Day d : days) {
            if (d.plannedMinutes() > 0) {
                out.merge(d.date().toString().substring(0, 7), d.plannedMinutes(), Integer::sum);
            }
        }
        return out;
    }

    /** Hours with two decimals. */
    static java.math.BigDecimal hours(int minutes) {
        return java.math.BigDecimal.valueOf(minutes).divide(java.math.BigDecimal.valueOf(60), 2,
                java.math.RoundingMode.HALF_UP);
    }
}
