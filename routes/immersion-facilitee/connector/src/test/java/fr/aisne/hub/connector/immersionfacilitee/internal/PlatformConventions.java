package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;

/**
 * Convention reads in the platform's shape (conventionRead.schema.json, as the double writes them), with the personal
 * values the hub must never keep: e-mails, phones, an emergency contact, isRqth.
 */
final class PlatformConventions {
    static final String CD02 = "02a15e00-0000-4000-8000-000000000002";
    static final String FT_LAON = "02a15e00-0000-4000-8000-000000000021";
    static final String FT_SAINT_QUENTIN = "02a15e00-0000-4000-8000-000000000022";
    static final String CD80 = "08a15e00-0000-4000-8000-000000000080";
    /** Values planted in every convention: none may reach the registry, the tables, the journal or the log. */
    static final String EMERGENCY_NAME = "Gisèle Urgentissime";
    static final String EMERGENCY_PHONE = "+33799887766";
    static final String EMERGENCY_EMAIL = "gisele.urgentissime@example.net";
    static final String BENEFICIARY_EMAIL = "benef.secret@example.net";
    static final String BENEFICIARY_PHONE = "+33611223344";

    private PlatformConventions() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A cd02 convention, Mon-Fri 09:00-12:00 and 13:30-17:00 (6.5 h a day), ACCEPTED_BY_VALIDATOR. */
    static ObjectNode convention(String id, LocalDate start, LocalDate end) {
        return convention(id, "cd02", "ACCEPTED_BY_VALIDATOR", start, end, Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY), List.of(new String[] {"09:00", "12:00"},
                        new String[] {"13:30", "17:00"}));
    }

    static ObjectNode convention(String id, String agency, String status, LocalDate start, LocalDate end,
            Set<DayOfWeek> weekdays, List<String[]> periods) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("id", id);
        c.put("status", status);
        c.put("dateSubmission", "2025-01-10T09:00:00.000Z");
        c.put("dateStart", utc(start));
        c.put("dateEnd", utc(end));
        c.put("updatedAt", "2025-01-20T10:00:00.000Z");
        if (status.equals("ACCEPTED_BY_VALIDATOR") || status.equals("CANCELLED")) {
            c.put("dateValidation", "2025-01-20T10:00:00.000Z");
        }
        c.put("siret", "99902000300011");
        c.put("businessName", "Boulangerie de la Gare");
        ObjectNode schedule = c.putObject("schedule");
        ArrayNode days = schedule.putArray("complexSchedule");
        int minutes = 0;
        int worked = 0;
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            ObjectNode day = days.addObject();
            day.put("date", utc(d));
            ArrayNode tps = day.putArray("timePeriods");
            if (weekdays.contains(d.getDayOfWeek())) {
                worked++;
                for (String[] p : periods) {
                    tps.addObject().put("start", p[0]).put("end", p[1]);
                    int m = (Integer.parseInt(p[1].substring(0, 2)) * 60 + Integer.parseInt(p[1].substring(3)))
                            - (Integer.parseInt(p[0].substring(0, 2)) * 60 + Integer.parseInt(p[0].substring(3)));
                    minutes += m;
                }
            }
        }
        if (minutes % 60 == 0) {
            schedule.put("totalHours", minutes / 60);
        } else {
            schedule.put("totalHours", minutes / 60.0);
        }
        schedule.put("workedDays", worked);
        schedule.put("isSimple", true);
        c.putObject("immersionAppellation").put("romeCode", "D1102").put("appellationLabel", "Boulanger");
        c.putObject("establishmentTutor").put("firstName", "Paul").put("lastName", "Tuteur").put("email", "tuteur@example.net")
                .put("phone", "+33300000001");
        c.put("internshipKind", "immersion");
        ObjectNode sig = c.putObject("signatories");
        ObjectNode b = sig.putObject("beneficiary");
        b.put("role", "beneficiary");
        b.put("email", BENEFICIARY_EMAIL);
        b.put("phone", BENEFICIARY_PHONE);
        b.put("firstName", "Marie");
        b.put("lastName", "Durand");
        b.put("birthdate", "1990-04-12");
        b.put("emergencyContact", EMERGENCY_NAME);
        b.put("emergencyContactPhone", EMERGENCY_PHONE);
        b.put("emergencyContactEmail", EMERGENCY_EMAIL);
        b.put("isRqth", true);
        sig.putObject("establishmentRepresentative").put("firstName", "Jean").put("lastName", "Patron")
                .put("email", "patron@example.net").put("phone", "+33300000002");
        agency(c, agency);
        c.putNull("assessment");
        return c;
    }

    static void agency(ObjectNode c, String alias) {
        c.remove("agencyRefersTo");
        switch (alias) {
            case "cd02" -> agency(c, CD02, "conseil-departemental", "02", "99902000100015");
            case "ft-laon" -> agency(c, FT_LAON, "pole-emploi", "02", "99902000200021");
            case "ft-saint-quentin" -> {
                agency(c, FT_SAINT_QUENTIN, "pole-emploi", "02", "99902000200039");
                c.putObject("agencyRefersTo").put("id", CD02).put("name", "CD de l'Aisne").put("kind", "conseil-departemental")
                        .put("siret", "99902000100015").put("contactEmail", "cd@example.fr");
            }
            case "cd80" -> agency(c, CD80, "conseil-departemental", "80", "99980000100011");
            default -> throw new IllegalArgumentException(alias);
        }
    }

    private static void agency(ObjectNode c, String id, String kind, String dept, String siret) {
        c.put("agencyId", id);
        c.put("agencyKind", kind);
        c.put("agencyDepartment", dept);
        c.put("agencySiret", siret);
        c.put("agencyName", "Agence " + id.substring(id.length() - 2));
    }

    static String utc(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toString().replace("Z", ".000Z");
    }
}
