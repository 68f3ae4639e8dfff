package fr.aisne.hub.connector.urssaf.internal;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.connector.urssaf.internal.Adjustments.AdjustmentDay;
import fr.aisne.hub.connector.urssaf.internal.Adjustments.AdjustmentLine;
import fr.aisne.hub.connector.urssaf.internal.Computation.DayLine;
import fr.aisne.hub.connector.urssaf.internal.Computation.Decision;
import fr.aisne.hub.connector.urssaf.internal.Computation.RateLine;

/** The connector's tables (db/urssaf/V1__urssaf.sql). A closed month's days and lines are written once. */
public final class UrssafStore {
    public static final String CLOSED = "CLOSED";
    public static final String DECLARED = "DECLARED";

    /** A closed month as stored. */
    public record MonthRow(YearMonth month, String state, String basis, Instant closedAt, String closedBy,
            BigDecimal hours, BigDecimal amount, BigDecimal adjHours, BigDecimal adjAmount, String exchangeId,
            String depositNumber, Instant depositAt, String lastRejection, Instant lastAttempt) {
        public BigDecimal total() {
            return amount.add(adjAmount);
        }
    }

    /** A stored day: its month's own day (origin = month, reason null) or an adjustment day. */
    public record StoredDay(YearMonth month, YearMonth origin, DayLine day, String reason) {
        public boolean adjustment() {
            return !origin.equals(month);
        }
    }

    /** A stored declaration line. */
    public record StoredLine(int seq, String kind, YearMonth origin, String conventionKey, String reference, String ctp,
            BigDecimal rate, BigDecimal hours, BigDecimal amount, String reason) {
    }

    private final Jdbc jdbc;

    public UrssafStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public List<MonthRow> months() {
        return jdbc.query("SELECT * FROM urssaf_month ORDER BY month", UrssafStore::month);
    }

    public Optional<MonthRow> month(YearMonth m) {
        return jdbc.one("SELECT * FROM urssaf_month WHERE month = ?", UrssafStore::month, m.toString());
    }

    public Optional<YearMonth> lastClosed() {
        return jdbc.one("SELECT MAX(month) FROM urssaf_month", rs -> rs.getString(1)).map(YearMonth::parse);
    }

    /** Everything declared so far for {@code origin}: its own days and the adjustments of later months. */
    public List<DayLine> declaredFor(YearMonth origin) {
        return jdbc.query("SELECT * FROM urssaf_day WHERE origin_month = ? ORDER BY conv_key, day",
                rs -> day(rs).day(), origin.toString());
    }

    public List<StoredDay> days(YearMonth month) {
        return jdbc.query("SELECT * FROM urssaf_day WHERE month = ? ORDER BY origin_month DESC, conv_key, day",
                UrssafStore::day, month.toString());
    }

    public List<StoredLine> lines(YearMonth month) {
        return jdbc.query("SELECT * FROM urssaf_line WHERE month = ? ORDER BY seq", rs -> new StoredLine(rs.getInt("seq"),
                rs.getString("kind"), YearMonth.parse(rs.getString("origin_month")), rs.getString("conv_key"),
                rs.getString("reference"), rs.getString("ctp"), rs.getBigDecimal("rate"), rs.getBigDecimal("hours"),
                rs.getBigDecimal("amount"), rs.getString("reason")), month.toString());
    }

