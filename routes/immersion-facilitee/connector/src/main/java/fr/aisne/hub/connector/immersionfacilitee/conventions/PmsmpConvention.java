package fr.aisne.hub.connector.immersionfacilitee.conventions;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * One PMSMP convention of the department as the hub keeps it. No name, birth date, contact or health value: the
 * person is the registry's ({@code personId}).
 *
 * @param key the hub's key: the Immersion Facilitée convention id, or {@code cd-<reference>} for an entry of the
 *            department
 * @param source {@code immersion-facilitee} or {@code departement}
 * @param reference the convention id the referent knows (the platform's id, or the department's reference)
 * @param status the platform's vocabulary: READY_TO_SIGN, PARTIALLY_SIGNED, IN_REVIEW, ACCEPTED_BY_COUNSELLOR,
 *               ACCEPTED_BY_VALIDATOR, REJECTED, CANCELLED, DEPRECATED
 * @param inDepartment false once it left the department's conventions ({@code removedReason} says why)
 * @param days every calendar day from {@code dateStart} to {@code dateEnd}, days off with zero hours
 * @param plannedHours the sum of the days' planned hours
 * @param declaredTotalHours {@code schedule.totalHours} as the platform gives it (may differ from the sum on
 *                           conventions ending before 2024-09-01); null for the department's entries without one
 * @param doneHours hours actually done, when the department entered them; null when unknown (Immersion Facilitée
 *                  never tells)
 * @param personId the registry person, or null while a probable match waits for an operator
 * @param matchState CERTAIN, ABSENT (a new person was created), PROBABLE (waiting for an operator)
 * @param employee the beneficiary is an employee ({@code beneficiaryCurrentEmployer} present)
 * @param esat the beneficiary is an ESAT user, when the department said so; null when unknown (Immersion
 *             Facilitée does not tell)
 * @param version increases at each change of what is kept
 */
public record PmsmpConvention(String key, String source, String reference, String status, boolean inDepartment,
        String removedReason, LocalDate dateStart, LocalDate dateEnd, List<PmsmpDay> days, BigDecimal plannedHours,
        BigDecimal declaredTotalHours, BigDecimal doneHours, String personId, String matchState, String hostSiret,
        String hostName, boolean employee, Boolean esat, String assessmentStatus, Boolean endedWithAJob,
        Instant dateValidation, int version, Instant updatedAt) {

    public static final String VALIDATED = "ACCEPTED_BY_VALIDATOR";
    /** Statuses that end a convention without an immersion. */
    public static final Set<String> WITHOUT_IMMERSION = Set.of("REJECTED", "CANCELLED", "DEPRECATED");

    public PmsmpConvention {
        days = List.copyOf(days);
    }

    /** Validated and still the department's: an immersion that takes (or took) place. */
    public boolean validated() {
        return inDepartment && VALIDATED.equals(status);
    }
}
