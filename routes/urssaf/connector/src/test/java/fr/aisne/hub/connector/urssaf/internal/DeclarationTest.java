package fr.aisne.hub.connector.urssaf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.sun.net.httpserver.HttpServer;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;

/**
 * The declaration of a closed month: the envelope and the evidence conform to the published contract
 * (docs/contracts/urssaf/), an acknowledgement makes the month DECLARED, a rejection is permanent with the service's
 * code, field and message and recorded on the month, an unreachable service is temporary.
 */
public class DeclarationTest {
    static final File CONTRACT = new File("../../../docs/contracts/urssaf");
    static final String ACK = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
            + "<deposerDeclarationReponse xmlns=\"urn:fr:aisne:hub:urssaf:atmp:v1\"><accuse><numeroDepot>DEP-2025-10-0001"
            + "</numeroDepot><idDepot>atmp-2025-10</idDepot><mois>2025-10</mois><recuLe>2025-12-10T09:00:00Z</recuLe>"
            + "<totalMontant>2.60</totalMontant></accuse></deposerDeclarationReponse></soap:Body></soap:Envelope>";
    static final String FAULT = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
            + "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Code CTP 998 inconnu</faultstring><detail>"
            + "<rejet xmlns=\"urn:fr:aisne:hub:urssaf:atmp:v1\"><code>CTP_INCONNU</code><champ>lignes/ligne[1]/ctp</champ>"
            + "<message>Code CTP 998 inconnu du service paie</message></rejet></detail></soap:Fault></soap:Body></soap:Envelope>";

    TestDatabase db;
    UrssafStore store;
    Months months;
    UrssafSettings settings;
    MutableClock clock = new MutableClock(Instant.parse("2025-12-10T09:00:00Z"));
    HttpServer server;
    final AtomicReference<String> received = new AtomicReference<>();
    volatile int status = 200;
    volatile String answer = ACK;

    @Before
    public void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/paie/atmp/v1", ex -> {
            received.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        server.start();
        db = TestDatabase.embeddedDerby("target/derby/decl-" + System.nanoTime());
        db.database().migrate("urssaf", getClass().getClassLoader(), "db/urssaf/V1__urssaf.sql");
        settings = UrssafSettings.from(TestConnectorContext.settings("payroll.password", "secret", "declarant.siret",
                "22020002600015", "payroll.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/paie/atmp/v1"),
                new TestConnectorContext.TestSecrets());
        store = new UrssafStore(db.database().jdbc());
        Conv.Source source = new Conv.Source();
        source.put(Conv.daily("a", "2025-10-06", "2025-10-10", "7")).put(Conv.daily("b", "2025-10-27", "2025-11-04", "6"));
        months = new Months(store, settings, () -> source, clock, m -> { });
        months.close(YearMonth.parse("2025-10"), "alice");
    }

    @After
    public void tearDown() {
        server.stop(0);
        db.close();
    }

    DeclarationHandler handler() {
        return new DeclarationHandler(store, settings, new PayrollClient(settings.payrollUrl(), "hub-aisne",
                "secret", Duration.ofSeconds(2), Duration.ofSeconds(5)), clock);
    }

    static TestDelivery delivery() {
        return TestDelivery.json("urssaf", "declarations", "ex-1", "{\"mois\":\"2025-10\"}");
    }

    @Test
    public void anAcknowledgedDeclarationMakesTheMonthDeclaredAndConformsToTheContract() throws Exception {
        DeliveryResult r = handler().deliver(delivery());
        assertTrue(r.detail(), r.detail().contains("DEP-2025-10-0001") && r.detail().contains("2.60 EUR"));
        MonthRow row = store.month(YearMonth.parse("2025-10")).orElseThrow();
        assertEquals(UrssafStore.DECLARED, row.state());
        assertEquals("DEP-2025-10-0001", row.depositNumber());

        // the request's body element validates against the published XSD
        var f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        var doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(received.get().getBytes(StandardCharsets.UTF_8)));
        Element body = (Element) doc.getElementsByTagNameNS(PayrollClient.NS, "deposerDeclaration").item(0);
        var sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.newSchema(new File(CONTRACT, "atmp-declaration-v1.xsd")).newValidator().validate(new DOMSource(body));

        // the JSON evidence validates against its published schema, and so does the CSV header against its metadata
        YearMonth oct = YearMonth.parse("2025-10");
        byte[] json = Evidence.json(row, "22020002600015", store.lines(oct), store.days(oct));
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(new File(CONTRACT, "atmp-preuves-v1.schema.json").toURI());
        var messages = schema.validate(new ObjectMapper().readTree(json));
        assertTrue(messages.stream().map(ValidationMessage::getMessage).toList().toString(), messages.isEmpty());
        var meta = new ObjectMapper().readTree(new File(CONTRACT, "atmp-preuves-v1.csv-metadata.json"));
        List<String> names = new ArrayList<>();
        meta.path("tableSchema").path("columns").forEach(c -> names.add(c.path("name").asText()));
        assertEquals(String.join(";", names), Evidence.CSV_HEADER);

        // delivered again (a replay, a crash after the acknowledgement): nothing sent, nothing changed
        received.set(null);
        assertTrue(handler().deliver(delivery()).ignored());
        assertNull(received.get());
    }

    @Test
    public void aRejectionIsPermanentWithTheServicesReasonAndRecordedOnTheMonth() {
        status = 500;
        answer = FAULT;
        try {
            handler().deliver(delivery());
            fail();
        } catch (DeliveryFailure f) {
            assertTrue(f.isPermanent());
            assertTrue(f.getMessage(), f.getMessage().contains("CTP_INCONNU") && f.getMessage().contains("lignes/ligne[1]/ctp"));
        }
        MonthRow row = store.month(YearMonth.parse("2025-10")).orElseThrow();
        assertEquals(UrssafStore.CLOSED, row.state());
        assertTrue(row.lastRejection(), row.lastRejection().contains("CTP_INCONNU"));
    }

    @Test
    public void noAnswerOrA5xxWithoutRejectionIsTemporary() throws Exception {
        status = 503;
        answer = "<html>503</html>";
        try {
            handler().deliver(delivery());
            fail();
        } catch (DeliveryFailure f) {
            assertFalse(f.isPermanent());
        }
        server.stop(0);
        try {
            handler().deliver(delivery());
            fail();
        } catch (DeliveryFailure f) {
            assertFalse(f.isPermanent());
            assertTrue(f.getMessage(), f.getMessage().contains("injoignable"));
        }
    }

    @Test
    public void theEnvelopeCarriesNoPasswordAndTheMonthsDepositId() {
        MonthRow row = store.month(YearMonth.parse("2025-10")).orElseThrow();
        String env = PayrollClient.envelope(row, "22020002600015", store.lines(row.month()), new byte[0], new byte[0]);
        assertFalse(env.contains("secret"));
        assertTrue(env.contains("<d:idDepot>atmp-2025-10</d:idDepot>"));
    }
}
