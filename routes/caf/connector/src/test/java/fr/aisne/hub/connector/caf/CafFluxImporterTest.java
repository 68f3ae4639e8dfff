package fr.aisne.hub.connector.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.doubles.caf.BadFlux;
import fr.aisne.hub.doubles.caf.CafFluxGenerator;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonRegistry;
import fr.aisne.hub.registry.internal.RegistryFactory;

/** The CAF import over a real registry on embedded Derby, with generated fluxes (synthetic persons). */
public class CafFluxImporterTest {
    private static final int HOUSEHOLDS = 300;
    private static final long SEED = 42;

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private TestDatabase db;
    private PersonRegistry registry;
    private CafHouseholdStates states;
    private final Map<String, List<DepartmentEvent>> published = new LinkedHashMap<>();
    private CafFluxImporter.EventSink sink = published::put;
    private final CafFluxGenerator generator = new CafFluxGenerator();

    @Before
    public void open() throws Exception {
        db = TestDatabase.embeddedDerby(new File(tmp.getRoot(), "db").getAbsolutePath());
        registry = RegistryFactory.create(db.dataSource(), tmp.newFolder("etc").toPath(), Map.of(), id -> { });
        states = new CafHouseholdStates(db.database());
    }

    @After
    public void close() {
        db.close();
    }

    private CafFluxImporter importer() throws Exception {
        return new CafFluxImporter(CafFluxReader.forCaf(), registry, states, (k, e) -> sink.publish(k, e),
                tmp.getRoot().toPath().resolve("spool"), true, 100);
    }

    private Path flux(String name, CafFluxGenerator.Spec spec) throws Exception {
        return generator.write(spec, tmp.getRoot().toPath().resolve(name));
    }

    private CafFluxImporter.Result run(Path file, String exchange) throws Exception {
        List<CafFluxImporter.Progress> progress = new ArrayList<>();
        CafFluxImporter.Result r = importer().importFile(file, exchange, file.getFileName().toString(), progress::add);
        if (r.recorded() > 0) {
            CafFluxImporter.Progress last = progress.get(progress.size() - 1);
            assertEquals("recording", last.phase());
            assertEquals(r.recorded(), last.done());
            assertEquals(r.recorded(), last.total());
            assertEquals(0, last.etaSeconds());
        }
        return r;
    }

