package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

/**
 * A PMSMP convention in the hub's canonical shape, whichever source it comes from (Immersion Facilitée, read again
 * from the platform; the department's own entry). Minimised on receipt: the beneficiary's identity is only what
 * matching needs (names, birth date), carried to the registry and never written to the connector's tables; no e-mail,
 * phone or emergency contact is ever read; {@code isRqth} is carried only to be dropped or recorded as the
 * disclosure rules say ({@link RqthRule}).
 *
 * @param key the hub's key (platform id, or {@code cd-<reference>})
 * @param prescriber who prescribes it at the platform (null for the department's entries)
 * @param declaredTotalHours {@code schedule.totalHours} as given (null when the source gives none)
 * @param doneMinutes total minutes actually done, when the department says so (null when unknown)
 */
record Convention(String key, String source, String reference, String status, Prescriber prescriber,
        Beneficiary beneficiary, boolean employee, Boolean esat, String hostSiret, String hostName, LocalDate dateStart,
        LocalDate dateEnd, List<Day> days, BigDecimal declaredTotalHours, Integer doneMinutes, Assessment assessment,
        Instant dateValidation, Instant partnerUpdatedAt) {

    static final String IMMERSION_FACILITEE = "immersion-facilitee";
    static final String DEPARTEMENT = "departement";

    /** The platform's statuses. */
    static final List<String> STATUSES = List.of("READY_TO_SIGN", "PARTIALLY_SIGNED", "IN_REVIEW",
            "ACCEPTED_BY_COUNSELLOR", "ACCEPTED_BY_VALIDATOR", "REJECTED", "CANCELLED", "DEPRECATED");
    static final String VALIDATED = "ACCEPTED_BY_VALIDATOR";
    static final String CANCELLED = "CANCELLED";
    static final String REJECTED = "REJECTED";

    Convention {
        Objects.requireNonNull(key, "key");
        days = List.copyOf(days);
    }

    /** The agency of the convention and the one it refers to (the real prescriber when present). */
    record Prescriber(String agencyId, String agencyKind, String agencyDepartment, String agencySiret,
            String refersToId, String refersToKind, String refersToSiret) {

        String prescriberId() {
            return refersToId != null ? refersToId : agencyId;
        }

        String prescriberKind() {
            return refersToId != null ? refersToKind : agencyKind;
        }

        String prescriberSiret() {
            return refersToId != null ? refersToSiret : agencySiret;
        }
    }

    /**
     * What matching needs, and isRqth until the rule decides. {@code personId}: the registry id the department gave
     * with its own entry (null otherwise).
     */
    record Beneficiary(String firstName, String lastName, LocalDate birthdate, Boolean isRqth, String personId) {
        @Override
        public String toString() {
            return "Beneficiary[masked]"; // never a name or a birth date in a log line or an exception
        }
    }

    /** One calendar day: its periods, wall-clock and lived minutes, and what was done when known. */
    record Day(LocalDate date, List<Period> periods, int plannedMinutes, int elapsedMinutes, Integer doneMinutes) {
        Day {
            periods = List.copyOf(periods);
        }

        String periodsText() {
            StringBuilder sb = new StringBuilder();
            for (Period p : periods) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(p);
            }
            return sb.toString();
        }
    }

    record Period(LocalTime start, LocalTime end) {
        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    /** COMPLETED, PARTIALLY_COMPLETED, DID_NOT_SHOW, or the legacy FINISHED, ABANDONED. */
    record Assessment(String status, Boolean endedWithAJob, Instant createdAt) {
    }

    int plannedMinutes() {
        int m = 0;
        for (Day d : days) {
            m += d.plannedMinutes();
        }
        return m;
    }

    boolean inStatus(String s) {
        return s.equals(status);
    }
}
