package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The local directory (tables {@code dora_structure}, {@code dora_service}): the valid items of the last pulls, with
 * a digest of each, so that a pull writes only what changed (an unchanged item costs one read of its digest, no
 * write), and the department's query over the services.
 */
final class DirectoryStore {
    /** What applying a page did. */
    record Writes(int inserted, int updated, int unchanged, int removed) {
        int total() {
            return inserted + updated + removed;
        }
    }

    /** Ids per IN (...) list. */
    private static final int CHUNK = 200;
    /** Longest zone column; a longer zone_eligibilite is matched by the départements of its codes. */
    static final int ZONE_MAX = 32_000;

    private final Jdbc jdbc;
    private final Clock clock;

    DirectoryStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Applies one page in one transaction: each valid item inserted, or updated when its digest differs, or left
     * alone; each rejected id removed if the directory had it (its current version is not v1: nothing stale is kept).
     */
    Writes apply(Kind kind, List<ObjectNode> valid, Collection<String> rejected) {
        Map<String, ObjectNode> byId = new HashMap<>();
        valid.forEach(i -> byId.put(i.get("id").asText(), i));
        Set<String> ids = new LinkedHashSet<>(byId.keySet());
        ids.addAll(rejected);
        Map<String, String> known = digests(kind, ids);
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> removals = new ArrayList<>();
        int unchanged = 0;
        java.time.Instant now = clock.instant();
        for (Map.Entry<String, ObjectNode> e : byId.entrySet()) {
            String json = Json.write(e.getValue());
            String digest = digest(json);
            String before = known.get(e.getKey());
            if (digest.equals(before)) {
                unchanged++;
            } else if (before == null) {
                inserts.add(row(kind, e.getKey(), e.getValue(), digest, json, now));
            } else {
                updates.add(row(kind, e.getKey(), e.getValue(), digest, json, now));
            }
        }
        for (String id : rejected) {
            if (known.containsKey(id) && !byId.containsKey(id)) {
                removals.add(new Object[] {id});
            }
        }
        if (!inserts.isEmpty() || !updates.isEmpty() || !removals.isEmpty()) {
            jdbc.inTransaction(() -> {
                jdbc.batch(insertSql(kind), inserts);
                jdbc.batch(updateSql(kind), updates);
                jdbc.batch("DELETE FROM " + table(kind) + " WHERE id = ?", removals);
            });
        }
        return new Writes(inserts.size(), updates.size(), unchanged, removals.size());
    }

    /** Removes the items the last complete pull did not see; returns how many. */
    int removeAbsent(Kind kind, Set<String> seen) {
        List<String> gone = jdbc.query("SELECT id FROM " + table(kind), rs -> rs.getString(1)).stream()
                .filter(id -> !seen.contains(id)).toList();
        if (!gone.isEmpty()) {
            jdbc.inTransaction(() -> jdbc.batch("DELETE FROM " + table(kind) + " WHERE id = ?",
                    gone.stream().map(id -> new Object[] {id}).toList()));
        }
        return gone.size();
    }

    long count(Kind kind) {
        return jdbc.count("SELECT COUNT(*) FROM " + table(kind));
    }

