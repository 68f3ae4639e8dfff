package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Assessment;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Beneficiary;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Day;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Period;

/**
 * The department's own immersions (paper PMSMP entered in Aisne-actifs.com), POSTed to
 * {@code /hub/in/departement/immersions} in the hub's canonical shape (JSON Schema
 * {@code immersion-facilitee.DepartmentImmersion} in the hub's OpenAPI document), checked with precise errors: the
 * field's path and the rule broken, never the value. The rules the schema cannot say are checked here too: the
 * dates (at most 31 calendar days), the days within them and each once, periods that end after they start and do
 * not overlap, at most 48 hours in a week, the totals equal to the sum of the days, a valid SIRET.
 */
final class DepartmentImmersions implements PayloadValidator {
    static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    static final Pattern UUID = PlatformMapping.UUID;
    static final int MAX_DAYS = 31;
    static final int MAX_WEEK_MINUTES = 48 * 60;
    static final List<String> ASSESSMENTS = List.of("COMPLETED", "PARTIALLY_COMPLETED", "DID_NOT_SHOW", "FINISHED",
            "ABANDONED");
    private static final Set<String> TOP = Set.of("reference", "status", "beneficiary", "employee", "esat", "host",
            "dateStart", "dateEnd", "schedule", "totalHours", "hoursDone", "dateValidation", "assessment");
    private static final Set<String> BENEFICIARY = Set.of("firstName", "lastName", "birthdate", "personId", "isRqth");
    private static final Set<String> HOST = Set.of("siret", "businessName");
    private static final Set<String> DAY = Set.of("date", "periods", "hours", "hoursDone");
    private static final Set<String> PERIOD = Set.of("start", "end");
    private static final Set<String> ASSESSMENT = Set.of("status", "endedWithAJob");
    private static final int MAX_PROBLEMS = 10;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(10_000).build())
            .build();

    /** The key a department's entry is kept under: never mistaken for a platform id. */
    static String key(String reference) {
        return "cd-" + reference;
    }

    @Override
    public void validate(InputStream payload) throws ValidationException, IOException {
        JsonNode doc = read(payload);
        List<String> problems = problems(doc);
        if (!problems.isEmpty()) {
            throw new ValidationException((problems.size() == 1 ? "" : problems.size() + (problems.size() >= MAX_PROBLEMS
                    ? "+" : "") + " problems: ") + String.join("; ", problems));
        }
    }

    static JsonNode read(InputStream payload) throws ValidationException, IOException {
        try (JsonParser p = FACTORY.createParser(payload)) {
            p.setCodec(Json.MAPPER);
            JsonNode doc = p.readValueAsTree();
            if (p.nextToken() != null) {
                throw new ValidationException("content after the end of the JSON document");
            }
            if (doc == null || !doc.isObject()) {
                throw new ValidationException("a JSON object is required");
            }
            return doc;
        } catch (java.io.CharConversionException e) {
            throw new ValidationException("payload is not JSON text in UTF-8");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ValidationException("malformed JSON", at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        }
    }

    /** Every problem of the entry (at most ten), each "path: rule". Empty when it is valid. */
    static List<String> problems(JsonNode d) {
        Problems out = new Problems();
        unknown(d, TOP, "", out);
        String reference = text(d, "reference");
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            out.add("reference", "required: 1 to 40 letters, digits, '.', '_' or '-' (the department's convention id)");
        }
        String status = text(d, "status");
        if (status == null || !Convention.STATUSES.contains(status)) {
            out.add("status", "required: one of " + Convention.STATUSES);
        }
        JsonNode b = d.get("beneficiary");
        if (b == null || !b.isObject()) {
            out.add("beneficiary", "required: an object with firstName, lastName, birthdate");
        } else {
            unknown(b, BENEFICIARY, "beneficiary.", out);
            name(b, "firstName", out);
            name(b, "lastName", out);
            LocalDate birth = date(b, "birthdate", "beneficiary.", true, out);
            if (birth != null && (birth.isAfter(LocalDate.now().minusYears(15)) || birth.isBefore(LocalDate.of(1900, 1, 1)))) {
                out.add("beneficiary.birthdate", "not plausible for a beneficiary (15 years old or more, born after 1900)");
            }
            if (b.has("personId") && !(b.get("personId").isTextual() && UUID.matcher(b.get("personId").asText()).matches())) {
                out.add("beneficiary.personId", "must be the registry's person id (a UUID)");
            }
            bool(b, "isRqth", "beneficiary.", out);
        }
        bool(d, "employee", "", out);
        bool(d, "esat", "", out);
        JsonNode h = d.get("host");
        if (h == null || !h.isObject()) {
            out.add("host", "required: an object with the host establishment's siret");
        } else {
            unknown(h, HOST, "host.", out);
            String siret = text(h, "siret");
            if (siret == null || !siret.matches("\\d{14}")) {
                out.add("host.siret", "required: 14 digits");
            } else if (!validSiret(siret)) {
                out.add("host.siret", "not a valid SIRET (check digit)");
            }
            if (h.has("businessName") && !(h.get("businessName").isTextual() && between(h.get("businessName").asText(), 1, 255))) {
                out.add("host.businessName", "1 to 255 characters");
            }
        }
        LocalDate start = date(d, "dateStart", "", true, out);
        LocalDate end = date(d, "dateEnd", "", true, out);
        if (start != null && end != null) {
            if (end.isBefore(start)) {
                out.add("dateEnd", "before dateStart");
            } else if (ChronoUnit.DAYS.between(start, end) > MAX_DAYS) {
                out.add("dateEnd", "more than " + MAX_DAYS + " calendar days after dateStart (a PMSMP lasts a month at most)");
            }
        }
        int[] sums = schedule(d.get("schedule"), start, end, out);
        total(d, "totalHours", sums == null ? -1 : sums[0], "the sum of the days' hours", out);
        total(d, "hoursDone", sums == null || sums[2] == 0 ? -1 : sums[1], "the sum of the days' hoursDone", out);
        date(d, "dateValidation", "", false, out);
        JsonNode a = d.get("assessment");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                out.add("assessment", "an object {status, endedWithAJob} or null");
            } else {
                unknown(a, ASSESSMENT, "assessment.", out);
                String assessed = text(a, "status");
                if (assessed == null || !ASSESSMENTS.contains(assessed)) { // List.of(...).contains(null) throws
                    out.add("assessment.status", "required: one of " + ASSESSMENTS);
                }
                bool(a, "endedWithAJob", "assessment.", out);
            }
        }
        return out.list;
    }

    /** Checks the days; returns {planned minutes, done minutes, days with hoursDone}, or null when unusable. */
    private static int[] schedule(JsonNode s, LocalDate start, LocalDate end, Problems out) {
        if (s == null || !s.isArray() || s.isEmpty()) {
            out.add("schedule", "required: the days of the immersion, each {date, periods: [{start, end}]} or {date, hours}");
            return null;
        }
        if (s.size() > MAX_DAYS + 1) {
            out.add("schedule", "at most " + (MAX_DAYS + 1) + " days");
            return null;
        }
        Set<LocalDate> seen = new LinkedHashSet<>();
        Map<Long, Integer> weeks = new TreeMap<>();
        int planned = 0;
        int done = 0;
        int withDone = 0;
        for (int i = 0; i < s.size(); i++) {
            String at = "schedule[" + i + "]";
            JsonNode day = s.get(i);
            if (!day.isObject()) {
                out.add(at, "an object {date, periods} or {date, hours}");
                continue;
            }
            unknown(day, DAY, at + ".", out);
            LocalDate date = date(day, "date", at + ".", true, out);
            if (date != null) {
                if (!seen.add(date)) {
                    out.add(at + ".date", "the same day is given twice");
                }
                if (start != null && end != null && (date.isBefore(start) || date.isAfter(end))) {
                    out.add(at + ".date", "outside dateStart..dateEnd");
                }
            }
            int minutes = 0;
            if (day.has("periods") && day.has("hours")) {
                out.add(at, "give periods or hours, not both");
            } else if (day.has("periods")) {
                minutes = periods(day.get("periods"), at + ".periods", out);
            } else if (day.has("hours")) {
                minutes = hoursField(day, "hours", at + ".", out);
            }
            if (day.has("hoursDone")) {
                done += hoursField(day, "hoursDone", at + ".", out);
                withDone++;
            }
            planned += minutes;
            if (date != null) {
                long week = date.get(IsoFields.WEEK_BASED_YEAR) * 100L + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                if (weeks.merge(week, minutes, Integer::sum) > MAX_WEEK_MINUTES && weeks.get(week) - minutes <= MAX_WEEK_MINUTES) {
                    out.add(at, "more than 48 hours in the week of " + date.with(DayOfWeek.MONDAY));
                }
            }
        }
        if (planned == 0) {
            out.add("schedule", "no hour planned on any day");
        }
        return new int[] {planned, done, withDone};
    }

    /** Minutes of a day's periods; each HH:mm, ending after it starts, none overlapping. */
    private static int periods(JsonNode ps, String at, Problems out) {
        if (!ps.isArray() || ps.size() > 6) {
            out.add(at, "an array of at most 6 periods {start, end}");
            return 0;
        }
        List<Period> list = new ArrayList<>();
        for (int j = 0; j < ps.size(); j++) {
            String pat = at + "[" + j + "]";
            JsonNode p = ps.get(j);
            if (!p.isObject()) {
                out.add(pat, "an object {start, end}");
                continue;
            }
            unknown(p, PERIOD, pat + ".", out);
            LocalTime s = Schedules.time(text(p, "start"));
            LocalTime e = Schedules.time(text(p, "end"));
            if (s == null) {
                out.add(pat + ".start", "required: HH:mm");
            }
            if (e == null) {
                out.add(pat + ".end", "required: HH:mm");
            }
            if (s != null && e != null) {
                if (!e.isAfter(s)) {
                    out.add(pat + ".end", "must be after start (a period ends the day it starts)");
                } else {
                    list.add(new Period(s, e));
                }
            }
        }
        list.sort((a, b) -> a.start().compareTo(b.start()));
        int minutes = 0;
        for (int k = 0; k < list.size(); k++) {
            if (k > 0 && list.get(k).start().isBefore(list.get(k - 1).end())) {
                out.add(at, "periods overlap");
            }
            minutes += Schedules.wallClockMinutes(list.get(k));
        }
        return minutes;
    }

    private static void total(JsonNode d, String field, int sumMinutes, String what, Problems out) {
        if (!d.has(field) || d.get(field).isNull()) {
            return;
        }
        JsonNode v = d.get(field);
        if (!v.isNumber() || v.decimalValue().signum() < 0) {
            out.add(field, "a number of hours, 0 or more");
        } else if (sumMinutes >= 0 && v.decimalValue().multiply(BigDecimal.valueOf(60)).setScale(0,
                java.math.RoundingMode.HALF_UP).compareTo(BigDecimal.valueOf(sumMinutes)) != 0) { // no int overflow
            out.add(field, "is not " + what + " (" + Schedules.hours(sumMinutes).stripTrailingZeros().toPlainString() + ")");
        }
    }

    /** A number of hours from 0 to 24 with at most two decimals, in minutes. */
    private static int hoursField(JsonNode n, String field, String at, Problems out) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || v.decimalValue().signum() < 0 || v.decimalValue().compareTo(BigDecimal.valueOf(24)) > 0
                || v.decimalValue().stripTrailingZeros().scale() > 2) {
            out.add(at + field, "a number of hours from 0 to 24 (at most two decimals)");
            return 0;
        }
        return v.decimalValue().multiply(BigDecimal.valueOf(60)).setScale(0, java.math.RoundingMode.HALF_UP).intValue();
    }

    /** The entry as a canonical convention (call on a valid entry only). */
    static Convention toConvention(JsonNode d) {
        String reference = d.get("reference").asText();
        JsonNode b = d.get("beneficiary");
        Beneficiary beneficiary = new Beneficiary(b.get("firstName").asText().strip(), b.get("lastName").asText().strip(),
                LocalDate.parse(b.get("birthdate").asText()), b.path("isRqth").isBoolean() ? b.get("isRqth").booleanValue()
                        : null, b.hasNonNull("personId") ? b.get("personId").asText().toLowerCase(java.util.Locale.ROOT) : null);
        LocalDate start = LocalDate.parse(d.get("dateStart").asText());
        LocalDate end = LocalDate.parse(d.get("dateEnd").asText());
        Map<LocalDate, List<Period>> given = new LinkedHashMap<>();
        Map<LocalDate, Integer> done = new LinkedHashMap<>();
        Map<LocalDate, Integer> flat = new LinkedHashMap<>();
        for (JsonNode day : d.get("schedule")) {
            LocalDate date = LocalDate.parse(day.get("date").asText());
            List<Period> ps = new ArrayList<>();
            for (JsonNode p : day.path("periods")) {
                ps.add(new Period(Schedules.time(p.get("start").asText()), Schedules.time(p.get("end").asText())));
            }
            given.put(date, ps);
            if (day.has("hours")) {
                flat.put(date, minutes(day.get("hours")));
            }
            if (day.has("hoursDone")) {
                done.put(date, minutes(day.get("hoursDone")));
            }
        }
        List<Day> days = new ArrayList<>();
        for (Day day : Schedules.fill(start, end, given, done)) {
            Integer m = flat.get(day.date());
            days.add(m == null ? day : new Day(day.date(), List.of(), m, m, day.doneMinutes()));
        }
        Integer doneTotal = null;
        if (d.hasNonNull("hoursDone")) {
            doneTotal = minutes(d.get("hoursDone"));
        } else if (!done.isEmpty()) {
            doneTotal = done.values().stream().mapToInt(Integer::intValue).sum();
        }
        JsonNode a = d.get("assessment");
        Assessment assessment = a == null || a.isNull() ? null : new Assessment(a.get("status").asText(),
                a.path("endedWithAJob").isBoolean() ? a.get("endedWithAJob").booleanValue() : null, null);
        JsonNode h = d.get("host");
        return new Convention(key(reference), Convention.DEPARTEMENT, reference, d.get("status").asText(), null, beneficiary,
                d.path("employee").asBoolean(false), d.path("esat").isBoolean() ? d.get("esat").booleanValue() : null,
                h.get("siret").asText(), h.hasNonNull("businessName") ? h.get("businessName").asText() : null, start, end,
                days, d.hasNonNull("totalHours") ? d.get("totalHours").decimalValue() : null, doneTotal, assessment,
                d.hasNonNull("dateValidation") ? LocalDate.parse(d.get("dateValidation").asText())
                        .atStartOfDay(Schedules.PARIS).toInstant() : null, null);
    }

    private static int minutes(JsonNode hours) {
        return hours.decimalValue().multiply(BigDecimal.valueOf(60)).setScale(0, java.math.RoundingMode.HALF_UP).intValue();
    }

    /**
     * SIRET check: the Luhn key over the 14 digits; La Poste's establishments (SIREN 356000000) instead have a digit
     * sum that is a multiple of 5.
     */
    static boolean validSiret(String siret) {
        if (siret.startsWith("356000000")) {
            int sum = 0;
            for (char c : siret.toCharArray()) {
                sum += c - '0';
            }
            return sum % 5 == 0;
        }
        int sum = 0;
        for (int i = 0; i < siret.length(); i++) {
            int digit = siret.charAt(siret.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    private static void unknown(JsonNode n, Set<String> known, String at, Problems out) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                // a field's name is repeated only when it is a plain name without a run of 4 digits (a date, a NIR)
                boolean plain = f.matches("[A-Za-z0-9_]{1,40}") && !f.matches(".*\\d{4}.*");
                out.add(at + (plain ? f : "(a field)"), "not accepted here"
                        + (f.toLowerCase(java.util.Locale.ROOT).matches(".*(mail|phone|tel|emergency|urgence|adress|address).*")
                                ? " (the hub keeps no contact details of an immersion)" : ""));
            }
        }
    }

    private static void name(JsonNode b, String f, Problems out) {
        String v = text(b, f);
        if (v == null || !between(v.strip(), 1, 100)) {
            out.add("beneficiary." + f, "required: 1 to 100 characters");
        }
    }

    private static LocalDate date(JsonNode n, String f, String at, boolean required, Problems out) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            if (required) {
                out.add(at + f, "required: a date yyyy-MM-dd");
            }
            return null;
        }
        String t = v.isTextual() ? v.asText() : null;
        if (t == null || !t.matches("\\d{4}-\\d{2}-\\d{2}")) {
            out.add(at + f, "a date yyyy-MM-dd");
            return null;
        }
        try {
            return LocalDate.parse(t);
        } catch (java.time.DateTimeException e) {
            out.add(at + f, "not a calendar date");
            return null;
        }
    }

    private static void bool(JsonNode n, String f, String at, Problems out) {
        if (n.has(f) && !n.get(f).isBoolean()) {
            out.add(at + f, "true or false");
        }
    }

    private static boolean between(String s, int min, int max) {
        return s.length() >= min && s.length() <= max;
    }

    private static String text(JsonNode n, String f) {
        return PlatformMapping.text(n, f);
    }

    private static final class Problems {
        final List<String> list = new ArrayList<>();

        void add(String path, String rule) {
            if (list.size() < MAX_PROBLEMS) {
                list.add(path + ": " + rule);
            }
        }
    }
}
