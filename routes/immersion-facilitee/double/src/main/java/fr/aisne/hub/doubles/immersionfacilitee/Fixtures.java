package fr.aisne.hub.doubles.immersionfacilitee;

import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import fr.aisne.hub.doubles.immersionfacilitee.Convention.Appellation;
import fr.aisne.hub.doubles.immersionfacilitee.Convention.Assessment;
import fr.aisne.hub.doubles.immersionfacilitee.Convention.Beneficiary;
import fr.aisne.hub.doubles.immersionfacilitee.Convention.Employer;
import fr.aisne.hub.doubles.immersionfacilitee.Convention.Person;
import fr.aisne.hub.doubles.immersionfacilitee.Schedule.Period;

/**
 * The conventions the double starts with: a dozen named ones with fixed ids (the cases a connector must get right,
 * README "Fixtures") and {@code fixtures.generated} more drawn from {@code fixtures.seed}, all consistent with
 * {@code fixtures.referenceDate} (past conventions validated and assessed, future ones still being signed). The same
 * settings always give the same conventions. Every identity, address, SIRET and e-mail is synthetic.
 */
final class Fixtures {
    /** The named fixtures' ids ("0c0a0000-0000-4000-8000-0000000000NN"). */
    static final String MONTH_END = named(1);
    static final String DST_SPRING = named(2);
    static final String DST_AUTUMN = named(3);
    static final String LEGACY_TOTAL_HOURS = named(4);
    static final String FT_LAON_ONLY = named(5);
    static final String OTHER_DEPARTMENT = named(6);
    static final String EMPLOYEE = named(7);
    static final String RQTH_DID_NOT_SHOW = named(8);
    static final String IN_REVIEW_NEXT_MONTH = named(9);
    static final String OUT_OF_SCOPE = named(10);
    static final String IRREGULAR = named(11);
    static final String LEGACY_ABANDONED = named(12);

    private static final Set<DayOfWeek> MON_FRI = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    private static final Set<DayOfWeek> TUE_SUN = EnumSet.range(DayOfWeek.TUESDAY, DayOfWeek.SUNDAY);

    private static final String[] FIRST_NAMES = {"Marie", "Julien", "Sophie", "Thomas", "Camille", "Nicolas", "Laura",
        "Kévin", "Amandine", "Mehdi", "Sarah", "Anthony", "Nadia", "Jérôme", "Élodie", "Yannick", "Fatoumata", "Dylan",
        "Chloé", "Rachid", "Aurélie", "Maxime", "Inès", "Ludovic", "Céline", "Bastien", "Océane", "Karim", "Sandrine",
        "Florian"};
    private static final String[] LAST_NAMES = {"Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Lambert",
        "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
        "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Henry",
        "Roussel", "Duval", "Leclerc", "Caron", "Dumont", "Lemaire", "Carpentier", "Delattre", "Vasseur", "Lecomte"};
    private static final String[][] BUSINESSES_02 = {
        {"Boulangerie Au Pain de Laon", "12 rue Châtelaine, 02000 Laon"},
        {"EHPAD Les Tilleuls", "5 avenue Gabriel Hanotaux, 02100 Saint-Quentin"},
        {"Jardins du Soissonnais", "18 rue du Collège, 02200 Soissons"},
        {"Menuiserie Vallée de l'Oise", "3 rue de la Fère, 02300 Chauny"},
        {"Supermarché du Vermandois", "44 boulevard Gambetta, 02100 Saint-Quentin"},
        {"Garage Thiérache Auto", "7 route de Vervins, 02500 Hirson"},
        {"Restaurant Le Marne", "21 avenue de Soissons, 02400 Château-Thierry"},
        {"Logistique Picarde - entrepôt 3", "ZA du Griffon, 02000 Barenton-Bugny"},
        {"Maison de santé de Guise", "2 place d'Armes, 02120 Guise"},
        {"Propreté Services Aisne", "9 rue de la Sous-Préfecture, 02100 Saint-Quentin"}};
    private static final String[][] BUSINESSES_80 = {
        {"Atelier Samarien", "15 rue des Jacobins, 80000 Amiens"},
        {"Ferme des Hortillons", "2 chemin de Halage, 80000 Amiens"}};
    /** Real ROME codes and labels; the appellation codes are illustrative. */
    private static final Appellation[] APPELLATIONS = {
        new Appellation("D1102", "Boulangerie - viennoiserie", "11573", "Boulanger / Boulangère"),
        new Appellation("J1501", "Soins d'hygiène, de confort du patient", "11017", "Aide-soignant / Aide-soignante"),
        new Appellation("A1203", "Aménagement et entretien des espaces verts", "11036", "Jardinier / Jardinière"),
        new Appellation("H2206", "Réalisation de menuiserie bois et tonnellerie", "15397", "Menuisier / Menuisière"),
        new Appellation("D1507", "Mise en rayon libre-service", "11899", "Employé / Employée de libre-service"),
        new Appellation("I1604", "Mécanique automobile et entretien de véhicules", "12917", "Mécanicien / Mécanicienne automobile"),
        new Appellation("G1602", "Personnel de cuisine", "12179", "Commis / Commise de cuisine"),
        new Appellation("N1103", "Magasinage et préparation de commandes", "12910", "Préparateur / Préparatrice de commandes"),
        new Appellation("K1302", "Assistance auprès d'adultes", "12086", "Auxiliaire de vie"),
        new Appellation("K2204", "Nettoyage de locaux", "11909", "Agent / Agente de propreté des locaux")};
    private static final String[] TUTOR_JOBS = {"Gérant", "Cheffe d'équipe", "Responsable de magasin",
        "Infirmière coordinatrice", "Chef de cuisine", "Responsable d'atelier"};

