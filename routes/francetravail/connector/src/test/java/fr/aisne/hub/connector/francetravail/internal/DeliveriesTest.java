package fr.aisne.hub.connector.francetravail.internal;

import static fr.aisne.hub.connector.francetravail.internal.Fixture.NIR_A;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.api.Flow;

/** The delivery handlers as the hub calls them: the journaled payload, the exchange id. */
public class DeliveriesTest extends FixtureTestSupport {

    private static TestDelivery delivery(String json, String exchangeId) {
        return TestDelivery.json("france-travail", "identification", exchangeId, json);
    }

    @Test
    public void identificationDeliverySaysWhatItDid() throws Exception {
        newFixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12");
        f.searchFinds("12533590042");
        DeliveryResult r = f.runtime.deliveries.identification().deliver(delivery("{\"personId\":\"" + person
                + "\",\"event\":3,\"type\":\"foyer.nouvelle-personne\"}", "3b0c6d8e-0000-4000-8000-000000000001"));
        assertTrue(r.detail(), r.detail().startsWith("France Travail identified the person"));
        assertEquals("3b0c6d8e-0000-4000-8000-000000000001", f.registry.find(person).orElseThrow().identifiers().stream()
                .filter(i -> i.partner().equals("france-travail")).findFirst().orElseThrow().source().exchangeId());
        // the department hears of it (event feed), once per exchange, without the number
        assertEquals(1, f.events.published.size());
        fr.aisne.hub.registry.DepartmentEvent e = f.events.published.get(0);
        assertEquals(fr.aisne.hub.registry.DepartmentEvent.FT_IDENTIFIED, e.type());
        assertEquals(person, e.personId());
        assertEquals("france-travail", e.sourcePartner());
        assertEquals("S001", e.details().get("code"));
        assertTrue(e.details().toString(), !e.details().containsValue("12533590042"));
        f.runtime.deliveries.identification().deliver(delivery("{\"personId\":\"" + person + "\"}",
                "3b0c6d8e-0000-4000-8000-000000000001"));
        assertEquals("a redelivery publishes nothing more", 1, f.events.published.size());
    }

    @Test
    public void refusalsArePermanentAndOutagesTemporary() throws Exception {
        newFixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12");
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(403, "{\"codeRetour\":\"R001\"}"));
        DeliveryFailure refused = assertThrows(DeliveryFailure.class, () -> f.runtime.deliveries.identification()
                .deliver(delivery("{\"personId\":\"" + person + "\"}", "ex-1")));
        assertTrue(refused.isPermanent());
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(503, "{\"codeRetour\":\"R999\"}"));
        DeliveryFailure down = assertThrows(DeliveryFailure.class, () -> f.runtime.deliveries.identification()
                .deliver(delivery("{\"personId\":\"" + person + "\"}", "ex-2")));
        assertTrue(!down.isPermanent());
    }

    @Test
    public void aRateLimitAnswerCarriesFranceTravailsWaitToTheHub() throws Exception {
        newFixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12");
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(429, "{}")
                .withHeader("Retry-After", "90"));
        DeliveryFailure wait = assertThrows(DeliveryFailure.class, () -> f.runtime.deliveries.identification()
                .deliver(delivery("{\"personId\":\"" + person + "\"}", "ex-3")));
        assertTrue(!wait.isPermanent());
        assertEquals(java.time.Duration.ofSeconds(90), wait.retryAfter().orElseThrow());
    }

    @Test
    public void aPayloadThatIsNotAnObjectIsRefusedForGood() throws Exception {
        newFixture(Map.of());
        DeliveryFailure bad = assertThrows(DeliveryFailure.class, () -> f.runtime.deliveries.identification()
                .deliver(delivery("[1,2]", "ex-4")));
        assertTrue(bad.isPermanent());
    }

    @Test
    public void flowsAreDeclaredForTheCore() throws Exception {
        newFixture(Map.of());
        assertEquals(5, f.runtime.flows().size());
        Flow o = f.runtime.orientationFlow;
        assertEquals("france-travail/orientation", o.key());
        assertEquals("hub.out.france-travail.orientation", o.queue());
        assertEquals("/in/france-travail/orientation", o.httpPath());
        assertEquals("its own sender role, no other partner's", java.util.Set.of("sender-france-travail", "admin"),
                o.httpSender().roles());
        assertTrue(o.deliveryHandler() != null);
        assertEquals("in order per person", "p-1", o.orderingKey().of(new fr.aisne.hub.api.InboundMetadata(null, null,
                "application/json", "t"), payload("{\"personId\":\"p-1\",\"parcours\":\"PSP\"}")));
        assertSame(f.guard, o.guard());
        assertEquals(4, o.concurrency());
        assertEquals(24, o.retry().maxAttempts());
        assertTrue(f.runtime.batchFlow.httpSender().roles().containsAll(java.util.Set.of("admin", "manager")));
        assertTrue(!f.runtime.batchFlow.httpSender().roles().contains("sender-france-travail"));
    }

    private static fr.aisne.hub.api.OrderingKey.Payload payload(String json) {
        return new fr.aisne.hub.api.OrderingKey.Payload() {
            @Override
            public java.io.InputStream open() {
                return new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public long size() {
                return json.length();
            }
        };
    }
}
