package fr.aisne.hub.core.exchange;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/** A test on a fresh {@link CoreFixture} (its own Derby in a temporary folder, no minimum free space) per method. */
public abstract class CoreFixtureCase {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The core under test; a test may replace it (close the old one first). */
    protected CoreFixture f;

    @Before
    public void setUpCore() throws Exception {
        f = new CoreFixture(tmp.getRoot(), 0);
    }

    @After
    public void tearDownCore() {
        f.close();
    }
}
