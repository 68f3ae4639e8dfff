package fr.aisne.hub.core.journal;

import static org.junit.Assert.assertEquals;

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
