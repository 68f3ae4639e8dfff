package fr.aisne.hub.registry.internal;

import fr.aisne.hub.api.Jdbc;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;

/** The event feed in table dep_event: appended in order, once per batch, read by sequence number. */
final class DepartmentEventStore implements DepartmentEvents {
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() { };
    private static final int MAX_LIMIT = 1000;

    private final Jdbc db;
    private final Clock clock;

    DepartmentEventStore(DataSource dataSource, Clock clock) {
        this.db = new Jdbc(dataSource);
        this.clock = clock;
    }

    @Override
    public synchronized int publish(String batchExchangeId, List<DepartmentEvent> events) {
        if (batchExchangeId == null || batchExchangeId.isBlank()) {
            throw new IllegalArgumentException("events are published by a journaled batch: its exchange id is required");
        }
        return db.inTransaction(() -> {
            if (db.one("SELECT 1 FROM dep_event WHERE batch_exchange = ?", rs -> 1, batchExchangeId).isPresent()) {
                return 0; // redelivered batch: already in the feed
            }
            Instant now = clock.instant();
            List<Object[]> rows = new ArrayList<>(events.size());
            for (DepartmentEvent e : events) {
                rows.add(new Object[] {batchExchangeId, e.type(), e.personId(), e.householdKey(), e.occurredAt(),
                    e.sourcePartner(), e.sourceExchange(), details(e.details()), now});
            }
            db.batch("INSERT INTO dep_event (batch_exchange, type, person_id, household_key, occurred_at, source_partner, "
                    + "source_exchange, details, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)", rows);
            return rows.size();
        });
    }

    @Override
    public List<DepartmentEvent> since(long afterSeq, int limit, Set<String> types) {
        int n = Math.max(1, Math.min(limit, MAX_LIMIT));
        StringBuilder sql = new StringBuilder("SELECT seq, type, person_id, household_key, occurred_at, source_partner, "
                + "source_exchange, details FROM dep_event WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(afterSeq);
        if (types != null && !types.isEmpty()) {
            sql.append(" AND type IN (").append("?,".repeat(types.size() - 1)).append("?)");
            args.addAll(types);
        }
        sql.append(" ORDER BY seq FETCH FIRST ").append(n).append(" ROWS ONLY");
        return db.query(sql.toString(), rs -> new DepartmentEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), Jdbc.instant(rs, "occurred_at"), rs.getString(6), rs.getString(7), parse(rs.getString(8))),
                args.toArray());
    }

    @Override
    public long lastSeq() {
        return db.one("SELECT MAX(seq) FROM dep_event", rs -> rs.getLong(1)).orElse(0L);
    }

    private static String details(Map<String, String> details) {
        try {
            return Json.MAPPER.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event details are not serialisable", e);
        }
    }

    private static Map<String, String> parse(String json) {
        try {
            return Json.MAPPER.readValue(json, DETAILS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
