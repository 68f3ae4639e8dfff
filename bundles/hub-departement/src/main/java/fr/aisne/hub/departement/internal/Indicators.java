package fr.aisne.hub.departement.internal;

import static fr.aisne.hub.departement.internal.Vocabulary.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import fr.aisne.hub.registry.DepartmentEvent;

/**
 * The indicators the department reports (issue 19, point 3), computed from the department event feed (each event
 * names the journal exchange it came from) and the registry's retained values, never typed by hand: per period (a
 * calendar year, or one of its months) and per territory (UTAS). Each definition, with the seed text it answers, is
 * in docs/INDICATORS.md; the names here are the ones documented there.
 */
final class Indicators {
    /** All territories together. */
    static final String ALL = "Aisne";

    /** A period: [start, end). */
    record Period(int year, Integer month, LocalDate start, LocalDate end) {
        static Period of(int year, Integer month) {
            LocalDate start = month == null ? LocalDate.of(year, 1, 1) : LocalDate.of(year, month, 1);
            return new Period(year, month, start, month == null ? start.plusYears(1) : start.plusMonths(1));
        }

        boolean contains(LocalDate d) {
            return d != null && !d.isBefore(start) && d.isBefore(end);
        }
    }

    /** The figures of every territory asked (ALL first), and the notes saying where data is missing. */
    record Result(Period period, Map<String, Map<String, Object>> territories, List<String> notes) {
    }

    private Indicators() {
    }

    static Result compute(List<DepartmentEvent> events, Map<String, PersonFile> files, Period period, String territory,
            ZoneId zone) {
        TreeSet<String> names = new TreeSet<>();
        files.values().forEach(f -> names.add(f.territory));
        List<String> asked = new ArrayList<>();
        if (territory == null) {
            asked.add(ALL);
            asked.addAll(names);
        } else {
            asked.add(territory);
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String t : asked) {
            Predicate<String> inTerritory = ALL.equals(t) ? p -> true
                    : p -> t.equals(p == null || files.get(p) == null ? NO_TERRITORY : files.get(p).territory);
            out.put(t, territory(events, files, period, inTerritory, zone));
        }
        return new Result(period, out, notes(events));
    }

    private static Map<String, Object> territory(List<DepartmentEvent> events, Map<String, PersonFile> files,
            Period period, Predicate<String> inTerritory, ZoneId zone) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<PersonFile> mine = files.values().stream().filter(f -> inTerritory.test(f.personId)).toList();

        // Orientation within a month of the opening of rights
        List<PersonFile> cohort = mine.stream().filter(f -> period.contains(f.opened)).toList();
        List<Long> delays = cohort.stream().map(PersonFile::orientationDelayDays).filter(d -> d != null).sorted().toList();
        long inTime = cohort.stream().filter(PersonFile::orientedInTime).count();
        m.put("entrees_droits_devoirs", cohort.size());
        m.put("orientes_cohorte", delays.size());
        m.put("delai_orientation_median_jours", median(delays));
        m.put("orientes_dans_le_mois", inTime);
        m.put("part_orientes_dans_le_mois", share(inTime, cohort.size()));

        // Contrat d'engagement signed after the orientations of the period
        List<PersonFile> oriented = mine.stream().filter(f -> period.contains(f.oriented)).toList();
        long withCer = oriented.stream().filter(f -> f.cerSigned != null && !f.cerSigned.isBefore(f.oriented)).count();
        m.put("orientes_periode", oriented.size());
        m.put("orientes_periode_avec_cer", withCer);
        m.put("part_cer_signe", share(withCer, oriented.size()));

