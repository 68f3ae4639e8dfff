package fr.aisne.hub.doubles.urssaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/** The payroll double over real HTTP and SOAP (CXF): acknowledgements, precise rejections, credentials, WSDL. */
public class PayrollSoapTest {
    static PayrollServer server;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String CSV_OK = Payroll.CSV_HEADER + "\r\n"
            + "2025-10;2025-10;MOIS;a;immersion-facilitee;ref-a;p1;12345678900011;2025-10-06;7.00;999;0.04;\r\n"
            + "2025-10;2025-10;MOIS;a;immersion-facilitee;ref-a;p1;12345678900011;2025-10-07;7.50;999;0.04;\r\n"
            + "2025-10;2025-09;REGULARISATION;b;immersion-facilitee;ref-b;p2;12345678900011;2025-09-30;-6.00;999;0.04;statut CANCELLED\r\n";
    static final String JSON_OK = "{\"format\":\"aisne-hub-atmp-preuves/1\",\"mois\":\"2025-10\",\"conventions\":["
            + "{\"type\":\"MOIS\",\"moisOrigine\":\"2025-10\",\"convention\":\"a\",\"jours\":[{\"jour\":\"2025-10-06\","
            + "\"heures\":7.00,\"ctp\":\"999\",\"taux\":0.04},{\"jour\":\"2025-10-07\",\"heures\":7.50,\"ctp\":\"999\",\"taux\":0.04}]},"
            + "{\"type\":\"REGULARISATION\",\"moisOrigine\":\"2025-09\",\"convention\":\"b\",\"jours\":[{\"jour\":\"2025-09-30\","
            + "\"heures\":-6.00,\"ctp\":\"999\",\"taux\":0.04}]}]}";

