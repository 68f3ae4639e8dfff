package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.dora.OfferMapping.Item;
import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The published offer (tables {@code dora_offer_structure}, {@code dora_offer_service}, {@code dora_offer}): replaced
 * as a whole, in one transaction, by each accepted offer, so that the feed and the CSV never show half of one. An item
 * whose content did not change is not written and keeps its {@code date_maj}; an item without a date given by the
 * department is dated the day its content changed.
 */
final class OfferStore {
    /** What a publication did. */
    record Publication(int inserted, int updated, int unchanged, int withdrawn, int structures, int services) {
    }

    /** The offer being published, or empty before the first. */
    record Current(String exchangeId, String sender, Instant publishedAt, int structures, int services) {
    }

    private final Jdbc jdbc;
    private final Clock clock;

    OfferStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Publication publish(OfferMapping.Mapped offer, String exchangeId, String sender) {
        return jdbc.inTransaction(() -> {
            int[] counts = new int[4];
            replace(Kind.STRUCTURE, offer.structures(), counts);
            replace(Kind.SERVICE, offer.services(), counts);
            Instant now = clock.instant();
            jdbc.update("DELETE FROM dora_offer WHERE id = 1");
            jdbc.update("INSERT INTO dora_offer (id, exchange_id, sender, published_at, structures, services) "
                    + "VALUES (1,?,?,?,?,?)", exchangeId, sender == null ? null : cut(sender, 200), now,
                    offer.structures().size(), offer.services().size());
            return new Publication(counts[0], counts[1], counts[2], counts[3], offer.structures().size(),
                    offer.services().size());
        });
    }

    Optional<Current> current() {
        return jdbc.one("SELECT exchange_id, sender, published_at, structures, services FROM dora_offer WHERE id = 1",
                rs -> new Current(rs.getString(1).trim(), rs.getString(2), Jdbc.instant(rs, 3), rs.getInt(4), rs.getInt(5)));
    }

    long count(Kind kind) {
        return jdbc.count("SELECT COUNT(*) FROM " + table(kind));
    }

    /** One page of the published items, ordered by id. */
    List<JsonNode> page(Kind kind, int page, int size) throws IOException {
        List<String> rows = jdbc.query("SELECT item FROM " + table(kind) + " ORDER BY id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                rs -> rs.getString(1), (long) (page - 1) * size, size);
        List<JsonNode> out = new ArrayList<>();
        for (String r : rows) {
            out.add(Json.MAPPER.readTree(r));
        }
        return out;
    }

    /** Every published structure by id (for the CSV). */
    Map<String, JsonNode> structures() throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String[] r : jdbc.query("SELECT id, item FROM dora_offer_structure ORDER BY id",
                rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            out.put(r[0], Json.MAPPER.readTree(r[1]));
        }
        return out;
    }

    private void replace(Kind kind, List<Item> items, int[] counts) {
        Map<String, String[]> before = new HashMap<>(); // id -> content digest, date_maj
        jdbc.query("SELECT id, content_digest, item FROM " + table(kind), rs -> {
            String item = rs.getString(3);
            String date;
            try {
                date = Json.MAPPER.readTree(item).path("date_maj").asText();
            } catch (IOException e) {
                date = "";
            }
            before.put(rs.getString(1), new String[] {rs.getString(2), date});
            return null;
        });
        Instant now = clock.instant();
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Item i : items) {
            ObjectNode item = i.v1().deepCopy();
            String content = DirectoryStore.digest(Json.write(withoutDate(item)));
            String[] old = before.get(i.id());
            if (old != null && old[0].equals(content) && !i.dateGiven()) {
                item.put("date_maj", old[1]); // unchanged: keeps the day it last changed
            }
            String json = Json.write(sorted(item));
            if (old == null) {
                inserts.add(args(kind, item, content, json, now, i.id()));
            } else if (!old[0].equals(content) || !old[1].equals(item.path("date_maj").asText())) {
                updates.add(args(kind, item, content, json, now, i.id()));
            } else {
                counts[2]++;
            }
        }
        Set<String> kept = items.stream().map(Item::id).collect(Collectors.toSet());
        List<Object[]> withdrawn = before.keySet().stream().filter(id -> !kept.contains(id)).map(id -> new Object[] {id})
                .toList();
        jdbc.batch(kind == Kind.STRUCTURE
                ? "INSERT INTO dora_offer_structure (content_digest, item, published_at, id) VALUES (?,?,?,?)"
                : "INSERT INTO dora_offer_service (structure_id, content_digest, item, published_at, id) VALUES (?,?,?,?,?)",
                inserts);
        jdbc.batch(kind == Kind.STRUCTURE
                ? "UPDATE dora_offer_structure SET content_digest = ?, item = ?, published_at = ? WHERE id = ?"
                : "UPDATE dora_offer_service SET structure_id = ?, content_digest = ?, item = ?, published_at = ? WHERE id = ?",
                updates);
        jdbc.batch("DELETE FROM " + table(kind) + " WHERE id = ?", withdrawn);
        counts[0] += inserts.size();
        counts[1] += updates.size();
        counts[3] += withdrawn.size();
    }

    private static Object[] args(Kind kind, ObjectNode item, String content, String json, Instant now, String id) {
        return kind == Kind.STRUCTURE ? new Object[] {content, json, now, id}
                : new Object[] {item.path("structure_id").asText(), content, json, now, id};
    }

    private static ObjectNode withoutDate(ObjectNode item) {
        ObjectNode copy = item.deepCopy();
        copy.remove("date_maj");
        return copy;
    }

    /** Fields in name order (the item came so; date_maj was put back at the end). */
    private static ObjectNode sorted(ObjectNode item) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        names.stream().sorted().forEach(n -> out.set(n, item.get(n)));
        return out;
    }

    private static String table(Kind kind) {
        return kind == Kind.STRUCTURE ? "dora_offer_structure" : "dora_offer_service";
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
