package fr.aisne.hub.connector.urssaf.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpDay;

/**
 * The AT/MP computation of one month, day by day, pure (no storage, no clock).
 * <ul>
 * <li>Counted: a convention validated ({@code ACCEPTED_BY_VALIDATOR}) and still the department's; not an ESAT user;
 * an employee only when an operator decided to count it (otherwise it waits, listed in {@link Result#pending()}).</li>
 * <li>Hours: each calendar day of the month within the convention, from its schedule. {@link Basis#PLANNED}: the
 * day's planned hours, wall-clock (a 02:00-09:00 night is 7 h also on the nights the clocks change). {@link Basis#DONE}:
 * the hours done that day where the department entered them, else the planned ones; none for a beneficiary who did
 * not show (assessment DID_NOT_SHOW).</li>
 * <li>Rate and CTP: those in force on the day ({@link Tariff}); a month across a change has one line per rate.</li>
 * <li>Rounding: the amount of each line (CTP, rate) of the month is hours x rate rounded to the cent, half up, once per
 * month and line; hours are never rounded. Adjustment lines are rounded the same way, each on its own.</li>
 * </ul>
 */
public final class Computation {
    /** Which hours are declared (setting {@code basis}). */
    public enum Basis { PLANNED, DONE }

    /** An operator's decision for a convention whose beneficiary is an employee. */
    public enum Decision { COUNT, EXCLUDE }

    /** One day of one convention: what the evidence lists. */
    public record DayLine(String conventionKey, String source, String reference, String personId, String hostSiret,
            LocalDate day, BigDecimal hours, BigDecimal rate, String ctp, int version) {
    }

    /** A convention left out of the month, and why (French, for operators). */
    public record Excluded(String conventionKey, String reference, String reason) {
    }

    /** One line of the declaration: hours and amount for one CTP and rate. */
    public record RateLine(String ctp, BigDecimal rate, BigDecimal hours, BigDecimal amount) {
    }

    /** The month's figures. */
    public record Result(YearMonth month, List<DayLine> days, List<RateLine> lines, List<Excluded> excluded,
            List<Excluded> pending) {
        public BigDecimal hours() {
            return lines.stream().map(RateLine::hours).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public BigDecimal amount() {
            return lines.stream().map(RateLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    private Computation() {
    }

    /** The amount of {@code hours} at {@code rate}, rounded to the cent, half up. */
    public static BigDecimal amount(BigDecimal hours, BigDecimal rate) {
        return hours.multiply(rate).setScale(2, RoundingMode.HALF_UP);
    }

    /**
     * The month's figures from the conventions that have days in it ({@code conventions} may hold others: their days
     * outside the month are not counted).
     *
     * @throws IllegalStateException when a counted day has no tariff in force (the settings must be completed)
     */
    public static Result compute(YearMonth month, List<PmsmpConvention> conventions, Basis basis, List<Tariff> tariffs,
            Map<String, Decision> decisions) {
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        List<DayLine> days = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        List<Excluded> pending = new ArrayList<>();
        for (PmsmpConvention c : conventions) {
            if (c.dateEnd().isBefore(first) || c.dateStart().isAfter(last)) {
                continue;
            }
            String why = exclusion(c, decisions.get(c.key()));
            if (why != null) {
                (why.equals(PENDING) ? pending : excluded).add(new Excluded(c.key(), c.reference(), why));
                continue;
            }
            for (PmsmpDay d : c.days()) {
                if (d.date().isBefore(first) || d.date().isAfter(last)) {
                    continue;
                }
                BigDecimal h = hours(c, d, basis);
                if (h.signum() <= 0) {
                    continue;
                }
                Tariff t = Tariff.on(tariffs, d.date()).orElseThrow(() -> new IllegalStateException(
                        "aucun taux en vigueur le " + d.date() + " (réglage tariffs)"));
                days.add(new DayLine(c.key(), c.source(), c.reference(), c.personId(), c.hostSiret(), d.date(), h,
                        t.ratePerHour(), t.ctp(), c.version()));
            }
        }
        days.sort(Comparator.comparing(DayLine::conventionKey).thenComparing(DayLine::day));
        return new Result(month, List.copyOf(days), lines(days), List.copyOf(excluded), List.copyOf(pending));
    }

    static final String PENDING = "salarié : décision d'un opérateur attendue";

    /** Why a convention is not counted, or null when it is. */
    static String exclusion(PmsmpConvention c, Decision decision) {
        if (!c.inDepartment()) {
            return "n'est plus une convention du département"
                    + (c.removedReason() == null ? "" : " (" + c.removedReason() + ")");
        }
        if (PmsmpConvention.WITHOUT_IMMERSION.contains(c.status())) {
            return "statut " + c.status();
        }
        if (!PmsmpConvention.VALIDATED.equals(c.status())) {
            return "pas encore validée (statut " + c.status() + ")";
        }
        if (Boolean.TRUE.equals(c.esat())) {
            return "usager d'ESAT : couvert par l'ESAT";
        }
        if (c.employee()) {
            if (decision == null) {
                return PENDING;
            }
            if (decision == Decision.EXCLUDE) {
                return "salarié couvert par son employeur (décision d'un opérateur)";
            }
        }
        return null;
    }

    static BigDecimal hours(PmsmpConvention c, PmsmpDay d, Basis basis) {
        BigDecimal planned = d.plannedHours() == null ? BigDecimal.ZERO : d.plannedHours();
        if (basis == Basis.PLANNED) {
            return planned;
        }
        if ("DID_NOT_SHOW".equals(c.assessmentStatus())) {
            return BigDecimal.ZERO;
        }
        return d.doneHours() != null ? d.doneHours() : planned;
    }

    /** One line per (CTP, rate), in order of CTP then rate, each amount rounded once. */
    static List<RateLine> lines(List<DayLine> days) {
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        Map<String, DayLine> keys = new LinkedHashMap<>();
        for (DayLine d : days) {
            String k = d.ctp() + "|" + d.rate().toPlainString();
            sums.computeIfAbsent(k, x -> new BigDecimal[] {BigDecimal.ZERO})[0] =
                    sums.get(k)[0].add(d.hours());
            keys.putIfAbsent(k, d);
        }
        List<RateLine> out = new ArrayList<>();
        sums.forEach((k, h) -> {
            DayLine d = keys.get(k);
            out.add(new RateLine(d.ctp(), d.rate(), h[0], amount(h[0], d.rate())));
        });
        return List.copyOf(out);
    }
}
