package fr.aisne.hub.departement.internal;

import static org.junit.Assert.assertEquals;

import java.time.LocalDate;
import java.util.List;

import org.junit.Test;

/** The worklists on {@link FixedDataSet} (plus P6, opened in April, and P7, whose file is closed). */
public class WorklistsTest {
    private static final LocalDate APRIL_12 = LocalDate.of(2027, 4, 12);
    private final FixedDataSet data = FixedDataSet.march2027();

    {
        data.attr("P6", "utas", "Laon", "referent_id", "R1");
        data.opened("P6", "2027-04-05", "2027-05-05");
        data.opened("P7", "2027-03-01", "2027-04-01");
        data.event("dossier.clos", "P7", "2027-03-20", "motif", "radiation");
    }

    private List<Worklists.Entry> list(Worklists.Kind kind, int days, String territory, String referent) {
        return Worklists.of(kind, data.files().values(), APRIL_12, days, territory, referent);
    }

    private static List<String> ids(List<Worklists.Entry> l) {
        return l.stream().map(Worklists.Entry::personId).toList();
    }

    @Test
    public void aLateOrientationIsInTheWorklist() {
        // P3: due 04-10, not oriented on 04-12: 2 days late. P6 is due 05-05, beyond 7 days; P7's file is closed;
        // the others are oriented.
        List<Worklists.Entry> l = list(Worklists.Kind.ORIENTATION, 7, null, null);
        assertEquals(List.of("P3"), ids(l));
        assertEquals("en retard", l.get(0).status());
        assertEquals(2, l.get(0).daysLate());
        assertEquals("Soissons", l.get(0).territory());
        assertEquals("R2", l.get(0).referent());
        assertEquals(LocalDate.of(2027, 4, 10), l.get(0).reference());
    }

    @Test
    public void dueWithinNDaysByTerritoryAndReferent() {
        // within 30 days: P6 too, 23 days left; the most overdue first
        List<Worklists.Entry> l = list(Worklists.Kind.ORIENTATION, 30, null, null);
        assertEquals(List.of("P3", "P6"), ids(l));
        assertEquals("à échéance", l.get(1).status());
        assertEquals(-23, l.get(1).daysLate());
        assertEquals(List.of("P6"), ids(list(Worklists.Kind.ORIENTATION, 30, "Laon", null)));
        assertEquals(List.of("P3"), ids(list(Worklists.Kind.ORIENTATION, 30, null, "R2")));
        assertEquals(List.of(), ids(list(Worklists.Kind.ORIENTATION, 30, "Laon", "R2")));
    }

    @Test
    public void contractMissingNDaysAfterTheOrientation() {
        // oriented at least 30 days before 04-12 (on or before 03-13): P1 (CER 03-20) and P5, whose only CER (03-01)
        // is older than its orientation (03-05): due 04-04, 8 days late
        List<Worklists.Entry> l = list(Worklists.Kind.CONTRAT, 30, null, null);
        assertEquals(List.of("P5"), ids(l));
        assertEquals(8, l.get(0).daysLate());
        // after 5 days: P2 too (oriented 04-10? no: 04-12 - 5 = 04-07, P2 oriented 04-10 is not yet due)
        assertEquals(List.of("P5"), ids(list(Worklists.Kind.CONTRAT, 5, null, null)));
        assertEquals(List.of("P2", "P5"), ids(list(Worklists.Kind.CONTRAT, 0, null, null)).stream().sorted().toList());
    }

    @Test
    public void fewerThanFifteenHoursAWeek() {
        // P4's contract: 10 hours; P1 15 and P5 20 are enough
        List<Worklists.Entry> l = list(Worklists.Kind.HEURES, 0, null, null);
        assertEquals(List.of("P4"), ids(l));
        assertEquals(5, l.get(0).daysLate());
        assertEquals("moins de 15 heures par semaine", l.get(0).status());
    }
}
