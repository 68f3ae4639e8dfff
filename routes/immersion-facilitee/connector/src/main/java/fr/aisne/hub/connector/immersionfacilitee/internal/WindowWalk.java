package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The start-date windows of a reconciliation. The platform's list has no paging and no "updated since": it gives at
 * most {@link #CAP} conventions whose {@code dateStart} is in ({@code startDateGreater}, {@code startDateLessOrEqual}],
 * newest first; a full answer may hide more. So the walk goes from the oldest day to the newest in windows that must
 * each come back with fewer than {@link #CAP}: a full one is asked again at half its size; down to one day, a full
 * day is asked status by status ({@link #needsStatusSplit()}). A window that came back small makes the next one twice
 * as large (up to {@code maxDays}), a crowded one (more than half the cap) half as large. The walk's state is a few
 * numbers, kept between windows so that an interrupted walk resumes where it stopped.
 */
final class WindowWalk {
    /** The platform's cap on a list. */
    static final int CAP = 100;

    /** ({@code after}, {@code upTo}]: the list's own semantics. */
    record Window(LocalDate after, LocalDate upTo) {
        long days() {
            return ChronoUnit.DAYS.between(after, upTo);
        }
    }

    private final LocalDate from;
    private final LocalDate to;
    private final int maxDays;
    private LocalDate after;
    private int size;
    private boolean split;

    /** Every start date from {@code from} to {@code to}, both included. */
    WindowWalk(LocalDate from, LocalDate to, int initialDays, int maxDays) {
        this(from, to, initialDays, maxDays, from.minusDays(1));
    }

    /** Resumes a walk whose windows up to {@code after} are done. */
    WindowWalk(LocalDate from, LocalDate to, int size, int maxDays, LocalDate after) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a walk ends after it starts");
        }
        this.from = from;
        this.to = to;
        this.maxDays = Math.max(1, maxDays);
        this.size = Math.max(1, Math.min(size, this.maxDays));
        this.after = after;
    }

    /** The next window to ask, or null when the walk is done. */
    Window next() {
        if (!after.isBefore(to)) {
            return null;
        }
        LocalDate upTo = after.plusDays(size);
        return new Window(after, upTo.isAfter(to) ? to : upTo);
    }

    /**
     * What the window gave. Returns true when it is complete (fewer than {@link #CAP}: the walk moves on); false when
     * it must be asked again smaller, or status by status when it is a single day ({@link #needsStatusSplit()}).
     */
    boolean done(Window w, int count) {
        if (count >= CAP) {
            if (w.days() > 1) {
                size = (int) Math.max(1, w.days() / 2);
                return false;
            }
            split = true;
            return false;
        }
        after = w.upTo();
        split = false;
        if (count < CAP / 4) {
            size = Math.min(maxDays, size * 2);
        } else if (count > CAP / 2) {
            size = Math.max(1, size / 2);
        }
        return true;
    }

    /** The current window is one full day: ask it status by status, then call {@link #skipDay()}. */
    boolean needsStatusSplit() {
        return split;
    }

    /** The day asked status by status is done. */
    void skipDay() {
        Window w = next();
        if (w != null) {
            after = w.upTo();
        }
        split = false;
    }

    LocalDate from() {
        return from;
    }

    LocalDate to() {
        return to;
    }

    LocalDate after() {
        return after;
    }

    int size() {
        return size;
    }

    /** Share of the days already walked, 0 to 100. */
    int percent() {
        long all = ChronoUnit.DAYS.between(from.minusDays(1), to);
        long done = ChronoUnit.DAYS.between(from.minusDays(1), after);
        return all <= 0 ? 100 : (int) Math.min(100, done * 100 / all);
    }
}
