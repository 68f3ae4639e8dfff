package fr.aisne.hub.core.journal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.time.Clock;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.operations.ExchangeRecord;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.api.operations.StateChange;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.core.metrics.HubMetrics;

/** The first states of an accepted exchange kept in its row read back as history rows would be. */
public class JournalFirstStatesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TestDatabase db;
    private Jdbc jdbc;
    private Journal journal;

    @Before
    public void setUp() {
        db = TestDatabase.embeddedDerby(new File(tmp.getRoot(), "db").getAbsolutePath());
        db.database().migrate("core", Journal.class.getClassLoader(), Journal.migrations());
        jdbc = db.database().jdbc();
        journal = new Journal(jdbc, new HubMetrics(), Clock.systemUTC());
    }

    @After
    public void tearDown() {
        db.close();
    }

    private static NewExchange exchange(String id) {
        return new NewExchange(id, "corr-" + id, "caf", "flux", Direction.INBOUND, "caf-sftp", "application/xml", 10,
                null, null, null, "hub.in.caf.flux", false);
    }

    private List<String> history(String id) {
        return journal.find(id).orElseThrow().history().stream()
                .map(c -> c.seq() + " " + c.state() + " " + c.actor() + " " + c.reason()).toList();
    }

    private long rows(String id) {
        return jdbc.count("SELECT COUNT(*) FROM hub_exchange_state WHERE exchange_id = ?", id);
    }

    @Test
    public void anAcceptedExchangeHasNoHistoryRowsForItsFirstStatesAndReadsTheSame() {
        journal.insert(exchange("a"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "caf-sftp"),
                new Journal.Step(ExchangeState.VALIDATED, null, "hub"), new Journal.Step(ExchangeState.QUEUED, null, "hub")));
        assertEquals(0, rows("a"));
        assertEquals(List.of("1 RECEIVED caf-sftp null", "2 VALIDATED hub null", "3 QUEUED hub null"), history("a"));
        ExchangeRecord r = journal.find("a").orElseThrow();
        journal.transition(new Journal.Ref("a", "caf", "flux", Direction.INBOUND, 3), ExchangeState.DELIVERED,
                "partner answered HTTP 200", "hub");
        assertEquals(List.of("1 RECEIVED caf-sftp null", "2 VALIDATED hub null", "3 QUEUED hub null",
                "4 DELIVERED hub partner answered HTTP 200"), history("a"));
        StateChange first = journal.find("a").orElseThrow().history().get(0);
        assertEquals(r.createdAt(), first.at());
        assertEquals(ExchangeState.DELIVERED, journal.find("a").orElseThrow().state());
    }

    @Test
    public void aMessageDeliveredAtItsFirstAttemptKeepsItsWholeHistoryInItsRow() throws Exception {
        journal.insert(exchange("d"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "caf-sftp"),
                new Journal.Step(ExchangeState.VALIDATED, null, "hub"), new Journal.Step(ExchangeState.QUEUED, null, "hub")));
        Journal.Loaded loaded = journal.load("d").orElseThrow();
        assertTrue(loaded.ref().allInRow());
        Thread.sleep(5); // the delivery's time differs from the acceptance's
        journal.transition(loaded.ref(), ExchangeState.DELIVERED, "partner answered HTTP 200", "hub");
        assertEquals(0, rows("d"));
        ExchangeRecord r = journal.find("d").orElseThrow();
        assertEquals(ExchangeState.DELIVERED, r.state());
        assertEquals(List.of("1 RECEIVED caf-sftp null", "2 VALIDATED hub null", "3 QUEUED hub null",
                "4 DELIVERED hub partner answered HTTP 200"), history("d"));
        assertEquals(r.createdAt(), r.history().get(2).at());
        assertEquals(r.updatedAt(), r.history().get(3).at());
        assertTrue(r.history().get(3).at().isAfter(r.createdAt()));
        // read again by a later delivery (a copy): the history is no longer all in the row; anything more is a row
        Journal.Ref again = journal.load("d").orElseThrow().ref();
        assertFalse(again.allInRow());
        assertEquals(4, again.seq());
    }

    @Test
    public void aMessageWithAFailedAttemptOrAnOperatorsStepKeepsItsLaterStatesInRows() {
        journal.insert(exchange("f"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "caf-sftp"),
                new Journal.Step(ExchangeState.QUEUED, null, "hub")));
        journal.transition(journal.load("f").orElseThrow().ref(), ExchangeState.FAILED, "attempt 1 failed: HTTP 503",
                "hub");
        Journal.Ref ref = journal.load("f").orElseThrow().ref();
        assertFalse(ref.allInRow());
        journal.transition(ref, ExchangeState.DELIVERED, null, "hub");
        assertEquals(2, rows("f"));
        // the DELIVERED row has no reason of its own: the FAILED one's is not lent to it
        assertEquals(List.of("1 RECEIVED caf-sftp null", "2 QUEUED hub null",
                "3 FAILED hub attempt 1 failed: HTTP 503", "4 DELIVERED hub null"), history("f"));

        journal.insert(exchange("i"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "caf-sftp"),
                new Journal.Step(ExchangeState.QUEUED, null, "hub")));
        journal.transition(journal.load("i").orElseThrow().ref(), ExchangeState.QUARANTINED, "rejected by caf/flux: 422",
                "hub");
        assertEquals(1, rows("i"));
        journal.insert(exchange("o"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "caf-sftp"),
                new Journal.Step(ExchangeState.QUEUED, null, "hub")));
        journal.transition(journal.load("o").orElseThrow().ref(), ExchangeState.DELIVERED, "done by hand", "operator-7");
        assertEquals(List.of("1 RECEIVED caf-sftp null", "2 QUEUED hub null", "3 DELIVERED operator-7 done by hand"),
                history("o"));
        assertEquals(1, rows("o"));
    }

    @Test
    public void firstStatesWithAReasonOrAnotherActorKeepTheirRows() {
        journal.insert(exchange("q"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "caf-sftp"),
                new Journal.Step(ExchangeState.QUARANTINED, "rejected by flow caf/flux: line 3", "hub")));
        assertEquals(2, rows("q"));
        assertEquals(List.of("1 RECEIVED caf-sftp null", "2 QUARANTINED hub rejected by flow caf/flux: line 3"),
                history("q"));
        journal.insert(exchange("o"), List.of(new Journal.Step(ExchangeState.RECEIVED, null, "operator-7"),
                new Journal.Step(ExchangeState.QUEUED, null, "hub")));
        assertEquals(2, rows("o"));
        assertEquals(List.of("1 RECEIVED operator-7 null", "2 QUEUED hub null"), history("o"));
    }
}