    Map<String, String> digests(Kind kind, Collection<String> ids) {
        Map<String, String> out = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT id, digest FROM " + table(kind) + " WHERE id IN (" + marks + ")", rs -> {
                out.put(rs.getString(1), rs.getString(2));
                return null;
            }, chunk.toArray());
        }
        return out;
    }

    /** One page of the department's query: nearest first (with a commune), then by id. */
    QueryPage services(ServiceQuery q) throws IOException {
        String where = q.where();
        long total = jdbc.count("SELECT COUNT(*) FROM dora_service s WHERE " + where, q.whereArgs().toArray());
        List<Object> args = new ArrayList<>(q.rankArgs());
        args.addAll(q.whereArgs());
        args.add((long) (q.page() - 1) * q.size());
        args.add(q.size());
        List<Object[]> rows = jdbc.query("SELECT s.item, st.item, " + q.rank() + " AS proximite FROM dora_service s "
                + "LEFT JOIN dora_structure st ON st.id = s.structure_id WHERE " + where + " ORDER BY proximite, s.id "
                + "OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)}, args.toArray());
        List<JsonNode> items = new ArrayList<>();
        for (Object[] r : rows) {
            ObjectNode service = (ObjectNode) Json.MAPPER.readTree((String) r[0]);
            service.set("structure", r[1] == null ? null : Json.MAPPER.readTree((String) r[1]));
            if (q.codeCommune() != null) {
                service.put("proximite", ServiceQuery.PROXIMITE.get((Integer) r[2]));
            }
            items.add(service);
        }
        return new QueryPage(items, total, q.page(), q.size());
    }

    /** A page of answers in data·inclusion's envelope: {@code size} is the number of items returned. */
    record QueryPage(List<JsonNode> items, long total, int page, int sizeAsked) {
        Map<String, Object> envelope() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("items", items);
            m.put("total", total);
            m.put("page", page);
            m.put("size", items.size());
            m.put("pages", (total + sizeAsked - 1) / sizeAsked);
            return m;
        }
    }

    static String digest(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- rows

    private static String table(Kind kind) {
        return kind == Kind.STRUCTURE ? "dora_structure" : "dora_service";
    }

    private static String insertSql(Kind kind) {
        return kind == Kind.STRUCTURE
                ? "INSERT INTO dora_structure (digest, item, changed_at, id) VALUES (?,?,?,?)"
                : "INSERT INTO dora_service (structure_id, digest, code_insee, zone, a_distance, thematiques, publics, "
                        + "frais, item, changed_at, id) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
    }

    private static String updateSql(Kind kind) {
        return kind == Kind.STRUCTURE
                ? "UPDATE dora_structure SET digest = ?, item = ?, changed_at = ? WHERE id = ?"
                : "UPDATE dora_service SET structure_id = ?, digest = ?, code_insee = ?, zone = ?, a_distance = ?, "
                        + "thematiques = ?, publics = ?, frais = ?, item = ?, changed_at = ? WHERE id = ?";
    }

    /** The statement's arguments, id last (the same order for the insert and the update). */
    private static Object[] row(Kind kind, String id, ObjectNode item, String digest, String json, java.time.Instant now) {
        if (kind == Kind.STRUCTURE) {
            return new Object[] {digest, json, now, id};
        }
        return new Object[] {item.path("structure_id").asText(), digest, text(item, "code_insee"), zone(item),
                contains(item.get("modes_accueil"), "a-distance") ? 1 : 0, listColumn(item.get("thematiques")),
                listColumn(item.get("publics")), text(item, "frais"), json, now, id};
    }

    private static String text(JsonNode item, String field) {
        JsonNode v = item.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static boolean contains(JsonNode list, String value) {
        if (list != null && list.isArray()) {
            for (JsonNode v : list) {
                if (value.equals(v.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ",a,b," for a list of strings (one LIKE '%,a,%' finds a value); null for none. */
    static String listColumn(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(",");
        list.forEach(v -> sb.append(v.asText().toLowerCase(java.util.Locale.ROOT)).append(','));
        return sb.toString();
    }

    /** The zone column; a zone longer than the column is matched by the départements of its codes. */
    static String zone(JsonNode item) {
        String z = listColumn(item.get("zone_eligibilite"));
        if (z == null || z.length() <= ZONE_MAX) {
            return z;
        }
        Set<String> departements = new LinkedHashSet<>();
        item.get("zone_eligibilite").forEach(v -> departements.add(ServiceQuery.departementOf(v.asText())));
        StringBuilder sb = new StringBuilder(",");
        departements.forEach(d -> sb.append(d.toLowerCase(java.util.Locale.ROOT)).append(','));
        return sb.toString();
    }
}
