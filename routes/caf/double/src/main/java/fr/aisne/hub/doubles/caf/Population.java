package fr.aisne.hub.doubles.caf;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import fr.aisne.hub.doubles.caf.Household.Address;
import fr.aisne.hub.doubles.caf.Household.Event;
import fr.aisne.hub.doubles.caf.Household.Person;
import fr.aisne.hub.doubles.caf.Household.Situation;

/**
 * The simulated population of one seed, computed on demand and never held in memory.
 * <p>
 * Household {@code h} is a pure function of (seed, h): its composition, names, NIRs and initial situation come from a
 * random generator seeded with (seed, h). Day 0 is the reference date; {@code base} households exist on day 0 and a
 * few new ones appear each later day (indices {@code base, base+1...}). On each day {@code d >= 1} a household is
 * "touched" with probability {@link #TOUCH} (a hash of (seed, h, d)); a touched household may change (0->1/2,
 * 2->3/4/5, 3/4->2/5, 5->6, a newborn, a move...). Its situation on day D is obtained by replaying days 1..D, so any
 * day of any seed can be produced in any order, by streaming, with constant memory.
 */
final class Population {
    /** Daily probability that a household has an event. */
    static final double TOUCH = 0.03;
    /** New households per day, relative to the base population. */
    static final double NEW_PER_DAY = 0.002;

    private static final long SALT_BASE = 0x42415345L;
    private static final long SALT_STEP = 0x53544550L;
    private static final long SALT_TOUCH = 0x544f5543L;
    private static final long SALT_NEW = 0x4e455721L;
    private static final long SALT_ADDR = 0x41444452L;
    private static final long SALT_FLUX = 0x464c5558L;

    /** NIR numbering space: month (12) x order (999) x commune index (10) x last digit of the birth year (10). */
    private static final long NIR_SPACE = 12L * 999 * 10 * 10;

    private final long seed;
    private final int base;
    private final LocalDate ref;
    private final String fonorg;
    private final String numorg;

    Population(long seed, int base, LocalDate ref, String fonorg, String numorg) {
        this.seed = seed;
        this.base = base;
        this.ref = ref;
        this.fonorg = fonorg;
        this.numorg = numorg;
    }

    LocalDate date(int day) {
        return ref.plusDays(day);
    }

    /** Number of households created on {@code day} (the base population on day 0). */
    int createdOn(int day) {
        if (day <= 0) {
            return base;
        }
        int mean = Math.max(1, (int) Math.round(base * NEW_PER_DAY));
        return (int) Math.floorMod(key(seed, SALT_NEW, day), 2L * mean + 1);
    }

    /** Households existing at the end of {@code day}. */
    int existingAt(int day) {
        int n = 0;
        for (int d = 0; d <= day; d++) {
            n += createdOn(d);
        }
        return n;
    }

    /** Creation time of a flux (HEUCREAFLUX), deterministic per (seed, day). */
    String fluxTime(int day) {
        SplittableRandom r = new SplittableRandom(key(seed, SALT_FLUX, day));
        return time(19 + r.nextInt(4), r.nextInt(60), r.nextInt(60)) + ".0000";
    }

    /** The households of a monthly flux on {@code day}: every household existing that day, in its situation. */
    void monthly(int day, Consumer<Household> action) {
        int h = 0;
        for (int c = 0; c <= day; c++) {
            int end = h + createdOn(c);
            for (; h < end; h++) {
                Skeleton sk = skeleton(h, c);
                State st = new State(sk);
                for (int d = c + 1; d <= day; d++) {
                    if (touched(h, d)) {
                        step(sk, st, d, false);
                    }
                }
                action.accept(render(sk, st));
            }
        }
    }

    /** The households of a daily flux on {@code day >= 1}: those that changed that day, then the new ones. */
    void daily(int day, Consumer<Household> action) {
        int h = 0;
        for (int c = 0; c < day; c++) {
            int end = h + createdOn(c);
            for (; h < end; h++) {
                if (!touched(h, day)) {
                    continue;
                }
                Skeleton sk = skeleton(h, c);
                State st = new State(sk);
                for (int d = c + 1; d < day; d++) {
                    if (touched(h, d)) {
                        step(sk, st, d, false);
                    }
                }
                if (step(sk, st, day, true)) {
                    action.accept(render(sk, st));
                }
            }
        }
        int end = h + createdOn(day);
        for (; h < end; h++) {
            Skeleton sk = skeleton(h, day);
            State st = new State(sk);
            SplittableRandom r = new SplittableRandom(key(seed, h, SALT_STEP ^ day));
            st.events.add(new Event(date(day), batchTime(r), "DEMRSA"));
            action.accept(render(sk, st));
        }
    }

