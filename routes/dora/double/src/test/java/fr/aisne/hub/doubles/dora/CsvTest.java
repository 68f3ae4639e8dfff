package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.doubles.dora.Fixtures.Item;

/** POST /double/consumer/csv: the CSV Dora's administrators import, checked as the feed is. */
public class CsvTest extends DoubleTestSupport {
    static final Fixtures FIXTURES = Fixtures.build(FixturesTest.TODAY);
    static final List<String> SERVICE_COLUMNS = List.of("source", "id", "nom", "description", "date_maj", "type",
            "thematiques", "publics", "publics_precisions", "frais", "frais_precisions", "conditions_acces",
            "modes_accueil", "modes_mobilisation", "mobilisable_par", "lien_mobilisation", "zone_eligibilite", "adresse",
            "code_postal", "code_insee", "commune", "latitude", "longitude", "telephone", "courriel", "horaires_accueil",
            "lien_source", "nombre_semaines", "volume_horaire_hebdomadaire");
    static final List<String> STRUCTURE_FIELDS = List.of("id", "nom", "siret", "description", "date_maj", "adresse",
            "code_postal", "code_insee", "commune", "latitude", "longitude", "telephone", "courriel", "site_web",
            "lien_source", "horaires_accueil", "reseaux_porteurs");

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    /** One row per service of the fixtures in {@code ids} (all the valid Aisne ones when null). */
    static List<List<String>> rows(char sep) {
        Map<String, Item> structures = new HashMap<>();
        FIXTURES.structures.forEach(s -> structures.put(s.id(), s));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        STRUCTURE_FIELDS.forEach(f -> header.add("structure_" + f));
        header.addAll(SERVICE_COLUMNS);
        rows.add(header);
        for (Item s : FIXTURES.services) {
            if (s.bad() != null || !s.codeInsee().startsWith("02")) {
                continue;
            }
            List<String> row = new ArrayList<>();
            JsonNode st = structures.get(s.structureId()).json();
            STRUCTURE_FIELDS.forEach(f -> row.add(cell(st.get(f), sep)));
            SERVICE_COLUMNS.forEach(f -> row.add(cell(s.json().get(f), sep)));
            rows.add(row);
        }
        return rows;
    }

