package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;

/** Exactly one convention.updated subscription, at the hub's callback URL, with the current secret. */
public class SubscriptionsTest {
    private Harness h;
    private String callback;

    @Before
    public void start() throws Exception {
        h = new Harness("subscriptions");
        callback = h.runtime.settings.callbackUrl();
    }

    @After
    public void stop() {
        h.close();
    }

    private ObjectNode existing(String url, String secret, String createdAt) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("callbackUrl", url);
        s.put("subscribedEvent", "convention.updated");
        s.putObject("callbackHeaders").put("authorization", secret);
        s.put("id", java.util.UUID.randomUUID().toString());
        s.put("createdAt", createdAt);
        h.platform.subscriptions.add(s);
        return s;
    }

    @Test
    public void theFirstCheckSubscribesAndReadsTheIdBack() throws Exception {
        String done = h.runtime.subscriptions.ensure(false);
        assertEquals(1, h.platform.subscriptions.size());
        ObjectNode s = h.platform.subscriptions.get(0);
        assertEquals("http://127.0.0.1:8181/hub/in/immersion-facilitee/conventions", s.get("callbackUrl").asText());
        assertEquals(h.runtime.subscriptions.secret(), s.get("callbackHeaders").get("authorization").asText());
        assertTrue("32 random bytes", h.runtime.subscriptions.secret().length() >= 43);
        assertTrue(done, done.startsWith("subscription " + s.get("id").asText() + " (convention.updated) calls "));
        assertTrue(done, done.endsWith("subscribed (" + s.get("id").asText() + ")"));
        assertFalse("the secret is never shown", done.contains(h.runtime.subscriptions.secret()));
        assertEquals(s.get("id").asText(), h.runtime.store.state(Subscriptions.SUBSCRIPTION_STATE).orElseThrow());
        assertTrue(h.runtime.store.state(Subscriptions.SECRET_STATE).orElseThrow().startsWith("ENC("));

        // nothing to do the next time
        int calls = h.platform.calls.size();
        String again = h.runtime.subscriptions.ensure(false);
        assertFalse(again, again.contains("subscribed"));
        assertEquals("one GET", calls + 1, h.platform.calls.size());
    }

    @Test
    public void extrasAreDeletedSoThatTheRightOneIsTheFirst() throws Exception {
        String secret = h.runtime.subscriptions.secret();
        ObjectNode stale = existing("https://old.example.fr/hook", "old", "2025-01-01T00:00:00Z");
        ObjectNode wrongSecret = existing(callback, "not-the-secret", "2025-02-01T00:00:00Z");
        ObjectNode right = existing(callback, secret, "2025-03-01T00:00:00Z");
        ObjectNode duplicate = existing(callback, secret, "2025-04-01T00:00:00Z");
        String done = h.runtime.subscriptions.ensure(false);
        assertEquals(1, h.platform.subscriptions.size());
        assertEquals(right.get("id").asText(), h.platform.subscriptions.get(0).get("id").asText());
        for (ObjectNode gone : new ObjectNode[] {stale, wrongSecret, duplicate}) {
            assertTrue(done, done.contains("deleted " + gone.get("id").asText()));
        }
        assertEquals("no new subscription", 0, h.platform.count("POST /v2/webhooks"));
    }

    @Test
    public void aRotationSubscribesWithTheNewSecretBeforeDeletingTheOld() throws Exception {
        h.runtime.subscriptions.ensure(false);
        String old = h.runtime.subscriptions.secret();
        String oldId = h.platform.subscriptions.get(0).get("id").asText();
        String done = h.runtime.operations.subscription(true);
        String now = h.runtime.subscriptions.secret();
        assertNotEquals(old, now);
        assertEquals(1, h.platform.subscriptions.size());
        assertEquals(now, h.platform.subscriptions.get(0).get("callbackHeaders").get("authorization").asText());
        assertTrue(done, done.contains("subscribed (") && done.contains("secret rotated") && done.contains("deleted " + oldId));
        int post = h.platform.calls.indexOf("POST /v2/webhooks");
        int delete = h.platform.calls.indexOf("DELETE /v2/webhooks/" + oldId);
        assertTrue("created before the old one is deleted: " + h.platform.calls, post >= 0 && post < delete);
        assertEquals("kept sealed for the next start", now, new Subscriptions(h.runtime.platform, h.runtime.store,
                h.ctx.secrets(), callback, null, java.time.Clock.systemUTC()).secret());
    }

    @Test
    public void aSecretManagedInTheSettingsIsUsedAndNotRotatedByTheHub() throws Exception {
        try (Harness s = new Harness("subscriptions-settings", "webhook.secret", "ENC(placeholder)")) {
            throw new AssertionError("an ENC(...) the hub cannot open must be refused: " + s);
        } catch (fr.aisne.hub.api.SettingsException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("webhook.secret"));
        }
        fr.aisne.hub.api.testing.TestConnectorContext.TestSecrets secrets = new fr.aisne.hub.api.testing.TestConnectorContext.TestSecrets();
        Subscriptions managed = new Subscriptions(h.runtime.platform, h.runtime.store, secrets, callback, "operator-secret",
                java.time.Clock.systemUTC());
        assertEquals("operator-secret", managed.secret());
        managed.ensure(false);
        assertEquals("operator-secret", h.platform.subscriptions.get(0).get("callbackHeaders").get("authorization").asText());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> managed.ensure(true));
        assertTrue(e.getMessage(), e.getMessage().startsWith("webhook.secret is set in etc/hub.connector.immersionfacilitee.cfg"));
        assertTrue(managed.checkedAt().isBefore(Instant.now().plusSeconds(1)));
    }

    @Test
    public void aPlatformThatRefusesIsReportedAndRetried() throws Exception {
        h.platform.outage = true;
        h.runtime.checkSubscription();
        assertFalse(h.runtime.subscriptions.healthy());
        assertTrue(h.runtime.subscriptions.status(), h.runtime.subscriptions.status().startsWith("subscription not checked: "));
        assertTrue(h.runtime.health().detail(), h.runtime.health().detail().contains("subscription not checked"));
        h.platform.outage = false;
        h.runtime.checkSubscription(); // not before 30 s
        assertEquals(0, h.platform.subscriptions.size());
        h.runtime.operations.subscription(false); // on demand: at once
        assertEquals(1, h.platform.subscriptions.size());
        assertTrue(h.runtime.subscriptions.healthy());
    }
}
