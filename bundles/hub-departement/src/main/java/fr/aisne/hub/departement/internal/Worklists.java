package fr.aisne.hub.departement.internal;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The follow-up the loi plein emploi sets, as worklists of persons late or at risk (issue 19, point 2):
 * <ul>
 * <li>{@code orientation}: subject to rights and duties, file not closed, not oriented, and the orientation due
 * ({@code orientation_avant}) already past (late) or within {@code days} days (due);</li>
 * <li>{@code contrat}: oriented at least {@code days} days ago, file not closed, and no contrat d'engagement
 * signed since the orientation;</li>
 * <li>{@code heures}: a contrat d'engagement signed with fewer than 15 hours a week of activity
 * ({@code cer_heures_hebdo}), or without the hours recorded.</li>
 * </ul>
 * Filtered by territory ({@code utas}) and referent ({@code referent_id}); the most overdue first.
 */
final class Worklists {
    static final int WEEKLY_HOURS = 15;

    enum Kind {
        ORIENTATION("orientation", 7), CONTRAT("contrat", 30), HEURES("heures", 0);

        final String name;
        final int defaultDays;

        Kind(String name, int defaultDays) {
            this.name = name;
            this.defaultDays = defaultDays;
        }

        static Kind of(String name) {
            for (Kind k : values()) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One person in a worklist: why, since when, and how late (negative: days left). */
    record Entry(String personId, String territory, String referent, String status, LocalDate reference,
            long daysLate, Map<String, Object> facts) {
    }

    private Worklists() {
    }

    static List<Entry> of(Kind kind, Collection<PersonFile> files, LocalDate today, int days, String territory,
            String referent) {
        List<Entry> out = new ArrayList<>();
        for (PersonFile f : files) {
            if ((territory != null && !territory.equals(f.territory))
                    || (referent != null && !referent.equals(f.referent))) {
                continue;
            }
            Entry e = switch (kind) {
                case ORIENTATION -> orientation(f, today, days);
                case CONTRAT -> contract(f, today, days);
                case HEURES -> hours(f);
            };
            if (e != null) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(Entry::daysLate).reversed().thenComparing(Entry::personId));
        return out;
    }

    private static Entry orientation(PersonFile f, LocalDate today, int days) {
        if (!f.followed() || f.oriented != null || f.orientationDue.isAfter(today.plusDays(days))) {
            return null;
        }
        long late = ChronoUnit.DAYS.between(f.orientationDue, today);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("droits_ouverts_le", f.opened.toString());
        facts.put("orientation_avant", f.orientationDue.toString());
        return new Entry(f.personId, f.territory, f.referent, late > 0 ? "en retard" : "à échéance", f.orientationDue,
                late, facts);
    }

    private static Entry contract(PersonFile f, LocalDate today, int days) {
        if (f.closed || f.oriented == null || (f.cerSigned != null && !f.cerSigned.isBefore(f.oriented))) {
            return null;
        }
        LocalDate due = f.oriented.plusDays(days);
        if (due.isAfter(today)) {
            return null;
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("orientation_date", f.oriented.toString());
        facts.put("orientation_parcours", f.parcours);
        facts.put("cer_attendu_le", due.toString());
        return new Entry(f.personId, f.territory, f.referent, "contrat d'engagement manquant", due,
                ChronoUnit.DAYS.between(due, today), facts);
    }

    private static Entry hours(PersonFile f) {
        if (f.closed || f.cerSigned == null || (f.cerHours != null && f.cerHours >= WEEKLY_HOURS)) {
            return null;
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("cer_date_signature", f.cerSigned.toString());
        facts.put("cer_heures_hebdo", f.cerHours);
        return new Entry(f.personId, f.territory, f.referent, f.cerHours == null ? "heures non renseignées"
                : "moins de " + WEEKLY_HOURS + " heures par semaine", f.cerSigned,
                f.cerHours == null ? WEEKLY_HOURS : WEEKLY_HOURS - f.cerHours, facts);
    }
}