        // Orientations decided in the period, by type (parcours) and organisation type
        Map<String, Integer> byParcours = new TreeMap<>();
        Map<String, Integer> byOrganisme = new TreeMap<>();
        java.util.Set<String> withEvent = new java.util.HashSet<>();
        for (DepartmentEvent e : events) {
            if (ORIENTATION_DECIDED.equals(e.type()) && e.personId() != null) {
                withEvent.add(e.personId());
                if (inTerritory.test(e.personId()) && period.contains(day(e, "date", zone))) {
                    byParcours.merge(label(e.details().get("parcours")), 1, Integer::sum);
                    byOrganisme.merge(label(e.details().get("organisme_type")), 1, Integer::sum);
                }
            }
        }
        for (PersonFile f : mine) {
            if (!withEvent.contains(f.personId) && period.contains(f.oriented)) {
                byParcours.merge(label(f.parcours), 1, Integer::sum);
                byOrganisme.merge(label(f.organismeType), 1, Integer::sum);
            }
        }
        m.put("orientations", byParcours.values().stream().mapToInt(Integer::intValue).sum());
        m.put("orientations_par_parcours", byParcours);
        m.put("orientations_par_organisme", byOrganisme);

        // France Travail registrations (France Travail's ft_date_inscription, read back by its connector)
        m.put("inscriptions_france_travail", mine.stream().filter(f -> period.contains(f.ftRegistered)).count());

        // Immersions (PMSMP): validated conventions starting in the period, not cancelled since
        Map<String, DepartmentEvent> conventions = new LinkedHashMap<>();
        Map<String, DepartmentEvent> assessments = new HashMap<>();
        for (DepartmentEvent e : events) {
            String convention = e.details().get("convention");
            if (convention == null || !inTerritory.test(e.personId())) {
                continue;
            }
            if (IMMERSION_VALIDATED.equals(e.type()) || IMMERSION_CANCELLED.equals(e.type())) {
                conventions.put(convention, e);
            } else if (IMMERSION_ASSESSMENT.equals(e.type())) {
                assessments.put(convention, e);
            }
        }
        int immersions = 0;
        BigDecimal hours = BigDecimal.ZERO;
        Map<String, Integer> bySector = new TreeMap<>();
        for (DepartmentEvent e : conventions.values()) {
            if (IMMERSION_VALIDATED.equals(e.type()) && period.contains(day(e, "date_debut", zone))) {
                immersions++;
                hours = hours.add(decimal(e.details().get("heures")));
                bySector.merge(label(e.details().get("secteur")), 1, Integer::sum);
            }
        }
        long endedWithJob = assessments.values().stream().filter(e -> "oui".equals(e.details().get("sortie_emploi"))
                && period.contains(day(e, "date_fin", zone))).count();
        m.put("immersions", immersions);
        m.put("immersions_heures", hours.stripTrailingZeros().scale() < 0 ? hours.setScale(0) : hours.stripTrailingZeros());
        m.put("immersions_duree_moyenne_heures", immersions == 0 ? null
                : hours.divide(BigDecimal.valueOf(immersions), 1, RoundingMode.HALF_UP));
        m.put("immersions_par_secteur", bySector);
        m.put("immersions_sorties_emploi", endedWithJob);

        // Trainings (OuiForm statuses)
        m.put("formations_entrees", count(events, inTerritory, period, zone, "dateEffet", TRAINING_ENTRY));
        Map<String, Integer> trainingExits = new TreeMap<>();
        trainingExits.put("sortie", count(events, inTerritory, period, zone, "dateEffet", TRAINING_EXIT));
        trainingExits.put("abandon", count(events, inTerritory, period, zone, "dateEffet", TRAINING_DROPOUT));
        m.put("formations_sorties", trainingExits.get("sortie") + trainingExits.get("abandon"));
        m.put("formations_sorties_par_type", trainingExits);