    @BeforeClass
    public static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new PayrollServer(DoubleSettings.from(Map.of("http.port", String.valueOf(port))), Clock.systemUTC());
        server.start();
    }

    @AfterClass
    public static void stop() {
        server.close();
    }

    @Before
    public void forget() {
        server.payroll().accepted().clear();
    }

    static String envelope(String mois, String ctp, String montantMois, String csv, String json, String shaCsv) {
        String c64 = Base64.getEncoder().encodeToString(csv.getBytes(StandardCharsets.UTF_8));
        String j64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        String sc = shaCsv != null ? shaCsv : Payroll.sha256(csv.getBytes(StandardCharsets.UTF_8));
        String sj = Payroll.sha256(json.getBytes(StandardCharsets.UTF_8));
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<d:deposerDeclaration xmlns:d=\"urn:fr:aisne:hub:urssaf:atmp:v1\"><d:idDepot>atmp-" + mois + "</d:idDepot>"
                + "<d:declarant><d:siret>22020002600015</d:siret></d:declarant><d:mois>" + mois + "</d:mois><d:base>PLANNED</d:base>"
                + "<d:lignes><d:ligne><d:type>MOIS</d:type><d:ctp>" + ctp + "</d:ctp><d:taux>0.04</d:taux><d:heures>14.50</d:heures>"
                + "<d:montant>" + montantMois + "</d:montant></d:ligne>"
                + "<d:ligne><d:type>REGULARISATION</d:type><d:moisOrigine>2025-09</d:moisOrigine><d:convention>b</d:convention>"
                + "<d:ctp>999</d:ctp><d:taux>0.04</d:taux><d:heures>-6.00</d:heures><d:montant>-0.24</d:montant></d:ligne></d:lignes>"
                + "<d:totalHeures>8.50</d:totalHeures><d:totalMontant>" + new java.math.BigDecimal(montantMois)
                        .subtract(new java.math.BigDecimal("0.24")).toPlainString() + "</d:totalMontant>"
                + "<d:preuves><d:preuve><d:format>CSV</d:format><d:nom>p.csv</d:nom><d:sha256>" + sc + "</d:sha256><d:contenu>"
                + c64 + "</d:contenu></d:preuve><d:preuve><d:format>JSON</d:format><d:nom>p.json</d:nom><d:sha256>" + sj
                + "</d:sha256><d:contenu>" + j64 + "</d:contenu></d:preuve></d:preuves></d:deposerDeclaration></soap:Body></soap:Envelope>";
    }

    static HttpResponse<String> post(String body, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PayrollServer.PATH))
                .header("Content-Type", "text/xml; charset=UTF-8").header("SOAPAction",
                        "\"urn:fr:aisne:hub:urssaf:atmp:v1:deposerDeclaration\"")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (password != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("hub-aisne:" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String body) throws Exception {
        return post(body, "double-paie-change-me");
    }

    @Test
    public void aConsistentDeclarationIsAcknowledgedOnceAndTheSameDepositAgainGetsTheSameNumber() throws Exception {
        HttpResponse<String> r = post(envelope("2025-10", "999", "0.58", CSV_OK, JSON_OK, null));
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(r.body(), r.body().contains("<numeroDepot>DEP-2025-10-"));
        String number = r.body().replaceAll("(?s).*<numeroDepot>([^<]+)<.*", "$1");
        HttpResponse<String> again = post(envelope("2025-10", "999", "0.58", CSV_OK, JSON_OK, null));
        assertTrue(again.body(), again.body().contains(number));
        // another content for a month accepted: rejected, a correction goes into a later month
        HttpResponse<String> other = post(envelope("2025-10", "999", "0.58", CSV_OK + "", JSON_OK.replace("\"2025-10\",\"conventions\"",
                "\"2025-10\",\"x\":1,\"conventions\""), null));
        assertEquals(500, other.statusCode());
        assertTrue(other.body(), other.body().contains("DEPOT_DEJA_ACCEPTE"));
        assertEquals(1, server.payroll().accepted().size());
    }

    @Test
    public void rejectionsNameTheCodeTheFieldAndWhy() throws Exception {
        HttpResponse<String> ctp = post(envelope("2025-10", "998", "0.58", CSV_OK, JSON_OK, null));
        assertEquals(500, ctp.statusCode());
        assertTrue(ctp.body(), ctp.body().contains("<code>CTP_INCONNU</code>") && ctp.body().contains("lignes/ligne[1]/ctp"));
        HttpResponse<String> amount = post(envelope("2025-10", "999", "0.59", CSV_OK, JSON_OK, null));
        assertTrue(amount.body(), amount.body().contains("MONTANT_INCORRECT") && amount.body().contains("attendu 0.58"));
        HttpResponse<String> digest = post(envelope("2025-10", "999", "0.58", CSV_OK, JSON_OK, "0".repeat(64)));
        assertTrue(digest.body(), digest.body().contains("PREUVE_EMPREINTE"));
        HttpResponse<String> evidence = post(envelope("2025-10", "999", "0.58", CSV_OK.replace(";7.50;", ";7.25;"), JSON_OK, null));
        assertTrue(evidence.body(), evidence.body().contains("PREUVE_INCOHERENTE") && evidence.body().contains("preuve CSV"));
        HttpResponse<String> json = post(envelope("2025-10", "999", "0.58", CSV_OK, JSON_OK.replace("-6.00", "-5.00"), null));
        assertTrue(json.body(), json.body().contains("PREUVE_INCOHERENTE") && json.body().contains("preuve JSON"));
        HttpResponse<String> schema = post(envelope("2025-13", "999", "0.58", CSV_OK, JSON_OK, null));
        assertTrue(schema.body(), schema.body().contains("SCHEMA_INVALIDE") && schema.body().contains("mois"));
        assertTrue(server.payroll().accepted().isEmpty());
    }

    @Test
    public void noCredentialsNoReading() throws Exception {
        assertEquals(401, post(envelope("2025-10", "999", "0.58", CSV_OK, JSON_OK, null), null).statusCode());
        assertEquals(401, post(envelope("2025-10", "999", "0.58", CSV_OK, JSON_OK, null), "wrong").statusCode());
        assertTrue(server.payroll().accepted().isEmpty());
    }

    @Test
    public void theWsdlIsServed() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PayrollServer.PATH
                + "?wsdl")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("AtmpDeclarationService"));
    }
}
