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
import java.util.Iterator;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.testing.TestDelivery;
import fr.aisne.hub.connector.ouiform.lheo.LheoFixtures;
import fr.aisne.hub.connector.ouiform.testing.TestHttp;

/**
 * The REST binding of the hub's side (on the hub's listener, /hub/ouiform/api/v1) and the department's read APIs,
 * over real HTTP: the contract's example bodies, its error shapes, the account checked first, every call journaled;
 * and the OpenAPI document the connector gives the hub.
 */
public class RestRoutesTest {
    private static Fixture f;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeClass
    public static void start() throws Exception {
        f = Fixture.withOnePrescription("0e4f5c2a-0000-4000-8000-000000000601");
    }

    @AfterClass
    public static void stop() {
        f.close();
    }

    @Before
    public void clear() {
        f.reset();
    }

    private static HttpResponse<String> call(String method, String path, String contentType, byte[] body, String auth)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.http.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> statut(String id, String json, String auth) throws Exception {
        return call("POST", "/ouiform/api/v1/prescriptions/" + id + "/statuts", "application/json",
                json.getBytes(StandardCharsets.UTF_8), auth);
    }

    private static String region() {
        return TestHttp.basic(TestHttp.REGION, TestHttp.REGION_PASSWORD);
    }

    private static String reader() {
        return TestHttp.basic(TestHttp.READER, TestHttp.READER_PASSWORD);
    }