    private boolean touched(int h, int day) {
        return (key(seed, h, SALT_TOUCH + day) >>> 11) * 0x1.0p-53 < TOUCH;
    }

    // ----------------------------------------------------------------------------------------------- skeleton

    /** What does not change with the days (except by the newborns and moves that {@link State} adds). */
    private static final class Skeleton {
        int index;
        int created;
        String matricule;
        String numdemrsa;
        LocalDate dtdemrsa;
        String oridemrsa;
        String sitfam;
        LocalDate ddsitfam;
        boolean sdf;
        List<Person> persons = new ArrayList<>(8);
        Situation initial;
        String childrenSurname;
        int residence;
    }

    private static final class State {
        Situation situation;
        final List<Person> newborns = new ArrayList<>(2);
        int addressDay;
        int previousAddressDay = -1;
        final List<Event> events = new ArrayList<>(2);

        State(Skeleton sk) {
            situation = sk.initial;
            addressDay = sk.created;
        }
    }

    private Skeleton skeleton(int h, int created) {
        SplittableRandom r = new SplittableRandom(key(seed, h, SALT_BASE));
        LocalDate now = date(created);
        Skeleton sk = new Skeleton();
        sk.index = h;
        sk.created = created;
        sk.matricule = digits(permute(h % 10_000_000L, 10_000_000L, seed ^ 0x4d4154L), 7) + "00000000";
        sk.numdemrsa = digits(permute(h % 100_000_000_000L, 100_000_000_000L, seed ^ 0x4e554dL), 11);

        int composition = r.nextInt(1000); // alone, single parent, couple, couple with children
        boolean couple = composition >= 720;
        int nChildren = 0;
        if ((composition >= 460 && composition < 720) || composition >= 820) {
            int w = r.nextInt(100);
            nChildren = w < 45 ? 1 : w < 75 ? 2 : w < 90 ? 3 : 4;
        }
        boolean aut = r.nextInt(1000) < 15;

        boolean applicantMale;
        int applicantAgeMax;
        if (!couple && nChildren == 0) {
            applicantMale = r.nextInt(100) < 58;
            applicantAgeMax = 34 + r.nextInt(31);
        } else if (!couple) {
            applicantMale = r.nextInt(100) < 12;
            applicantAgeMax = 36 + r.nextInt(20);
        } else {
            applicantMale = r.nextInt(100) < 60;
            applicantAgeMax = nChildren == 0 ? 34 + r.nextInt(29) : 36 + r.nextInt(18);
        }
        boolean sameSex = couple && r.nextInt(100) < 2;
        boolean spouseMale = sameSex == applicantMale;

        sk.sitfam = couple ? any(r, Tables.SITFAM_COUPLE)
                : nChildren == 0 ? any(r, Tables.SITFAM_ALONE) : any(r, Tables.SITFAM_PARENT);
        boolean married = sk.sitfam.equals("MAR");

        // names
        String applicantBirthName = any(r, Tables.SURNAMES);
        String spouseBirthName = differentFrom(r, applicantBirthName);
        String applicantName = applicantBirthName;
        String spouseName = spouseBirthName;
        if (married && !sameSex) {
            if (applicantMale) {
                spouseName = applicantBirthName;
            } else {
                applicantName = spouseBirthName;
            }
        } else if (!applicantMale && (sk.sitfam.equals("DIV") || sk.sitfam.equals("VEU")) && r.nextInt(100) < 40) {
            applicantName = differentFrom(r, applicantBirthName); // keeps the ex-husband's name
        }
        String father = couple ? (applicantMale ? applicantBirthName : spouseBirthName)
                : applicantMale ? applicantBirthName : differentFrom(r, applicantBirthName);
        String mother = couple ? (applicantMale ? spouseBirthName : applicantBirthName) : applicantBirthName;
        int rule = r.nextInt(100);
        String childrenSurname = rule < 80 ? father : rule < 92 ? mother : hyphen(father, mother);
        if (!couple && !applicantMale && rule >= 45 && rule < 80) {
            childrenSurname = mother; // mother alone, children carrying her name
        }
        sk.childrenSurname = childrenSurname;

        // persons: DEM (slot 0), CJT (1), AUT (2), ENF (3..6)
        Person dem = adult(r, h, 0, "DEM", applicantMale, applicantName, applicantBirthName, applicantAgeMax, now);
        sk.persons.add(dem);
        Person cjt = null;
        if (couple) {
            int ageMax = Math.max(30, Math.min(72, applicantAgeMax + r.nextInt(11) - 4));
            cjt = adult(r, h, 1, "CJT", spouseMale, spouseName, spouseBirthName, ageMax, now);
            sk.persons.add(cjt);
        }
        if (aut) {
            boolean male = r.nextBoolean();
            // the applicant's father or mother (who bears the father's name)
            String nomnai = male ? applicantBirthName : differentFrom(r, applicantBirthName);
            sk.persons.add(adult(r, h, 2, "AUT", male, applicantBirthName, nomnai, 70 + r.nextInt(16), now));
        }
        Person motherPerson = !applicantMale ? dem : cjt != null && cjt.sexe() == '2' ? cjt : dem;
        int motherAge = age(motherPerson.dtnai(), now);
        List<Person> children = new ArrayList<>(nChildren);
        Set<String> firstNames = new HashSet<>();
        for (Person p : sk.persons) {
            firstNames.add(p.prenom());
        }
        for (int i = 0; i < nChildren; i++) {
            boolean older = motherAge >= 38 && r.nextInt(100) < 40;
            Person c = child(r, h, 3 + i, childrenSurname, older, now, firstNames);
            firstNames.add(c.prenom());
            children.add(c);
        }
        children.sort((a, b) -> a.dtnai().compareTo(b.dtnai()));

        // dates of the file
        LocalDate adultSince = dem.dtnai().plusYears(couple || nChildren > 0 ? 19 : 25);
        if (!couple && nChildren == 0) {
            sk.ddsitfam = sk.sitfam.equals("CEL") ? dem.dtnai().plusYears(18)
                    : between(r, adultSince, now.minusDays(60));
        } else {
            LocalDate latest = children.isEmpty() ? now.minusDays(60) : children.get(0).dtnai();
            sk.ddsitfam = between(r, dem.dtnai().plusYears(18), latest);
        }
        int state = r.nextInt(1000);
        int etat = created > 0 ? (state < 650 ? 0 : 2)
                : state < 40 ? 0 : state < 60 ? 1 : state < 800 ? 2 : state < 850 ? 3 : state < 930 ? 4
                : state < 970 ? 5 : 6;
        LocalDate rsa = LocalDate.of(2009, 6, 1);
        if (etat <= 1 || created > 0) { // new requests, and refusals of recent requests
            sk.dtdemrsa = now.minusDays(1 + r.nextInt(created > 0 ? 20 : 40));
            sk.oridemrsa = "DEM";
        } else if (r.nextInt(100) < 8 && !dem.dtnai().plusYears(25).isAfter(rsa.minusDays(30))) {
            sk.dtdemrsa = between(r, max(LocalDate.of(1999, 1, 1), dem.dtnai().plusYears(25)), rsa.minusDays(30));
            sk.oridemrsa = "RMI";
        } else {
            long span = Math.max(1, rsa.until(now).toTotalMonths() * 30);
            long days = Math.min(span, 20 + (long) (-Math.log(1 - r.nextDouble()) * 900));
            sk.dtdemrsa = max(now.minusDays(days), max(adultSince, rsa));
            if (sk.dtdemrsa.isAfter(now.minusDays(45))) {
                sk.dtdemrsa = now.minusDays(45 + r.nextInt(30));
            }
            sk.oridemrsa = "DEM";
        }
        sk.initial = initialSituation(r, etat, now, sk.dtdemrsa);

        // CAF file dates, with the persons rebuilt with them
        LocalDate demRat = max(dem.dtnai().plusYears(18), sk.dtdemrsa.minusDays(r.nextInt(1500)));
        List<Person> persons = new ArrayList<>(sk.persons.size() + children.size());
        for (Person p : sk.persons) {
            LocalDate rat = p.role().equals("DEM") ? demRat
                    : p.role().equals("CJT") ? max(demRat, min(sk.ddsitfam, sk.dtdemrsa)) : sk.dtdemrsa;
            persons.add(withRat(p, rat));
        }
        for (Person c : children) {
            persons.add(withRat(c, max(c.dtnai(), demRat)));
        }
        sk.persons = persons;
        sk.sdf = r.nextInt(1000) < 30;
        sk.residence = Tables.pick(Tables.RESIDENCE_WEIGHTS, r.nextInt(1000));
        return sk;
    }

