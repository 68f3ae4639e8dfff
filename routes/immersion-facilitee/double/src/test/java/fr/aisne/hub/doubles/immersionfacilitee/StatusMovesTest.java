package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The platform's status moves through the control API: legal ones applied, illegal ones refused with a 409. */
public class StatusMovesTest extends DoubleTestSupport {

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    private static String newConvention(String agency, String status) throws Exception {
        return create("{\"agency\":\"" + agency + "\",\"status\":\"" + status + "\",\"silent\":true}").get("id").asText();
    }

    private static JsonNode move(String id, String status, int expected) throws Exception {
        return act(id, "{\"action\":\"status\",\"status\":\"" + status + "\"}", expected);
    }

    @Test
    public void signaturesThenReviewThenTheTwoAcceptances() throws Exception {
        String id = newConvention("cd02", "READY_TO_SIGN");
        JsonNode c = act(id, "{\"action\":\"sign\",\"role\":\"establishment-representative\"}", 200);
        assertEquals("PARTIALLY_SIGNED", c.get("status").asText());
        assertTrue(c.at("/signatories/establishmentRepresentative/signedAt").isTextual());
        act(id, "{\"action\":\"sign\",\"role\":\"establishment-representative\"}", 409);
        c = act(id, "{\"action\":\"sign\",\"role\":\"beneficiary\"}", 200);
        assertEquals("IN_REVIEW", c.get("status").asText());
        // cd02 validates in two steps: not straight to ACCEPTED_BY_VALIDATOR
        move(id, "ACCEPTED_BY_VALIDATOR", 409);
        c = move(id, "ACCEPTED_BY_COUNSELLOR", 200);
        assertTrue(c.has("dateApproval"));
        c = move(id, "ACCEPTED_BY_VALIDATOR", 200);
        assertTrue(c.has("dateValidation"));
        assertEquals("Dominique", c.at("/validators/agencyValidator/firstname").asText());
    }

    @Test
    public void aValidatorOnlyAgencyValidatesFromReview() throws Exception {
        String id = newConvention("ft-laon", "IN_REVIEW");
        assertEquals("ACCEPTED_BY_VALIDATOR", move(id, "ACCEPTED_BY_VALIDATOR", 200).get("status").asText());
    }

    @Test
    public void backToReadyToSignFromReviewOrCounsellorAcceptanceClearsTheSignatures() throws Exception {
        String id = newConvention("cd02", "IN_REVIEW");
        JsonNode c = act(id, "{\"action\":\"edit\",\"changes\":{\"dateEnd\":\"not-a-date\"}}", 400);
        assertTrue(c.get("error").asText().contains("dateEnd"));
        c = act(id, "{\"action\":\"edit\",\"changes\":{\"hours\":[{\"start\":\"09:00\",\"end\":\"12:00\"}]}}", 200);
        assertEquals("READY_TO_SIGN", c.get("status").asText());
        assertFalse(c.at("/signatories/beneficiary").has("signedAt"));
        assertEquals(15, c.at("/schedule/totalHours").asInt());
        String other = newConvention("cd02", "ACCEPTED_BY_COUNSELLOR");
        c = move(other, "READY_TO_SIGN", 200);
        assertFalse(c.has("dateApproval"));
        assertFalse(c.at("/signatories/establishmentRepresentative").has("signedAt"));
        // not after validation
        move(newConvention("cd02", "ACCEPTED_BY_VALIDATOR"), "READY_TO_SIGN", 409);
    }

    @Test
    public void rejectedAndDeprecatedOnlyBeforeValidationCancelledOnlyAfter() throws Exception {
        for (String from : new String[] {"READY_TO_SIGN", "PARTIALLY_SIGNED", "IN_REVIEW", "ACCEPTED_BY_COUNSELLOR"}) {
            JsonNode r = act(newConvention("cd02", from), "{\"action\":\"status\",\"status\":\"REJECTED\","
                    + "\"justification\":\"Projet à revoir\"}", 200);
            assertEquals("Projet à revoir", r.get("statusJustification").asText());
            move(newConvention("cd02", from), "DEPRECATED", 200);
            move(newConvention("cd02", from), "CANCELLED", 409);
        }
        String validated = newConvention("cd02", "ACCEPTED_BY_VALIDATOR");
        move(validated, "REJECTED", 409);
        move(validated, "DEPRECATED", 409);
        assertEquals("CANCELLED", move(validated, "CANCELLED", 200).get("status").asText());
        // final: nothing leaves CANCELLED, REJECTED or DEPRECATED
        for (String target : new String[] {"READY_TO_SIGN", "IN_REVIEW", "ACCEPTED_BY_VALIDATOR", "REJECTED"}) {
            move(validated, target, 409);
        }
        move(newConvention("cd02", "READY_TO_SIGN"), "IN_REVIEW", 409);
        move(newConvention("cd02", "READY_TO_SIGN"), "ACCEPTED_BY_COUNSELLOR", 409);
    }

    @Test
    public void transfersOnlyWhileSigningOrInReview() throws Exception {
        String id = newConvention("cd02", "PARTIALLY_SIGNED");
        JsonNode c = act(id, "{\"action\":\"transfer\",\"agency\":\"ft-saint-quentin\"}", 200);
        assertEquals(Agency.FT_SAINT_QUENTIN.id(), c.get("agencyId").asText());
        assertEquals(Agency.CD02.id(), c.at("/agencyRefersTo/id").asText());
        assertEquals("PARTIALLY_SIGNED", c.get("status").asText());
        act(id, "{\"action\":\"transfer\",\"agency\":\"ft-saint-quentin\"}", 409);
        act(newConvention("cd02", "ACCEPTED_BY_VALIDATOR"), "{\"action\":\"transfer\",\"agency\":\"cd80\"}", 409);
        act(id, "{\"action\":\"transfer\",\"agency\":\"nowhere\"}", 400);
    }

    @Test
    public void assessmentsOnlyForValidatedConventions() throws Exception {
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"assessment\",\"status\":\"COMPLETED\",\"endedWithAJob\":true}", 409);
        JsonNode c = act(Fixtures.FT_LAON_ONLY, "{\"action\":\"assessment\",\"status\":\"COMPLETED\",\"endedWithAJob\":true}", 200);
        assertTrue(c.at("/assessment/endedWithAJob").asBoolean());
        act(Fixtures.FT_LAON_ONLY, "{\"action\":\"assessment\",\"status\":\"COMPLETED\"}", 400);
        act(Fixtures.FT_LAON_ONLY, "{\"action\":\"assessment\",\"status\":\"GOOD\",\"endedWithAJob\":true}", 400);
        assertEquals("ABANDONED", act(Fixtures.FT_LAON_ONLY, "{\"action\":\"assessment\",\"status\":\"ABANDONED\"}", 200)
                .at("/assessment/status").asText());
        act("0c0a0000-0000-4000-8000-000000009999", "{\"action\":\"resend\"}", 404);
    }
}
