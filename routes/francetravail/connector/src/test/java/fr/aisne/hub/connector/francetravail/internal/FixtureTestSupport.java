package fr.aisne.hub.connector.francetravail.internal;

import java.util.Map;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.testing.TestDatabase;

/** One Derby database per test class, and the test's {@link Fixture}, closed after each test. */
public abstract class FixtureTestSupport {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    protected static TestDatabase db;

    protected Fixture f;

    @BeforeClass
    public static void openDatabase() {
        db = Fixture.database(TMP.getRoot());
    }

    @AfterClass
    public static void closeDatabase() {
        db.close();
    }

    @After
    public void closeFixture() {
        if (f != null) {
            f.close();
            f = null;
        }
    }

    /** A new fixture (the test's {@code f}) with these disclosure rules and settings (key, value, ...). */
    protected Fixture newFixture(Map<String, String> rules, String... settings) throws Exception {
        f = new Fixture(db, TMP.getRoot().toPath().resolve("etc"), rules, settings);
        return f;
    }
}
