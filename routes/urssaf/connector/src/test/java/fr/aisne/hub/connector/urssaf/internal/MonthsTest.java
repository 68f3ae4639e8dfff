package fr.aisne.hub.connector.urssaf.internal;

import static fr.aisne.hub.connector.urssaf.internal.Conv.h;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.connector.urssaf.internal.Computation.Decision;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredLine;

/** Closing months on a real (embedded Derby) database: adjustments, order, nothing declared rewritten, evidence. */
public class MonthsTest {
    TestDatabase db;
    Conv.Source source;
    MutableClock clock;
    Months months;
    UrssafStore store;
    List<YearMonth> queued = new ArrayList<>();
    UrssafSettings settings;

    @Before
    public void setUp() {
        db = TestDatabase.embeddedDerby("target/derby/months-" + System.nanoTime());
        db.database().migrate("urssaf", getClass().getClassLoader(), "db/urssaf/V1__urssaf.sql");
        settings = UrssafSettings.from(TestConnectorContext.settings("payroll.password", "x", "declarant.siret", "22020002600015"),
                new TestConnectorContext.TestSecrets());
        store = new UrssafStore(db.database().jdbc());
        source = new Conv.Source();
        clock = new MutableClock(Instant.parse("2025-12-10T09:00:00Z"));
        months = new Months(store, settings, () -> source, clock, queued::add);
    }

    @After
    public void tearDown() {
        db.close();
    }

    @Test
    public void aCancellationAfterClosingIsAnAdjustmentOfTheNextMonthNamingMonthAndConvention() {
        source.put(Conv.daily("a", "2025-10-06", "2025-10-10", "7")).put(Conv.daily("b", "2025-10-27", "2025-11-04", "6"));
        MonthRow oct = months.close(YearMonth.parse("2025-10"), "alice");
        assertEquals(0, h("65").compareTo(oct.hours()));  // 35 + 5 x 6
        assertEquals(new BigDecimal("2.60"), oct.amount());
        assertEquals(List.of(YearMonth.parse("2025-10")), queued);
        List<StoredLine> octLines = store.lines(YearMonth.parse("2025-10"));

        // a is cancelled after October was closed; b's last day is changed to 3 h
        source.put(Conv.with(source.all.get("a"), "CANCELLED"));
        var b = source.all.get("b");
        var days = new ArrayList<>(b.days());
        var last = days.get(days.size() - 1);
        days.set(days.size() - 1, new fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpDay(last.date(), h("3"),
                h("3"), null, "09:00-12:00"));
        source.put(Conv.days(b, days));

        MonthRow nov = months.close(YearMonth.parse("2025-11"), "alice");
        assertEquals(0, h("21").compareTo(nov.hours()));  // b: Nov 1-3 at 6 h, Nov 4 at 3 h
        assertEquals(0, h("-35").compareTo(nov.adjHours()));
        assertEquals(new BigDecimal("-1.40"), nov.adjAmount());
        List<StoredLine> lines = store.lines(YearMonth.parse("2025-11"));
        StoredLine adj = lines.stream().filter(l -> l.kind().equals("REGULARISATION")).findFirst().orElseThrow();
        assertEquals(YearMonth.parse("2025-10"), adj.origin());
        assertEquals("a", adj.conventionKey());
        assertEquals("ref-a", adj.reference());
        assertTrue(adj.reason(), adj.reason().contains("CANCELLED"));
        // October as declared is untouched
        assertEquals(octLines, store.lines(YearMonth.parse("2025-10")));
        assertEquals(0, h("65").compareTo(store.month(YearMonth.parse("2025-10")).orElseThrow().hours()));
    }

