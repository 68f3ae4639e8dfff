package fr.aisne.hub.core.idempotency;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.core.MutableClock;
import fr.aisne.hub.core.TestDatabases;
import fr.aisne.hub.core.db.HubDatabase;

public class JdbcIdempotentRepositoryTest {
    private static final Duration WINDOW = Duration.ofDays(7);
    private static final String FIRST = "11111111-1111-1111-1111-111111111111";
    private static final String SECOND = "22222222-2222-2222-2222-222222222222";
    private static final String THIRD = "33333333-3333-3333-3333-333333333333";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static HubDatabase db;

    private MutableClock clock;
    private JdbcIdempotentRepository repo;

    @BeforeClass
    public static void openDatabase() throws Exception {
        db = TestDatabases.openMigrated(TMP.newFolder("db"));
    }

    @AfterClass
    public static void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Before
    public void setUp() throws Exception {
        TestDatabases.truncate(db);
        clock = new MutableClock(Instant.parse("2026-03-10T10:00:00Z"));
        repo = new JdbcIdempotentRepository(db.dataSource(), "inbound", WINDOW, clock);
    }

    @Test
    public void duplicatesWithinTheWindowReportTheFirstExchange() {
        assertEquals(Optional.empty(), repo.addFor("echo/relay:id:m-1", FIRST));
        clock.advance(Duration.ofDays(3));
        assertEquals(Optional.of(FIRST), repo.addFor("echo/relay:id:m-1", SECOND));
        clock.advance(WINDOW.minusDays(3).minusSeconds(1));
        assertEquals("one second before the window ends", Optional.of(FIRST), repo.addFor("echo/relay:id:m-1", THIRD));
        assertTrue(repo.contains("echo/relay:id:m-1"));
        // another key is independent
        assertEquals(Optional.empty(), repo.addFor("echo/relay:id:m-2", SECOND));
    }

    @Test
    public void aKeyOlderThanTheWindowIsRenewedForTheNewExchange() {
        assertEquals(Optional.empty(), repo.addFor("k", FIRST));
        clock.advance(WINDOW);
        assertFalse(repo.contains("k"));
        assertEquals("expired key: the message is new again", Optional.empty(), repo.addFor("k", SECOND));
        assertTrue(repo.contains("k"));
        clock.advance(Duration.ofDays(1));
        assertEquals("the renewed key belongs to the new exchange", Optional.of(SECOND), repo.addFor("k", THIRD));
    }

    @Test
    public void removeForgetsTheKey() {
        assertEquals(Optional.empty(), repo.addFor("k", FIRST));
        assertTrue(repo.remove("k"));
        assertFalse(repo.contains("k"));
        assertFalse("nothing left to remove", repo.remove("k"));
        assertEquals(Optional.empty(), repo.addFor("k", SECOND));
        assertEquals(Optional.of(SECOND), repo.addFor("k", THIRD));
    }

    @Test
    public void camelAddAndClearFollowTheSameRules() {
        assertTrue(repo.add("k"));
        assertFalse(repo.add("k"));
        assertEquals("a key added without exchange id", Optional.of("unknown"), repo.addFor("k", FIRST));
        repo.clear();
        assertFalse(repo.contains("k"));
        assertTrue(repo.add("k"));
    }

    @Test
    public void repositoriesAreSeparateNamespaces() {
        JdbcIdempotentRepository other = new JdbcIdempotentRepository(db.dataSource(), "other", WINDOW, clock);
        assertEquals(Optional.empty(), repo.addFor("k", FIRST));
        assertEquals(Optional.empty(), other.addFor("k", SECOND));
        other.clear();
        assertFalse(other.contains("k"));
        assertEquals("clear of one repository leaves the other", Optional.of(FIRST), repo.addFor("k", THIRD));
    }

    @Test
    public void keysSurviveReopeningTheDatabase() throws Exception {
        File dir = TMP.newFolder("reopened");
        HubDatabase first = TestDatabases.openMigrated(dir);
        try {
            JdbcIdempotentRepository r = new JdbcIdempotentRepository(first.dataSource(), "inbound", WINDOW, clock);
            assertEquals(Optional.empty(), r.addFor("echo/relay:sha256:abc", FIRST));
        } finally {
            first.close();
        }
        HubDatabase second = TestDatabases.openMigrated(dir);
        try {
            JdbcIdempotentRepository r = new JdbcIdempotentRepository(second.dataSource(), "inbound", WINDOW, clock);
            clock.advance(Duration.ofHours(1));
            assertEquals(Optional.of(FIRST), r.addFor("echo/relay:sha256:abc", SECOND));
        } finally {
            second.close();
        }
    }
}
