package fr.aisne.hub.connector.francetravail.internal;

import static fr.aisne.hub.connector.francetravail.internal.Fixture.NIR_A;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtException;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail.Response;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.ValidationException;

/** The delivery processors as the core calls them: the journaled payload's file as body, the delivery headers. */
public class DeliveriesTest extends FixtureTestSupport {
    private static DefaultCamelContext camel;

    @BeforeClass
    public static void startCamel() {
        camel = new DefaultCamelContext();
    }

    @AfterClass
    public static void stopCamel() throws Exception {
        camel.close();
    }

    private Exchange delivery(String json, String exchangeId) throws Exception {
        File payload = TMP.newFile();
        Files.writeString(payload.toPath(), json);
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(payload);
        e.getMessage().setHeader(DeliveryHeaders.EXCHANGE_ID, exchangeId);
        e.getMessage().setHeader(DeliveryHeaders.PARTNER, "france-travail");
        return e;
    }

    @Test
    public void identificationDeliverySaysWhatItDid() throws Exception {
        newFixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12");
        f.searchFinds("12533590042");
        Exchange e = delivery("{\"personId\":\"" + person + "\",\"event\":3,\"type\":\"foyer.nouvelle-personne\"}",
                "3b0c6d8e-0000-4000-8000-000000000001");
        f.runtime.deliveries.identification().process(e);
        String detail = e.getMessage().getHeader(DeliveryHeaders.DETAIL, String.class);
        assertTrue(detail, detail.startsWith("France Travail identified the person"));
        assertEquals("3b0c6d8e-0000-4000-8000-000000000001", f.registry.find(person).orElseThrow().identifiers().stream()
                .filter(i -> i.partner().equals("france-travail")).findFirst().orElseThrow().source().exchangeId());
    }

    @Test
    public void refusalsQuarantineAndOutagesRetry() throws Exception {
        newFixture(Map.of());
        String person = f.person(NIR_A, "1985-05-12");
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(403, "{\"codeRetour\":\"R001\"}"));
        assertThrows(ValidationException.class, () -> f.runtime.deliveries.identification()
                .process(delivery("{\"personId\":\"" + person + "\"}", "ex-1")));
        f.fake.on("POST", FranceTravailClient.RECHERCHER_PAR_NIR, r -> Response.json(503, "{\"codeRetour\":\"R999\"}"));
        assertThrows(FtException.class, () -> f.runtime.deliveries.identification()
                .process(delivery("{\"personId\":\"" + person + "\"}", "ex-2")));
    }

    @Test
    public void flowsAreDeclaredForTheCore() throws Exception {
        newFixture(Map.of());
        assertEquals(5, f.runtime.flows().size());
        Flow o = f.runtime.orientationFlow;
        assertEquals("france-travail/orientation", o.key());
        assertEquals("hub.out.france-travail.orientation", o.queue());
        assertEquals("/in/france-travail/orientation", o.httpPath());
        assertTrue(o.senderRoles().contains("departement"));
        assertEquals("direct:france-travail.orientation", o.deliveryUri());
        assertEquals(24, o.retry().maxAttempts());
        assertTrue(f.runtime.batchFlow.senderRoles().containsAll(java.util.Set.of("admin", "manager")));
        assertTrue(!f.runtime.batchFlow.senderRoles().contains("departement"));
    }
}