    private Situation initialSituation(SplittableRandom r, int etat, LocalDate now, LocalDate dtdemrsa) {
        switch (etat) {
            case 1:
                return new Situation(1, any(r, Tables.REFUS), max(dtdemrsa, now.minusDays(r.nextInt(25))));
            case 3:
                return new Situation(3, any(r, Tables.SUSPENSION_DROIT), max(dtdemrsa, now.minusDays(r.nextInt(120))));
            case 4:
                return new Situation(4, any(r, Tables.SUSPENSION_VERSEMENT),
                        max(dtdemrsa, now.minusDays(r.nextInt(120))));
            case 5:
                return new Situation(5, any(r, Tables.CLOTURE), max(dtdemrsa, now.minusDays(r.nextInt(28))));
            case 6:
                return new Situation(6, any(r, Tables.CLOTURE), max(dtdemrsa, now.minusDays(35 + r.nextInt(365))));
            default:
                return new Situation(etat, null, null);
        }
    }

    private Person adult(SplittableRandom r, int h, int slot, String role, boolean male, String nom, String nomnai,
            int ageMax, LocalDate now) {
        long q = nirSlot(h, slot);
        int month = (int) (q % 12) + 1;
        int order = (int) (q / 12 % 999) + 1;
        int commune = (int) (q / 12 / 999 % 10);
        int yearDigit = (int) (q / 12 / 999 / 10);
        int year = yearWithDigit(now.getYear() - ageMax, yearDigit);
        LocalDate dtnai = LocalDate.of(year, month, 1);
        dtnai = dtnai.withDayOfMonth(1 + r.nextInt(dtnai.lengthOfMonth()));
        String[] place = birthPlace(Tables.ADULT_BIRTH_WEIGHTS, r.nextInt(1000), commune);
        boolean abroad = place[0].equals("99");
        boolean hasNir = !abroad || r.nextInt(100) < 85;
        String prenom = any(r, male ? Tables.MEN : Tables.WOMEN);
        String prenom2 = r.nextInt(100) < 30 ? differentFrom(r, prenom, male ? Tables.MEN : Tables.WOMEN) : null;
        boolean applicantOrSpouse = !role.equals("AUT");
        String ft = applicantOrSpouse && r.nextInt(100) < 55 ? franceTravail(h, slot) : null;
        Boolean dd = applicantOrSpouse ? r.nextInt(100) < 85 : Boolean.FALSE;
        int idx = commune;
        return new Person(slot, role, male ? "MR" : "MME", nom, nomnai, prenom, prenom2, place[2 + 2 * idx], dtnai,
                hasNir ? nir(male, dtnai, place[0], place[1 + 2 * idx], order) : null, male ? '1' : '2',
                role.equals("DEM"), null, ft, dd);
    }

