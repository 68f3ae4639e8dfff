package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.doubles.caf.CafFluxGenerator.Spec;

public class CafFluxGeneratorTest {
    private static final CafFluxGenerator GEN = new CafFluxGenerator();
    private static final Charset CP1252 = Charset.forName("windows-1252");

    /** The 2,000-household monthly flux of seed 42 (day 0), shared by several tests. */
    private static byte[] monthly2000;
    private static Flux.Content monthly2000Content;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void generate() throws Exception {
        monthly2000 = GEN.toBytes(CafFluxGenerator.monthly(2000, 42));
        monthly2000Content = Flux.content(monthly2000);
    }

    @Test
    public void monthlyAndDailyFluxesValidateAgainstTheCnafSchema() throws Exception {
        Flux.validate(monthly2000);
        for (long seed : new long[] {1, 42}) {
            for (int households : new int[] {1, 50, 2000}) {
                if (seed != 42 || households != 2000) {
                    Flux.validate(GEN.toBytes(CafFluxGenerator.monthly(households, seed)));
                }
                Flux.validate(GEN.toBytes(CafFluxGenerator.daily(households, seed)));
                Flux.validate(GEN.toBytes(CafFluxGenerator.daily(households, seed).day(7)));
            }
        }
        Flux.validate(GEN.toBytes(CafFluxGenerator.monthly(2000, 42).day(30)));
        Flux.validate(GEN.toBytes(CafFluxGenerator.monthly(0, 3))); // no household at all is valid too
    }

    @Test
    public void declaredWindows1252WithAccentedNamesEncodedInWindows1252() throws Exception {
        String declaration = "<?xml version=\"1.0\" encoding=\"windows-1252\"?>";
        assertEquals(declaration, new String(monthly2000, 0, declaration.length(), StandardCharsets.US_ASCII));
        assertTrue("é as the single byte 0xE9", indexOf(monthly2000, new byte[] {(byte) 0xE9}) >= 0);
        assertTrue("no UTF-8 é (0xC3 0xA9)", indexOf(monthly2000, new byte[] {(byte) 0xC3, (byte) 0xA9}) < 0);
        assertTrue("œ as 0x9C: windows-1252, not ISO-8859-1", indexOf(monthly2000, new byte[] {(byte) 0x9C}) >= 0);
        Set<String> accented = new TreeSet<>();
        for (Flux.Foyer f : monthly2000Content.foyers) {
            for (Map<String, String> p : f.persons) {
                for (String field : new String[] {"NOM", "NOMNAI", "PRENOM"}) {
                    if (p.get(field).matches(".*[éèêëàâîïôöûüçœÉ].*")) {
                        accented.add(p.get(field));
                    }
                }
            }
        }
        assertTrue(accented.toString(), accented.containsAll(
                List.of("Lefèvre", "Noël", "Françoise", "Jérôme", "Zoé", "Chloé", "Hélène", "Lebœuf")));
        assertTrue(new String(monthly2000, CP1252).contains("<NOM>Dubois-Martin</NOM>"));
    }

    @Test
    public void controlTotalsCountTheHouseholds() throws Exception {
        assertEquals(2000, monthly2000Content.foyers.size());
        assertEquals(2000, monthly2000Content.total);
        assertEquals(0, monthly2000Content.totalAno);
        assertTrue(new String(monthly2000, CP1252).contains("<NBTOTDOSRSATRANSM>00002000</NBTOTDOSRSATRANSM>"));
        for (Spec spec : List.of(CafFluxGenerator.daily(2000, 42).day(4), CafFluxGenerator.monthly(50, 1).day(20),
                CafFluxGenerator.daily(1, 1))) {
            Flux.Content c = Flux.content(GEN.toBytes(spec));
            assertEquals(spec.toString(), c.foyers.size(), c.total);
        }
    }

