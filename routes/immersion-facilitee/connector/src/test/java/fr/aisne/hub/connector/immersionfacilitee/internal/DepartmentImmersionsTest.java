package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ValidationException;

/**
 * The department's own immersions: precise errors (the path and the rule, never the value), the canonical shape they
 * give, and the published JSON Schema (the OpenAPI document's immersion-facilitee.DepartmentImmersion) agreeing with the
 * validator on every example.
 */
public class DepartmentImmersionsTest {
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()))
            .getSchema(SchemaLocation.of(Path.of("src/main/resources/openapi/immersion-facilitee.json").toAbsolutePath().toUri()
                    + "#/components/schemas/immersion-facilitee.DepartmentImmersion"),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    /** A paper PMSMP: Mon 3 to Fri 7 March 2025, 7 h a day, 33 h done, assessment known. */
    static ObjectNode entry() {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reference", "CD02-PMSMP-2025-0042");
        d.put("status", "ACCEPTED_BY_VALIDATOR");
        d.putObject("beneficiary").put("firstName", "Kevin").put("lastName", "Lefèvre").put("birthdate", "1988-02-29");
        d.put("employee", false);
        d.putObject("host").put("siret", "99902000300011").put("businessName", "Menuiserie Picarde");
        d.put("dateStart", "2025-03-03");
        d.put("dateEnd", "2025-03-07");
        ArrayNode s = d.putArray("schedule");
        for (int i = 3; i <= 7; i++) {
            ObjectNode day = s.addObject().put("date", "2025-03-0" + i);
            day.putArray("periods").add(period("08:30", "12:00")).add(period("13:00", "16:30"));
            day.put("hoursDone", i == 7 ? 5 : 7);
        }
        d.put("totalHours", 35);
        d.put("hoursDone", 33);
        d.put("dateValidation", "2025-02-20");
        d.putObject("assessment").put("status", "COMPLETED").put("endedWithAJob", false);
        return d;
    }

    private static ObjectNode period(String start, String end) {
        return Json.MAPPER.createObjectNode().put("start", start).put("end", end);
    }

    private static List<String> problems(Consumer<ObjectNode> change) {
        ObjectNode d = entry();
        change.accept(d);
        return DepartmentImmersions.problems(d);
    }

    private static Set<ValidationMessage> schema(JsonNode d) {
        return SCHEMA.validate(d);
    }

    /** Found by benchmarks/fuzz (immersion.departement): inputs in its corpus' regressions/. */
    @Test
    public void oddEntriesAreProblemsNotExceptionsAndNoFieldNameRepeatsADateOrANumber() {
        assertEquals(List.of("assessment.status: required: one of " + DepartmentImmersions.ASSESSMENTS),
                problems(d -> ((ObjectNode) d.get("assessment")).remove("status")));
        List<String> huge = problems(d -> d.put("totalHours", new java.math.BigDecimal("1e40")));
        assertEquals(1, huge.size());
        assertTrue(huge.toString(), huge.get(0).startsWith("totalHours: is not the sum of the days' hours"));
        List<String> named = problems(d -> d.put("star185057800608491", 1));
        assertEquals(List.of("(a field): not accepted here"), named);
        assertEquals(List.of("horusDone: not accepted here"), problems(d -> d.put("horusDone", 1)));
    }

    @Test
    public void aCompleteEntryIsValidForTheValidatorAndTheSchema() {
        assertEquals(List.of(), DepartmentImmersions.problems(entry()));
        assertEquals(Set.of(), schema(entry()));
    }

    @Test
    public void aMinimalEntryWithHoursPerDayIsValidToo() {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reference", "P-7");
        d.put("status", "ACCEPTED_BY_VALIDATOR");
        d.putObject("beneficiary").put("firstName", "Ana").put("lastName", "Sá").put("birthdate", "1979-12-01");
        d.putObject("host").put("siret", "35600000000001"); // La Poste: digit sum a multiple of 5
        d.put("dateStart", "2025-06-30");
        d.put("dateEnd", "2025-07-01");
        d.putArray("schedule").add(Json.MAPPER.createObjectNode().put("date", "2025-06-30").put("hours", 4))
                .add(Json.MAPPER.createObjectNode().put("date", "2025-07-01").put("hours", 3.5));
        assertEquals(List.of(), DepartmentImmersions.problems(d));
        assertEquals(Set.of(), schema(d));
        Convention c = DepartmentImmersions.toConvention(d);
        assertEquals("cd-P-7", c.key());
        assertEquals(450, c.plannedMinutes());
        assertNull(c.doneMinutes());
        assertNull(c.esat());
    }

    @Test
    public void eachBrokenRuleIsNamedByItsPathWithoutTheValue() {
        assertEquals(List.of("reference: required: 1 to 40 letters, digits, '.', '_' or '-' (the department's convention id)"),
                problems(d -> d.put("reference", "CD 02/Marie")));
        assertEquals(List.of("beneficiary.birthdate: not a calendar date"),
                problems(d -> ((ObjectNode) d.get("beneficiary")).put("birthdate", "1988-02-30")));
        assertEquals(List.of("host.siret: not a valid SIRET (check digit)"),
                problems(d -> ((ObjectNode) d.get("host")).put("siret", "99902000300012")));
        assertEquals(List.of("dateEnd: more than 31 calendar days after dateStart (a PMSMP lasts a month at most)"),
                problems(d -> d.put("dateEnd", "2025-04-04")));
        assertEquals(List.of("schedule[1].periods[1].end: must be after start (a period ends the day it starts)",
                "totalHours: is not the sum of the days' hours (31.5)"),
                problems(d -> ((ObjectNode) d.get("schedule").get(1).get("periods").get(1)).put("end", "13:00")));
        assertEquals(List.of("schedule[2].periods: periods overlap", "totalHours: is not the sum of the days' hours (37)"),
                problems(d -> ((ObjectNode) d.get("schedule").get(2).get("periods").get(1)).put("start", "11:00")));
        assertEquals(List.of("schedule[4].date: outside dateStart..dateEnd"),
                problems(d -> ((ObjectNode) d.get("schedule").get(4)).put("date", "2025-03-08")));
        assertEquals(List.of("schedule[4].date: the same day is given twice"),
                problems(d -> ((ObjectNode) d.get("schedule").get(4)).put("date", "2025-03-06")));
        assertEquals(List.of("hoursDone: is not the sum of the days' hoursDone (33)"), problems(d -> d.put("hoursDone", 30)));
        assertEquals(List.of("assessment.status: required: one of " + DepartmentImmersions.ASSESSMENTS),
                problems(d -> ((ObjectNode) d.get("assessment")).put("status", "GOOD")));
        String rqthValue = "true";
        List<String> p = problems(d -> ((ObjectNode) d.get("beneficiary")).put("isRqth", rqthValue));
        assertEquals(List.of("beneficiary.isRqth: true or false"), p);
    }

    @Test
    public void moreThanFortyEightHoursInAWeekIsRefused() {
        List<String> p = problems(d -> {
            for (JsonNode day : d.get("schedule")) {
                ((ArrayNode) day.get("periods")).removeAll().add(period("06:00", "16:00"));
                ((ObjectNode) day).remove("hoursDone");
            }
            d.remove("totalHours");
            d.remove("hoursDone");
        });
        assertEquals(List.of("schedule[4]: more than 48 hours in the week of 2025-03-03"), p);
    }

    @Test
    public void contactDetailsAreNotAcceptedAndTheValuesNeverQuoted() {
        List<String> p = problems(d -> {
            ((ObjectNode) d.get("beneficiary")).put("email", "kevin.lefevre@example.net");
            ((ObjectNode) d.get("beneficiary")).put("emergencyContactPhone", "+33611223344");
        });
        assertEquals(List.of("beneficiary.email: not accepted here (the hub keeps no contact details of an immersion)",
                "beneficiary.emergencyContactPhone: not accepted here (the hub keeps no contact details of an immersion)"), p);
        assertFalse(String.join(" ", p).contains("kevin"));
        assertFalse(String.join(" ", p).contains("33611223344"));
        ObjectNode d = entry();
        ((ObjectNode) d.get("beneficiary")).put("email", "kevin.lefevre@example.net");
        assertFalse("the schema refuses it too", schema(d).isEmpty());
    }

    @Test
    public void theSchemaAndTheValidatorRefuseTheSameStructuralMistakes() {
        List<Consumer<ObjectNode>> broken = List.of(
                d -> d.remove("reference"), d -> d.put("status", "SIGNED"), d -> d.remove("beneficiary"),
                d -> ((ObjectNode) d.get("beneficiary")).remove("birthdate"), d -> ((ObjectNode) d.get("host")).put("siret", "123"),
                d -> d.put("dateStart", "03/03/2025"), d -> d.putArray("schedule"),
                d -> ((ObjectNode) d.get("schedule").get(0).get("periods").get(0)).put("start", "8h30"),
                d -> ((ObjectNode) d.get("schedule").get(0)).put("hoursDone", 25), d -> d.put("employee", "no"),
                d -> d.put("unexpected", 1), d -> ((ObjectNode) d.get("beneficiary")).put("personId", "42"));
        for (Consumer<ObjectNode> change : broken) {
            ObjectNode d = entry();
            change.accept(d);
            assertFalse("validator accepted " + d, DepartmentImmersions.problems(d).isEmpty());
            assertFalse("schema accepted " + d, schema(d).isEmpty());
        }
    }

    @Test
    public void theValidatorSaysEverythingInOneReasonAndStreamsNoValueBack() throws Exception {
        ObjectNode d = entry();
        d.put("status", "SIGNED");
        ((ObjectNode) d.get("host")).put("siret", "99902000300012");
        ValidationException e = assertThrows(ValidationException.class, () -> new DepartmentImmersions().validate(
                new ByteArrayInputStream(Json.write(d).getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().startsWith("2 problems: status: required: one of "));
        assertTrue(e.getMessage(), e.getMessage().endsWith("; host.siret: not a valid SIRET (check digit)"));
        e = assertThrows(ValidationException.class, () -> new DepartmentImmersions().validate(
                new ByteArrayInputStream("{\"reference\": \"Kevin".getBytes(StandardCharsets.UTF_8))));
        assertEquals("malformed JSON", e.getMessage());
    }

    @Test
    public void theEntryBecomesTheCanonicalConvention() {
        Convention c = DepartmentImmersions.toConvention(entry());
        assertEquals("cd-CD02-PMSMP-2025-0042", c.key());
        assertEquals(Convention.DEPARTEMENT, c.source());
        assertEquals("CD02-PMSMP-2025-0042", c.reference());
        assertEquals(35 * 60, c.plannedMinutes());
        assertEquals(Integer.valueOf(33 * 60), c.doneMinutes());
        assertEquals(Integer.valueOf(5 * 60), c.days().get(4).doneMinutes());
        assertEquals(LocalDate.of(2025, 3, 7), c.days().get(4).date());
        assertEquals("COMPLETED", c.assessment().status());
        assertFalse(c.assessment().endedWithAJob());
        assertNull(c.prescriber());
        assertEquals("99902000300011", c.hostSiret());
    }
}
