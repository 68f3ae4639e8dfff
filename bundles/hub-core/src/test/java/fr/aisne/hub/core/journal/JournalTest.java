package fr.aisne.hub.core.journal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.core.Direction;
import fr.aisne.hub.core.ExchangeState;
import fr.aisne.hub.core.MutableClock;
import fr.aisne.hub.core.TestDatabases;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.core.metrics.HubMetrics;

public class JournalTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");

    private static HubDatabase db;
    private MutableClock clock;
    private HubMetrics metrics;
    private Journal journal;

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
        clock = new MutableClock(T0);
        metrics = new HubMetrics();
        journal = new Journal(db.dataSource(), metrics, clock);
    }

    private String receive(String partner, String flow, String correlationId) {
        String id = UUID.randomUUID().toString();
        journal.received(new NewExchange(id, correlationId, partner, flow, Direction.OUTBOUND, "alice",
                "application/json", 42, "ab".repeat(32), "msg-1", "hub.out." + partner + "." + flow, true));
        return id;
    }

    @Test
    public void receivedThenTransitionsAreJournaledInOrderWithReasonsAndActors() {
        String id = receive("echo", "relay", "corr-1");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.VALIDATED, null, "hub");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.QUEUED, null, "hub");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.FAILED, "attempt 1 failed: connection refused", "hub");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.FAILED, "attempt 2 failed: HTTP 503", "hub");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.QUARANTINED, "gave up", "hub");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.REPLAYED, "replay requested", "operator-bob");
        clock.advance(Duration.ofSeconds(1));
        journal.transition(id, ExchangeState.DELIVERED, "partner answered HTTP 200", "hub");

        ExchangeRecord r = journal.find(id).orElseThrow();
        assertEquals(id, r.id());
        assertEquals("corr-1", r.correlationId());
        assertEquals("echo", r.partner());
        assertEquals("relay", r.flow());
        assertEquals(Direction.OUTBOUND, r.direction());
        assertEquals("alice", r.sender());
        assertEquals("application/json", r.contentType());
        assertEquals(42, r.size());
        assertEquals("msg-1", r.partnerMessageId());
        assertEquals("hub.out.echo.relay", r.queue());
        assertTrue(r.hasPayload());
        assertEquals(ExchangeState.DELIVERED, r.state());
        assertEquals("only FAILED transitions count as attempts", 2, r.attempts());
        assertEquals("partner answered HTTP 200", r.lastReason());
        assertEquals(T0, r.createdAt());
        assertEquals(T0.plusSeconds(7), r.updatedAt());

        List<StateChange> h = r.history();
        assertEquals(List.of(ExchangeState.RECEIVED, ExchangeState.VALIDATED, ExchangeState.QUEUED,
                ExchangeState.FAILED, ExchangeState.FAILED, ExchangeState.QUARANTINED, ExchangeState.REPLAYED,
                ExchangeState.DELIVERED), h.stream().map(StateChange::state).collect(Collectors.toList()));
        for (int i = 0; i < h.size(); i++) {
            assertEquals(i + 1, h.get(i).seq());
            assertEquals(T0.plusSeconds(i), h.get(i).at());
        }
        assertEquals("alice", h.get(0).actor());
        assertNull(h.get(0).reason());
        assertEquals("attempt 1 failed: connection refused", h.get(3).reason());
        assertEquals("attempt 2 failed: HTTP 503", h.get(4).reason());
        assertEquals("operator-bob", h.get(6).actor());
        assertEquals("replay requested", h.get(6).reason());
        assertEquals("hub", h.get(7).actor());
    }

    @Test
    public void aTransitionWithoutReasonKeepsTheLastReason() {
        String id = receive("echo", "relay", "c");
        journal.transition(id, ExchangeState.FAILED, "attempt 1 failed: timeout", "hub");
        journal.transition(id, ExchangeState.REPLAYED, null, "op");
        ExchangeRecord r = journal.find(id).orElseThrow();
        assertEquals(ExchangeState.REPLAYED, r.state());
        assertEquals("attempt 1 failed: timeout", r.lastReason());
        assertEquals(1, r.attempts());
    }

    @Test
    public void findOfUnknownIdIsEmptyAndTransitionOfUnknownIdFails() {
        assertTrue(journal.find(UUID.randomUUID().toString()).isEmpty());
        String unknown = UUID.randomUUID().toString();
        Journal.JournalException e = assertThrows(Journal.JournalException.class,
                () -> journal.transition(unknown, ExchangeState.DELIVERED, null, "hub"));
        assertTrue(e.getMessage(), e.getMessage().contains(unknown));
        assertTrue(journal.find(unknown).isEmpty());
        // the journal stays usable afterwards
        String id = receive("echo", "relay", "c");
        journal.transition(id, ExchangeState.VALIDATED, null, "hub");
        assertEquals(ExchangeState.VALIDATED, journal.find(id).orElseThrow().state());
    }

    @Test
    public void reasonsAreRedactedBeforeTheyAreStored() {
        String id = receive("echo", "relay", "c");
        journal.transition(id, ExchangeState.FAILED,
                "partner refused NIR 1 85 05 78 006 084 36 at http://svc:S3cr3tPw@partner.example/api", "hub");
        journal.transition(id, ExchangeState.QUARANTINED, "record 185057800608436 rejected", "hub");

        ExchangeRecord r = journal.find(id).orElseThrow();
        StateChange failed = r.history().get(1);
        assertFalse(failed.reason(), failed.reason().contains("1 85 05 78 006 084 36"));
        assertFalse(failed.reason(), failed.reason().contains("S3cr3tPw"));
        assertFalse(failed.reason(), failed.reason().contains("svc:"));
        assertTrue(failed.reason(), failed.reason().contains("[NIR]"));
        assertTrue(failed.reason(), failed.reason().contains("partner.example/api"));
        StateChange quarantined = r.history().get(2);
        assertEquals("record [NIR] rejected", quarantined.reason());
        assertEquals("record [NIR] rejected", r.lastReason());
    }

    @Test
    public void veryLongReasonsAreTruncated() {
        String id = receive("echo", "relay", "c");
        journal.transition(id, ExchangeState.FAILED, "x".repeat(5000), "hub");
        ExchangeRecord r = journal.find(id).orElseThrow();
        assertEquals(2000, r.lastReason().length());
        assertTrue(r.lastReason().endsWith("…"));
        assertEquals(r.lastReason(), r.history().get(1).reason());
    }

    @Test
    public void searchFiltersByPartnerStateCorrelationAndTimeNewestFirst() {
        String a = receive("echo", "relay", "corr-a"); // T0
        clock.advance(Duration.ofMinutes(1));
        String b = receive("caf", "notif", "corr-b"); // T0+1
        clock.advance(Duration.ofMinutes(1));
        String c = receive("echo", "relay", "corr-c"); // T0+2
        clock.advance(Duration.ofMinutes(1));
        String d = receive("echo", "relay", "corr-a"); // T0+3
        journal.transition(c, ExchangeState.DELIVERED, null, "hub");
        journal.transition(a, ExchangeState.DELIVERED, null, "hub");

        assertEquals(List.of(d, c, b, a), ids(journal.search(MessageQuery.all())));
        assertEquals(List.of(d, c, a), ids(journal.search(new MessageQuery("echo", null, null, null, null, 0))));
        assertEquals(List.of(b), ids(journal.search(new MessageQuery("caf", null, null, null, null, 10))));
        assertEquals(List.of(c, a),
                ids(journal.search(new MessageQuery(null, ExchangeState.DELIVERED, null, null, null, 10))));
        assertEquals(List.of(d, a), ids(journal.search(new MessageQuery(null, null, "corr-a", null, null, 10))));
        assertEquals(List.of(a), ids(journal.search(
                new MessageQuery("echo", ExchangeState.DELIVERED, "corr-a", null, null, 10))));
        // from is inclusive, to exclusive
        assertEquals(List.of(c, b), ids(journal.search(new MessageQuery(null, null, null,
                T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(3)), 10))));
        assertEquals(List.of(d), ids(journal.search(new MessageQuery(null, null, null,
                T0.plus(Duration.ofMinutes(3)), null, 10))));
        assertEquals(List.of(a), ids(journal.search(new MessageQuery(null, null, null,
                null, T0.plusSeconds(1), 10))));
        // limit keeps the newest
        assertEquals(List.of(d, c), ids(journal.search(new MessageQuery(null, null, null, null, null, 2))));
        assertEquals(List.of(), ids(journal.search(new MessageQuery("nobody", null, null, null, null, 10))));

        ExchangeRecord first = journal.search(new MessageQuery(null, ExchangeState.DELIVERED, null, null, null, 1))
                .get(0);
        assertEquals(c, first.id());
        assertTrue("search results carry no history", first.history().isEmpty());
    }

    @Test
    public void metricsCountEachStateReached() {
        String a = receive("echo", "relay", "c1");
        String b = receive("echo", "relay", "c2");
        journal.transition(a, ExchangeState.FAILED, "x", "hub");
        journal.transition(a, ExchangeState.FAILED, "y", "hub");
        journal.transition(a, ExchangeState.DELIVERED, null, "hub");
        journal.transition(b, ExchangeState.DELIVERED, null, "hub");
        String other = receive("caf", "notif", "c3");
        journal.transition(other, ExchangeState.QUARANTINED, "z", "hub");

        assertEquals(2, metrics.count("echo", "relay", Direction.OUTBOUND, ExchangeState.RECEIVED));
        assertEquals(2, metrics.count("echo", "relay", Direction.OUTBOUND, ExchangeState.FAILED));
        assertEquals(2, metrics.count("echo", "relay", Direction.OUTBOUND, ExchangeState.DELIVERED));
        assertEquals(0, metrics.count("echo", "relay", Direction.OUTBOUND, ExchangeState.QUARANTINED));
        assertEquals(0, metrics.count("echo", "relay", Direction.INBOUND, ExchangeState.DELIVERED));
        assertEquals(1, metrics.count("caf", "notif", Direction.OUTBOUND, ExchangeState.QUARANTINED));
        assertEquals(1, metrics.count("caf", "notif", Direction.OUTBOUND, ExchangeState.RECEIVED));
        assertEquals(Long.valueOf(2), metrics.snapshot().get(
                new HubMetrics.MessageKey("echo", "relay", Direction.OUTBOUND, ExchangeState.DELIVERED)));
    }

    @Test
    public void migratingAgainIsIdempotentAndKeepsData() throws Exception {
        String id = receive("echo", "relay", "c");
        TestDatabases.migrate(db);
        TestDatabases.migrate(db);
        assertEquals(1, TestDatabases.count(db,
                "SELECT COUNT(*) FROM hub_schema_history WHERE module = 'core'"));
        assertEquals(ExchangeState.RECEIVED, journal.find(id).orElseThrow().state());
        assertTrue(db.isValid());
    }

    private static List<String> ids(List<ExchangeRecord> records) {
        return records.stream().map(ExchangeRecord::id).collect(Collectors.toList());
    }
}
