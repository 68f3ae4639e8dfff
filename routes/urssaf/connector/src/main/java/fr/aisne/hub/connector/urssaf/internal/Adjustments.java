package fr.aisne.hub.connector.urssaf.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import fr.aisne.hub.connector.urssaf.internal.Computation.DayLine;
import fr.aisne.hub.connector.urssaf.internal.Computation.Excluded;
import fr.aisne.hub.connector.urssaf.internal.Computation.Result;

/**
 * Corrections of a month already closed: what it would count now minus what was declared for it (its own lines and
 * the adjustments already declared in later months), day by day and convention by convention. Nothing declared is
 * changed: the difference becomes adjustment days in the month being closed, naming the original month and the
 * convention.
 */
public final class Adjustments {

    /** One day's correction: {@code hours} is the difference (negative when less is due now). */
    public record AdjustmentDay(YearMonth origin, DayLine day, String reason) {
    }

    /** One adjustment line of the declaration: one original month, one convention, one CTP and rate. */
    public record AdjustmentLine(YearMonth origin, String conventionKey, String reference, String ctp, BigDecimal rate,
            BigDecimal hours, BigDecimal amount, String reason) {
    }

    private Adjustments() {
    }

    /**
     * The corrections of {@code origin}: {@code declared} are the days declared so far for it (original lines and
     * earlier adjustments, several rows of one day summed), {@code now} its computation today.
     */
    public static List<AdjustmentDay> between(YearMonth origin, List<DayLine> declared, Result now) {
        Map<String, DayLine> before = sum(declared);
        Map<String, DayLine> after = sum(now.days());
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Excluded e : now.excluded()) {
            reasons.put(e.conventionKey(), e.reason());
        }
        for (Excluded e : now.pending()) {
            reasons.put(e.conventionKey(), e.reason());
        }
        List<AdjustmentDay> out = new ArrayList<>();
        Map<String, DayLine> keys = new TreeMap<>(before);
        after.forEach(keys::putIfAbsent);
        for (Map.Entry<String, DayLine> k : keys.entrySet()) {
            DayLine b = before.get(k.getKey());
            DayLine a = after.get(k.getKey());
            BigDecimal delta = (a == null ? BigDecimal.ZERO : a.hours()).subtract(b == null ? BigDecimal.ZERO : b.hours());
            if (delta.signum() == 0) {
                continue;
            }
            DayLine ref = a != null ? a : b;
            String reason = a == null ? reasons.getOrDefault(ref.conventionKey(), "plus de jour d'immersion ce jour-là")
                    : b == null ? "jour ajouté après la clôture" : "heures modifiées après la clôture";
            out.add(new AdjustmentDay(origin, new DayLine(ref.conventionKey(), ref.source(), ref.reference(), ref.personId(),
                    ref.hostSiret(), ref.day(), delta, ref.rate(), ref.ctp(), ref.version()), reason));
        }
        out.sort(Comparator.comparing((AdjustmentDay d) -> d.day().conventionKey()).thenComparing(d -> d.day().day()));
        return out;
    }

    /** The declaration's adjustment lines: per original month, convention, CTP and rate; each amount rounded once. */
    public static List<AdjustmentLine> lines(List<AdjustmentDay> days) {
        Map<String, List<AdjustmentDay>> groups = new TreeMap<>();
        for (AdjustmentDay d : days) {
            groups.computeIfAbsent(d.origin() + "|" + d.day().conventionKey() + "|" + d.day().ctp() + "|"
                    + d.day().rate().toPlainString(), k -> new ArrayList<>()).add(d);
        }
        List<AdjustmentLine> out = new ArrayList<>();
        for (List<AdjustmentDay> g : groups.values()) {
            AdjustmentDay f = g.get(0);
            BigDecimal hours = g.stream().map(d -> d.day().hours()).reduce(BigDecimal.ZERO, BigDecimal::add);
            out.add(new AdjustmentLine(f.origin(), f.day().conventionKey(), f.day().reference(), f.day().ctp(),
                    f.day().rate(), hours, Computation.amount(hours, f.day().rate()), f.reason()));
        }
        return List.copyOf(out);
    }

    private static Map<String, DayLine> sum(List<DayLine> days) {
        Map<String, DayLine> out = new LinkedHashMap<>();
        for (DayLine d : days) {
            String k = key(d.conventionKey(), d.day());
            DayLine prev = out.get(k);
            out.put(k, prev == null ? d : new DayLine(d.conventionKey(), d.source(), d.reference(), d.personId(),
                    d.hostSiret(), d.day(), prev.hours().add(d.hours()), d.rate(), d.ctp(), d.version()));
        }
        return out;
    }

    private static String key(String conventionKey, LocalDate day) {
        return conventionKey + "|" + day;
    }
}
