package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.File;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.registry.DepartmentEvent;

/** The department's event feed over a real (embedded Derby) table. */
public class DepartmentEventStoreTest {
    private static final Instant T1 = Instant.parse("2026-03-01T00:00:00Z");

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestDatabase db;
    private DepartmentEventStore events;

    @BeforeClass
    public static void createDatabase() throws Exception {
        db = TestDatabase.embeddedDerby(new File(TMP.getRoot(), "eventsdb").getAbsolutePath());
        SchemaMigrations.apply(db.dataSource(), "registry", DepartmentEventStoreTest.class.getClassLoader(),
                "db/registry/V1__registry.sql", "db/registry/V2__department_events.sql");
    }

    @AfterClass
    public static void closeDatabase() {
        db.close();
    }

    @Before
    public void empty() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM dep_event");
        }
        events = new DepartmentEventStore(db.dataSource(), new MutableClock(Instant.parse("2026-03-02T00:00:00Z")));
    }

    private static DepartmentEvent event(String type, String person) {
        return DepartmentEvent.of(type, person, "021/1234567", T1, "caf", "ex-flux", Map.of("avant", "2", "apres", "3"));
    }

    @Test
    public void eventsAreReadInOrderAfterACursorWithTheirDetails() {
        assertEquals(0, events.lastSeq());
        assertEquals(2, events.publish("batch-1", List.of(event(DepartmentEvent.NEW_HOUSEHOLD_SDD, "p1"),
                event(DepartmentEvent.FILE_SUSPENDED, "p2"))));
        assertEquals(1, events.publish("batch-2", List.of(event(DepartmentEvent.FILE_CLOSED, "p3"))));
        List<DepartmentEvent> all = events.since(0, 10, Set.of());
        assertEquals(List.of("p1", "p2", "p3"), all.stream().map(DepartmentEvent::personId).toList());
        assertEquals(all.get(2).seq(), events.lastSeq());
        assertEquals(Map.of("avant", "2", "apres", "3"), all.get(1).details());
        assertEquals(T1, all.get(0).occurredAt());
        assertEquals("021/1234567", all.get(0).householdKey());

        List<DepartmentEvent> after = events.since(all.get(0).seq(), 1, Set.of());
        assertEquals("limit and cursor", List.of("p2"), after.stream().map(DepartmentEvent::personId).toList());
        assertEquals(List.of("p3"), events.since(0, 10, Set.of(DepartmentEvent.FILE_CLOSED)).stream()
                .map(DepartmentEvent::personId).toList());
        assertEquals(List.of(), events.since(events.lastSeq(), 10, Set.of()));
    }

    @Test
    public void aBatchDeliveredTwiceIsRecordedOnce() {
        assertEquals(1, events.publish("batch-1", List.of(event(DepartmentEvent.NEW_PERSON, "p1"))));
        assertEquals("redelivery after a crash", 0, events.publish("batch-1", List.of(event(DepartmentEvent.NEW_PERSON, "p1"))));
        assertEquals(1, events.since(0, 100, Set.of()).size());
    }

    @Test
    public void aBatchWithoutJournalIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> events.publish(" ", List.of(event(DepartmentEvent.NEW_PERSON, "p1"))));
    }
}