    private Person child(SplittableRandom r, int h, int slot, String surname, boolean older, LocalDate now,
            Set<String> taken) {
        long q = nirSlot(h, slot);
        int month = (int) (q % 12) + 1;
        int order = (int) (q / 12 % 999) + 1;
        int commune = (int) (q / 12 / 999 % 10);
        int yearDigit = (int) (q / 12 / 999 / 10);
        int year = yearWithDigit(now.getYear() - (older ? 20 : 10), yearDigit);
        LocalDate dtnai = LocalDate.of(year, month, 1);
        dtnai = dtnai.withDayOfMonth(1 + r.nextInt(dtnai.lengthOfMonth()));
        boolean male = r.nextBoolean();
        String[] place = birthPlace(Tables.CHILD_BIRTH_WEIGHTS, r.nextInt(1000), commune);
        boolean hasNir = age(dtnai, now) >= 16 || r.nextInt(100) < 75;
        int idx = commune;
        String prenom = fresh(r, male ? Tables.BOYS : Tables.GIRLS, taken);
        String nir = hasNir ? nir(male, dtnai, place[0], place[1 + 2 * idx], order) : null;
        return new Person(slot, "ENF", null, surname, surname, prenom, null, place[2 + 2 * idx], dtnai, nir,
                male ? '1' : '2', false, null, null, null);
    }