    @Test
    public void headerSaysWhoWhenAndWhichKind() throws Exception {
        Map<String, String> h = monthly2000Content.header;
        assertEquals("CRI", h.get("APPLIEME"));
        assertEquals("M", h.get("TYPEFLUX"));
        assertEquals("D", h.get("NATFLUX"));
        assertEquals("2025-05-31", h.get("DTREF"));
        assertTrue(h.get("HEUCREAFLUX").matches("\\d\\d:\\d\\d:\\d\\d\\.0000"));
        Flux.Content daily = Flux.content(GEN.toBytes(CafFluxGenerator.daily(50, 42).day(3)
                .referenceDate(LocalDate.of(2026, 1, 30))));
        assertEquals("I", daily.header.get("TYPEFLUX"));
        assertEquals("2026-02-02", daily.header.get("DTREF"));
        assertEquals("2026-02-02", daily.header.get("DTCREAFLUX"));
    }

    @Test
    public void everyNirHas13CharactersAndMatchesSexAndBirthDate() throws Exception {
        checkNirs(monthly2000Content);
        checkNirs(Flux.content(GEN.toBytes(CafFluxGenerator.monthly(2000, 1).day(30))));
    }

    private static void checkNirs(Flux.Content c) {
        Set<String> seen = new HashSet<>();
        int withNir = 0;
        int corsica = 0;
        Set<String> departments = new TreeSet<>();
        for (Flux.Foyer f : c.foyers) {
            for (Map<String, String> p : f.persons) {
                String nir = p.get("NIR");
                if (nir == null) {
                    continue;
                }
                withNir++;
                assertEquals(nir, 13, nir.length());
                assertTrue(nir, Nir.isWellFormed(nir));
                String sexe = p.get("SEXE");
                assertEquals(nir, sexe, nir.substring(0, 1));
                if (p.get("QUAL") != null) {
                    assertEquals(nir, p.get("QUAL").equals("MR") ? "1" : "2", sexe);
                }
                LocalDate dtnai = LocalDate.parse(p.get("DTNAI"));
                assertEquals(nir, String.format("%02d%02d", dtnai.getYear() % 100, dtnai.getMonthValue()),
                        nir.substring(1, 5));
                String dept = nir.substring(5, 7);
                departments.add(dept);
                if (dept.equals("2A") || dept.equals("2B")) {
                    corsica++;
                    assertTrue(nir, dtnai.getYear() >= 1976);
                }
                if (dept.equals("20")) {
                    assertTrue(nir, dtnai.getYear() < 1976);
                }
                int key = Nir.key(nir);
                assertTrue(key >= 1 && key <= 97);
                assertEquals(15, Nir.withKey(nir).length());
                assertTrue("NIR " + nir + " given twice", seen.add(nir));
            }
        }
        assertTrue(withNir > 3000);
        assertTrue(corsica > 0);
        assertTrue(departments.toString(), departments.containsAll(List.of("02", "59", "80", "75", "99")));
    }

