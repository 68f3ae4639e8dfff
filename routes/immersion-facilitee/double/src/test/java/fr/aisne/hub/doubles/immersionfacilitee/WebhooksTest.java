package fr.aisne.hub.doubles.immersionfacilitee;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Subscriptions (201 with an empty body, ids read back, only the first one called, 204 on delete) and the calls
 * themselves: shape, static headers, no signature, no retry, duplicates, reversed order, drops; what fires one.
 */
public class WebhooksTest extends DoubleTestSupport {
    private Receiver hub;
    private Receiver second;

    @BeforeClass
    public static void start() throws Exception {
        startDouble(Map.of());
    }

    @Before
    public void receivers() throws Exception {
        hub = new Receiver();
        second = new Receiver();
    }

    @After
    public void closeReceivers() {
        hub.close();
        second.close();
    }

    private static final String BODY = "{\"callbackUrl\":\"%s\",\"subscribedEvent\":\"convention.updated\","
            + "\"callbackHeaders\":{\"authorization\":\"hub-static-secret\",\"X-Gravitee-Api-Key\":\"gravitee\"}}";

    @Test
    public void subscribingAnswers201WithAnEmptyBodyAndTheIdIsReadBack() throws Exception {
        HttpResponse<String> r = post("/api/v2/webhooks", String.format(BODY, hub.url()), auth("aisne-hub"));
        assertEquals(201, r.statusCode());
        assertEquals("", r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertEquals("0", r.headers().firstValue("content-length").orElse("(none)"));
        HttpResponse<String> list = get("/api/v2/webhooks", auth("aisne-hub"));
        assertEquals(200, list.statusCode());
        JsonNode subs = json(list);
        assertEquals(1, subs.size());
        JsonNode s = subs.get(0);
        assertEquals(hub.url(), s.get("callbackUrl").asText());
        assertEquals("convention.updated", s.get("subscribedEvent").asText());
        assertEquals("hub-static-secret", s.at("/callbackHeaders/authorization").asText());
        assertTrue(s.get("id").asText().length() > 10);
        assertTrue(s.get("createdAt").asText().endsWith("Z"));
        // another consumer sees only its own
        assertEquals(0, json(get("/api/v2/webhooks", auth("somme-partner"))).size());
    }

    @Test
    public void onlyTheThreeHeaderNamesAndTheOneEventAreAccepted() throws Exception {
        HttpResponse<String> r = post("/api/v2/webhooks", "{\"callbackUrl\":\"" + hub.url() + "\",\"subscribedEvent\":"
                + "\"convention.updated\",\"callbackHeaders\":{\"X-Hub-Signature\":\"x\"}}", auth("aisne-hub"));
        assertEquals(400, r.statusCode());
        JsonNode b = json(r);
        assertEquals(400, b.get("status").asInt());
        assertTrue(b.get("message").asText().startsWith("Shared-route schema 'requestBodySchema'"));
        assertEquals("callbackHeaders.X-Hub-Signature : Invalid key in record", b.get("issues").get(0).asText());
        assertEquals(400, post("/api/v2/webhooks", String.format(BODY, hub.url()).replace("convention.updated",
                "convention.created"), auth("aisne-hub")).statusCode());
        assertEquals(400, post("/api/v2/webhooks", String.format(BODY, "ftp://hub.example/cb"), auth("aisne-hub")).statusCode());
        // header names are case-sensitive, as the platform's enum
        assertEquals(400, post("/api/v2/webhooks", "{\"callbackUrl\":\"" + hub.url() + "\",\"subscribedEvent\":"
                + "\"convention.updated\",\"callbackHeaders\":{\"Authorization\":\"x\"}}", auth("aisne-hub")).statusCode());
        assertEquals(201, post("/api/v2/webhooks", "{\"callbackUrl\":\"" + hub.url() + "\",\"subscribedEvent\":"
                + "\"convention.updated\",\"callbackHeaders\":{\"operateur\":\"cd02\"}}", auth("aisne-hub")).statusCode());
    }

    @Test
    public void theCallHasTheConventionTheStaticHeadersAndNoSignature() throws Exception {
        post("/api/v2/webhooks", String.format(BODY, hub.url()), auth("aisne-hub"));
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"status\",\"status\":\"ACCEPTED_BY_COUNSELLOR\"}", 200);
        await("the webhook", () -> hub.count() == 1);
        Received r = hub.received().get(0);
        assertEquals("hub-static-secret", r.headers().get("authorization"));
        assertEquals("gravitee", r.headers().get("x-gravitee-api-key"));
        assertTrue(r.headers().get("content-type").startsWith("application/json"));
        for (String h : r.headers().keySet()) {
            assertFalse("no signature or event id header: " + h, h.contains("signature") || h.contains("event")
                    || h.contains("idempotency") || h.contains("timestamp"));
        }
        JsonNode body = r.body();
        assertEquals(2, body.size());
        assertEquals("convention.updated", body.get("subscribedEvent").asText());
        assertEquals(1, body.get("payload").size());
        assertEquals(Fixtures.IN_REVIEW_NEXT_MONTH, r.conventionId());
        assertEquals("ACCEPTED_BY_COUNSELLOR", r.status());
        assertEquals(json(getConvention("aisne-hub", Fixtures.IN_REVIEW_NEXT_MONTH)), body.at("/payload/convention"));
        assertEquals("/hub/in/immersion-facilitee/webhook", r.path());
    }