    /**
     * The department of birth drawn with the weights, unless its list has no commune of index {@code commune}: then
     * the Aisne (ten communes). So the commune code is a one-to-one function of the index within each department,
     * which keeps the NIRs unique (see {@link #nirSlot}).
     */
    private static String[] birthPlace(int[] weights, int draw, int commune) {
        String[] place = Tables.BIRTH_PLACES[Tables.pick(weights, draw)];
        return commune < (place.length - 1) / 2 ? place : Tables.BIRTH_PLACES[0];
    }

    private static Person withRat(Person p, LocalDate ddratdos) {
        return new Person(p.slot(), p.role(), p.qual(), p.nom(), p.nomnai(), p.prenom(), p.prenom2(), p.nomcomnai(),
                p.dtnai(), p.nir(), p.sexe(), p.respDossier(), ddratdos, p.idassedic(), p.droitsEtDevoirs());
    }

    /** The 13-character NIR; Corsica is 20 before 1976, 2A/2B after. */
    private static String nir(boolean male, LocalDate dtnai, String dept, String commune, int order) {
        if ((dept.equals("2A") || dept.equals("2B")) && dtnai.getYear() < 1976) {
            dept = "20";
        }
        StringBuilder b = new StringBuilder(13);
        b.append(male ? '1' : '2');
        two(b, dtnai.getYear() % 100);
        two(b, dtnai.getMonthValue());
        b.append(dept).append(commune);
        if (order < 100) {
            b.append('0');
        }
        if (order < 10) {
            b.append('0');
        }
        b.append(order);
        return b.toString();
    }

    /**
     * A number in [0, 1 198 800) unique per person (h * 8 + slot, modulo the space) that gives the month of birth,
     * the order number, the commune index and the last digit of the birth year: two persons of fewer than about
     * 150 000 households never share a NIR (beyond that, only if sex, year, department also coincide).
     */
    private long nirSlot(int h, int slot) {
        return permute(((long) h * 8 + slot) % NIR_SPACE, NIR_SPACE, seed ^ 0x4e4952L);
    }

    private String franceTravail(int h, int slot) {
        long p = (long) h * 8 + slot;
        long n = permute(p % 10_000_000L, 10_000_000L, seed ^ 0x4654L);
        int letters = Tables.FT_LETTERS.length();
        char letter = Tables.FT_LETTERS.charAt((int) Math.floorMod(key(seed, p, 0x4c4554L), letters));
        return digits(n, 7) + letter;
    }

    // --------------------------------------------------------------------------------------------------- days

