package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Caller;
import fr.aisne.hub.api.HttpSecurity;
import fr.aisne.hub.api.Json;

/**
 * The webhook intake: the static secret checked by the hub (constant time, counted) before anything is read, no
 * query string, a bounded body, and only which convention to read again journaled, never the platform's payload.
 */
public class WebhookIntakeTest {
    /** The hub's checks as HttpSecurity promises them, recording what was checked and answered. */
    static final class RecordingHttp implements HttpSecurity {
        final List<String> checked = new ArrayList<>();
        int refused;

        @Override
        public void restOnHub(RouteBuilder builder) {
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:8181/hub";
        }

        @Override
        public Optional<Caller> authorize(Exchange exchange, Set<String> roles) {
            return Optional.empty();
        }

        @Override
        public boolean checkSecretHeader(Exchange e, String header, String expected) {
            checked.add(header);
            String given = e.getMessage().getHeader(header, String.class);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8))) {
                refused++;
                json(e, 401, Map.of("error", "unauthorized"));
                return false;
            }
            return true;
        }

        @Override
        public boolean stateChangeAllowed(Exchange exchange) {
            return true;
        }

        @Override
        public void json(Exchange e, int status, Object body) {
            e.getMessage().removeHeaders("*");
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            e.getMessage().setBody(body instanceof String s ? s : Json.write(body));
        }

        @Override
        public boolean bodyWithin(Exchange e, long maxBytes) {
            Long declared = e.getMessage().getHeader("Content-Length", Long.class);
            if (declared != null && declared > maxBytes) {
                json(e, 413, Map.of("error", "too large"));
                return false;
            }
            return true;
        }
    }

    private final RecordingHttp http = new RecordingHttp();
    private Harness h;
    private DefaultCamelContext camel;
    private String body;

    @Before
    public void start() throws Exception {
        h = new Harness("webhook", http, "webhook.maxBodyBytes", "20000");
        camel = new DefaultCamelContext();
        ObjectNode c = PlatformConventions.convention("0c0a0000-0000-4000-8000-000000000001", LocalDate.of(2025, 1, 27),
                LocalDate.of(2025, 2, 7));
        ObjectNode call = Json.MAPPER.createObjectNode();
        call.putObject("payload").set("convention", c);
        call.put("subscribedEvent", "convention.updated");
        body = Json.write(call);
    }

    @After
    public void stop() {
        h.close();
    }

    private Exchange call(String secret, String query, String payload) {
        Exchange e = new DefaultExchange(camel);
        if (secret != null) {
            e.getMessage().setHeader("authorization", secret);
        }
        if (query != null) {
            e.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        }
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        e.getMessage().setHeader("Content-Length", (long) b.length);
        e.getMessage().setBody(new ByteArrayInputStream(b));
        h.runtime.webhookIntake.process(e);
        return e;
    }

    private static int status(Exchange e) {
        return e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    @Test
    public void aWrongOrMissingSecretIsRefusedCountedAndNothingIsTaken() {
        assertEquals(401, status(call("not-the-secret", null, body)));
        assertEquals(401, status(call(null, null, body)));
        assertEquals(401, status(call(h.runtime.subscriptions.secret() + "x", null, body)));
        assertEquals("each refusal counted by the hub", 3, http.refused);
        assertTrue("nothing accepted", h.ctx.accepted().isEmpty());
    }

    @Test
    public void aSecretInTheQueryStringIsNeverTakenForTheHeader() {
        Exchange e = call(null, "authorization=" + h.runtime.subscriptions.secret(), body);
        assertEquals(400, status(e));
        assertTrue("refused before the secret is even looked at", http.checked.isEmpty());
        assertTrue(h.ctx.accepted().isEmpty());
    }

    @Test
    public void theRightSecretJournalsOnlyWhichConventionToReadAgain() throws Exception {
        Exchange e = call(h.runtime.subscriptions.secret(), null, body);
        assertEquals(202, status(e));
        assertEquals(1, h.ctx.accepted().size());
        var a = h.ctx.accepted().get(0);
        assertEquals(h.runtime.conventionsFlow, a.flow());
        JsonNode journaled = Json.MAPPER.readTree(a.text());
        assertEquals("0c0a0000-0000-4000-8000-000000000001", journaled.get("conventionId").asText());
        assertEquals("webhook", journaled.get("trigger").asText());
        assertEquals("ACCEPTED_BY_VALIDATOR", journaled.get("claimedStatus").asText());
        assertEquals("2025-01-20T10:00:00.000Z", journaled.get("claimedUpdatedAt").asText());
        assertEquals(Set.of("conventionId", "trigger", "receivedAt", "claimedStatus", "claimedUpdatedAt", "bodySha256"),
                Set.copyOf(iterable(journaled.fieldNames())));
        for (String planted : List.of(PlatformConventions.EMERGENCY_NAME, PlatformConventions.EMERGENCY_PHONE,
                PlatformConventions.BENEFICIARY_EMAIL, "Durand", "1990-04-12", "isRqth")) {
            assertFalse(planted, a.text().contains(planted));
        }
        assertEquals("the ordering key is the convention", "0c0a0000-0000-4000-8000-000000000001", a.metadata().orderingKey());
        assertEquals(WebhookIntake.SENDER, a.metadata().sender());
        // the same call again: the same partner message id, a duplicate for the hub
        call(h.runtime.subscriptions.secret(), null, body);
        assertEquals(a.metadata().partnerMessageId(), h.ctx.accepted().get(1).metadata().partnerMessageId());
        assertTrue(a.metadata().partnerMessageId().matches("wh-[0-9a-f]{40}"));
    }

    @Test
    public void aCallThatNamesNoConventionIsJournaledAndRefusedByTheFlow() throws Exception {
        Exchange e = call(h.runtime.subscriptions.secret(), null, "{\"payload\": {\"convention\": {\"id\": \"Marie Durand\"}}}");
        assertEquals(202, status(e)); // the test intake takes anything; the hub's runs the flow's validator:
        var a = h.ctx.accepted().get(0);
        Exception refused = org.junit.Assert.assertThrows(fr.aisne.hub.api.ValidationException.class,
                () -> h.runtime.conventionsFlow.validator().validate(new ByteArrayInputStream(a.payload())));
        assertEquals("conventionId: missing or not a UUID (the call named no convention)", refused.getMessage());
        assertFalse(a.text(), a.text().contains("Marie"));
        assertNull(a.metadata().orderingKey());
    }

    @Test
    public void aBodyOverTheLimitIsRefusedWithoutBeingKept() {
        Exchange declared = call(h.runtime.subscriptions.secret(), null, body + " ".repeat(20_000));
        assertEquals(413, status(declared));
        Exchange e = new DefaultExchange(camel); // chunked: no length declared, cut while read
        e.getMessage().setHeader("authorization", h.runtime.subscriptions.secret());
        e.getMessage().setBody(new ByteArrayInputStream((body + " ".repeat(20_000)).getBytes(StandardCharsets.UTF_8)));
        h.runtime.webhookIntake.process(e);
        assertEquals(413, status(e));
        assertTrue(h.ctx.accepted().isEmpty());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** Found by benchmarks/fuzz (immersion.webhook): undecodable bytes answered 500 instead of being journaled. */
    @Test
    public void aBodyOfUndecodableBytesIsACallWithoutAConvention() throws Exception {
        for (byte[] body : List.of(new byte[] {0, 0, 0, '{', 0}, new byte[] {0, 0, '{', 0, 0, 0, '}', 0},
                new byte[] {0, 0, 0, '{', 0x70, 0x60, 0x79, 0})) {
            WebhookIntake.Read r = WebhookIntake.read(new ByteArrayInputStream(body), 1000);
            assertNull(r.id());
            assertEquals(64, r.sha256().length());
        }
    }
}
