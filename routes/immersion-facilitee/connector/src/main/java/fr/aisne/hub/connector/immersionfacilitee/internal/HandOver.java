package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;

/**
 * What is journaled on flow immersion-facilitee/conventions: not the platform's payload (it carries e-mails, phones,
 * the emergency contact and isRqth, none of which the hub keeps), only which convention to read again and why:
 * <pre>{"conventionId": "...", "trigger": "webhook", "receivedAt": "...", "claimedStatus": "IN_REVIEW",
 *  "claimedUpdatedAt": "...", "bodySha256": "..."}</pre>
 * The claimed values are what the call said, kept for the journal's reader and never trusted: the delivery reads the
 * convention again. Ordering key: the convention id.
 */
record HandOver(String conventionId, String trigger, Instant receivedAt, String claimedStatus, String claimedUpdatedAt,
        String bodySha256) {

    static final String WEBHOOK = "webhook";
    static final String RECONCILIATION = "reconciliation";
    static final String OPERATOR = "operator";
    private static final Set<String> TRIGGERS = Set.of(WEBHOOK, RECONCILIATION, OPERATOR);

    HandOver {
        // an id that is not a UUID is not kept (it could be anything): the flow's validator refuses the hand-over
        conventionId = conventionId != null && PlatformMapping.UUID.matcher(conventionId).matches()
                ? conventionId.toLowerCase(java.util.Locale.ROOT) : "";
        // what a call claims is kept only when it is a short plain token
        claimedStatus = safe(claimedStatus);
        claimedUpdatedAt = safe(claimedUpdatedAt);
        bodySha256 = safe(bodySha256);
    }

    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("conventionId", conventionId);
        m.put("trigger", trigger);
        m.put("receivedAt", receivedAt == null ? null : receivedAt.toString());
        if (claimedStatus != null) {
            m.put("claimedStatus", claimedStatus);
        }
        if (claimedUpdatedAt != null) {
            m.put("claimedUpdatedAt", claimedUpdatedAt);
        }
        if (bodySha256 != null) {
            m.put("bodySha256", bodySha256);
        }
        return Json.write(m);
    }

    static HandOver parse(InputStream in) throws IOException, ValidationException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ValidationException("not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ValidationException("a JSON object is required");
        }
        String id = PlatformMapping.text(n, "conventionId");
        if (id == null || !PlatformMapping.UUID.matcher(id).matches()) {
            throw new ValidationException("conventionId: missing or not a UUID (the call named no convention)");
        }
        String trigger = PlatformMapping.text(n, "trigger");
        if (!TRIGGERS.contains(trigger)) {
            throw new ValidationException("trigger: one of " + TRIGGERS);
        }
        Instant received = Schedules.instant(PlatformMapping.text(n, "receivedAt"));
        return new HandOver(id.toLowerCase(java.util.Locale.ROOT), trigger, received, PlatformMapping.text(n, "claimedStatus"),
                PlatformMapping.text(n, "claimedUpdatedAt"), PlatformMapping.text(n, "bodySha256"));
    }

    private static String safe(String s) {
        return s == null || !s.matches("[A-Za-z0-9_:.+-]{1,64}") ? null : s;
    }

    static PayloadValidator validator() {
        return in -> parse(in);
    }

    /** Hands it to the hub under {@code messageId} (null: no duplicate check), sender {@code sender}. */
    IngestResult handTo(Intake intake, Flow flow, String messageId, String sender) throws IOException {
        return intake.accept(flow, new ByteArrayInputStream(json().getBytes(StandardCharsets.UTF_8)),
                new InboundMetadata(null, messageId, "application/json", sender, conventionId));
    }
}