    /**
     * Applies day {@code d} to a touched household. Returns true when the household is sent in that day's daily
     * flux (it changed, or had an event); records the event when {@code record}.
     */
    private boolean step(Skeleton sk, State st, int d, boolean record) {
        SplittableRandom r = new SplittableRandom(key(seed, sk.index, SALT_STEP ^ d));
        LocalDate today = date(d);
        Situation s = st.situation;
        int x = r.nextInt(100);
        String fg;
        switch (s.etat()) {
            case 0:
                if (x < 70) {
                    st.situation = new Situation(2, null, null);
                } else {
                    st.situation = new Situation(1, any(r, Tables.REFUS), today);
                }
                fg = "DECDEMPCG";
                break;
            case 2:
                if (x < 25) {
                    st.situation = new Situation(4, any(r, Tables.SUSPENSION_VERSEMENT), today);
                    fg = "SUS";
                } else if (x < 40) {
                    st.situation = new Situation(3, any(r, Tables.SUSPENSION_DROIT), today);
                    fg = "SUS";
                } else if (x < 55) {
                    st.situation = new Situation(5, any(r, Tables.CLOTURE), today);
                    fg = "RAD";
                } else if (x < 70 && newborn(sk, st, r, today)) {
                    fg = "SITENFAUT";
                } else if (x < 88) {
                    st.previousAddressDay = st.addressDay;
                    st.addressDay = d;
                    fg = "ADR";
                } else {
                    fg = "RESTRIRSA";
                }
                break;
            case 3:
            case 4:
                if (x < (s.etat() == 3 ? 60 : 70)) {
                    st.situation = new Situation(2, null, null);
                    fg = "SUS";
                } else {
                    st.situation = new Situation(5, any(r, Tables.CLOTURE), today);
                    fg = "RAD";
                }
                break;
            case 5:
                boolean earlierMonth = s.date().getMonthValue() != today.getMonthValue()
                        || s.date().getYear() != today.getYear();
                if (x < 50 && earlierMonth) {
                    st.situation = new Situation(6, s.motif(), s.date());
                    fg = "RAD";
                } else {
                    return false;
                }
                break;
            default: // 1 refused, 6 closed earlier: nothing more happens to them
                return false;
        }
        if (record) {
            st.events.add(new Event(today, batchTime(r), fg));
        }
        return true;
    }

    private boolean newborn(Skeleton sk, State st, SplittableRandom r, LocalDate today) {
        int children = st.newborns.size();
        Person mother = null;
        for (Person p : sk.persons) {
            if (p.role().equals("ENF")) {
                children++;
            } else if (!p.role().equals("AUT") && p.sexe() == '2' && age(p.dtnai(), today) >= 18
                    && age(p.dtnai(), today) <= 45) {
                mother = p;
            }
        }
        if (mother == null || children >= 6) {
            return false;
        }
        LocalDate dtnai = today.minusDays(2 + r.nextInt(24));
        boolean male = r.nextBoolean();
        String birthPlace = Tables.RESIDENCES[sk.residence][2];
        Set<String> taken = new HashSet<>();
        for (Person p : sk.persons) {
            taken.add(p.prenom());
        }
        for (Person p : st.newborns) {
            taken.add(p.prenom());
        }
        st.newborns.add(new Person(sk.persons.size() + st.newborns.size(), "ENF", null, sk.childrenSurname,
                sk.childrenSurname, fresh(r, male ? Tables.BOYS : Tables.GIRLS, taken), null, birthPlace, dtnai, null,
                male ? '1' : '2', false, dtnai, null, null));
        return true;
    }

    // --------------------------------------------------------------------------------------------- rendering

    private Household render(Skeleton sk, State st) {
        List<Person> persons = sk.persons;
        if (!st.newborns.isEmpty()) {
            persons = new ArrayList<>(sk.persons);
            persons.addAll(st.newborns);
        }
        List<Address> addresses = st.previousAddressDay < 0 ? List.of(address(sk, st.addressDay, 1))
                : List.of(address(sk, st.addressDay, 1), address(sk, st.previousAddressDay, 2));
        return new Household(sk.index, fonorg, numorg, sk.matricule, sk.numdemrsa, sk.dtdemrsa, sk.oridemrsa,
                sk.sitfam, sk.ddsitfam, sk.sdf, addresses, st.situation, Collections.unmodifiableList(persons),
                st.events.isEmpty() ? List.of() : List.copyOf(st.events));
    }

