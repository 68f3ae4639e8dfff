package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonObservation.Household;

/**
 * Figures, not a check of speed: a retention run over N expired persons (embedded Derby, one transaction per
 * person), first stopped dead in the middle (every statement after the K-th fails with an Error, as if the process
 * died: nothing after it commits), then run again. Prints the time of each run and checks that the stop left each
 * person either whole or gone, and that the second run finished the work. Runs only with
 * {@code -Dregistry.figures=true} (optionally {@code -Dregistry.figures.persons=N}); synthetic data.
 */
public class RetentionFiguresTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    @Test
    public void retentionOfNPersonsStoppedMidwayAndResumed() throws Exception {
        Assume.assumeTrue("figures only on demand", Boolean.getBoolean("registry.figures"));
        int n = Integer.getInteger("registry.figures.persons", 2000);
        TestDatabase db = TestDatabase.embeddedDerby(new File(TMP.getRoot(), "db").getAbsolutePath());
        try {
            SchemaMigrations.apply(db.dataSource(), "registry", getClass().getClassLoader(), RegistryFactory.SCRIPTS);
            NirVault vault = NirVault.open(TMP.newFolder("etc").toPath());
            MutableClock clock = new MutableClock(Instant.parse("2026-06-15T10:00:00Z"));
            List<String> purged = new ArrayList<>();
            AtomicInteger statements = new AtomicInteger();
            AtomicInteger dieAfter = new AtomicInteger(Integer.MAX_VALUE);
            RegistryService dying = service(crashing(db.dataSource(), statements, dieAfter), vault, clock, purged);
            List<PersonObservation> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String nir13 = String.format("17001990%05d", i);
                String matricule = String.format("%07d", 1_000_000 + i);
                batch.add(new PersonObservation("caf", "ex-" + i, Instant.parse("2025-01-05T10:00:00Z"), nir13,
                        Map.of("caf:matricule", matricule), Map.of("nom_naissance", "TEST" + i, "prenom", "Alex",
                                "date_naissance", "1970-01-01", "date_sortie_rsa", "2024-01-31"),
                        new Household("021", matricule, "DEM")));
                if (batch.size() == 500) {
                    dying.observeAll(batch);
                    batch.clear();
                }
            }
            dying.observeAll(batch);
            for (int i = 0; i < n; i += 7) {
                dying.disclose(dying.findByNir(String.format("17001990%05d", i)).orElseThrow(), "france-travail",
                        "identification", "ex-out-" + i);
            }
            assertEquals(n, count(db.dataSource(), "SELECT COUNT(*) FROM reg_person"));

            // a run reads and deletes each person in about ten statements: stopping after 6 per person lands midway
            statements.set(0);
            dieAfter.set(n * 6);
            long t0 = System.nanoTime();
            Error died = null;
            try {
                dying.purgeExpired();
            } catch (Error e) {
                died = e;
            }
            long stoppedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("the run was stopped midway", died != null);
            int left = count(db.dataSource(), "SELECT COUNT(*) FROM reg_person");
            assertTrue("some persons purged, some left: " + left, left > 0 && left < n);
            for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership",
                    "reg_disclosure")) {
                assertEquals(table + ": no row of a purged person is left", 0, count(db.dataSource(),
                        "SELECT COUNT(*) FROM " + table + " t WHERE person_id IS NOT NULL AND NOT EXISTS "
                                + "(SELECT 1 FROM reg_person p WHERE p.id = t.person_id)"));
            }
            assertEquals("every person left is whole (its 4 attributes)", left * 4,
                    count(db.dataSource(), "SELECT COUNT(*) FROM reg_attribute"));
            assertEquals(left, count(db.dataSource(), "SELECT COUNT(*) FROM reg_nir"));

            RegistryService restarted = service(db.dataSource(), vault, clock, purged);
            long t1 = System.nanoTime();
            Map<String, Object> resumed = restarted.purgeExpired();
            long resumedMillis = (System.nanoTime() - t1) / 1_000_000;
            assertEquals(left, resumed.get("personsPurged"));
            assertEquals(0, resumed.get("personsFailed"));
            assertEquals(0, count(db.dataSource(), "SELECT COUNT(*) FROM reg_person"));
            assertEquals(0, count(db.dataSource(), "SELECT COUNT(*) FROM reg_household"));
            assertEquals(0, count(db.dataSource(), "SELECT COUNT(*) FROM reg_purge_pending"));
            assertEquals(n, purged.size());
            System.out.printf("RETENTION FIGURES: %d persons (4 attributes, 1 identifier, 1 NIR, 1 household each, "
                    + "1 in 7 with a disclosure); run stopped dead after %d statements in %d ms with %d persons "
                    + "purged and %d left whole, no orphan row; the next run purged the %d left and their payloads "
                    + "in %d ms (%.2f ms per person)%n", n, n * 6, stoppedMillis, n - left, left, left, resumedMillis,
                    (double) resumedMillis / left);
        } finally {
            db.close();
        }
    }

    private static RegistryService service(DataSource ds, NirVault vault, MutableClock clock, List<String> purged) {
        return new RegistryService(ds, vault, new Consolidation(Map.of(), "caf"),
                DisclosureRules.from(Map.of("disclose.france-travail.identification", "nir, date_naissance")), 24, 12,
                clock, purged::add);
    }

    /** A DataSource whose statements fail with an Error once {@code dieAfter} statements were prepared. */
    private static DataSource crashing(DataSource real, AtomicInteger statements, AtomicInteger dieAfter) {
        return (DataSource) Proxy.newProxyInstance(RetentionFiguresTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, args) -> {
                    Object r = invoke(real, m, args);
                    if (!(r instanceof Connection c)) {
                        return r;
                    }
                    return Proxy.newProxyInstance(RetentionFiguresTest.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (pc, mc, argsc) -> {
                                String name = mc.getName();
                                if ((name.equals("prepareStatement") || name.equals("createStatement"))
                                        && statements.incrementAndGet() > dieAfter.get()) {
                                    throw new Error("simulated crash: the process stops here");
                                }
                                return invoke(c, mc, argsc);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static int count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
