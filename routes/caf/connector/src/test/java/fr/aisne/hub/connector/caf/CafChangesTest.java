package fr.aisne.hub.connector.caf;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.connector.caf.CafHouseholdStates.Member;
import fr.aisne.hub.connector.caf.CafHouseholdStates.State;
import fr.aisne.hub.registry.DepartmentEvent;

public class CafChangesTest {
    private static final Instant AT = Instant.parse("2026-03-02T08:00:00Z");
    private static final LocalDate DTREF = LocalDate.of(2026, 2, 28);

    private static CafFlux.Household household(String etat, String motisus, String moticlo) {
        return new CafFlux.Household(10, "021", "1234567", null, null, null, etat, motisus, moticlo,
                moticlo == null ? null : LocalDate.of(2026, 2, 27), List.of());
    }

    private static List<DepartmentEvent> changes(State before, CafFlux.Household h, List<Member> members) {
        return CafChanges.of(before, h, members, "ex-1", AT, DTREF);
    }

    private static List<String> types(List<DepartmentEvent> events) {
        return events.stream().map(DepartmentEvent::type).toList();
    }

    @Test
    public void aNewOpenHouseholdSubjectToRightsAndDutiesNeedsAnOrientationWithinAMonth() {
        List<DepartmentEvent> e = changes(null, household("2", null, null), List.of(new Member("p1", "DEM", true),
                new Member("p2", "CJT", true), new Member("p3", "ENF", false)));
        assertEquals(List.of(DepartmentEvent.NEW_HOUSEHOLD_SDD, DepartmentEvent.NEW_HOUSEHOLD_SDD), types(e));
        assertEquals(List.of("p1", "p2"), e.stream().map(DepartmentEvent::personId).toList());
        assertEquals(Map.of("role", "DEM", "etat", "2", "orientation_avant", "2026-03-28"), e.get(0).details());
        assertEquals("021/1234567", e.get(0).householdKey());
        assertEquals("ex-1", e.get(0).sourceExchange());
    }

    @Test
    public void aNewHouseholdNotSubjectOrNotOpenRaisesNothing() {
        assertEquals(List.of(), changes(null, household("2", null, null), List.of(new Member("p1", "DEM", false))));
        assertEquals(List.of(), changes(null, household("1", null, null), List.of(new Member("p1", "DEM", true))));
        assertEquals(List.of(), changes(null, household("0", null, null), List.of(new Member("p1", "DEM", true))));
    }

    @Test
    public void suspensionClosureAndReopeningAreReportedWithTheirReason() {
        List<Member> m = List.of(new Member("p1", "DEM", true));
        State open = new State("021", "1234567", 1L, "2", m);
        List<DepartmentEvent> s = changes(open, household("3", "01", null), m);
        assertEquals(List.of(DepartmentEvent.FILE_SUSPENDED), types(s));
        assertEquals(Map.of("avant", "2", "apres", "3", "motif", "01"), s.get(0).details());
        assertEquals("p1", s.get(0).personId());

        List<DepartmentEvent> c = changes(new State("021", "1234567", 1L, "3", m), household("5", null, "PCG"), m);
        assertEquals(List.of(DepartmentEvent.FILE_CLOSED), types(c));
        assertEquals(Map.of("avant", "3", "apres", "5", "motif", "PCG", "date_cloture", "2026-02-27"), c.get(0).details());

        assertEquals("5 then 6 is the same closure", List.of(),
                changes(new State("021", "1234567", 1L, "5", m), household("6", null, "PCG"), m));

        List<DepartmentEvent> r = changes(new State("021", "1234567", 1L, "5", m), household("2", null, null), m);
        assertEquals("reopened; rights and duties were not running while closed",
                List.of(DepartmentEvent.NEW_HOUSEHOLD_SDD, DepartmentEvent.FILE_REOPENED), types(r));
        assertEquals(List.of(), changes(open, household("2", null, null), m));
    }

    @Test
    public void aNewPersonInAKnownHouseholdIsReportedButNotAPersonWaitingForAnOperator() {
        State before = new State("021", "1234567", 1L, "2", List.of(new Member("p1", "DEM", true)));
        List<DepartmentEvent> e = changes(before, household("2", null, null), List.of(new Member("p1", "DEM", true),
                new Member("p4", "ENF", false), new Member(CafChanges.UNMATCHED, "CJT", true)));
        assertEquals(List.of(DepartmentEvent.NEW_PERSON), types(e));
        assertEquals("p4", e.get(0).personId());
        assertEquals(Map.of("role", "ENF", "soumis_droits_devoirs", "0"), e.get(0).details());
    }

    @Test
    public void aKnownHouseholdBecomingSubjectToRightsAndDutiesNeedsAnOrientation() {
        State before = new State("021", "1234567", 1L, "2", List.of(new Member("p1", "DEM", false)));
        List<DepartmentEvent> e = changes(before, household("2", null, null), List.of(new Member("p1", "DEM", true)));
        assertEquals(List.of(DepartmentEvent.NEW_HOUSEHOLD_SDD), types(e));
    }
}