    /** The address the household moved to on {@code day} (its first one when day is its creation day). */
    private Address address(Skeleton sk, int day, int rank) {
        SplittableRandom r = new SplittableRandom(key(seed, sk.index, SALT_ADDR + day));
        String[] commune = Tables.RESIDENCES[day == sk.created ? sk.residence
                : Tables.pick(Tables.RESIDENCE_WEIGHTS, r.nextInt(1000))];
        LocalDate dtemm = day == sk.created ? min(sk.dtdemrsa, date(day).minusDays(30 + r.nextInt(3000)))
                : date(day).minusDays(r.nextInt(10));
        dtemm = max(dtemm, sk.persons.get(0).dtnai().plusYears(18));
        if (sk.sdf) {
            return new Address(rank, dtemm, "", "CCAS DE " + commune[2], "1", "PLACE", "DE L HOTEL DE VILLE", "",
                    commune[0], commune[1], commune[2]);
        }
        int n = 1 + (int) Math.min(180, -Math.log(1 - r.nextDouble()) * 25);
        String numVoie = r.nextInt(100) < 6 && n < 100 ? n + " BIS" : String.valueOf(n); // max 6 characters
        String complIde = r.nextInt(100) < 30 ? "APPARTEMENT " + (1 + r.nextInt(120)) : "";
        String compl = r.nextInt(100) < 20 ? any(r, Tables.BUILDINGS) : "";
        return new Address(rank, dtemm, complIde, compl, numVoie, any(r, Tables.STREET_TYPES), any(r, Tables.STREETS),
                "", commune[0], commune[1], commune[2]);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static String batchTime(SplittableRandom r) {
        return time(1 + r.nextInt(5), r.nextInt(60), r.nextInt(60));
    }

    private static String time(int h, int m, int s) {
        StringBuilder b = new StringBuilder(8);
        two(b, h);
        b.append(':');
        two(b, m);
        b.append(':');
        two(b, s);
        return b.toString();
    }

    private static void two(StringBuilder b, int v) {
        if (v < 10) {
            b.append('0');
        }
        b.append(v);
    }

    static String digits(long v, int width) {
        String s = Long.toString(v);
        if (s.length() >= width) {
            return s;
        }
        StringBuilder b = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s).toString();
    }

    /** The year in [first, first + 9] whose last digit is {@code digit}. */
    private static int yearWithDigit(int first, int digit) {
        return first + Math.floorMod(digit - first, 10);
    }

    static int age(LocalDate birth, LocalDate on) {
        return birth.until(on).getYears();
    }

    private static LocalDate between(SplittableRandom r, LocalDate from, LocalDate to) {
        long span = from.until(to, java.time.temporal.ChronoUnit.DAYS);
        return span <= 0 ? to : from.plusDays(r.nextLong(span + 1));
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static String any(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    /** A value of {@code values} not in {@code taken} (siblings do not share a first name). */
    private static String fresh(SplittableRandom r, String[] values, Set<String> taken) {
        int i = r.nextInt(values.length);
        for (int k = 0; k < values.length && taken.contains(values[i]); k++) {
            i = (i + 1) % values.length;
        }
        return values[i];
    }

    private static String differentFrom(SplittableRandom r, String value) {
        return differentFrom(r, value, Tables.SURNAMES);
    }

    private static String differentFrom(SplittableRandom r, String value, String[] values) {
        String v = any(r, values);
        return v.equals(value) ? values[(indexOf(values, v) + 1) % values.length] : v;
    }

    private static int indexOf(String[] values, String v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals(v)) {
                return i;
            }
        }
        return 0;
    }

    private static String hyphen(String a, String b) {
        String s = a + "-" + b;
        return s.length() <= 28 && !a.contains("-") && !b.contains("-") && !a.contains(" ") && !b.contains(" ")
                ? s : a;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long key(long seed, long a, long b) {
        return mix(seed * 0x9E3779B97F4A7C15L + mix(a * 0xC2B2AE3D27D4EB4FL + mix(b + 0x165667B19E3779F9L)));
    }

    /**
     * A bijection of [0, domain): a 4-round Feistel network on the smallest even number of bits that covers the
     * domain, with cycle walking. Used for identifiers that must be unique and look random.
     */
    static long permute(long x, long domain, long k) {
        int bits = 64 - Long.numberOfLeadingZeros(domain - 1);
        if ((bits & 1) == 1) {
            bits++;
        }
        int half = bits / 2;
        long mask = (1L << half) - 1;
        do {
            long l = x >>> half;
            long rr = x & mask;
            for (int i = 0; i < 4; i++) {
                long nl = rr;
                rr = l ^ (mix(rr + k * 31 + i * 0x9E3779B97F4A7C15L) & mask);
                l = nl;
            }
            x = (l << half) | rr;
        } while (x >= domain);
        return x;
    }
}
