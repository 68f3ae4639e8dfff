package fr.aisne.hub.connector.ouiform.internal;

import static fr.aisne.hub.connector.ouiform.internal.Fixture.soapAnswer;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.ouiform.testing.TestHttp;

/**
 * The hub's SOAP endpoint served by CXF on a real port: the WSDL served with its address, the Région's account checked
 * before anything is read, the contract's example envelopes answered, refusals as SOAP faults with the contract's
 * detail, every call journaled (accepted into its flow, or refused with its reason).
 */
public class SoapEndpointTest {
    private static Fixture f;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeClass
    public static void start() throws Exception {
        f = Fixture.withOnePrescription("0e4f5c2a-0000-4000-8000-000000000501");
    }

    @AfterClass
    public static void stop() {
        f.close();
    }

    @Before
    public void clear() {
        f.reset();
    }

    private static String url() {
        return "http://127.0.0.1:" + f.soapPort + HubSoapEndpoint.PATH;
    }

    private static HttpResponse<String> post(String envelope, String operation, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url())).header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"urn:fr:aisne:hub:ouiform:v1:" + operation + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String region() {
        return TestHttp.basic(TestHttp.REGION, TestHttp.REGION_PASSWORD);
    }

    /** The contract's example, about the prescription this test made (HUB-2026-000001). */
    private static String notifier() throws Exception {
        return soapAnswer("notifierStatut.requete.xml").replace("HUB-2026-000042", "HUB-2026-000001");
    }

    @Test
    public void theWsdlIsServedWithTheEndpointsAddress() throws Exception {
        HttpResponse<String> wsdl = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "?wsdl")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, wsdl.statusCode());
        assertTrue(wsdl.body(), wsdl.body().contains("HubOuiFormService"));
        assertTrue(wsdl.body(), wsdl.body().contains("location=\"" + url() + "\""));
        assertTrue(wsdl.body(), wsdl.body().contains("?xsd=ouiform-v1.xsd"));
        HttpResponse<String> xsd = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "?xsd=ouiform-v1.xsd")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, xsd.statusCode());
        assertTrue(xsd.body().contains("name=\"EvenementStatut\""));
    }

    @Test
    public void withoutTheRegionsAccountNothingIsRead() throws Exception {
        HttpResponse<String> none = post(notifier(), "notifierStatut", null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertFalse("no envelope: " + none.body(), none.body().contains("Envelope"));
        HttpResponse<String> reader = post(notifier(), "notifierStatut", TestHttp.basic(TestHttp.READER,
                TestHttp.READER_PASSWORD));
        assertEquals("an account without the Région's role", 403, reader.statusCode());
        assertTrue(f.ctx.accepted().isEmpty());
        assertTrue(f.ctx.refused().isEmpty());
    }

    @Test
    public void notifierStatutIsJournaledAndAcknowledged() throws Exception {
        HttpResponse<String> r = post(notifier(), "notifierStatut", region());
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(r.body(), r.body().contains("notifierStatutReponse") && r.body().contains(">EVT-OF-2026-000123-3<")
                && r.body().contains(">ACCEPTE<"));
        TestConnectorContext.Accepted a = f.ctx.accepted().get(0);
        assertEquals("ouiform/statuts", a.flow().key());
        assertEquals("idEvenement is the duplicate key", "EVT-OF-2026-000123-3", a.metadata().partnerMessageId());
        assertEquals(TestHttp.REGION, a.metadata().sender());
        assertEquals("the prescription's correlation id", "corr-0e4f5c2a", a.metadata().correlationId());
        assertTrue(a.text(), a.text().contains("\"statut\":\"entre\"") && a.text().contains("\"sequence\":3"));
        // the status event as journaled is what the statuts flow's validator accepts
        OuiFormRuntime.statusValidator(f.runtime.contract).validate(new java.io.ByteArrayInputStream(a.payload()));

        f.ctx.answer(x -> IngestResult.Outcome.DUPLICATE);
        HttpResponse<String> again = post(notifier(), "notifierStatut", region());
        assertTrue(again.body(), again.body().contains(">DEJA_RECU<"));

        f.ctx.answer(x -> IngestResult.Outcome.UNAVAILABLE);
        HttpResponse<String> busy = post(notifier(), "notifierStatut", region());
        assertEquals(500, busy.statusCode());
        assertTrue(busy.body(), busy.body().contains("Server") && busy.body().contains(">INDISPONIBLE<"));
    }

    @Test
    public void refusalsAreFaultsWithTheContractsDetailAndAreJournaled() throws Exception {
        HttpResponse<String> unknown = post(soapAnswer("notifierStatut.requete.xml"), "notifierStatut", region());
        assertEquals(500, unknown.statusCode());
        assertTrue(unknown.body(), unknown.body().contains("Client") && unknown.body().contains(">PRESCRIPTION_INCONNUE<")
                && unknown.body().contains(">idPrescriptionHub<"));
        assertEquals(1, f.ctx.refused().size());
        assertTrue(f.ctx.refused().get(0).reason(), f.ctx.refused().get(0).reason().startsWith("PRESCRIPTION_INCONNUE: "));

        HttpResponse<String> invalid = post(notifier().replace("2027-01-04</of:dateEffet>", "04/01/2027</of:dateEffet>"),
                "notifierStatut", region());
        assertTrue(invalid.body(), invalid.body().contains(">REQUETE_INVALIDE<"));
        assertTrue(invalid.body(), invalid.body().contains("/notifierStatut/dateEffet"));
        assertFalse("the value is not echoed", invalid.body().contains("04/01/2027"));
        assertEquals(2, f.ctx.refused().size());
        assertTrue(f.ctx.accepted().isEmpty());
    }

    @Test
    public void publierSessionsStreamsTheLheoDocumentIntoTheCatalogueFlow() throws Exception {
        HttpResponse<String> r = post(soapAnswer("publierSessions.requete.xml"), "publierSessions", region());
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(r.body(), r.body().contains(">PUB-2026-W50<") && r.body().contains("nombreFormations>1<")
                && r.body().contains("nombreActions>2<") && r.body().contains("nombreSessions>2<"));
        TestConnectorContext.Accepted a = f.ctx.accepted().get(0);
        assertEquals("ouiform/catalogue", a.flow().key());
        assertEquals("application/xml; complet=true", a.metadata().contentType());
        assertEquals("PUB-2026-W50", a.metadata().partnerMessageId());
        assertTrue(a.text(), a.text().contains("<lheo xmlns=\"http://lheo.gouv.fr/2.3\">"));
        // what was journaled is imported as such
        var done = f.runtime.catalogueImport.deliver(new TestDelivery("0e4f5c2a-0000-4000-8000-000000000502", "PUB-2026-W50",
                "ouiform", "catalogue", a.metadata().contentType(), "PUB-2026-W50", null, "test", 1, a.payload()));
        assertTrue(done.detail(), done.detail().contains("2 sessions stored"));
        assertTrue(f.runtime.catalogue.session("02_SE_0000101_2").isPresent());

        String v22 = soapAnswer("publierSessions.requete.xml").replaceFirst("(?s)<lheo xmlns=\"http://lheo.gouv.fr/2.3\">.*</lheo>",
                "<lheo xmlns=\"http://www.lheo.org/2.2\"><offres/></lheo>");
        HttpResponse<String> refused = post(v22, "publierSessions", region());
        assertTrue(refused.body(), refused.body().contains(">LHEO_VERSION_NON_SUPPORTEE<"));
        assertTrue(f.ctx.refused().get(0).reason(), f.ctx.refused().get(0).reason().startsWith(
                "LHEO_VERSION_NON_SUPPORTEE: line 1"));
        assertEquals(1, f.ctx.accepted().size());
    }
}