    @Test
    public void anAdjustmentIsCarriedOnceNotAgainInTheFollowingMonths() {
        clock.set(Instant.parse("2026-02-10T09:00:00Z"));
        source.put(Conv.daily("a", "2025-10-06", "2025-10-10", "7"));
        months.close(YearMonth.parse("2025-10"), "alice");
        source.put(Conv.with(source.all.get("a"), "CANCELLED"));
        assertEquals(0, h("-35").compareTo(months.close(YearMonth.parse("2025-11"), "alice").adjHours()));
        assertEquals(0, months.close(YearMonth.parse("2025-12"), "alice").adjHours().signum());
        // and restored: the hours come back as a positive adjustment
        source.put(Conv.with(source.all.get("a"), "ACCEPTED_BY_VALIDATOR"));
        assertEquals(0, h("35").compareTo(months.close(YearMonth.parse("2026-01"), "alice").adjHours()));
    }

    @Test
    public void monthsCloseInOrderOnceEndedAndOnlyOnce() {
        refused(() -> months.close(YearMonth.parse("2025-12"), "alice"), "n'est pas terminé");
        months.close(YearMonth.parse("2025-09"), "alice");
        refused(() -> months.close(YearMonth.parse("2025-09"), "alice"), "déjà clos");
        refused(() -> months.close(YearMonth.parse("2025-11"), "alice"), "clore d'abord 2025-10");
        refused(() -> months.close(YearMonth.parse("2025-08"), "alice"), "précède");
    }

    @Test
    public void anEmployeeWaitingForADecisionHoldsTheClosing() {
        source.put(Conv.flags(Conv.daily("e", "2025-11-03", "2025-11-07", "7"), true, null, null));
        refused(() -> months.close(YearMonth.parse("2025-11"), "alice"), "ref-e");
        months.decide("e", Decision.COUNT, "bob");
        assertEquals(0, h("35").compareTo(months.close(YearMonth.parse("2025-11"), "alice").hours()));
    }

    @Test
    public void theEvidenceListsEveryDayAndAddsUpToTheDeclaration() {
        source.put(Conv.daily("a", "2025-10-30", "2025-11-02", "7.5"));
        months.close(YearMonth.parse("2025-10"), "alice");
        YearMonth oct = YearMonth.parse("2025-10");
        MonthRow row = store.month(oct).orElseThrow();
        String csv = new String(Evidence.csv(row, store.days(oct)), StandardCharsets.UTF_8);
        String[] rows = csv.split("\r\n");
        assertEquals(Evidence.CSV_HEADER, rows[0]);
        assertEquals(3, rows.length);  // header + Oct 30, 31
        assertEquals("2025-10;2025-10;MOIS;a;immersion-facilitee;ref-a;person-a;12345678900011;2025-10-30;7.50;999;0.04;",
                rows[1]);
        String json = new String(Evidence.json(row, "22020002600015", store.lines(oct), store.days(oct)),
                StandardCharsets.UTF_8);
        assertTrue(json, json.contains("\"heures\" : 15.00") && json.contains("\"montant\" : 0.60"));
        assertNotNull(Evidence.sha256(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void beforeItsAcknowledgementAClosedMonthFollowsACorrectedCtpNeverAfter() {
        source.put(Conv.daily("a", "2025-10-06", "2025-10-10", "7"));
        months.close(YearMonth.parse("2025-10"), "alice");
        YearMonth oct = YearMonth.parse("2025-10");
        List<Tariff> corrected = Tariff.parse(List.of("2022-01-01:0.04:917"), "t", "tariffs");
        assertEquals(5, store.retariff(oct, corrected));
        assertEquals("917", store.lines(oct).get(0).ctp());
        assertEquals(new BigDecimal("1.40"), store.month(oct).orElseThrow().amount());
        store.declared(oct, "D-1", clock.instant());
        assertEquals(0, store.retariff(oct, Tariff.parse(List.of("2022-01-01:0.05:918"), "t", "tariffs")));
        assertEquals("917", store.lines(oct).get(0).ctp());
    }

    static void refused(Runnable r, String expected) {
        try {
            r.run();
            fail("not refused");
        } catch (Months.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }
}
