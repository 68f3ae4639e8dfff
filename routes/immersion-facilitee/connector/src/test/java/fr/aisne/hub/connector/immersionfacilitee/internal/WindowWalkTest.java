package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.Test;

import fr.aisne.hub.connector.immersionfacilitee.internal.WindowWalk.Window;

/** The start-date windows: every day walked once, never a list at the cap taken as complete. */
public class WindowWalkTest {

    /** Conventions per start day, and the walk run against it as the platform answers (capped, newest first). */
    private static int walk(TreeMap<LocalDate, Integer> perDay, LocalDate from, LocalDate to, List<Window> asked,
            List<LocalDate> splitDays) {
        WindowWalk w = new WindowWalk(from, to, 16, 64);
        int found = 0;
        for (Window win = w.next(); win != null; win = w.next()) {
            asked.add(win);
            int count = perDay.subMap(win.after(), false, win.upTo(), true).values().stream().mapToInt(i -> i).sum();
            int answered = Math.min(count, WindowWalk.CAP);
            if (w.done(win, answered)) {
                found += count;
            } else if (w.needsStatusSplit()) {
                splitDays.add(win.upTo());
                found += count; // asked status by status
                w.skipDay();
            }
        }
        return found;
    }

    @Test
    public void thirteenMonthsOfTheAisneTakeAHandfulOfCalls() {
        // about 130 conventions a year in the key's scope, 13 months back and 6 ahead
        Random r = new Random(2024);
        LocalDate from = LocalDate.of(2025, 11, 6);
        LocalDate to = LocalDate.of(2027, 6, 6);
        TreeMap<LocalDate, Integer> perDay = new TreeMap<>();
        int total = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (r.nextInt(100) < 36) {
                perDay.put(d, 1);
                total++;
            }
        }
        List<Window> asked = new ArrayList<>();
        assertEquals("every convention found", total, walk(perDay, from, to, asked, new ArrayList<>()));
        assertTrue("calls: " + asked.size(), asked.size() <= 14);
        assertCovers(asked, from, to);
    }

    @Test
    public void aCrowdedPeriodIsAskedAgainInSmallerWindowsUntilEachListIsComplete() {
        LocalDate from = LocalDate.of(2025, 1, 1);
        LocalDate to = LocalDate.of(2025, 12, 31);
        TreeMap<LocalDate, Integer> perDay = new TreeMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            perDay.put(d, d.getMonthValue() == 9 ? 12 : 1); // a September with 360 conventions
        }
        List<Window> asked = new ArrayList<>();
        int found = walk(perDay, from, to, asked, new ArrayList<>());
        assertEquals(perDay.values().stream().mapToInt(i -> i).sum(), found);
        assertCovers(asked, from, to);
    }

    @Test
    public void aSingleDayAtTheCapIsAskedStatusByStatus() {
        LocalDate from = LocalDate.of(2025, 3, 1);
        LocalDate to = LocalDate.of(2025, 3, 31);
        TreeMap<LocalDate, Integer> perDay = new TreeMap<>();
        perDay.put(LocalDate.of(2025, 3, 10), 130);
        perDay.put(LocalDate.of(2025, 3, 20), 3);
        List<LocalDate> split = new ArrayList<>();
        List<Window> asked = new ArrayList<>();
        assertEquals(133, walk(perDay, from, to, asked, split));
        assertEquals(List.of(LocalDate.of(2025, 3, 10)), split);
    }

    @Test
    public void aWalkResumesWhereItStopped() {
        WindowWalk w = new WindowWalk(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 1), 10, 64,
                LocalDate.of(2025, 2, 15));
        Window next = w.next();
        assertEquals(LocalDate.of(2025, 2, 15), next.after());
        assertEquals(LocalDate.of(2025, 2, 25), next.upTo());
        assertTrue(w.percent() > 70);
        assertTrue(w.done(next, 3));
        assertEquals(LocalDate.of(2025, 3, 1), w.next().upTo());
        assertTrue(w.done(w.next(), 0));
        assertNull(w.next());
        assertEquals(100, w.percent());
    }

    @Test
    public void aFullAnswerIsNeverTakenAsComplete() {
        WindowWalk w = new WindowWalk(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), 16, 64);
        Window first = w.next();
        assertFalse(w.done(first, 100));
        assertEquals("asked again from the same day, half as long", first.after(), w.next().after());
        assertEquals(8, w.next().days());
    }

    private static void assertCovers(List<Window> asked, LocalDate from, LocalDate to) {
        LocalDate cursor = from.minusDays(1);
        for (Window w : asked) {
            assertTrue("no gap before " + w, !w.after().isAfter(cursor));
            if (w.upTo().isAfter(cursor)) {
                cursor = w.upTo();
            }
        }
        assertEquals(to, cursor);
    }
}
