package fr.aisne.hub.core.journal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.core.metrics.HubMetrics;

public class GroupCommitTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TestDatabase db;
    private Jdbc jdbc;
    private Journal journal;
    private GroupCommit group;
    private ExecutorService callers;

    @Before
    public void setUp() throws Exception {
        db = TestDatabase.embeddedDerby(new java.io.File(tmp.getRoot(), "db").getAbsolutePath());
        jdbc = db.database().jdbc();
        jdbc.update("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20))");
        journal = new Journal(jdbc, new HubMetrics(), Clock.systemUTC());
        group = new GroupCommit(journal, "test", 64);
        callers = Executors.newFixedThreadPool(40);
    }

    @After
    public void tearDown() {
        callers.shutdownNow();
        group.close();
        db.close();
    }

    /** Holds the writer on a first work until released, so that the works submitted meanwhile form one batch. */
    private CountDownLatch holdWriter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        callers.submit(() -> group.run(() -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            jdbc.update("INSERT INTO t VALUES (?, ?)", -1, "first");
        }));
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        return release;
    }

    private Future<?> insert(int id, AtomicInteger committedActions) {
        return callers.submit(() -> group.run(() -> {
            jdbc.update("INSERT INTO t VALUES (?, ?)", id, "row");
            journal.afterCommit(committedActions::incrementAndGet);
        }));
    }

    /** Lets the writer go once all are queued; every work of {@code all} must succeed, {@code failing} must not. */
    private static Throwable releaseThenFailureOf(CountDownLatch release, List<Future<?>> all, Future<?> failing)
            throws Exception {
        Thread.sleep(200);
        release.countDown();
        for (Future<?> f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        try {
            failing.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        fail("the failing work's caller must get its exception");
        return null;
    }

    @Test
    public void worksOfManyThreadsAreCommittedTogetherAndEachCallerReturnsOnceDurable() throws Exception {
        CountDownLatch release = holdWriter();
        AtomicInteger actions = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            all.add(insert(i, actions));
        }
        Thread.sleep(200);
        assertEquals("nothing visible before the writer runs", 0, jdbc.count("SELECT COUNT(*) FROM t"));
        release.countDown();
        for (Future<?> f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(33, jdbc.count("SELECT COUNT(*) FROM t"));
        assertEquals(32, actions.get());
        long[] c = group.counts();
        assertEquals("the 32 works waiting behind the first went in one transaction", 1, c[0]);
        assertEquals(32, c[1]);
    }

    @Test
    public void aWorkThatFailsIsRolledBackAloneAndItsCallerGetsItsException() throws Exception {
        CountDownLatch release = holdWriter();
        AtomicInteger actions = new AtomicInteger();
        IllegalStateException refusal = new IllegalStateException("raced");
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(insert(i, actions));
        }
        Future<?> failing = callers.submit(() -> group.run(() -> {
            jdbc.update("INSERT INTO t VALUES (?, ?)", 100, "half-done");
            journal.afterCommit(actions::incrementAndGet);
            throw refusal;
        }));
        Future<?> duplicate = callers.submit(() -> group.run(() -> jdbc.update("INSERT INTO t VALUES (?, ?)", -1, "dup")));
        for (int i = 10; i < 20; i++) {
            all.add(insert(i, actions));
        }
        assertSame(refusal, releaseThenFailureOf(release, all, failing));
        try {
            duplicate.get(10, TimeUnit.SECONDS);
            fail("a duplicate key must reach its caller");
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof Jdbc.StoreException);
        }
        assertEquals(0, jdbc.count("SELECT COUNT(*) FROM t WHERE id = 100"));
        assertEquals(1, jdbc.count("SELECT COUNT(*) FROM t WHERE id = -1"));
        assertEquals("the first work and the 20 others", 21, jdbc.count("SELECT COUNT(*) FROM t"));
        assertEquals("after-commit actions of committed works only", 20, actions.get());
        assertEquals(1, group.counts()[0]);
    }

    @Test
    public void aLostSharedTransactionIsWrittenAgainWorkByWork() throws Exception {
        CountDownLatch release = holdWriter();
        AtomicInteger actions = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(insert(i, actions));
        }
        // a work whose trouble ends the whole transaction (as a deadlock victim's would)
        Future<?> spoiler = callers.submit(() -> group.run(() -> {
            jdbc.withConnection(c -> {
                c.rollback();
                return null;
            });
            throw new IllegalStateException("transaction rolled back");
        }));
        for (int i = 8; i < 16; i++) {
            all.add(insert(i, actions));
        }
        assertEquals("transaction rolled back", releaseThenFailureOf(release, all, spoiler).getMessage());
        assertEquals("every other work written exactly once", 17, jdbc.count("SELECT COUNT(*) FROM t"));
        assertEquals(16, actions.get());
        assertEquals(1, group.counts()[2]);
    }

    @Test
    public void withMaxBatchOneEveryCallerWritesAloneInItsOwnThread() {
        try (GroupCommit off = new GroupCommit(journal, "off", 1)) {
            Thread caller = Thread.currentThread();
            off.run(() -> {
                assertSame(caller, Thread.currentThread());
                jdbc.update("INSERT INTO t VALUES (?, ?)", 1, "alone");
            });
            assertEquals(1, jdbc.count("SELECT COUNT(*) FROM t"));
            assertEquals(0, off.counts()[0]);
        }
    }
}
