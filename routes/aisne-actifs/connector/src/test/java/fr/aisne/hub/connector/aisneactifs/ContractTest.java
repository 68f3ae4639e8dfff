package fr.aisne.hub.connector.aisneactifs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.registry.DepartmentEvent;

/** Contract v1: every example of docs/contracts/aisne-actifs/v1/examples follows its schema; broken ones are refused. */
public class ContractTest {
    private static final DecisionSchemas SCHEMAS = new DecisionSchemas();

    static JsonNode example(String name) throws IOException {
        try (InputStream in = ContractTest.class.getClassLoader().getResourceAsStream("examples/" + name + ".json")) {
            if (in == null) {
                throw new AssertionError("example " + name + " missing");
            }
            return Json.MAPPER.readTree(in);
        }
    }

    static ObjectNode copy(String name) throws IOException {
        return (ObjectNode) example(name).deepCopy();
    }

    @Test
    public void everyDecisionExampleFollowsItsSchema() throws Exception {
        for (Decision d : Decision.values()) {
            SCHEMAS.check(d, example(d.path));
            // and through the flow's validator, as the hub reads it (JSON limits, then the schema)
            SCHEMAS.validator(d).validate(new ByteArrayInputStream(Json.write(example(d.path)).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Found by benchmarks/fuzz (aisne-actifs.decisions): an unknown property holding a date was repeated. */
    @Test
    public void anUnknownPropertyIsNamedOnlyWhenItLooksLikeAName() throws IOException {
        ObjectNode o = copy("orientation");
        o.put("actio2025-05-31T10:00:00Zn", "x");
        o.put("dateSortie", "x");
        ValidationException e = assertThrows(ValidationException.class, () -> SCHEMAS.check(Decision.ORIENTATION, o));
        assertFalse(e.getMessage(), e.getMessage().contains("2025-05-31"));
        assertTrue(e.getMessage(), e.getMessage().contains("property '…' is not defined"));
        assertTrue(e.getMessage(), e.getMessage().contains("property 'dateSortie' is not defined"));
    }

    @Test
    public void theWebhookExampleAndWhatTheHubSendsFollowTheEventSchema() throws Exception {
        SCHEMAS.checkEvent(example("evenement"));
        ObjectNode sent = WebhookFollower.body(new DepartmentEvent(7, DepartmentEvent.FILE_SUSPENDED, "p-1", "021/0123456",
                Instant.parse("2027-02-28T00:00:00Z"), "caf", "ex-1", Map.of("avant", "2", "apres", "3")));
        SCHEMAS.checkEvent(sent);
        assertEquals("evt-7", sent.path("id").asText());
    }

    @Test
    public void aContratBelowFifteenHoursWithoutItsReasonIsRefusedNamingTheField() throws Exception {
        ValidationException e = assertThrows(ValidationException.class,
                () -> SCHEMAS.check(Decision.CONTRAT_ENGAGEMENT, example("invalide-contrat-engagement-sans-motif-minoration")));
        assertTrue(e.getMessage(), e.getMessage().contains("motifMinoration"));
        ObjectNode ok = copy("invalide-contrat-engagement-sans-motif-minoration").put("motifMinoration", "santé: mi-temps thérapeutique");
        SCHEMAS.check(Decision.CONTRAT_ENGAGEMENT, ok);
        ObjectNode zero = copy("contrat-engagement").put("heuresHebdo", 0).put("motifMinoration", "x");
        assertThrows("never zero hours (L5411-6)", ValidationException.class, () -> SCHEMAS.check(Decision.CONTRAT_ENGAGEMENT, zero));
    }

    @Test
    public void refusalsNameTheFieldAndTheRuleNeverTheValue() throws Exception {
        ObjectNode o = copy("orientation").put("parcours", "PSX");
        ((ObjectNode) o.path("organisme")).put("type", "prefecture");
        o.put("date", "2027-02-30");
        ValidationException e = assertThrows(ValidationException.class, () -> SCHEMAS.check(Decision.ORIENTATION, o));
        assertTrue(e.getMessage(), e.getMessage().contains("/parcours"));
        assertTrue(e.getMessage(), e.getMessage().contains("/organisme/type"));
        assertTrue(e.getMessage(), e.getMessage().contains("/date"));
        assertFalse(e.getMessage(), e.getMessage().contains("PSX") || e.getMessage().contains("prefecture"));

        // a field the contract does not know, named with a NIR: refused, the digits not repeated
        ObjectNode extra = copy("sanction").put("1850578006084", "x");
        ValidationException e2 = assertThrows(ValidationException.class, () -> SCHEMAS.check(Decision.SANCTION, extra));
        assertFalse(e2.getMessage(), e2.getMessage().contains("1850578006084"));
        // a NIR is no personId
        ObjectNode nir = copy("referent").put("personId", "1850578006084");
        assertThrows(ValidationException.class, () -> SCHEMAS.check(Decision.REFERENT, nir));
        // missing required fields
        ObjectNode bare = Json.MAPPER.createObjectNode().put("decisionId", "x");
        ValidationException e3 = assertThrows(ValidationException.class, () -> SCHEMAS.check(Decision.ACTION_SORTIE, bare));
        assertTrue(e3.getMessage(), e3.getMessage().contains("required"));
    }

    @Test
    public void notJsonIsRefusedByTheFlowValidator() {
        ValidationException e = assertThrows(ValidationException.class, () -> SCHEMAS.validator(Decision.ORIENTATION)
                .validate(new ByteArrayInputStream("{\"personId\": 1850578006084,".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("orientation decision"));
        assertFalse(e.getMessage(), e.getMessage().contains("1850578006084"));
    }

    @Test
    public void theOpenApiFragmentDocumentsEveryDecisionPathWithItsSchema() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(AisneActifsConnector.openApi());
        for (Decision d : Decision.values()) {
            assertTrue(d.path, doc.path("paths").has("/in/aisne-actifs/" + d.path));
            assertTrue(d.path, doc.path("components").path("schemas").path("aisne-actifs." + d.path).has("properties"));
        }
        JsonNode contract = Json.MAPPER.readTree(new java.io.File("../../../docs/contracts/aisne-actifs/v1/aisne-actifs-v1.openapi.json"));
        for (Decision d : Decision.values()) {
            assertTrue("the contract documents " + d.path, contract.path("paths").has("/in/aisne-actifs/" + d.path));
        }
    }
}
