package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Assessment;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Beneficiary;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Period;
import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Prescriber;

/**
 * An Immersion Facilitée "convention read" (GET /v2/conventions/{id}, the list, a webhook's payload) in the hub's
 * canonical shape, minimised on receipt: of the beneficiary only {@code firstName}, {@code lastName},
 * {@code birthdate} and {@code isRqth} are read (the last one for {@link RqthRule} to drop or record); e-mails,
 * phones, the emergency contact, the tutor, the signatories' names are never read. Field names are the platform's.
 * A convention the hub cannot use is refused with the field and the problem, never a value.
 */
final class PlatformMapping {
    static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SIRET = Pattern.compile("\\d{14}");

    /** A convention read the hub cannot use: the field and the problem (never a value). */
    static final class MappingException extends Exception {
        private static final long serialVersionUID = 1L;

        MappingException(String field, String problem) {
            super(field + ": " + problem);
        }
    }

    private PlatformMapping() {
    }

    /** The convention's id, or null when it is not a UUID. */
    static String id(JsonNode convention) {
        String id = text(convention, "id");
        return id != null && UUID.matcher(id).matches() ? id.toLowerCase(java.util.Locale.ROOT) : null;
    }

    static Convention map(JsonNode c) throws MappingException {
        if (c == null || !c.isObject()) {
            throw new MappingException("convention", "not a JSON object");
        }
        String id = id(c);
        if (id == null) {
            throw new MappingException("id", "missing or not a UUID");
        }
        String status = text(c, "status");
        if (status == null || !Convention.STATUSES.contains(status)) {
            throw new MappingException("status", "missing or not one of " + Convention.STATUSES);
        }
        JsonNode refers = c.path("agencyRefersTo");
        Prescriber prescriber = new Prescriber(text(c, "agencyId"), text(c, "agencyKind"), text(c, "agencyDepartment"),
                text(c, "agencySiret"), refers.isObject() ? text(refers, "id") : null,
                refers.isObject() ? text(refers, "kind") : null, refers.isObject() ? text(refers, "siret") : null);
        if (prescriber.agencyId() == null) {
            throw new MappingException("agencyId", "missing");
        }
        LocalDate start = Schedules.day(text(c, "dateStart"));
        LocalDate end = Schedules.day(text(c, "dateEnd"));
        if (start == null) {
            throw new MappingException("dateStart", "missing or not an ISO date");
        }
        if (end == null || end.isBefore(start)) {
            throw new MappingException("dateEnd", "missing, not an ISO date or before dateStart");
        }
        JsonNode schedule = c.path("schedule");
        JsonNode complex = schedule.path("complexSchedule");
        if (!complex.isArray()) {
            throw new MappingException("schedule.complexSchedule", "missing");
        }
        Map<LocalDate, List<Period>> given = new LinkedHashMap<>();
        for (int i = 0; i < complex.size(); i++) {
            JsonNode day = complex.get(i);
            LocalDate date = Schedules.day(text(day, "date"));
            if (date == null) {
                throw new MappingException("schedule.complexSchedule[" + i + "].date", "missing or not an ISO date");
            }
            List<Period> periods = given.computeIfAbsent(date, d -> new ArrayList<>());
            JsonNode tps = day.path("timePeriods");
            for (int j = 0; tps.isArray() && j < tps.size(); j++) {
                LocalTime s = Schedules.time(text(tps.get(j), "start"));
                LocalTime e = Schedules.time(text(tps.get(j), "end"));
                if (s == null || e == null) {
                    throw new MappingException("schedule.complexSchedule[" + i + "].timePeriods[" + j + "]",
                            "start and end must be HH:mm");
                }
                periods.add(new Period(s, e));
            }
        }
        BigDecimal total = schedule.path("totalHours").isNumber() ? schedule.get("totalHours").decimalValue() : null;
        String siret = text(c, "siret");
        if (siret != null && !SIRET.matcher(siret).matches()) {
            throw new MappingException("siret", "not 14 digits");
        }
        JsonNode signatories = c.path("signatories");
        JsonNode b = signatories.path("beneficiary");
        Beneficiary beneficiary = new Beneficiary(text(b, "firstName"), text(b, "lastName"),
                Schedules.day(text(b, "birthdate")), b.path("isRqth").isBoolean() ? b.get("isRqth").booleanValue() : null,
                null);
        JsonNode employer = signatories.get("beneficiaryCurrentEmployer");
        boolean employee = employer != null && !employer.isNull() && !employer.isMissingNode();
        return new Convention(id, Convention.IMMERSION_FACILITEE, id, status, prescriber, beneficiary, employee, null,
                siret, text(c, "businessName"), start, end, Schedules.fill(start, end, given, Map.of()), total, null,
                assessment(c.get("assessment")), Schedules.instant(text(c, "dateValidation")),
                Schedules.instant(text(c, "updatedAt")));
    }

    private static Assessment assessment(JsonNode a) throws MappingException {
        if (a == null || a.isNull() || a.isMissingNode()) {
            return null;
        }
        String status = text(a, "status");
        if (status == null || !List.of("COMPLETED", "PARTIALLY_COMPLETED", "DID_NOT_SHOW", "FINISHED", "ABANDONED")
                .contains(status)) {
            throw new MappingException("assessment.status", "missing or unknown");
        }
        Boolean job = a.path("endedWithAJob").isBoolean() ? a.get("endedWithAJob").booleanValue() : null;
        return new Assessment(status, job, Schedules.instant(text(a, "createdAt")));
    }

    /** A text field, null when absent, null or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