    /** Weekly patterns of the generated conventions (days, periods); at most 48 h a week. */
    private static final Object[][] PATTERNS = {
        {MON_FRI, List.of(Period.of("09:00", "12:00"), Period.of("13:00", "17:00"))},
        {MON_FRI, List.of(Period.of("08:00", "12:00"), Period.of("13:30", "16:30"))},
        {MON_FRI, List.of(Period.of("08:30", "12:00"))},
        {EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), List.of(Period.of("09:00", "12:30"), Period.of("13:30", "17:00"))},
        {EnumSet.range(DayOfWeek.TUESDAY, DayOfWeek.SATURDAY), List.of(Period.of("09:00", "12:30"), Period.of("14:00", "18:00"))},
        {MON_FRI, List.of(Period.of("06:00", "13:00"))},
        {EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), List.of(Period.of("14:00", "18:00"))}};
    private static final int[] LENGTHS = {4, 11, 12, 18, 25, 26};

    private Fixtures() {
    }

    private static String named(int n) {
        return String.format("0c0a0000-0000-4000-8000-%012d", n);
    }

    /** All the starting conventions for these settings. */
    static List<Convention> all(Settings settings) {
        List<Convention> all = new ArrayList<>(named(settings.fixturesReferenceDate()));
        Random r = new Random(settings.fixturesSeed());
        LocalDate ref = settings.fixturesReferenceDate();
        for (int i = 0; i < settings.fixturesGenerated(); i++) {
            all.add(generated(r, ref));
        }
        return all;
    }

    // -------------------------------------------------------------------------------------- named fixtures

    private static List<Convention> named(LocalDate ref) {
        List<Convention> l = new ArrayList<>();
        Random r = new Random(20240901L);
        // across a month end (January -> February), 6.5 h a day
        Convention monthEnd = base(r, MONTH_END, Agency.CD02, Schedule.weekly(d("2025-01-27"), d("2025-02-07"), MON_FRI,
                List.of(Period.of("09:00", "12:00"), Period.of("13:30", "17:00"))), 0);
        settle(monthEnd, Status.ACCEPTED_BY_VALIDATOR);
        monthEnd.assessment = new Assessment("COMPLETED", true, at("2025-02-10T09:12:00Z"), at("2025-02-11T16:40:00Z"));
        l.add(monthEnd);
        // a bakery's nights across the spring change (Sunday 2025-03-30, 02:00 -> 03:00 in Paris): 7 h written, 6 h lived;
        // a France Travail agency that refers to the department
        Convention spring = base(r, DST_SPRING, Agency.FT_SAINT_QUENTIN, Schedule.weekly(d("2025-03-25"), d("2025-04-06"),
                TUE_SUN, List.of(Period.of("02:00", "09:00"))), 0);
        spring.appellation = APPELLATIONS[0];
        spring.businessName = BUSINESSES_02[0][0];
        spring.immersionAddress = BUSINESSES_02[0][1];
        settle(spring, Status.ACCEPTED_BY_VALIDATOR);
        l.add(spring);
        // across the autumn change (Sunday 2025-10-26, 03:00 -> 02:00: 7 h written, 8 h lived) and a month end
        Convention autumn = base(r, DST_AUTUMN, Agency.CD02, Schedule.weekly(d("2025-10-21"), d("2025-11-01"), TUE_SUN,
                List.of(Period.of("02:00", "09:00"))), 0);
        autumn.appellation = APPELLATIONS[0];
        autumn.businessName = BUSINESSES_02[0][0];
        autumn.immersionAddress = BUSINESSES_02[0][1];
        settle(autumn, Status.ACCEPTED_BY_VALIDATOR);
        autumn.assessment = new Assessment("PARTIALLY_COMPLETED", false, at("2025-11-04T10:00:00Z"), null);
        l.add(autumn);
        // ended before 2024-09-01 with a totalHours that is not the sum of its days (70 h): the platform let it through
        Convention legacy = base(r, LEGACY_TOTAL_HOURS, Agency.CD02, Schedule.weekly(d("2024-06-03"), d("2024-06-14"),
                MON_FRI, List.of(Period.of("09:00", "12:00"), Period.of("13:00", "17:00"))).withLegacyTotalHours(75), 0);
        settle(legacy, Status.ACCEPTED_BY_VALIDATOR);
        legacy.updatedAt = null;
        legacy.assessment = new Assessment("FINISHED", null, at("2024-06-20T08:30:00Z"), null);
        l.add(legacy);
        // France Travail's own (no agencyRefersTo): not the department's, though its key may read it
        Convention ftLaon = base(r, FT_LAON_ONLY, Agency.FT_LAON, weekly("2025-09-08", "2025-09-19"), 0);
        settle(ftLaon, Status.ACCEPTED_BY_VALIDATOR);
        l.add(ftLaon);
        // another department's conseil départemental (agencyDepartment "80")
        Convention somme = base(r, OTHER_DEPARTMENT, Agency.CD80, weekly("2025-09-15", "2025-09-26"), 0);
        somme.businessName = BUSINESSES_80[0][0];
        somme.immersionAddress = BUSINESSES_80[0][1];
        settle(somme, Status.ACCEPTED_BY_VALIDATOR);
        l.add(somme);
        // the beneficiary is an employee (signatories.beneficiaryCurrentEmployer present)
        Convention employee = base(r, EMPLOYEE, Agency.CD02, weekly("2025-11-17", "2025-11-21"), 0);
        employee.currentEmployer = employer(r);
        settle(employee, Status.ACCEPTED_BY_VALIDATOR);
        l.add(employee);
        // RQTH beneficiary who did not show
        Convention rqth = base(r, RQTH_DID_NOT_SHOW, Agency.CD02, weekly("2025-12-01", "2025-12-05"), 0);
        rqth.beneficiary.isRqth = true;
        settle(rqth, Status.ACCEPTED_BY_VALIDATOR);
        rqth.assessment = new Assessment("DID_NOT_SHOW", false, at("2025-12-08T14:00:00Z"), at("2025-12-09T09:00:00Z"));
        l.add(rqth);
        // in review, a month after the reference date: for status moves and transfers
        LocalDate next = ref.plusMonths(1).with(java.time.temporal.TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        Convention review = base(r, IN_REVIEW_NEXT_MONTH, Agency.CD02, Schedule.weekly(next, next.plusDays(11), MON_FRI,
                List.of(Period.of("09:00", "12:00"), Period.of("13:00", "17:00"))), 0);
        settle(review, Status.IN_REVIEW);
        l.add(review);
        // an agency outside the Aisne hub's scope
        Convention amiens = base(r, OUT_OF_SCOPE, Agency.FT_AMIENS, weekly("2025-10-06", "2025-10-10"), 0);
        amiens.businessName = BUSINESSES_80[1][0];
        amiens.immersionAddress = BUSINESSES_80[1][1];
        settle(amiens, Status.ACCEPTED_BY_VALIDATOR);
        l.add(amiens);
        // different hours each day, a Saturday, a day off in the middle (isSimple false)
        Map<LocalDate, List<Period>> days = new LinkedHashMap<>();
        days.put(d("2025-12-15"), List.of(Period.of("08:00", "12:00"), Period.of("13:00", "16:00")));
        days.put(d("2025-12-16"), List.of(Period.of("13:30", "18:30")));
        days.put(d("2025-12-18"), List.of(Period.of("07:45", "12:15")));
        days.put(d("2025-12-19"), List.of(Period.of("08:00", "12:00"), Period.of("14:00", "17:30")));
        days.put(d("2025-12-20"), List.of(Period.of("09:00", "12:00")));
        Convention irregular = base(r, IRREGULAR, Agency.CD02, Schedule.daily(d("2025-12-15"), d("2025-12-20"), days), 0);
        settle(irregular, Status.ACCEPTED_BY_COUNSELLOR);
        l.add(irregular);
        // legacy assessment ABANDONED (before the COMPLETED/PARTIALLY_COMPLETED/DID_NOT_SHOW statuses)
        Convention abandoned = base(r, LEGACY_ABANDONED, Agency.CD02, weekly("2023-11-06", "2023-11-17"), 0);
        settle(abandoned, Status.ACCEPTED_BY_VALIDATOR);
        abandoned.updatedAt = null;
        abandoned.assessment = new Assessment("ABANDONED", null, at("2023-11-20T10:00:00Z"), null);
        l.add(abandoned);
        return l;
    }

    private static Schedule weekly(String start, String end) {
        return Schedule.weekly(d(start), d(end), MON_FRI, List.of(Period.of("09:00", "12:00"), Period.of("13:00", "17:00")));
    }

    // -------------------------------------------------------------------------------------- generated fixtures

    private static Convention generated(Random r, LocalDate ref) {
        int roll = r.nextInt(100);
        Agency agency = roll < 55 ? Agency.CD02 : roll < 70 ? Agency.FT_SAINT_QUENTIN : roll < 82 ? Agency.FT_LAON
                : roll < 94 ? Agency.CD80 : Agency.FT_AMIENS;
        Object[] pattern = PATTERNS[r.nextInt(PATTERNS.length)];
        @SuppressWarnings("unchecked")
        Set<DayOfWeek> weekdays = (Set<DayOfWeek>) pattern[0];
        @SuppressWarnings("unchecked")
        List<Period> periods = (List<Period>) pattern[1];
        LocalDate start = ref.minusDays(640).plusDays(r.nextInt(700));
        while (!weekdays.contains(start.getDayOfWeek())) {
            start = start.plusDays(1);
        }
        LocalDate end = start.plusDays(LENGTHS[r.nextInt(LENGTHS.length)]);
        Convention c = base(r, uuid(r), agency, Schedule.weekly(start, end, weekdays, periods), 0);
        if (r.nextInt(100) < 10) {
            c.currentEmployer = employer(r);
        }
        c.beneficiary.isRqth = r.nextInt(100) < 8;
        Status status;
        int s = r.nextInt(100);
        if (start.isBefore(ref.minusDays(14))) {
            status = s < 78 ? Status.ACCEPTED_BY_VALIDATOR : s < 84 ? Status.CANCELLED : s < 93 ? Status.REJECTED
                    : Status.DEPRECATED;
        } else if (!start.isAfter(ref.plusDays(7))) {
            status = s < 60 ? Status.ACCEPTED_BY_VALIDATOR : s < 70 ? Status.ACCEPTED_BY_COUNSELLOR
                    : s < 85 ? Status.IN_REVIEW : s < 95 ? Status.PARTIALLY_SIGNED : Status.READY_TO_SIGN;
        } else {
            status = s < 30 ? Status.READY_TO_SIGN : s < 55 ? Status.PARTIALLY_SIGNED : s < 80 ? Status.IN_REVIEW
                    : s < 90 ? Status.ACCEPTED_BY_COUNSELLOR : Status.ACCEPTED_BY_VALIDATOR;
        }
        if (status == Status.ACCEPTED_BY_COUNSELLOR && !"counsellor-and-validator".equals(agency.validationSteps())) {
            status = Status.IN_REVIEW;
        }
        settle(c, status);
        boolean legacy = end.isBefore(LocalDate.of(2024, 9, 1));
        if (status == Status.ACCEPTED_BY_VALIDATOR && legacy && r.nextInt(100) < 15) {
            c.schedule = c.schedule.withLegacyTotalHours(c.schedule.sumOfDays() + (r.nextBoolean() ? 3.5 : -2));
        }
        if (status == Status.ACCEPTED_BY_VALIDATOR && end.isBefore(ref) && r.nextInt(100) < 75) {
            Instant created = end.plusDays(1 + r.nextInt(10)).atTime(9 + r.nextInt(8), r.nextInt(60)).toInstant(ZoneOffset.UTC);
            int a = r.nextInt(100);
            if (end.isBefore(LocalDate.of(2024, 6, 1))) {
                c.assessment = new Assessment(a < 85 ? "FINISHED" : "ABANDONED", null, created, null);
            } else {
                c.assessment = new Assessment(a < 60 ? "COMPLETED" : a < 80 ? "PARTIALLY_COMPLETED" : "DID_NOT_SHOW",
                        a < 30, created, a % 2 == 0 ? created.plusSeconds(86_400) : null);
            }
        }
        return c;
    }

    /** A v4 UUID drawn from {@code r} (deterministic for a seed). */
    static String uuid(Random r) {
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * A READY_TO_SIGN convention of {@code agency} with generated parties, business and job; {@code salt} varies
     * the names of conventions created by the control API.
     */
    static Convention base(Random r, String id, Agency agency, Schedule schedule, int salt) {
        Convention c = new Convention(id);
        c.agency = agency;
        c.schedule = schedule;
        String[] business = agency.department().equals("80") ? BUSINESSES_80[r.nextInt(BUSINESSES_80.length)]
                : BUSINESSES_02[r.nextInt(BUSINESSES_02.length)];
        c.businessName = business[0];
        c.immersionAddress = business[1];
        c.siret = siret(r);
        c.appellation = APPELLATIONS[r.nextInt(APPELLATIONS.length)];
        c.immersionActivities = "Découverte du poste de " + c.appellation.appellationLabel().toLowerCase(Locale.FRENCH)
                + " aux côtés du tuteur";
        c.immersionSkills = "Ponctualité, travail en équipe, respect des consignes de sécurité";
        c.individualProtection = r.nextBoolean();
        c.individualProtectionDescription = c.individualProtection ? "Chaussures de sécurité et gants fournis" : "";
        c.sanitaryPrevention = r.nextInt(4) == 0;
        c.sanitaryPreventionDescription = c.sanitaryPrevention ? "Visite d'information et de prévention" : "";
        c.businessAdvantages = r.nextInt(3) == 0 ? "Repas pris en charge" : null;
        c.establishmentNumberEmployeesRange = new String[] {"1-2", "3-5", "6-9", "10-19", "20-49", "50-99"}[r.nextInt(6)];
        LocalDate start = schedule.start();
        LocalDate birth = LocalDate.of(1964, 1, 1).plusDays(r.nextInt(15_000));
        if (birth.plusYears(18).isAfter(start)) {
            birth = start.minusYears(19 + r.nextInt(20));
        }
        c.beneficiary = new Beneficiary(person(r, salt, null), birth, false);
        if (r.nextInt(10) < 7) {
            Person contact = person(r, salt, null);
            c.beneficiary.emergencyContact = contact.firstName + " " + contact.lastName;
            c.beneficiary.emergencyContactPhone = contact.phone;
            c.beneficiary.emergencyContactEmail = contact.email;
        }
        c.establishmentRepresentative = person(r, salt, null);
        c.tutor = person(r, salt, TUTOR_JOBS[r.nextInt(TUTOR_JOBS.length)]);
        if (r.nextInt(3) == 0) {
            Person referent = person(r, salt, null);
            c.agencyReferent = new String[] {referent.firstName, referent.lastName};
        }
        c.dateSubmission = start.minusDays(5 + r.nextInt(20)).atTime(8 + r.nextInt(10), r.nextInt(60))
                .toInstant(ZoneOffset.UTC);
        c.updatedAt = c.dateSubmission;
        return c;
    }

    private static Employer employer(Random r) {
        Person p = person(r, 0, "Responsable des ressources humaines");
        String[] business = BUSINESSES_02[r.nextInt(BUSINESSES_02.length)];
        return new Employer(p, siret(r), business[0], business[1]);
    }

    /**
     * Puts a fixture in {@code status} with consistent dates (signatures after submission, approval and validation
     * before the start), without firing anything.
     */
    static void settle(Convention c, Status status) {
        Instant t = c.dateSubmission;
        if (status != Status.READY_TO_SIGN) {
            List<String> roles = c.signatoryRoles();
            int sign = status == Status.PARTIALLY_SIGNED ? 1 : roles.size();
            for (int i = 0; i < sign; i++) {
                t = t.plusSeconds(20_000 + 3_600L * i);
                c.signedAt.put(roles.get(i), t);
            }
        }
        boolean reviewed = status == Status.ACCEPTED_BY_COUNSELLOR || status == Status.ACCEPTED_BY_VALIDATOR
                || status == Status.CANCELLED;
        if (reviewed && "counsellor-and-validator".equals(c.agency.validationSteps())) {
            t = t.plusSeconds(86_400);
            c.dateApproval = t;
            c.counsellor = new String[] {"Camille", "Conseillère"};
        }
        if (status == Status.ACCEPTED_BY_VALIDATOR || status == Status.CANCELLED) {
            t = t.plusSeconds(86_400);
            c.dateValidation = t;
            c.validator = new String[] {"Dominique", "Validatrice"};
        }
        if (status == Status.CANCELLED) {
            t = t.plusSeconds(3_600);
            c.statusJustification = "Entreprise fermée pour travaux";
        } else if (status == Status.REJECTED) {
            t = t.plusSeconds(3_600);
            c.statusJustification = "Projet professionnel à retravailler avec le référent";
        } else if (status == Status.DEPRECATED) {
            t = t.plusSeconds(3_600);
            c.statusJustification = "Convention remplacée par une nouvelle demande";
        }
        c.status = status;
        // conventions submitted before 2024-03-01 carry no updatedAt, as older platform rows
        c.updatedAt = c.dateSubmission.isBefore(Instant.parse("2024-03-01T00:00:00Z")) ? null : t;
    }

    private static Person person(Random r, int salt, String job) {
        String first = FIRST_NAMES[r.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[(r.nextInt(LAST_NAMES.length) + salt) % LAST_NAMES.length];
        String email = ascii(first) + "." + ascii(last) + "." + (10 + r.nextInt(90)) + "@example.net";
        String phone = "+336" + String.format("%08d", r.nextInt(100_000_000));
        return new Person(first, last, email, phone, job);
    }

    /** A 14-digit SIRET with a valid Luhn key (SIREN starting with 999: synthetic). */
    static String siret(Random r) {
        String body = "999" + String.format("%010d", (long) r.nextInt(1_000_000_000) * 10 + r.nextInt(10)).substring(0, 10);
        for (int k = 0; k < 10; k++) {
            if (luhn(body + k)) {
                return body + k;
            }
        }
        throw new IllegalStateException();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    static String ascii(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
    }

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    private static Instant at(String s) {
        return Instant.parse(s);
    }
}