    @Test
    public void theSameSpecGivesTheSameBytes() throws Exception {
        assertArrayEquals(GEN.toBytes(CafFluxGenerator.monthly(2000, 42)), monthly2000);
        assertArrayEquals(GEN.toBytes(CafFluxGenerator.daily(500, 9).day(12)),
                GEN.toBytes(CafFluxGenerator.daily(500, 9).day(12)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GEN.write(CafFluxGenerator.monthly(50, 5), out);
        Path file = GEN.write(CafFluxGenerator.monthly(50, 5), tmp.getRoot().toPath().resolve("a/b/flux.xml"));
        assertArrayEquals(out.toByteArray(), Files.readAllBytes(file));
        assertFalse(java.util.Arrays.equals(monthly2000, GEN.toBytes(CafFluxGenerator.monthly(2000, 43))));
    }

    @Test
    public void aHouseholdIsTheSameInEveryFluxOfItsSeed() throws Exception {
        Flux.Content small = Flux.content(GEN.toBytes(CafFluxGenerator.monthly(50, 42)));
        for (int i = 0; i < 50; i++) { // the first 50 households of the 2,000 are the 50 households
            Flux.Foyer a = small.foyers.get(i);
            Flux.Foyer b = monthly2000Content.foyers.get(i);
            assertEquals(a.values, b.values);
            assertEquals(a.persons, b.persons);
        }
    }

    @Test
    public void aDailyFluxCarriesTheDaysChanges() throws Exception {
        Set<String> day0 = new HashSet<>();
        for (Flux.Foyer f : monthly2000Content.foyers) {
            day0.add(f.get("MATRICULE"));
        }
        Set<String> transitions = new TreeSet<>();
        Set<String> events = new TreeSet<>();
        int newHouseholds = 0;
        int newborns = 0;
        Map<String, Household> before = byMatricule(CafFluxGenerator.monthly(2000, 42));
        for (int day = 1; day <= 10; day++) {
            Map<String, Household> monthlyOfThatDay = byMatricule(CafFluxGenerator.monthly(2000, 42).day(day));
            List<Household> daily = new ArrayList<>();
            GEN.forEachHousehold(CafFluxGenerator.daily(2000, 42).day(day), daily::add);
            assertTrue("day " + day + ": " + daily.size(), daily.size() > 20 && daily.size() < 150);
            for (Household h : daily) {
                assertEquals(1, h.events().size());
                String fg = h.events().get(0).fg();
                events.add(fg);
                assertEquals(CafFluxGenerator.DEFAULT_REFERENCE_DATE.plusDays(day), h.events().get(0).dtliq());
                Household same = monthlyOfThatDay.get(h.matricule());
                assertEquals("the daily flux of day d agrees with the monthly flux of day d", same, withoutEvents(h));
                Household previous = before.get(h.matricule());
                if (previous == null) {
                    newHouseholds++;
                    assertEquals("DEMRSA", fg);
                    assertFalse(day0.contains(h.matricule()));
                } else {
                    if (previous.situation().etat() != h.situation().etat()) {
                        transitions.add(previous.situation().etat() + "->" + h.situation().etat());
                    }
                    if (h.persons().size() == previous.persons().size() + 1) {
                        newborns++;
                        assertEquals("SITENFAUT", fg);
                        Household.Person baby = h.persons().get(h.persons().size() - 1);
                        assertEquals("ENF", baby.role());
                        assertNull(baby.nir()); // the CAF does not know a newborn's NIR yet
                    }
                    if (fg.equals("ADR")) {
                        assertEquals(2, h.addresses().size());
                        assertEquals(previous.addresses().get(0), withRank(h.addresses().get(1), 1));
                    }
                }
            }
            before = monthlyOfThatDay;
        }
        assertTrue(transitions.toString(), transitions.containsAll(List.of("2->3", "2->4", "2->5", "3->2", "4->2")));
        assertTrue(transitions.toString(), transitions.contains("0->2") && transitions.contains("0->1"));
        assertTrue(events.toString(), events.containsAll(List.of("SUS", "RAD", "ADR", "DEMRSA", "SITENFAUT")));
        assertTrue(newHouseholds > 0);
        assertTrue(newborns > 0);

        // the same at the XML level, for one day
        byte[] bytes = GEN.toBytes(CafFluxGenerator.daily(2000, 42).day(3));
        assertFalse(java.util.Arrays.equals(monthly2000, bytes));
        Flux.Content daily = Flux.content(bytes);
        Flux.Content monthly = Flux.content(GEN.toBytes(CafFluxGenerator.monthly(2000, 42).day(3)));
        assertEquals("I", daily.header.get("TYPEFLUX"));
        int changed = 0;
        for (Flux.Foyer f : daily.foyers) {
            assertEquals(1, f.events.size());
            Flux.Foyer same = monthly.byMatricule(f.get("MATRICULE"));
            assertEquals(same.values, f.values);
            assertEquals(same.persons, f.persons);
            Flux.Foyer atDay0 = monthly2000Content.byMatricule(f.get("MATRICULE"));
            changed += atDay0 == null || !atDay0.etat().equals(f.etat()) ? 1 : 0;
        }
        assertTrue(changed > 10);
    }

    private static Map<String, Household> byMatricule(Spec spec) {
        Map<String, Household> m = new HashMap<>();
        GEN.forEachHousehold(spec, h -> m.put(h.matricule(), h));
        return m;
    }

    private static Household withoutEvents(Household h) {
        return new Household(h.index(), h.fonorg(), h.numorg(), h.matricule(), h.numdemrsa(), h.dtdemrsa(),
                h.oridemrsa(), h.sitfam(), h.ddsitfam(), h.sansDomicileFixe(), h.addresses(), h.situation(),
                h.persons(), List.of());
    }

    private static Household.Address withRank(Household.Address a, int rank) {
        return new Household.Address(rank, a.dtemm(), a.complIdeAdr(), a.complAdr(), a.numVoie(), a.libTypeVoie(),
                a.nomVoie(), a.lieuDist(), a.numCom(), a.codePos(), a.nomCom());
    }

    @Test
    public void eachStateCarriesItsBlock() throws Exception {
        Set<String> states = new TreeSet<>();
        for (Flux.Content c : List.of(monthly2000Content,
                Flux.content(GEN.toBytes(CafFluxGenerator.monthly(2000, 42).day(40))))) {
            YearMonth month = YearMonth.from(LocalDate.parse(c.header.get("DTREF")));
            for (Flux.Foyer f : c.foyers) {
                checkBlocks(f, month, states);
            }
        }
        assertEquals(Set.of("0", "1", "2", "3", "4", "5", "6"), states);
    }

    private static void checkBlocks(Flux.Foyer f, YearMonth month, Set<String> states) {
        {
            String etat = f.etat();
            states.add(etat);
            List<String> expected;
            switch (etat) {
                case "1":
                    expected = List.of("Refus");
                    assertNotNull(f.get("MOTIREFURSA"));
                    break;
                case "3":
                    expected = List.of("SuspensionDroit");
                    assertNotNull(f.get("MOTISUSDRORSA"));
                    break;
                case "4":
                    expected = List.of("SuspensionVersement");
                    assertNotNull(f.get("MOTISUSVERSRSA"));
                    break;
                case "5":
                    expected = List.of("FinDroit");
                    assertNotNull(f.get("SituationDossierRSA/FinDroit/MOTICLORSA"));
                    assertNotNull(f.get("SituationDossierRSA/FinDroit/DTCLORSA"));
                    break;
                case "6":
                    expected = List.of("FinDroitMoisAnterieur");
                    assertTrue(YearMonth.from(LocalDate.parse(f.get("FinDroitMoisAnterieur/DTCLORSA")))
                            .isBefore(month));
                    break;
                default:
                    expected = List.of();
            }
            assertEquals("ETATDOSRSA " + etat, expected, f.blocks);
        }
    }

    @Test
    public void householdsLookLikeRealOnes() throws Exception {
        int couples = 0;
        int withChildren = 0;
        int ft = 0;
        int droitsEtDevoirs = 0;
        int maxChildren = 0;
        LocalDate dtref = LocalDate.parse(monthly2000Content.header.get("DTREF"));
        for (Flux.Foyer f : monthly2000Content.foyers) {
            assertEquals("CAF", f.get("FONORG"));
            assertEquals("021", f.get("NUMORG"));
            assertTrue(f.get("MATRICULE").matches("\\d{7}0{8}"));
            assertTrue(f.get("NUMDEMRSA").matches("\\d{11}"));
            assertEquals("CG  ", f.get("TYPEPARTE"));
            assertEquals("002", f.get("IDEPARTE"));
            assertTrue(f.get("NUMCOM").startsWith("02"));
            assertTrue(f.get("CODEPOS").startsWith("02"));
            int dem = 0;
            int cjt = 0;
            int enf = 0;
            for (Map<String, String> p : f.persons) {
                assertEquals("2", p.get("PRESTATIONS"));
                String role = p.get("RSA.ROLEPERS");
                assertEquals(role, p.get("PFA.ROLEPERS"));
                int age = LocalDate.parse(p.get("DTNAI")).until(dtref).getYears();
                switch (role) {
                    case "DEM":
                        dem++;
                        assertEquals("1", p.get("TOPRESPDOS"));
                        break;
                    case "CJT":
                        cjt++;
                        break;
                    case "ENF":
                        enf++;
                        assertTrue(age <= 20);
                        assertNull(p.get("TOPPERSDRODEVORSA"));
                        assertNull(p.get("IDASSEDIC"));
                        break;
                    default:
                        assertEquals("AUT", role);
                }
                if (!role.equals("ENF")) {
                    assertTrue(age >= 18);
                    assertNotNull(p.get("QUAL"));
                    assertNotNull(p.get("TOPPERSDRODEVORSA"));
                    droitsEtDevoirs += p.get("TOPPERSDRODEVORSA").equals("1") ? 1 : 0;
                }
                if (p.get("IDASSEDIC") != null) {
                    ft++;
                    assertTrue(p.get("IDASSEDIC"), p.get("IDASSEDIC").matches("\\d{7}[A-Z]"));
                }
            }
            assertEquals(1, dem);
            assertTrue(cjt <= 1);
            Set<String> firstNames = new HashSet<>();
            for (Map<String, String> p : f.persons) {
                if (p.get("RSA.ROLEPERS").equals("ENF")) {
                    assertTrue("siblings share a first name: " + f.persons, firstNames.add(p.get("PRENOM")));
                }
            }
            assertEquals(enf, Integer.parseInt(f.get("NBENFAUTCHA")));
            couples += cjt;
            withChildren += enf > 0 ? 1 : 0;
            maxChildren = Math.max(maxChildren, enf);
        }
        assertTrue(couples > 200 && couples < 900);
        assertTrue(withChildren > 500);
        assertEquals(4, maxChildren);
        assertTrue(ft > 1000);
        assertTrue(droitsEtDevoirs > 1500);
    }

    @Test
    public void msaAndWrongTotalsOptions() throws Exception {
        byte[] msa = GEN.toBytes(CafFluxGenerator.monthly(50, 42).msa());
        Flux.validate(msa);
        Flux.Content c = Flux.content(msa);
        assertEquals("AGO", c.header.get("APPLIEME"));
        assertEquals("MSA", c.foyers.get(0).get("FONORG"));

        byte[] wrong = GEN.toBytes(CafFluxGenerator.daily(2000, 42).day(2).wrongTotals());
        Flux.validate(wrong);
        c = Flux.content(wrong);
        assertEquals(c.foyers.size() + 1, c.total);
    }

    @Test
    public void forEachHouseholdDescribesWhatIsWritten() throws Exception {
        Spec spec = CafFluxGenerator.daily(2000, 42).day(5);
        List<Household> households = new ArrayList<>();
        GEN.forEachHousehold(spec, households::add);
        Flux.Content c = Flux.content(GEN.toBytes(spec));
        assertEquals(households.size(), c.foyers.size());
        for (int i = 0; i < households.size(); i++) {
            Household h = households.get(i);
            Flux.Foyer f = c.foyers.get(i);
            assertEquals(h.matricule(), f.get("MATRICULE"));
            assertEquals(Integer.toString(h.situation().etat()), f.etat());
            assertEquals(h.persons().size(), f.persons.size());
            assertEquals(h.persons().get(0).nir(), f.persons.get(0).get("NIR"));
            assertEquals(h.events().get(0).fg(), f.events.get(0));
        }
        CafFluxGenerator.Summary s = GEN.writeAndCount(spec, new ByteArrayOutputStream());
        assertEquals(households.size(), s.households());
        assertEquals(GEN.toBytes(spec).length, s.bytes());
    }

    @Test
    public void specsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> CafFluxGenerator.daily(10, 1).day(0));
        assertThrows(IllegalArgumentException.class, () -> CafFluxGenerator.monthly(-1, 1));
        Spec s = CafFluxGenerator.monthly(10, 1).msa().wrongTotals().day(3);
        assertEquals(CafFluxGenerator.Organism.MSA, s.organism());
        assertEquals(1, s.totalsOffset());
        assertEquals(LocalDate.of(2025, 6, 3), s.fluxDate());
    }

    @Test
    public void nirKeys() {
        assertEquals(38, Nir.key("2550814168025")); // the usual example: 2 55 08 14 168 025 38
        assertEquals(43, Nir.key("180012A004123")); // 2A read as 19
        assertEquals(73, Nir.key("180012B033123")); // 2B read as 18
        assertEquals("255081416802538", Nir.withKey("2550814168025"));
        assertFalse(Nir.isWellFormed("1801302001001")); // month 13
        assertFalse(Nir.isWellFormed("18001020010011")); // 14 characters
        assertFalse(Nir.isWellFormed("1800102001000")); // order 000
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
