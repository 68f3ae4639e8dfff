package fr.aisne.hub.connector.urssaf.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions;
import fr.aisne.hub.connector.urssaf.internal.Adjustments.AdjustmentDay;
import fr.aisne.hub.connector.urssaf.internal.Adjustments.AdjustmentLine;
import fr.aisne.hub.connector.urssaf.internal.Computation.Decision;
import fr.aisne.hub.connector.urssaf.internal.Computation.Result;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;

/**
 * The months of the AT/MP contribution: the figures of an open month (computed now, with the adjustments that closing
 * it would carry), closing a month (in order, once ended, no employee waiting for a decision), and the decisions.
 */
public final class Months {

    /** An open month as it would be closed now. */
    public record Preview(Result result, List<AdjustmentDay> adjustmentDays, List<AdjustmentLine> adjustments) {
    }

    /** Refused: why, in French, for the operator. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final UrssafStore store;
    private final UrssafSettings settings;
    private final Supplier<PmsmpConventions> conventions;
    private final Clock clock;
    private final Consumer<YearMonth> queue;

    /** @param queue hands a closed month's declaration to the hub (may fail: the timer offers it again) */
    public Months(UrssafStore store, UrssafSettings settings, Supplier<PmsmpConventions> conventions, Clock clock,
            Consumer<YearMonth> queue) {
        this.store = store;
        this.settings = settings;
        this.conventions = conventions;
        this.clock = clock;
        this.queue = queue;
    }

    public UrssafStore store() {
        return store;
    }

    public YearMonth current() {
        return YearMonth.from(LocalDate.now(clock.withZone(settings.zone())));
    }

    PmsmpConventions source() {
        PmsmpConventions c = conventions.get();
        if (c == null) {
            throw new Refused(503, "les conventions PMSMP ne sont pas disponibles (connecteur Immersion Facilitée absent)");
        }
        return c;
    }

    /** The month's figures now, and the adjustments of the closed months it would carry when closed. */
    public Preview preview(YearMonth month) {
        PmsmpConventions source = source();
        Map<String, Decision> decisions = store.decisions();
        Result result;
        try {
            result = Computation.compute(month, source.overlapping(month.atDay(1), month.atEndOfMonth()), settings.basis(),
                    settings.tariffs(), decisions);
        } catch (IllegalStateException e) {
            throw new Refused(409, e.getMessage());
        }
        List<AdjustmentDay> adj = new ArrayList<>();
        for (MonthRow closed : store.months()) {
            YearMonth origin = closed.month();
            if (!origin.isBefore(month) || origin.isBefore(month.minusMonths(settings.lookbackMonths()))) {
                continue;
            }
            Result now;
            try {
                now = Computation.compute(origin, source.overlapping(origin.atDay(1), origin.atEndOfMonth()),
                        settings.basis(), settings.tariffs(), decisions);
            } catch (IllegalStateException e) {
                throw new Refused(409, e.getMessage());
            }
            adj.addAll(Adjustments.between(origin, store.declaredFor(origin), now));
        }
        return new Preview(result, adj, Adjustments.lines(adj));
    }

    /** Closes {@code month}: its figures and adjustments written once, its declaration handed to the hub. */
    public synchronized MonthRow close(YearMonth month, String operator) {
        if (store.month(month).isPresent()) {
            throw new Refused(409, "le mois " + month + " est déjà clos");
        }
        if (!month.isBefore(current())) {
            throw new Refused(409, "le mois " + month + " n'est pas terminé (mois en cours : " + current() + ")");
        }
        Optional<YearMonth> last = store.lastClosed();
        if (last.isPresent() && !month.equals(last.get().plusMonths(1))) {
            throw new Refused(409, month.isBefore(last.get()) ? "le mois " + month + " précède le dernier mois clos ("
                    + last.get() + ") : ses corrections iront dans le prochain mois ouvert"
                    : "clore d'abord " + last.get().plusMonths(1) + " (les mois se closent dans l'ordre)");
        }
        Preview p = preview(month);
        if (!p.result().pending().isEmpty()) {
            throw new Refused(409, p.result().pending().size() + " convention(s) d'un salarié attendent une décision : "
                    + String.join(", ", p.result().pending().stream().map(Computation.Excluded::reference).toList()));
        }
        store.insertClosed(p.result(), p.adjustmentDays(), p.adjustments(), settings.basis().name(), clock.instant(),
                operator);
        try {
            queue.accept(month);
        } catch (RuntimeException e) {
            // the month is closed; the timer hands its declaration over again
        }
        return store.month(month).orElseThrow();
    }

    public void decide(String conventionKey, Decision decision, String operator) {
        if (source().find(conventionKey).isEmpty()) {
            throw new Refused(404, "convention inconnue : " + conventionKey);
        }
        store.decide(conventionKey, decision, operator, clock.instant());
    }
}