    @Test
    public void onlyTheFirstSubscriptionIsCalledUntilItIsDeleted() throws Exception {
        post("/api/v2/webhooks", String.format(BODY, hub.url()), auth("aisne-hub"));
        post("/api/v2/webhooks", String.format(BODY, second.url()), auth("aisne-hub"));
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"resend\"}", 200);
        await("the first subscription", () -> hub.count() == 1);
        Thread.sleep(300);
        assertEquals(0, second.count());
        String firstId = json(get("/api/v2/webhooks", auth("aisne-hub"))).get(0).get("id").asText();
        HttpResponse<String> del = send("DELETE", "/api/v2/webhooks/" + firstId, null, auth("aisne-hub"));
        assertEquals(204, del.statusCode());
        assertEquals("", del.body());
        HttpResponse<String> again = send("DELETE", "/api/v2/webhooks/" + firstId, null, auth("aisne-hub"));
        assertEquals(404, again.statusCode());
        assertEquals("subscription " + firstId + " not found", json(again).get("message").asText());
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"resend\",\"force\":true}", 200);
        await("the second subscription, now the first", () -> second.count() == 1);
        assertEquals(1, hub.count());
    }

    @Test
    public void aFailingOrSlowCallIsNotRetried() throws Exception {
        subscribe("aisne-hub", hub, Map.of("authorization", "s"));
        hub.answerStatus = 500;
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"resend\"}", 200);
        await("the failed call counted", () -> statsValue("webhooksFailed") == 1);
        hub.answerStatus = 200;
        hub.answerDelayMillis = 1500;
        control("{\"webhookTimeoutMillis\":300}");
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"resend\",\"force\":true}", 200);
        await("the timeout counted", () -> statsValue("webhooksTimedOut") == 1);
        Thread.sleep(2500);
        assertEquals("one call each, never a retry", 2, hub.count());
        assertEquals(2, statsValue("webhooksFailed"));
        assertEquals(0, statsValue("webhooksSent"));
        JsonNode deliveries = json(get("/double/control/deliveries", Map.of()));
        assertEquals("failed", deliveries.get(0).get("outcome").asText());
        assertEquals(500, deliveries.get(0).get("httpStatus").asInt());
        assertEquals("timeout", deliveries.get(1).get("outcome").asText());
    }

    @Test
    public void duplicatesDropsAndReversedOrder() throws Exception {
        subscribe("aisne-hub", hub, Map.of("authorization", "s"));
        control("{\"webhookDuplicateNext\":1}");
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"resend\"}", 200);
        await("two identical calls", () -> hub.count() == 2);
        assertEquals(hub.received().get(0).body(), hub.received().get(1).body());
        control("{\"webhookDropNext\":1}");
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"resend\",\"force\":true}", 200);
        await("the drop counted", () -> statsValue("webhooksDropped") == 1);
        // three changes, held and made in reverse order: the newest state arrives first
        control("{\"webhookReorderNext\":3}");
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"status\",\"status\":\"ACCEPTED_BY_COUNSELLOR\"}", 200);
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"status\",\"status\":\"ACCEPTED_BY_VALIDATOR\"}", 200);
        act(Fixtures.IN_REVIEW_NEXT_MONTH, "{\"action\":\"status\",\"status\":\"CANCELLED\"}", 200);
        await("the three held calls", () -> hub.count() == 5);
        List<String> order = new ArrayList<>();
        for (Received r : hub.received().subList(2, 5)) {
            order.add(r.status());
        }
        assertEquals(List.of("CANCELLED", "ACCEPTED_BY_VALIDATOR", "ACCEPTED_BY_COUNSELLOR"), order);
        // the receiver records a call before the double records its outcome
        await("the outcomes", () -> statsValue("webhooksSent") == 5);
        JsonNode s = stats();
        assertEquals(1, s.get("webhooksDuplicated").asInt());
        assertEquals(3, s.get("webhooksReordered").asInt());
        assertEquals(5, s.get("webhooksSent").asInt());
    }

    @Test
    public void withJitterTheCallsInFlightOvertakeEachOther() throws Exception {
        subscribe("aisne-hub", hub, Map.of("authorization", "s"));
        control("{\"webhookJitterMillis\":500}");
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String address = i + " rue de la Gare, 02000 Laon";
            sent.add(address);
            act(Fixtures.MONTH_END, "{\"action\":\"edit\",\"changes\":{\"immersionAddress\":\"" + address + "\"}}", 200);
        }
        await("12 calls", () -> hub.count() == 12);
        List<String> arrived = new ArrayList<>();
        for (Received r : hub.received()) {
            arrived.add(r.body().at("/payload/convention/immersionAddress").asText());
        }
        assertEquals(new java.util.HashSet<>(sent), new java.util.HashSet<>(arrived));
        assertFalse("5 calls in flight with random pauses: not in the order of the changes", sent.equals(arrived));
    }

    @Test
    public void whatFiresAndWhatDoesNot() throws Exception {
        subscribe("aisne-hub", hub, Map.of("authorization", "s"));
        subscribe("somme-partner", second, Map.of("authorization", "s"));
        // creating the assessment fires nothing
        act(Fixtures.MONTH_END, "{\"action\":\"assessment\",\"status\":\"PARTIALLY_COMPLETED\",\"endedWithAJob\":false}", 200);
        // an edit after a final status fires, the status stays
        JsonNode edited = act(Fixtures.MONTH_END, "{\"action\":\"edit\",\"changes\":{\"immersionAddress\":\"1 rue Neuve, 02000 Laon\"}}", 200);
        assertEquals("ACCEPTED_BY_VALIDATOR", edited.get("status").asText());
        await("the edit", () -> hub.count() == 1);
        assertEquals("PARTIALLY_COMPLETED", hub.received().get(0).body().at("/payload/convention/assessment/status").asText());
        // a new convention: submission, 2 signatures, counsellor, validator = 5 calls
        JsonNode created = create("{\"agency\":\"cd02\",\"status\":\"ACCEPTED_BY_VALIDATOR\",\"dateStart\":\"2026-02-02\","
                + "\"dateEnd\":\"2026-02-06\"}");
        await("the creation's calls", () -> hub.count() == 6);
        List<String> statuses = new ArrayList<>();
        for (Received r : hub.received().subList(1, 6)) {
            assertEquals(created.get("id").asText(), r.conventionId());
            statuses.add(r.status());
        }
        assertEquals(List.of("READY_TO_SIGN", "PARTIALLY_SIGNED", "IN_REVIEW", "ACCEPTED_BY_COUNSELLOR",
                "ACCEPTED_BY_VALIDATOR"), statuses.stream().sorted((a, b) -> Status.valueOf(a).compareTo(Status.valueOf(b))).toList());
        assertEquals("the Somme's consumer hears nothing of the Aisne's", 0, second.count());
        // a transfer to the Somme: the previous agency's consumer and the new one are both told
        JsonNode review = create("{\"agency\":\"cd02\",\"status\":\"IN_REVIEW\"}");
        await("the second creation", () -> hub.count() == 6 + 3);
        act(review.get("id").asText(), "{\"action\":\"transfer\",\"agency\":\"ft-amiens\"}", 200);
        await("both told of the transfer", () -> hub.count() == 10 && second.count() == 1);
        assertEquals(Agency.FT_AMIENS.id(), hub.received().get(9).body().at("/payload/convention/agencyId").asText());
        // and the Aisne may no longer read it
        assertEquals(403, getConvention("aisne-hub", review.get("id").asText()).statusCode());
        // a manual re-send: at most every 4 hours unless forced
        act(Fixtures.MONTH_END, "{\"action\":\"resend\"}", 200);
        act(Fixtures.MONTH_END, "{\"action\":\"resend\"}", 429);
        clock.advance(java.time.Duration.ofHours(4));
        act(Fixtures.MONTH_END, "{\"action\":\"resend\"}", 200);
        await("the re-sends", () -> hub.count() == 12);
    }

    private static long statsValue(String name) {
        try {
            return stats().get(name).asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