    private static String entre() throws Exception {
        return new String(LheoFixtures.exampleBytes("rest/post-statuts.requete-entre.json"), StandardCharsets.UTF_8)
                .replace("HUB-2026-000042", "HUB-2026-000001");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    public void aStatusIsJournaledAndAcknowledged() throws Exception {
        HttpResponse<String> r = statut("HUB-2026-000001", entre(), region());
        assertEquals(r.body(), 200, r.statusCode());
        assertEquals("ACCEPTE", json(r).get("etat").asText());
        assertEquals(json(r).get("idEvenement").asText(), f.ctx.accepted().get(0).metadata().partnerMessageId());
        assertEquals("the same model as the SOAP binding", Json.MAPPER.readTree(entre()),
                Json.MAPPER.readTree(f.ctx.accepted().get(0).payload()));

        f.ctx.answer(a -> IngestResult.Outcome.DUPLICATE);
        assertEquals("DEJA_RECU", json(statut("HUB-2026-000001", entre(), region())).get("etat").asText());
        f.ctx.answer(a -> IngestResult.Outcome.UNAVAILABLE);
        HttpResponse<String> busy = statut("HUB-2026-000001", entre(), region());
        assertEquals(503, busy.statusCode());
        assertEquals("INDISPONIBLE", json(busy).get("code").asText());
        assertTrue(busy.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    public void refusalsInTheContractsShape() throws Exception {
        HttpResponse<String> none = statut("HUB-2026-000001", entre(), null);
        assertEquals(401, none.statusCode());
        assertEquals("NON_AUTHENTIFIE", json(none).get("code").asText());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals("ACCES_REFUSE", json(statut("HUB-2026-000001", entre(), reader())).get("code").asText());
        assertTrue("nothing read, nothing journaled", f.ctx.refused().isEmpty() && f.ctx.accepted().isEmpty());

        HttpResponse<String> otherPath = statut("HUB-2026-000009", entre(), region());
        assertEquals(400, otherPath.statusCode());
        assertEquals("REQUETE_INVALIDE", json(otherPath).get("code").asText());
        HttpResponse<String> nir = statut("HUB-2026-000001", entre().replaceFirst("\\{", "{\"nir\":\"1850578006084\","),
                region());
        assertEquals(400, nir.statusCode());
        assertEquals("nir", json(nir).get("champs").get(0).asText());
        assertFalse(nir.body().contains("1850578006084"));
        HttpResponse<String> unknown = statut("HUB-2026-000777", entre().replace("HUB-2026-000001", "HUB-2026-000777"),
                region());
        assertEquals(404, unknown.statusCode());
        assertEquals("PRESCRIPTION_INCONNUE", json(unknown).get("code").asText());
        HttpResponse<String> text = call("POST", "/ouiform/api/v1/prescriptions/HUB-2026-000001/statuts", "text/plain",
                entre().getBytes(StandardCharsets.UTF_8), region());
        assertEquals(400, text.statusCode());
        assertEquals("every refused call after the credentials is journaled", 4, f.ctx.refused().size());
        assertTrue(f.ctx.accepted().isEmpty());
    }

    @Test
    public void publicationsInXmlAndJsonAndTheLheo22Refusal() throws Exception {
        HttpResponse<String> xml = call("POST", "/ouiform/api/v1/sessions?idPublication=PUB-2026-W50&complet=true",
                "application/xml", LheoFixtures.exampleBytes("rest/post-sessions.requete.xml"), region());
        assertEquals(xml.body(), 200, xml.statusCode());
        assertEquals(2, json(xml).get("nombreSessions").asInt());
        assertEquals("application/xml; complet=true", f.ctx.accepted().get(0).metadata().contentType());

        HttpResponse<String> js = call("POST", "/ouiform/api/v1/sessions", "application/json",
                LheoFixtures.exampleBytes("rest/post-sessions.requete.json"), region());
        assertEquals(js.body(), Json.MAPPER.readTree(LheoFixtures.exampleBytes("rest/post-sessions.reponse-200.json")),
                json(js));
        assertEquals("application/json; complet=true", f.ctx.accepted().get(1).metadata().contentType());

        HttpResponse<String> noId = call("POST", "/ouiform/api/v1/sessions", "application/xml",
                LheoFixtures.exampleBytes("rest/post-sessions.requete.xml"), region());
        assertEquals(400, noId.statusCode());
        assertEquals("idPublication", json(noId).get("champs").get(0).asText());

        HttpResponse<String> v22 = call("POST", "/ouiform/api/v1/sessions?idPublication=PUB-22", "application/xml",
                LheoFixtures.exampleBytes("rest/post-sessions.requete-lheo22-refusee.xml"), region());
        assertEquals(422, v22.statusCode());
        assertEquals("LHEO_VERSION_NON_SUPPORTEE", json(v22).get("code").asText());
        assertTrue(f.ctx.refused().get(0).reason().startsWith("LHEO_VERSION_NON_SUPPORTEE"));
        assertEquals(2, f.ctx.accepted().size());
    }

    @Test
    public void theDepartmentSearchesTheCatalogueAndFollowsItsPrescriptions() throws Exception {
        f.runtime.catalogueImport.deliver(new TestDelivery("0e4f5c2a-0000-4000-8000-000000000602", "w50", "ouiform",
                "catalogue", "application/json", "w50", null, "test", 1,
                LheoFixtures.exampleBytes("rest/post-sessions.requete.json")));
        assertEquals(401, call("GET", "/api/departement/formations", null, null, null).statusCode());
        assertEquals(403, call("GET", "/api/departement/formations", null, null, region()).statusCode());
        assertEquals(400, call("GET", "/api/departement/formations?codePostal=Laon", null, null, reader()).statusCode());

        HttpResponse<String> all = call("GET", "/api/departement/formations", null, null, reader());
        assertEquals(all.body(), 200, all.statusCode());
        assertEquals(3, json(all).get("total").asInt());
        assertEquals("w50", json(all).get("catalogue").get("idPublication").asText());
        HttpResponse<String> soissons = call("GET", "/api/departement/formations?texte=competences&codePostal=02200", null,
                null, reader());
        JsonNode s = json(soissons).get("formations").get(0);
        assertEquals("02_SE_0000202_1", s.get("idSession").asText());
        assertEquals("inconnue", s.get("debut").get("precision").asText());
        assertEquals("sans_fin", s.get("fin").get("precision").asText());
        assertEquals(1250.0, s.get("prixTotalTTC").asDouble(), 0.001);
        assertEquals(200, call("GET", "/api/departement/formations/02_SE_0000101_2", null, null, reader()).statusCode());
        assertEquals(404, call("GET", "/api/departement/formations/NOPE", null, null, reader()).statusCode());

        HttpResponse<String> mine = call("GET", "/api/departement/prescriptions-formation?personId=" + f.person, null, null,
                reader());
        JsonNode p = json(mine).get("prescriptions").get(0);
        assertEquals("HUB-2026-000001", p.get("idPrescriptionHub").asText());
        assertEquals("ACCEPTEE", p.get("etat").asText());
        assertEquals("prescrit", p.get("statut").asText());
        assertEquals("Laon", p.get("session").get("lieu").get("ville").asText());
        HttpResponse<String> one = call("GET", "/api/departement/prescriptions-formation/HUB-2026-000001", null, null,
                reader());
        assertTrue(one.body(), json(one).get("historique").isArray());
    }

    @Test
    public void theDepartmentFacingEndpointsAreDescribedForTheHubsOpenApi() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(f.ctx.apiDocument());
        for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext();) {
            String path = it.next();
            assertTrue(path, path.startsWith("/api/departement/") || path.equals("/in/departement/prescriptions-formation"));
        }
        assertTrue(doc.get("paths").has("/api/departement/formations"));
        assertTrue(doc.get("paths").has("/in/departement/prescriptions-formation"));
        for (Iterator<String> it = doc.get("components").get("schemas").fieldNames(); it.hasNext();) {
            assertTrue("schemas prefixed with the connector id", it.next().startsWith("ouiform."));
        }
        // the documented request is the one the flow accepts
        String documented = "{\"personId\":\"" + f.person + "\",\"idSession\":\"02_SE_0000101_1\",\"referent\":{\"nom\":"
                + "\"MARTIN\",\"courriel\":\"claire.martin@aisne.example\"}}";
        PrescriptionRequest.validator(f.runtime.contract, Fixture.SIRET).validate(new java.io.ByteArrayInputStream(
                documented.getBytes(StandardCharsets.UTF_8)));
    }
}