    private static String cell(JsonNode v, char sep) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(p -> parts.add(p.asText()));
            return String.join(",", parts);
        }
        String s = v.asText();
        // a French spreadsheet writes decimal commas when it separates with semicolons
        return v.isFloatingPointNumber() && sep == ';' ? s.replace('.', ',') : s;
    }

    static String csv(List<List<String>> rows, char sep) {
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String c = row.get(i);
                if (i > 0) {
                    sb.append(sep);
                }
                if (c.indexOf(sep) >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                    sb.append('"').append(c.replace("\"", "\"\"")).append('"');
                } else {
                    sb.append(c);
                }
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    static JsonNode check(byte[] body) throws Exception {
        HttpResponse<String> r = send("POST", "/double/consumer/csv", body, Map.of("Content-Type", "text/csv"));
        assertEquals(r.body(), 200, r.statusCode());
        return json(r);
    }

    @Test
    public void theFixturesAsASemicolonCsvAreAllAccepted() throws Exception {
        JsonNode report = check(csv(rows(';'), ';').getBytes(StandardCharsets.UTF_8));
        assertEquals(report.toString(), "COMPLETED", report.get("status").asText());
        assertEquals("csv", report.get("kind").asText());
        assertEquals(60, report.get("rows").asInt());
        assertEquals(25, report.get("structures").get("accepted").asInt());
        assertEquals(60, report.get("services").get("accepted").asInt());
        assertEquals(report.get("rejected").toString(), 0, report.get("rejected").size());
        assertEquals(1, report.get("warnings").size()); // the final "."
        assertEquals(report, json(get("/double/consumer/csv/report", Map.of())));
    }

    @Test
    public void commaSeparatedWithQuotesReadsTheSame() throws Exception {
        JsonNode report = check(("\uFEFF" + csv(rows(','), ',')).getBytes(StandardCharsets.UTF_8));
        assertEquals(60, report.get("services").get("accepted").asInt());
        assertEquals(0, report.get("rejected").size());
    }

    @Test
    public void theDocumentedExampleIsValid() throws Exception {
        byte[] example;
        try (InputStream in = CsvTest.class.getResourceAsStream("/dora-import-example.csv")) {
            example = in.readAllBytes();
        }
        JsonNode report = check(example);
        assertEquals(report.toString(), 3, report.get("services").get("accepted").asInt());
        assertEquals(2, report.get("structures").get("accepted").asInt());
        assertEquals(0, report.get("rejected").size());
        assertEquals(0, report.get("warnings").size());
    }

    @Test
    public void badRowsAreRejectedWithTheirLine() throws Exception {
        List<List<String>> rows = rows(';');
        List<String> header = rows.get(0);
        set(rows.get(2), header, "publics", "tous-publics,jeunes"); // line 3
        set(rows.get(3), header, "date_maj", "1999-12-31"); // line 4
        set(rows.get(4), header, "nom", "AB"); // line 5
        set(rows.get(5), header, "description", ""); // line 6
        set(rows.get(6), header, "thematiques", "mobilite,permis"); // line 7: a category is not a thematique
        // line 8 names the structure of line 6 with another name: the structure and its services are rejected
        String sid = rows.get(5).get(header.indexOf("structure_id"));
        int other = -1;
        for (int i = 6; i < rows.size(); i++) {
            if (!rows.get(i).get(header.indexOf("structure_id")).equals(sid)) {
                other = i;
                break;
            }
        }
        List<String> conflicting = new ArrayList<>(rows.get(other));
        set(conflicting, header, "id", "dora--conflicting-row");
        set(conflicting, header, "structure_id", sid);
        set(conflicting, header, "structure_nom", "Autre nom");
        rows.add(7, conflicting);
        List<String> shortRow = new ArrayList<>(rows.get(1).subList(0, 10)); // last line: too few cells
        rows.add(shortRow);
        JsonNode report = check(csv(rows, ';').getBytes(StandardCharsets.UTF_8));
        Map<Integer, List<String>> byLine = new HashMap<>();
        for (JsonNode r : report.get("rejected")) {
            List<String> l = byLine.computeIfAbsent(r.get("line").asInt(), k -> new ArrayList<>());
            r.get("errors").forEach(e -> l.add(r.get("kind").asText() + " " + e.get("field").asText() + " "
                    + e.get("rule").asText()));
        }
        assertTrue(byLine.toString(), byLine.get(3).contains("service publics " + SchemaCheck.TOUS_PUBLICS));
        assertTrue(byLine.toString(), byLine.get(4).contains("service date_maj " + SchemaCheck.DATE_MAJ));
        assertTrue(byLine.toString(), byLine.get(5).contains("service nom schema:minLength"));
        assertTrue(byLine.toString(), byLine.get(6).contains("service description schema:required"));
        assertTrue(byLine.toString(), byLine.get(7).contains("service thematiques schema:enum"));
        assertTrue(byLine.toString(), byLine.get(8).contains("service structure_id " + OfferCheck.STRUCTURE_REJECTED));
        int last = rows.size();
        assertTrue(byLine.toString(), byLine.get(last).contains("service (row) " + CsvOffer.ROW_WIDTH));
        // the structure is reported at its first line
        boolean structureSeen = false;
        for (JsonNode r : report.get("rejected")) {
            if (r.get("kind").asText().equals("structure")) {
                assertEquals(sid, r.get("id").asText());
                assertEquals(6, r.get("line").asInt());
                assertEquals(CsvOffer.INCONSISTENT, r.get("errors").get(0).get("rule").asText());
                assertEquals("structure_nom", r.get("errors").get(0).get("field").asText());
                assertTrue(r.get("errors").get(0).get("message").asText().startsWith("line 8 says \"Autre nom\", line 6 said"));
                structureSeen = true;
            }
        }
        assertTrue(structureSeen);
    }

    @Test
    public void windows1252IsReadWithAWarning() throws Exception {
        byte[] example;
        try (InputStream in = CsvTest.class.getResourceAsStream("/dora-import-example.csv")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("’", "'")
                    .getBytes(CsvOffer.WINDOWS_1252);
        }
        JsonNode report = check(example);
        assertEquals(3, report.get("services").get("accepted").asInt());
        assertEquals(CsvOffer.ENCODING, report.get("warnings").get(0).get("rule").asText());
        assertTrue(report.get("acceptedIds").toString().contains("aisne-actifs--chantier-hirson"));
    }

    @Test
    public void unknownColumnsAreWarnedAboutAndAMissingIdColumnIs422() throws Exception {
        JsonNode report = check(("structure_id;id;source;nom;description;date_maj;couleur\n"
                + "x--s;x--s-1;x;Un service;Une description;2025-01-01;bleu\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(CsvOffer.UNKNOWN_COLUMN, report.get("warnings").get(0).get("rule").asText());
        assertEquals("couleur", report.get("warnings").get(0).get("field").asText());
        // the structure has no name nor date: rejected, and its service with it
        assertEquals(1, report.get("structures").get("rejected").asInt());
        HttpResponse<String> r = send("POST", "/double/consumer/csv", "nom;description\nA;B\n".getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertEquals(422, r.statusCode());
        assertTrue(json(r).get("detail").asText().contains("id and structure_id"));
        assertEquals(422, send("POST", "/double/consumer/csv", new byte[0], Map.of()).statusCode());
    }

    @Test
    public void aCsvLargerThanTheSettingIs413() throws Exception {
        int port = freePort();
        DoraServer small = new DoraServer(Settings.from(Map.of("http.port", String.valueOf(port), "csv.maxBytes", "2048")),
                clock);
        small.start();
        try {
            HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + port + "/double/consumer/csv")).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                            csv(rows(';'), ';').getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode());
        } finally {
            small.close();
        }
    }

    private static void set(List<String> row, List<String> header, String column, String value) {
        row.set(header.indexOf(column), value);
    }
}
