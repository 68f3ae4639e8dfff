package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One convention (PMSMP) held by the double, mutable under the lock of {@link Conventions}. {@link #toRead()} gives
 * it in the platform's "convention read" shape (conventionRead.schema.json): the convention, its agency's fields,
 * the assessment (or null), the reminders. Personal values live here only: never log them.
 */
final class Convention {
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static final String BENEFICIARY = "beneficiary";
    static final String ESTABLISHMENT_REPRESENTATIVE = "establishment-representative";
    static final String CURRENT_EMPLOYER = "beneficiary-current-employer";

    /** A signatory or the tutor; {@code job} for the tutor and the current employer. */
    static final class Person {
        String firstName;
        String lastName;
        String email;
        String phone;
        String job;

        Person(String firstName, String lastName, String email, String phone, String job) {
            this.firstName = firstName;
            this.lastName = lastName;
            this.email = email;
            this.phone = phone;
            this.job = job;
        }
    }

    /** The beneficiary: a person, a birth date, RQTH (health data: a special category), an emergency contact. */
    static final class Beneficiary {
        final Person person;
        LocalDate birthdate;
        boolean isRqth;
        String emergencyContact;
        String emergencyContactPhone;
        String emergencyContactEmail;
        String financiaryHelp;

        Beneficiary(Person person, LocalDate birthdate, boolean isRqth) {
            this.person = person;
            this.birthdate = birthdate;
            this.isRqth = isRqth;
        }
    }

    /** The beneficiary's current employer: present when the beneficiary is an employee. */
    record Employer(Person person, String businessSiret, String businessName, String businessAddress) {
    }

    /** ROME code and appellation of the job tried. */
    record Appellation(String romeCode, String romeLabel, String appellationCode, String appellationLabel) {
    }

    /** The assessment (bilan): COMPLETED, PARTIALLY_COMPLETED, DID_NOT_SHOW, or the legacy FINISHED, ABANDONED. */
    record Assessment(String status, Boolean endedWithAJob, Instant createdAt, Instant signedAt) {
        boolean legacy() {
            return status.equals("FINISHED") || status.equals("ABANDONED");
        }
    }

    final String id;
    Status status = Status.READY_TO_SIGN;
    String statusJustification;
    Agency agency;
    Instant dateSubmission;
    /** Null for legacy conventions: the field is optional in the read shape. */
    Instant updatedAt;
    Instant dateApproval;
    Instant dateValidation;
    Schedule schedule;
    String siret;
    String businessName;
    String immersionAddress;
    String establishmentNumberEmployeesRange = "10-19";
    Appellation appellation;
    String immersionObjective = "Confirmer un projet professionnel";
    String immersionActivities;
    String immersionSkills = "";
    String workConditions;
    String businessAdvantages;
    boolean individualProtection;
    String individualProtectionDescription = "";
    boolean sanitaryPrevention;
    String sanitaryPreventionDescription = "";
    Beneficiary beneficiary;
    Person establishmentRepresentative;
    Person tutor;
    Employer currentEmployer;
    final Map<String, Instant> signedAt = new LinkedHashMap<>();
    String[] counsellor;
    String[] validator;
    String[] agencyReferent;
    Assessment assessment;
    /** When an agency user last re-sent the webhook by hand (the platform allows it every 4 h). */
    Instant lastManualResend;

    Convention(String id) {
        this.id = id;
    }

    /** The signatories whose signature is needed, in the platform's order. */
    List<String> signatoryRoles() {
        return currentEmployer == null ? List.of(BENEFICIARY, ESTABLISHMENT_REPRESENTATIVE)
                : List.of(BENEFICIARY, ESTABLISHMENT_REPRESENTATIVE, CURRENT_EMPLOYER);
    }

    boolean allSigned() {
        return signedAt.keySet().containsAll(signatoryRoles());
    }

    /** The convention read, as {@code GET /v2/conventions/{id}} and the webhooks give it. */
    Map<String, Object> toRead() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("status", status.name());
        if (statusJustification != null) {
            m.put("statusJustification", statusJustification);
        }
        m.put("agencyId", agency.id());
        m.put("dateSubmission", iso(dateSubmission));
        m.put("dateStart", utcMidnight(schedule.start()));
        m.put("dateEnd", utcMidnight(schedule.end()));
        if (dateApproval != null) {
            m.put("dateApproval", iso(dateApproval));
        }
        if (dateValidation != null) {
            m.put("dateValidation", iso(dateValidation));
        }
        if (updatedAt != null) {
            m.put("updatedAt", iso(updatedAt));
        }
        m.put("siret", siret);
        m.put("businessName", businessName);
        m.put("schedule", schedule.toJson());
        if (workConditions != null) {
            m.put("workConditions", workConditions);
        }
        if (businessAdvantages != null) {
            m.put("businessAdvantages", businessAdvantages);
        }
        m.put("individualProtection", individualProtection);
        m.put("individualProtectionDescription", individualProtectionDescription);
        m.put("sanitaryPrevention", sanitaryPrevention);
        m.put("sanitaryPreventionDescription", sanitaryPreventionDescription);
        m.put("remoteWorkMode", "ON_SITE");
        m.put("immersionAddress", immersionAddress);
        m.put("immersionObjective", immersionObjective);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("romeCode", appellation.romeCode());
        app.put("romeLabel", appellation.romeLabel());
        app.put("appellationCode", appellation.appellationCode());
        app.put("appellationLabel", appellation.appellationLabel());
        m.put("immersionAppellation", app);
        m.put("immersionActivities", immersionActivities);
        m.put("immersionSkills", immersionSkills);
        Map<String, Object> t = person("establishment-tutor", tutor, null);
        t.put("job", tutor.job);
        m.put("establishmentTutor", t);
        if (counsellor != null || validator != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            if (counsellor != null) {
                v.put("agencyCounsellor", name(counsellor));
            }
            if (validator != null) {
                v.put("agencyValidator", name(validator));
            }
            m.put("validators", v);
        }
        if (agencyReferent != null) {
            m.put("agencyReferent", name(agencyReferent));
        }
        m.put("establishmentNumberEmployeesRange", establishmentNumberEmployeesRange);
        m.put("internshipKind", "immersion");
        m.put("signatories", signatories());
        m.put("agencyName", agency.name());
        m.put("agencyDepartment", agency.department());
        m.put("agencyKind", agency.kind());
        m.put("agencySiret", agency.siret());
        m.put("agencyContactEmail", agency.contactEmail());
        m.put("agencyValidationSteps", agency.validationSteps());
        Agency referred = agency.referred();
        if (referred != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", referred.id());
            r.put("name", referred.name());
            r.put("contactEmail", referred.contactEmail());
            r.put("kind", referred.kind());
            r.put("siret", referred.siret());
            m.put("agencyRefersTo", r);
        }
        m.put("assessment", assessmentJson());
        m.put("isEstablishmentBanned", false);
        m.put("lastReminders", lastReminders());
        return m;
    }

    private Map<String, Object> signatories() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> b = person(BENEFICIARY, beneficiary.person, signedAt.get(BENEFICIARY));
        if (beneficiary.emergencyContact != null) {
            b.put("emergencyContact", beneficiary.emergencyContact);
            b.put("emergencyContactPhone", beneficiary.emergencyContactPhone);
            b.put("emergencyContactEmail", beneficiary.emergencyContactEmail);
        }
        if (beneficiary.financiaryHelp != null) {
            b.put("financiaryHelp", beneficiary.financiaryHelp);
        }
        b.put("birthdate", beneficiary.birthdate.toString());
        b.put("isRqth", beneficiary.isRqth);
        s.put("beneficiary", b);
        s.put("establishmentRepresentative", person(ESTABLISHMENT_REPRESENTATIVE, establishmentRepresentative,
                signedAt.get(ESTABLISHMENT_REPRESENTATIVE)));
        if (currentEmployer != null) {
            Map<String, Object> e = person(CURRENT_EMPLOYER, currentEmployer.person(), signedAt.get(CURRENT_EMPLOYER));
            e.put("job", currentEmployer.person().job);
            e.put("businessSiret", currentEmployer.businessSiret());
            e.put("businessName", currentEmployer.businessName());
            e.put("businessAddress", currentEmployer.businessAddress());
            s.put("beneficiaryCurrentEmployer", e);
        }
        return s;
    }

    private static Map<String, Object> person(String role, Person p, Instant signed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("email", p.email);
        m.put("phone", p.phone);
        m.put("firstName", p.firstName);
        m.put("lastName", p.lastName);
        if (signed != null) {
            m.put("signedAt", iso(signed));
        }
        return m;
    }

    private static Map<String, Object> name(String[] firstAndLast) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("firstname", firstAndLast[0]);
        m.put("lastname", firstAndLast[1]);
        return m;
    }

    private Object assessmentJson() {
        if (assessment == null) {
            return null;
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", assessment.status());
        if (!assessment.legacy()) {
            a.put("endedWithAJob", assessment.endedWithAJob());
            a.put("signedAt", assessment.signedAt() == null ? null : iso(assessment.signedAt()));
        }
        a.put("createdAt", iso(assessment.createdAt()));
        return a;
    }

    private static Map<String, Object> lastReminders() {
        Map<String, Object> signatures = new LinkedHashMap<>();
        for (String role : List.of("beneficiary", "beneficiary-representative", "beneficiary-current-employer",
                "establishment-representative")) {
            signatures.put(role, emailAndSms());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("conventionSignatures", signatures);
        m.put("assessmentCompletion", emailAndSms());
        m.put("assessmentSignature", emailAndSms());
        return m;
    }

    private static Map<String, Object> emailAndSms() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", null);
        m.put("sms", null);
        return m;
    }

    /** An instant as JavaScript's toISOString writes it (milliseconds, Z). */
    static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** A day as the platform writes convention dates: an ISO string at UTC midnight. */
    static String utcMidnight(LocalDate day) {
        return iso(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