        // APIE actions (Aisne-actifs.com): entries by axis, exits by reason
        Map<String, Integer> entriesByAxis = new TreeMap<>();
        Map<String, Integer> exitsByReason = new TreeMap<>();
        for (DepartmentEvent e : events) {
            if (!inTerritory.test(e.personId())) {
                continue;
            }
            if (ACTION_ENTRY.equals(e.type()) && period.contains(day(e, "date_entree", zone))) {
                entriesByAxis.merge(label(e.details().get("axe")), 1, Integer::sum);
            } else if (ACTION_EXIT.equals(e.type()) && period.contains(day(e, "date_sortie", zone))) {
                exitsByReason.merge(label(e.details().get("motif_sortie")), 1, Integer::sum);
            }
        }
        m.put("actions_entrees", entriesByAxis.values().stream().mapToInt(Integer::intValue).sum());
        m.put("actions_entrees_par_axe", entriesByAxis);
        m.put("actions_sorties", exitsByReason.values().stream().mapToInt(Integer::intValue).sum());
        m.put("actions_sorties_par_motif", exitsByReason);
        return m;
    }

    private static List<String> notes(List<DepartmentEvent> events) {
        List<String> notes = new ArrayList<>();
        if (events.stream().noneMatch(e -> e.type().startsWith("immersion."))) {
            notes.add("Aucune donnée du connecteur Immersion Facilitée dans le fil des événements : immersions à zéro.");
        } else if (events.stream().noneMatch(e -> e.details().containsKey("secteur"))) {
            notes.add("Le connecteur Immersion Facilitée ne donne pas le secteur d'activité : immersions comptées "
                    + "sous « non renseigné ».");
        }
        if (events.stream().noneMatch(e -> e.type().startsWith("formation."))) {
            notes.add("Aucune donnée du connecteur OuiForm dans le fil des événements : formations à zéro.");
        }
        if (events.stream().noneMatch(e -> e.type().startsWith("action."))) {
            notes.add("Aucune entrée ni sortie d'action reçue d'Aisne-actifs.com : actions à zéro.");
        }
        return notes;
    }

    private static int count(List<DepartmentEvent> events, Predicate<String> inTerritory, Period period, ZoneId zone,
            String dateDetail, String type) {
        return (int) events.stream().filter(e -> type.equals(e.type()) && inTerritory.test(e.personId())
                && period.contains(day(e, dateDetail, zone))).count();
    }

    /** The date the event's detail gives, else the day it occurred (Europe/Paris). */
    static LocalDate day(DepartmentEvent e, String dateDetail, ZoneId zone) {
        LocalDate d = PersonFile.date(e.details().get(dateDetail));
        return d != null ? d : e.occurredAt().atZone(zone).toLocalDate();
    }

    static BigDecimal median(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        int n = sorted.size();
        BigDecimal m = n % 2 == 1 ? BigDecimal.valueOf(sorted.get(n / 2))
                : BigDecimal.valueOf(sorted.get(n / 2 - 1) + sorted.get(n / 2)).divide(BigDecimal.valueOf(2), 1,
                        RoundingMode.HALF_UP);
        return m.stripTrailingZeros().scale() < 0 ? m.setScale(0) : m.stripTrailingZeros();
    }

    /** numerator / denominator with 4 decimals (0.6667), null when nothing to divide. */
    static BigDecimal share(long numerator, long denominator) {
        return denominator == 0 ? null
                : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal decimal(String s) {
        try {
            return s == null ? BigDecimal.ZERO : new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    private static String label(String s) {
        return s == null || s.isBlank() ? NO_TERRITORY : s.strip();
    }

    /** The result as CSV (RFC 4180, comma, CRLF): one line per territory, indicator and breakdown value. */
    static String csv(Result r) {
        StringBuilder b = new StringBuilder("annee,mois,territoire,indicateur,dimension,valeur\r\n");
        String month = r.period().month() == null ? "" : r.period().month().toString();
        r.territories().forEach((t, figures) -> figures.forEach((name, value) -> {
            if (value instanceof Map<?, ?> breakdown) {
                breakdown.forEach((k, v) -> line(b, r.period().year(), month, t, name, String.valueOf(k), v));
            } else {
                line(b, r.period().year(), month, t, name, "", value);
            }
        }));
        return b.toString();
    }

    private static void line(StringBuilder b, int year, String month, String territory, String name, String dimension,
            Object value) {
        b.append(year).append(',').append(month).append(',').append(cell(territory)).append(',').append(name)
                .append(',').append(cell(dimension)).append(',')
                .append(value == null ? "" : value instanceof BigDecimal d ? d.toPlainString() : value.toString())
                .append("\r\n");
    }

    private static String cell(String s) {
        String safe = s.isEmpty() || "=+-@".indexOf(s.charAt(0)) < 0 ? s : "'" + s;
        return safe.matches("[^,\"\r\n]*") ? safe : "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