    /** Writes a closed month, its days and its lines, in one transaction; false when it was already closed. */
    public boolean insertClosed(Computation.Result result, List<AdjustmentDay> adjustments, List<AdjustmentLine> adjLines,
            String basis, Instant at, String by) {
        String m = result.month().toString();
        BigDecimal adjHours = adjLines.stream().map(AdjustmentLine::hours).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal adjAmount = adjLines.stream().map(AdjustmentLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return jdbc.inTransaction(() -> {
            if (!jdbc.insertIfAbsent("INSERT INTO urssaf_month (month, state, basis, closed_at, closed_by, hours, amount, "
                    + "adj_hours, adj_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", m, CLOSED, basis, at, by,
                    result.hours(), result.amount(), adjHours, adjAmount)) {
                return false;
            }
            List<Object[]> rows = new ArrayList<>();
            for (DayLine d : result.days()) {
                rows.add(dayRow(m, m, d, null));
            }
            for (AdjustmentDay a : adjustments) {
                rows.add(dayRow(m, a.origin().toString(), a.day(), a.reason()));
            }
            if (!rows.isEmpty()) {
                jdbc.batch("INSERT INTO urssaf_day (month, origin_month, conv_key, day, hours, rate, ctp, source, reference, "
                        + "person_id, host_siret, conv_version, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
            }
            List<Object[]> lines = new ArrayList<>();
            int seq = 0;
            for (RateLine l : result.lines()) {
                lines.add(new Object[] {m, ++seq, "MOIS", m, null, null, l.ctp(), l.rate(), l.hours(), l.amount(), null});
            }
            for (AdjustmentLine l : adjLines) {
                lines.add(new Object[] {m, ++seq, "REGULARISATION", l.origin().toString(), l.conventionKey(), l.reference(),
                        l.ctp(), l.rate(), l.hours(), l.amount(), cut(l.reason(), 300)});
            }
            if (!lines.isEmpty()) {
                jdbc.batch("INSERT INTO urssaf_line (month, seq, kind, origin_month, conv_key, reference, ctp, rate, hours, "
                        + "amount, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", lines);
            }
            return true;
        });
    }

    /**
     * Before its acknowledgement only: the CTP and rate of a closed month's days and lines as the settings say now
     * (a rejection for a wrong CTP or rate is corrected in the settings, then the declaration replayed); the amounts
     * follow. Hours are never changed. Returns the number of lines changed.
     */
    public int retariff(YearMonth month, List<Tariff> tariffs) {
        return jdbc.inTransaction(() -> {
            MonthRow row = month(month).orElseThrow();
            if (DECLARED.equals(row.state())) {
                return 0;
            }
            int changed = 0;
            for (StoredDay d : days(month)) {
                Tariff t = Tariff.on(tariffs, d.day().day()).orElse(null);
                if (t != null && (!t.ctp().equals(d.day().ctp()) || t.ratePerHour().compareTo(d.day().rate()) != 0)) {
                    jdbc.update("UPDATE urssaf_day SET ctp = ?, rate = ? WHERE month = ? AND origin_month = ? AND conv_key = ? "
                            + "AND day = ?", t.ctp(), t.ratePerHour(), month.toString(), d.origin().toString(),
                            d.day().conventionKey(), Date.valueOf(d.day().day()));
                    changed++;
                }
            }
            if (changed == 0) {
                return 0;
            }
            // the lines again from the days, as at closing
            List<StoredDay> days = days(month);
            List<DayLine> own = days.stream().filter(d -> !d.adjustment()).map(StoredDay::day).toList();
            List<AdjustmentDay> adj = days.stream().filter(StoredDay::adjustment)
                    .map(d -> new AdjustmentDay(d.origin(), d.day(), d.reason())).toList();
            List<RateLine> lines = Computation.lines(own);
            List<AdjustmentLine> adjLines = Adjustments.lines(adj);
            jdbc.update("DELETE FROM urssaf_line WHERE month = ?", month.toString());
            List<Object[]> rows = new ArrayList<>();
            int seq = 0;
            String m = month.toString();
            for (RateLine l : lines) {
                rows.add(new Object[] {m, ++seq, "MOIS", m, null, null, l.ctp(), l.rate(), l.hours(), l.amount(), null});
            }
            for (AdjustmentLine l : adjLines) {
                rows.add(new Object[] {m, ++seq, "REGULARISATION", l.origin().toString(), l.conventionKey(), l.reference(),
                        l.ctp(), l.rate(), l.hours(), l.amount(), cut(l.reason(), 300)});
            }
            if (!rows.isEmpty()) {
                jdbc.batch("INSERT INTO urssaf_line (month, seq, kind, origin_month, conv_key, reference, ctp, rate, hours, "
                        + "amount, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
            }
            jdbc.update("UPDATE urssaf_month SET amount = ?, adj_amount = ? WHERE month = ?",
                    lines.stream().map(RateLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add),
                    adjLines.stream().map(AdjustmentLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add), m);
            return changed;
        });
    }

    public void queued(YearMonth month, String exchangeId) {
        jdbc.update("UPDATE urssaf_month SET exchange_id = ? WHERE month = ?", exchangeId, month.toString());
    }

    /** Closed months whose declaration is not handed to the hub yet. */
    public List<YearMonth> notQueued() {
        return jdbc.query("SELECT month FROM urssaf_month WHERE exchange_id IS NULL ORDER BY month",
                rs -> YearMonth.parse(rs.getString(1)));
    }

    public void declared(YearMonth month, String depositNumber, Instant at) {
        jdbc.update("UPDATE urssaf_month SET state = ?, deposit_number = ?, deposit_at = ?, last_rejection = NULL, "
                + "last_attempt = ? WHERE month = ?", DECLARED, depositNumber, at, at, month.toString());
    }

    public void rejected(YearMonth month, String reason, Instant at) {
        jdbc.update("UPDATE urssaf_month SET last_rejection = ?, last_attempt = ? WHERE month = ? AND state = ?",
                cut(reason, 1000), at, month.toString(), CLOSED);
    }

    public Map<String, Decision> decisions() {
        Map<String, Decision> out = new LinkedHashMap<>();
        for (String[] r : jdbc.query("SELECT conv_key, decision FROM urssaf_decision", rs -> new String[] {rs.getString(1),
                rs.getString(2)})) {
            out.put(r[0], Decision.valueOf(r[1]));
        }
        return out;
    }

    public void decide(String conventionKey, Decision decision, String by, Instant at) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM urssaf_decision WHERE conv_key = ?", conventionKey);
            jdbc.update("INSERT INTO urssaf_decision (conv_key, decision, decided_by, decided_at) VALUES (?, ?, ?, ?)",
                    conventionKey, decision.name(), by, at);
        });
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Object[] dayRow(String month, String origin, DayLine d, String reason) {
        return new Object[] {month, origin, d.conventionKey(), Date.valueOf(d.day()), d.hours(), d.rate(), d.ctp(),
                d.source(), d.reference(), d.personId(), d.hostSiret(), d.version(), cut(reason, 300)};
    }

    private static StoredDay day(ResultSet rs) throws SQLException {
        DayLine d = new DayLine(rs.getString("conv_key"), rs.getString("source"), rs.getString("reference"),
                rs.getString("person_id"), rs.getString("host_siret"), rs.getDate("day").toLocalDate(),
                rs.getBigDecimal("hours"), rs.getBigDecimal("rate"), rs.getString("ctp"), rs.getInt("conv_version"));
        return new StoredDay(YearMonth.parse(rs.getString("month")), YearMonth.parse(rs.getString("origin_month")), d,
                rs.getString("reason"));
    }

    private static MonthRow month(ResultSet rs) throws SQLException {
        return new MonthRow(YearMonth.parse(rs.getString("month")), rs.getString("state"), rs.getString("basis"),
                Jdbc.instant(rs, "closed_at"), rs.getString("closed_by"), rs.getBigDecimal("hours"),
                rs.getBigDecimal("amount"), rs.getBigDecimal("adj_hours"), rs.getBigDecimal("adj_amount"),
                rs.getString("exchange_id"), rs.getString("deposit_number"), Jdbc.instant(rs, "deposit_at"),
                rs.getString("last_rejection"), Jdbc.instant(rs, "last_attempt"));
    }
}