    private int count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Map<String, Integer> tableCounts() throws Exception {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String t : List.of("reg_person", "reg_nir", "reg_attribute", "reg_membership", "reg_household", "caf_household")) {
            m.put(t, count("SELECT COUNT(*) FROM " + t));
        }
        return m;
    }

    private List<DepartmentEvent> events() {
        return published.values().stream().flatMap(List::stream).toList();
    }

    /** What the file says, read independently of the importer. */
    private static Map<String, CafFlux.Household> households(Path file) throws Exception {
        Map<String, CafFlux.Household> out = new LinkedHashMap<>();
        try (var in = Files.newInputStream(file)) {
            CafFluxReader.forCaf().read(in, "f", h -> out.put(h.numorg() + "/" + h.matricule(), h));
        }
        return out;
    }

    @Test
    public void aFirstMonthlyFileRecordsEveryHouseholdAndAsksForTheOrientationOfThoseSubjectToRightsAndDuties()
            throws Exception {
        Path m0 = flux("m0.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED));
        CafFluxImporter.Result r = run(m0, "ex-m0");
        assertEquals(HOUSEHOLDS, r.summary().households());
        assertEquals(HOUSEHOLDS, r.recorded());
        assertEquals(0, r.unchanged());
        assertEquals("a generated population has no look-alikes", 0, (int) r.outcomes().getOrDefault(MatchResult.Outcome.PROBABLE, 0));
        assertEquals(r.summary().persons(), count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(HOUSEHOLDS, count("SELECT COUNT(*) FROM caf_household"));

        long expected = households(m0).values().stream().filter(h -> Set.of("2", "3", "4").contains(h.etatdosrsa()))
                .flatMap(h -> h.persons().stream()).filter(CafFlux.Person::soumisDroitsEtDevoirs).count();
        assertTrue("the generated population has persons subject to rights and duties", expected > 0);
        assertEquals(expected, events().size());
        assertTrue(events().stream().allMatch(e -> e.type().equals(DepartmentEvent.NEW_HOUSEHOLD_SDD)
                && e.personId() != null && e.sourceExchange().equals("ex-m0")));
        assertTrue("batch keys name the import, not a matricule", published.keySet().stream()
                .allMatch(k -> k.matches("ex-m0:[0-9a-f]+")));
    }

    @Test
    public void theSameMonthlyFileAgainWritesNothing() throws Exception {
        Path m0 = flux("m0.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED));
        run(m0, "ex-m0");
        Map<String, Integer> before = tableCounts();
        published.clear();
        CafFluxImporter.Result again = run(m0, "ex-m0-bis");
        assertEquals(HOUSEHOLDS, again.unchanged());
        assertEquals(0, again.recorded());
        assertEquals(before, tableCounts());
        assertEquals(List.of(), events());
    }

    @Test
    public void aLaterMonthRecordsOnlyWhatChangedAndReportsEachChange() throws Exception {
        Path m0 = flux("m0.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED));
        Path m1 = flux("m1.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED).day(30));
        run(m0, "ex-m0");
        published.clear();
        CafFluxImporter.Result r = run(m1, "ex-m1");
        Map<String, CafFlux.Household> before = households(m0);
        Map<String, CafFlux.Household> after = households(m1);
        long changedOrNew = after.entrySet().stream().filter(e -> !sameContent(before.get(e.getKey()), e.getValue())).count();
        assertEquals(changedOrNew, r.recorded());
        assertEquals(after.size() - changedOrNew, r.unchanged());
        assertTrue("a month changes some households", r.recorded() > 0 && r.unchanged() > 0);

        Map<String, Integer> byType = new HashMap<>();
        events().forEach(e -> byType.merge(e.type(), 1, Integer::sum));
        int suspended = 0;
        int closed = 0;
        for (var e : after.entrySet()) {
            CafFlux.Household old = before.get(e.getKey());
            String now = e.getValue().etatdosrsa();
            if (old != null && !now.equals(old.etatdosrsa())) {
                suspended += Set.of("3", "4").contains(now) ? 1 : 0;
                closed += Set.of("5", "6").contains(now) && !Set.of("5", "6").contains(old.etatdosrsa()) ? 1 : 0;
            }
        }
        assertEquals(suspended, (int) byType.getOrDefault(DepartmentEvent.FILE_SUSPENDED, 0));
        assertEquals(closed, (int) byType.getOrDefault(DepartmentEvent.FILE_CLOSED, 0));
        assertTrue("a month of a 300-household population closes some files", closed > 0);
        // the registry agrees with the events
        for (DepartmentEvent e : events()) {
            if (e.type().equals(DepartmentEvent.FILE_CLOSED)) {
                assertEquals(e.details().get("apres"), registry.find(e.personId()).orElseThrow().attributes()
                        .get("etat_dossier_rsa").value());
            }
        }
    }

    private static boolean sameContent(CafFlux.Household a, CafFlux.Household b) {
        if (a == null) {
            return false;
        }
        CafHouseholdDigest d = new CafHouseholdDigest();
        return d.content(a) == d.content(b);
    }

    @Test
    public void aFileFoundBadAtItsLastLineLeavesEverythingUntouched() throws Exception {
        run(flux("m0.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED)), "ex-m0");
        Map<String, Integer> before = tableCounts();
        published.clear();
        Path bad = flux("wrong-totals.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED).day(30).wrongTotals());
        CafFluxException e = assertThrows(CafFluxException.class, () -> run(bad, "ex-bad"));
        assertTrue(e.getMessage(), e.getMessage().contains("wrong-totals.xml"));
        assertEquals(before, tableCounts());
        assertEquals(List.of(), events());
        try (var files = Files.list(tmp.getRoot().toPath().resolve("spool"))) {
            assertEquals("the spool is deleted", 0, files.count());
        }
    }

    @Test
    public void anImportInterruptedBetweenBatchesFinishesOnReplayWithoutLosingOrDoublingAnything() throws Exception {
        Path m0 = flux("m0.xml", CafFluxGenerator.monthly(HOUSEHOLDS, SEED));
        int[] calls = {0};
        sink = (k, e) -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("hub stopped");
            }
            published.put(k, e);
        };
        assertThrows(IllegalStateException.class, () -> run(m0, "ex-m0"));
        assertEquals("the first batch is recorded", 100, count("SELECT COUNT(*) FROM caf_household"));
        sink = published::put;
        CafFluxImporter.Result replay = run(m0, "ex-m0");
        assertEquals(100, replay.unchanged());
        assertEquals(HOUSEHOLDS - 100, replay.recorded());

        // the same as one uninterrupted import of the same file
        Map<String, Integer> interrupted = tableCounts();
        List<DepartmentEvent> interruptedEvents = events();
        close();
        tmp.newFolder("clean");
        db = TestDatabase.embeddedDerby(new File(tmp.getRoot(), "clean/db").getAbsolutePath());
        registry = RegistryFactory.create(db.dataSource(), tmp.newFolder("clean-etc").toPath(), Map.of(), id -> { });
        states = new CafHouseholdStates(db.database());
        published.clear();
        run(m0, "ex-m0");
        assertEquals(tableCounts(), interrupted);
        assertEquals(events().size(), interruptedEvents.size());
        assertFalse(interruptedEvents.isEmpty());
    }

    @Test
    public void aSpoolLeftByAKilledHubIsDeletedAndItsFileImportedAgain() throws Exception {
        Path spool = Files.createDirectories(tmp.getRoot().toPath().resolve("spool"));
        Path leftover = Files.writeString(spool.resolve("caf-123.spool"), "half a spool");
        Path other = Files.writeString(spool.resolve("keep.txt"), "not a spool");
        CafFluxImporter.Result r = run(flux("m0.xml", CafFluxGenerator.monthly(20, SEED)), "ex-m0");
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(other));
        assertEquals(20, r.recorded());
    }

    @Test
    public void badFilesOfEveryKindAreRejectedBeforeAnyWrite() throws Exception {
        for (Map.Entry<String, byte[]> bad : Map.of("xsd-invalid.xml", BadFlux.xsdInvalid(), "truncated.xml",
                BadFlux.truncated(), "bomb.xml", BadFlux.xmlBomb(), "msa.xml", BadFlux.msa()).entrySet()) {
            Path f = tmp.getRoot().toPath().resolve(bad.getKey());
            Files.write(f, bad.getValue());
            CafFluxException e = assertThrows(CafFluxException.class, () -> run(f, "ex-" + bad.getKey()));
            assertTrue(e.getMessage(), e.getMessage().contains(bad.getKey()));
        }
        assertEquals(0, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(0, count("SELECT COUNT(*) FROM caf_household"));
    }
}
