package fr.aisne.hub.doubles.dora;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.dora.OfferCheck.Entry;
import fr.aisne.hub.doubles.dora.SchemaCheck.Problem;

/**
 * Reads and checks the CSV that Dora's administrators import: one row per service, with its structure's fields.
 * <ul>
 * <li>First line: the column names. A service field keeps its schema v1 name ({@code id}, {@code nom},
 * {@code description}, {@code thematiques}...); a structure field is prefixed {@code structure_}
 * ({@code structure_nom}, {@code structure_siret}...). {@code structure_id} is both the service's
 * {@code structure_id} and its structure's {@code id}; {@code source} is the source of both. Columns in any order;
 * {@code id} and {@code structure_id} are required; other columns are warned about and ignored.</li>
 * <li>Separator {@code ;} or {@code ,} (the one the header uses most), fields quoted with {@code "} when they hold
 * the separator, a quote or a line break ({@code ""} for a quote), RFC 4180. UTF-8 (a BOM is accepted); a file
 * that is not UTF-8 is read as Windows-1252, with a warning.</li>
 * <li>Lists ({@code thematiques}, {@code publics}, {@code modes_accueil}, {@code zone_eligibilite},
 * {@code structure_reseaux_porteurs}...) are comma-separated within their cell. Numbers accept a decimal comma.
 * An empty cell is an absent field.</li>
 * <li>Rows of one structure must agree on its {@code structure_*} cells (rule {@value #INCONSISTENT}).</li>
 * </ul>
 * Then every structure and service is checked as the feed's items are ({@link OfferCheck}); problems carry the
 * line of the file (the header is line 1; a structure's line is the first row that names it).
 */
final class CsvOffer {
    static final String INCONSISTENT = "csv-structure-inconsistent";
    static final String ROW_WIDTH = "csv-row-width";
    static final String UNKNOWN_COLUMN = "csv-unknown-column";
    static final String ENCODING = "csv-encoding";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** The CSV cannot be read at all (no header, no {@code id} column...): answered 422 with the reason. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private final SchemaCheck check;
    private final Clock clock;
    private final Map<String, String> structureKinds;
    private final Map<String, String> serviceKinds;

    CsvOffer(SchemaCheck check, Clock clock, Vocabulary vocabulary) {
        this.check = check;
        this.clock = clock;
        this.structureKinds = kinds(vocabulary.structureSchema);
        this.serviceKinds = kinds(vocabulary.serviceSchema);
    }

    Report check(byte[] body) throws Unreadable {
        Report report = new Report("csv", clock.instant());
        String text = decode(body, report);
        List<Row> rows = parse(text);
        if (rows.isEmpty()) {
            throw new Unreadable("empty CSV: a header line is expected");
        }
        List<String> header = rows.get(0).cells.stream().map(s -> s.trim().toLowerCase()).toList();
        if (!header.contains("id") || !header.contains("structure_id")) {
            throw new Unreadable("the header line must name the columns id and structure_id (found: "
                    + String.join(", ", header) + ")");
        }
        for (String column : header) {
            if (!column.equals("structure_id") && !serviceKinds.containsKey(column)
                    && !(column.startsWith("structure_") && structureKinds.containsKey(column.substring(10)))) {
                report.warn(null, null, 1, new Problem(column, UNKNOWN_COLUMN, "unknown column, ignored"));
            }
        }
        Map<String, ObjectNode> structures = new LinkedHashMap<>();
        Map<String, Integer> structureLines = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> cellLines = new LinkedHashMap<>();
        Map<String, List<Problem>> structureProblems = new LinkedHashMap<>();
        List<Entry> services = new ArrayList<>();
        int count = 0;
        for (Row row : rows.subList(1, rows.size())) {
            if (row.cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            count++;
            List<Problem> rowProblems = new ArrayList<>();
            if (row.cells.size() != header.size()) {
                rowProblems.add(new Problem("(row)", ROW_WIDTH,
                        row.cells.size() + " cells for " + header.size() + " columns"));
            }
            ObjectNode service = MAPPER.createObjectNode();
            ObjectNode structure = MAPPER.createObjectNode();
            for (int i = 0; i < header.size() && i < row.cells.size(); i++) {
                String column = header.get(i);
                String cell = row.cells.get(i).trim();
                if (cell.isEmpty()) {
                    continue;
                }
                if (column.equals("structure_id")) {
                    service.put("structure_id", cell);
                    structure.put("id", cell);
                } else if (column.equals("source")) {
                    service.put("source", cell);
                    structure.put("source", cell);
                } else if (serviceKinds.containsKey(column)) {
                    service.set(column, value(serviceKinds.get(column), cell));
                } else if (column.startsWith("structure_") && structureKinds.containsKey(column.substring(10))) {
                    structure.set(column.substring(10), value(structureKinds.get(column.substring(10)), cell));
                }
            }
            String sid = structure.path("id").asText(null);
            if (sid != null) {
                ObjectNode known = structures.get(sid);
                if (known == null) {
                    structures.put(sid, structure);
                    structureLines.put(sid, row.line);
                    Map<String, Integer> lines = new LinkedHashMap<>();
                    structure.fieldNames().forEachRemaining(f -> lines.put(f, row.line));
                    cellLines.put(sid, lines);
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = structure.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> f = it.next();
                        JsonNode before = known.get(f.getKey());
                        if (before == null) {
                            known.set(f.getKey(), f.getValue());
                            cellLines.get(sid).put(f.getKey(), row.line);
                        } else if (!Objects.equals(before, f.getValue())) {
                            String column = f.getKey().equals("id") ? "structure_id"
                                    : f.getKey().equals("source") ? "source" : "structure_" + f.getKey();
                            structureProblems.computeIfAbsent(sid, k -> new ArrayList<>()).add(new Problem(column,
                                    INCONSISTENT, "line " + row.line + " says " + f.getValue() + ", line "
                                            + cellLines.get(sid).get(f.getKey()) + " said " + before));
                        }
                    }
                }
            }
            services.add(new Entry(service, row.line, rowProblems));
        }
        report.rows = count;
        List<Entry> structureEntries = new ArrayList<>();
        structures.forEach((id, node) -> structureEntries.add(new Entry(node, structureLines.get(id),
                structureProblems.getOrDefault(id, List.of()))));
        LocalDate today = LocalDate.ofInstant(clock.instant(), DataInclusionApi.PARIS);
        OfferCheck.validate(report, structureEntries, services, check, today);
        report.finishedAt = clock.instant();
        return report;
    }

