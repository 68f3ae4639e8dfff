package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reconciliation: the platform never sends a failed webhook again, so the list is walked by start-date windows and
 * whatever the hub has not read yet is handed over for re-read; nothing twice, nothing missed.
 */
public class ReconciliationTest {
    private Harness h;

    @After
    public void stop() {
        if (h != null) {
            h.close();
        }
    }

    private ObjectNode put(String agency, LocalDate start) {
        ObjectNode c = PlatformConventions.convention(PlatformConventions.newId(), "cd02", "ACCEPTED_BY_VALIDATOR", start,
                start.plusDays(4), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SUNDAY), List.<String[]>of(new String[] {"09:00", "12:00"}));
        PlatformConventions.agency(c, agency);
        h.platform.put(c);
        return c;
    }

    // "today" is the connector's (reconcile.zone, Europe/Paris): after 23:00 UTC in winter it is already tomorrow
    private void walk(Reconciliation.Kind kind) {
        h.runtime.reconciliation.request(kind);
        h.runtime.reconciliation.tick();
    }

    @Test
    public void aDroppedWebhookIsCaughtAndAnUnchangedConventionNotHandedTwice() throws Exception {
        h = new Harness("reconcile-dropped");
        LocalDate today = LocalDate.now(Schedules.PARIS);
        ObjectNode c = put("cd02", today.minusDays(3));
        ObjectNode laon = put("ft-laon", today.plusDays(10));
        h.runtime.reconciliation.tick(); // the first pass is the nightly one: 13 months, and the months ahead
        assertTrue(h.runtime.reconciliation.status(), h.runtime.reconciliation.status().startsWith(
                "reconciliation nightly done: start dates " + today.minusMonths(13) + ".." + today.plusDays(183)));
        h.drain();
        assertTrue(h.runtime.store.find(c.get("id").asText()).orElseThrow().validated());
        assertEquals(1, h.journal.stream().filter(l -> l.contains("IGNORED convention " + laon.get("id").asText())).count());
        assertTrue(h.ctx.accepted().stream().anyMatch(a -> a.metadata().sender().equals(Reconciliation.SENDER)));

        int handed = h.ctx.accepted().size();
        walk(Reconciliation.Kind.RECENT);
        h.drain();
        assertEquals("nothing new: nothing handed over, the ignored one not journaled again", handed, h.ctx.accepted().size());

        c.put("status", "CANCELLED");
        walk(Reconciliation.Kind.RECENT);
        h.drain();
        assertEquals("CANCELLED", h.runtime.store.find(c.get("id").asText()).orElseThrow().status());
        assertEquals(List.of(c.get("id").asText()), h.registry.feed.stream()
                .filter(e -> e.type().equals(ConventionRecorder.CANCELLED)).map(e -> e.details().get("convention")).toList());
    }

    @Test
    public void aKeptConventionNoLongerListedIsReadAgainAndLeaves() throws Exception {
        h = new Harness("reconcile-missing");
        ObjectNode c = put("cd02", LocalDate.now(Schedules.PARIS).plusDays(20));
        walk(Reconciliation.Kind.RECENT);
        h.drain();
        assertTrue(h.runtime.store.find(c.get("id").asText()).orElseThrow().inDepartment());
        h.platform.forbidden.add(c.get("id").asText()); // transferred, and its webhook lost
        walk(Reconciliation.Kind.RECENT);
        h.drain();
        assertFalse(h.runtime.store.find(c.get("id").asText()).orElseThrow().inDepartment());
        int handed = h.ctx.accepted().size();
        walk(Reconciliation.Kind.RECENT);
        assertEquals("a removed convention is not asked for again", handed, h.ctx.accepted().size());
    }

    @Test
    public void aStormOf429sAndAnOutageInterruptTheWalkWhichResumesWhereItStopped() throws Exception {
        h = new Harness("reconcile-storm", "reconcile.retrySeconds", "1", "reconcile.windowDays", "4", "reconcile.maxWindowDays", "4");
        LocalDate today = LocalDate.now(Schedules.PARIS);
        List<ObjectNode> all = new java.util.ArrayList<>();
        for (int i = -40; i < 40; i += 3) {
            all.add(put("cd02", today.plusDays(i)));
        }
        h.platform.status429Next.set(2);
        walk(Reconciliation.Kind.RECENT); // waits the two 429s out (1 s, then 2 s) and goes on
        assertTrue(h.runtime.reconciliation.status(), h.runtime.reconciliation.status().startsWith("reconciliation manual done"));
        h.drain();
        for (ObjectNode c : all) {
            assertTrue(h.runtime.store.find(c.get("id").asText()).isPresent());
        }

        for (ObjectNode c : all) {
            c.put("status", "CANCELLED");
        }
        h.platform.outage = true;
        walk(Reconciliation.Kind.RECENT);
        String interrupted = h.runtime.reconciliation.status();
        assertTrue(interrupted, interrupted.contains("interrupted: Immersion Facilitée answered GET /v2/conventions with HTTP 503"));
        assertTrue(h.runtime.reconciliation.failing());
        assertTrue(h.runtime.health().detail(), h.runtime.health().detail().contains("interrupted"));
        h.platform.outage = false;
        Thread.sleep(1100);
        h.runtime.reconciliation.tick(); // resumes the same walk
        assertTrue(h.runtime.reconciliation.status(), h.runtime.reconciliation.status().startsWith("reconciliation manual done"));
        h.drain();
        for (ObjectNode c : all) {
            assertEquals("CANCELLED", h.runtime.store.find(c.get("id").asText()).orElseThrow().status());
        }
    }

    /**
     * Figures (printed; only the platform's limit is asserted): the nightly walk of 13 months and 6 ahead with about 300
     * conventions a year in the key's scope, at the shipped pace (250 ms apart).
     */
    @Test
    public void thirteenMonthsTakeAHandfulOfListCallsAtTheShippedPace() throws Exception {
        h = new Harness("reconcile-figures", "partner.minIntervalMs", "250");
        Random r = new Random(2025);
        LocalDate today = LocalDate.now(Schedules.PARIS);
        int n = 0;
        for (LocalDate d = today.minusMonths(13); !d.isAfter(today.plusDays(183)); d = d.plusDays(1)) {
            if (r.nextInt(100) < 82) {
                put(r.nextInt(10) < 7 ? "cd02" : "ft-laon", d);
                n++;
            }
        }
        long t0 = System.nanoTime();
        h.runtime.reconciliation.tick();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int calls = h.platform.calls.size();
        System.out.printf("FIGURES reconciliation: %d conventions starting %s..%s; the walk: %d list calls in %d ms, %d "
                + "handed over for re-read (at 4 a second: about %d s of re-reads, once); %s%n", n, today.minusMonths(13),
                today.plusDays(183), calls, ms, h.ctx.accepted().size(), h.ctx.accepted().size() / 4,
                h.runtime.reconciliation.status());
        assertEquals(n, h.ctx.accepted().size());
        assertTrue("calls: " + calls, calls <= 20);
        assertTrue("at most 5 calls in any second: " + h.platform.maxCallsPerSecond(), h.platform.maxCallsPerSecond() <= 5);
    }
}
