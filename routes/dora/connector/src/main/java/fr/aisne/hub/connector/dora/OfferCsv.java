package fr.aisne.hub.connector.dora;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.connector.dora.SchemaV1.Kind;

/**
 * The published offer as the CSV Dora's administrators import: one row per service with its structure's fields.
 * Columns: {@code structure_id}, the structure's fields of schema v1 prefixed {@code structure_}
 * ({@code structure_nom}, {@code structure_siret}...), then {@code source}, {@code id} and the service's fields of
 * schema v1 under their own names, each group in name order (derived from the schema, so a new field of v1 becomes a
 * column). Separator {@code ;}, UTF-8 with a byte order mark (spreadsheets then read accents right), lines ended by
 * CRLF, a cell quoted when it holds a {@code ;}, a {@code "} (doubled), a line break or outer spaces (RFC 4180).
 * Lists are comma-separated within their cell; numbers as JSON writes them (decimal point); an absent value is an
 * empty cell. A structure without any action has no row.
 */
final class OfferCsv {
    static final char SEPARATOR = ';';
    static final String BOM = "\uFEFF";

    private final List<String> structureFields = new ArrayList<>();
    private final List<String> serviceFields = new ArrayList<>();

    OfferCsv(SchemaV1 v1) {
        v1.properties(Kind.STRUCTURE).stream().filter(f -> !f.equals("id") && !f.equals("source")).sorted()
                .forEach(structureFields::add);
        v1.properties(Kind.SERVICE).stream()
                .filter(f -> !f.equals("id") && !f.equals("source") && !f.equals("structure_id")).sorted()
                .forEach(serviceFields::add);
    }

    List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("structure_id");
        structureFields.forEach(f -> h.add("structure_" + f));
        h.add("source");
        h.add("id");
        h.addAll(serviceFields);
        return h;
    }

    String write(Map<String, JsonNode> structures, List<JsonNode> services) {
        StringBuilder sb = new StringBuilder(BOM);
        line(sb, header());
        for (JsonNode service : services) {
            String sid = service.path("structure_id").asText();
            JsonNode structure = structures.get(sid);
            List<String> cells = new ArrayList<>();
            cells.add(sid);
            structureFields.forEach(f -> cells.add(cell(structure == null ? null : structure.get(f))));
            cells.add(cell(service.get("source")));
            cells.add(cell(service.get("id")));
            serviceFields.forEach(f -> cells.add(cell(service.get(f))));
            line(sb, cells);
        }
        return sb.toString();
    }

    static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            return String.join(",", parts);
        }
        return v.asText();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(quoted(cells.get(i)));
        }
        sb.append("\r\n");
    }

    static String quoted(String s) {
        boolean quote = s.indexOf(SEPARATOR) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))));
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