    /** UTF-8 (BOM dropped), else Windows-1252 as a spreadsheet on Windows writes it, with a warning. */
    private static String decode(byte[] body, Report report) {
        int start = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf
                ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, start, body.length - start)).toString();
        } catch (CharacterCodingException e) {
            report.warn(null, null, null, new Problem("(file)", ENCODING, "not UTF-8: read as Windows-1252"));
            return new String(body, WINDOWS_1252);
        }
    }

    private record Row(int line, List<String> cells) {
    }

    /** RFC 4180 records; the separator is the one of {@code ;} and {@code ,} the header line uses most. */
    static List<Row> parse(String text) {
        char sep = separator(text);
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int rowLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                cell.setLength(0);
                quoted = true;
                any = true;
            } else if (c == sep) {
                cells.add(cell.toString());
                cell.setLength(0);
                any = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                cells.add(cell.toString());
                rows.add(new Row(rowLine, List.copyOf(cells)));
                cells.clear();
                cell.setLength(0);
                any = false;
                line++;
                rowLine = line;
            } else {
                cell.append(c);
                any = true;
            }
        }
        if (any || cell.length() > 0 || !cells.isEmpty()) {
            cells.add(cell.toString());
            rows.add(new Row(rowLine, List.copyOf(cells)));
        }
        return rows;
    }

    private static char separator(String text) {
        int semicolons = 0;
        int commas = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted && c == ';') {
                semicolons++;
            } else if (!quoted && c == ',') {
                commas++;
            }
        }
        return semicolons >= commas && semicolons > 0 ? ';' : ',';
    }

    /** A cell as the schema's type wants it; a value that cannot be converted stays text (the schema says why). */
    private static JsonNode value(String kind, String cell) {
        switch (kind) {
            case "array" -> {
                ArrayNode a = MAPPER.createArrayNode();
                for (String part : cell.split(",")) {
                    if (!part.isBlank()) {
                        a.add(part.trim());
                    }
                }
                return a;
            }
            case "number" -> {
                try {
                    return MAPPER.getNodeFactory().numberNode(Double.parseDouble(cell.replace(',', '.')));
                } catch (NumberFormatException e) {
                    return MAPPER.getNodeFactory().textNode(cell);
                }
            }
            case "integer" -> {
                try {
                    return MAPPER.getNodeFactory().numberNode(Long.parseLong(cell));
                } catch (NumberFormatException e) {
                    return MAPPER.getNodeFactory().textNode(cell);
                }
            }
            case "boolean" -> {
                return switch (cell.toLowerCase()) {
                    case "true", "oui", "1" -> MAPPER.getNodeFactory().booleanNode(true);
                    case "false", "non", "0" -> MAPPER.getNodeFactory().booleanNode(false);
                    default -> MAPPER.getNodeFactory().textNode(cell);
                };
            }
            default -> {
                return MAPPER.getNodeFactory().textNode(cell);
            }
        }
    }

    /** Property name -> JSON type of its non-null form (string, array, number, integer, boolean). */
    private static Map<String, String> kinds(JsonNode schema) {
        Map<String, String> m = new LinkedHashMap<>();
        schema.get("properties").fields().forEachRemaining(e -> m.put(e.getKey(), kind(e.getValue())));
        return m;
    }

    private static String kind(JsonNode property) {
        if (property.has("type")) {
            return property.get("type").asText();
        }
        if (property.has("anyOf")) {
            for (JsonNode branch : property.get("anyOf")) {
                String k = kind(branch);
                if (!"null".equals(k)) {
                    return k;
                }
            }
        }
        return "string";
    }
}
