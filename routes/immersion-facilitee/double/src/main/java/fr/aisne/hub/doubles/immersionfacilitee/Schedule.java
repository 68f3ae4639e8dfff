package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A convention's schedule as the platform keeps it: one entry per calendar day from the first to the last day
 * (days off have no time period), each day a list of {@code HH:mm} periods. Hours are wall-clock hours, the
 * difference of the two times as written (a 02:00-09:00 period is 7 h on the night clocks change, whatever the
 * elapsed time), which is how the platform adds them up.
 */
final class Schedule {
    /** A time period of one day; {@code end} after {@code start}. */
    record Period(LocalTime start, LocalTime end) {
        Period {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("a time period must end after it starts (" + start + "-" + end + ")");
            }
        }

        long minutes() {
            return ChronoUnit.MINUTES.between(start, end);
        }

        static Period of(String start, String end) {
            return new Period(time(start), time(end));
        }
    }

    /** The most calendar days between the first and the last day (the platform: 30 for an immersion). */
    static final int MAX_CALENDAR_DAYS = 30;
    /** The most hours in one week (Monday to Sunday). */
    static final int MAX_WEEKLY_HOURS = 48;

    private final LocalDate start;
    private final LocalDate end;
    private final Map<LocalDate, List<Period>> days;
    private final boolean simple;
    private final Double declaredTotalHours;

    private Schedule(LocalDate start, LocalDate end, Map<LocalDate, List<Period>> days, boolean simple,
            Double declaredTotalHours) {
        this.start = start;
        this.end = end;
        this.days = days;
        this.simple = simple;
        this.declaredTotalHours = declaredTotalHours;
    }

    /** The same periods on each of {@code weekdays} from {@code start} to {@code end} (a "simple" schedule). */
    static Schedule weekly(LocalDate start, LocalDate end, Set<DayOfWeek> weekdays, List<Period> periods) {
        Map<LocalDate, List<Period>> days = new LinkedHashMap<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            days.put(d, weekdays.contains(d.getDayOfWeek()) ? List.copyOf(periods) : List.of());
        }
        return checked(new Schedule(start, end, days, true, null));
    }

    /** Periods given day by day ({@code start}..{@code end}; a day not in {@code given} is a day off). */
    static Schedule daily(LocalDate start, LocalDate end, Map<LocalDate, List<Period>> given) {
        Map<LocalDate, List<Period>> days = new LinkedHashMap<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            days.put(d, List.copyOf(given.getOrDefault(d, List.of())));
        }
        for (LocalDate d : given.keySet()) {
            if (d.isBefore(start) || d.isAfter(end)) {
                throw new IllegalArgumentException("day " + d + " is outside dateStart..dateEnd");
            }
        }
        return checked(new Schedule(start, end, days, false, null));
    }

    /**
     * This schedule with a {@code totalHours} that is not the sum of its days, as the platform let through for
     * conventions ending before 2024-09-01 (it only checks the total since); refused for a later end.
     */
    Schedule withLegacyTotalHours(double totalHours) {
        if (!end.isBefore(LocalDate.of(2024, 9, 1))) {
            throw new IllegalArgumentException("a totalHours other than the sum of the days is only possible for a "
                    + "convention ending before 2024-09-01");
        }
        return new Schedule(start, end, days, simple, totalHours);
    }

    private static Schedule checked(Schedule s) {
        if (s.end.isBefore(s.start)) {
            throw new IllegalArgumentException("dateEnd is before dateStart");
        }
        if (ChronoUnit.DAYS.between(s.start, s.end) > MAX_CALENDAR_DAYS) {
            throw new IllegalArgumentException("at most " + MAX_CALENDAR_DAYS + " calendar days between dateStart and dateEnd");
        }
        Map<Long, Long> weekMinutes = new LinkedHashMap<>();
        for (Map.Entry<LocalDate, List<Period>> e : s.days.entrySet()) {
            List<Period> sorted = new ArrayList<>(e.getValue());
            sorted.sort((a, b) -> a.start().compareTo(b.start()));
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i).start().isBefore(sorted.get(i - 1).end())) {
                    throw new IllegalArgumentException("overlapping time periods on " + e.getKey());
                }
            }
            long week = e.getKey().get(IsoFields.WEEK_BASED_YEAR) * 100L + e.getKey().get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            weekMinutes.merge(week, minutes(e.getValue()), Long::sum);
        }
        for (long m : weekMinutes.values()) {
            if (m > MAX_WEEKLY_HOURS * 60L) {
                throw new IllegalArgumentException("more than " + MAX_WEEKLY_HOURS + " hours in one week");
            }
        }
        if (s.workedDays() == 0) {
            throw new IllegalArgumentException("the schedule has no worked day");
        }
        return s;
    }

    private static long minutes(List<Period> periods) {
        long m = 0;
        for (Period p : periods) {
            m += p.minutes();
        }
        return m;
    }

    LocalDate start() {
        return start;
    }

    LocalDate end() {
        return end;
    }

    /** Every day from start to end with its periods (empty on days off). */
    Map<LocalDate, List<Period>> days() {
        return Collections.unmodifiableMap(days);
    }

    int workedDays() {
        int n = 0;
        for (List<Period> p : days.values()) {
            if (!p.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** The sum of the days, in hours (wall clock). */
    double sumOfDays() {
        long m = 0;
        for (List<Period> p : days.values()) {
            m += minutes(p);
        }
        return m / 60.0;
    }

    /** What {@code schedule.totalHours} says: the sum of the days, or a legacy figure. */
    double totalHours() {
        return declaredTotalHours != null ? declaredTotalHours : sumOfDays();
    }

    boolean simple() {
        return simple;
    }

    /** The {@code schedule} object of the convention read. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalHours", number(totalHours()));
        m.put("workedDays", workedDays());
        m.put("isSimple", simple);
        List<Object> complex = new ArrayList<>();
        for (Map.Entry<LocalDate, List<Period>> e : days.entrySet()) {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", Convention.utcMidnight(e.getKey()));
            List<Object> periods = new ArrayList<>();
            for (Period p : e.getValue()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("start", p.start().toString());
                pm.put("end", p.end().toString());
                periods.add(pm);
            }
            day.put("timePeriods", periods);
            complex.add(day);
        }
        m.put("complexSchedule", complex);
        return m;
    }

    /** An integral number of hours is written as an integer, as JavaScript writes numbers. */
    static Number number(double hours) {
        return hours == Math.rint(hours) && Math.abs(hours) < 1e9 ? (Number) Long.valueOf((long) hours) : (Number) hours;
    }

    static LocalTime time(String hhmm) {
        if (hhmm == null || !hhmm.matches("([01]\\d|2[0-3]):[0-5]\\d")) {
            throw new IllegalArgumentException("a time HH:mm is expected, got " + (hhmm == null ? "nothing" : "'" + hhmm + "'"));
        }
        try {
            return LocalTime.parse(hhmm);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a time HH:mm is expected");
        }
    }
}
