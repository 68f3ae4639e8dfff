package fr.aisne.hub.connector.urssaf.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.MonthRow;
import fr.aisne.hub.connector.urssaf.internal.UrssafStore.StoredLine;

/**
 * The hub's side of the AT/MP declaration contract v1 (docs/contracts/urssaf/atmp-declaration-v1.wsdl): a SOAP 1.1
 * call {@code deposerDeclaration} to the payroll service, HTTP Basic. The answer is an acknowledgement (deposit
 * number) or a SOAP fault whose detail is the contract's {@code rejet} (code, field, message): a rejection is
 * permanent (the declaration is quarantined with the service's reason); no answer, a 5xx without a fault, 408 or
 * 429 are temporary.
 */
final class PayrollClient {
    static final String NS = "urn:fr:aisne:hub:urssaf:atmp:v1";
    static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

    /** The service's acknowledgement. */
    record Acknowledgement(String depositNumber, String receivedAt) {
    }

    private final URI endpoint;
    private final String username;
    private final String password;
    private final Duration timeout;
    private final HttpClient http;

    PayrollClient(URI endpoint, String username, String password, Duration connectTimeout, Duration timeout) {
        this(endpoint, username, password, timeout,
                HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build());
    }

    /** With the given HTTP client (benchmarks/fuzz answers in process). */
    PayrollClient(URI endpoint, String username, String password, Duration timeout, HttpClient http) {
        this.endpoint = endpoint;
        this.username = username;
        this.password = password;
        this.timeout = timeout;
        this.http = http;
    }

    boolean configured() {
        return password != null && !password.isEmpty();
    }

    /** The SOAP envelope of a month's declaration with its two evidence files. */
    static String envelope(MonthRow month, String declarant, List<StoredLine> lines, byte[] csv, byte[] json) {
        StringBuilder sb = new StringBuilder(4096 + (csv.length + json.length) * 4 / 3);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<soap:Envelope xmlns:soap=\"").append(SOAP_NS).append("\"><soap:Body>")
                .append("<d:deposerDeclaration xmlns:d=\"").append(NS).append("\">")
                .append("<d:idDepot>").append(depositId(month)).append("</d:idDepot>")
                .append("<d:declarant><d:siret>").append(esc(declarant)).append("</d:siret></d:declarant>")
                .append("<d:mois>").append(month.month()).append("</d:mois>")
                .append("<d:base>").append(month.basis()).append("</d:base>")
                .append("<d:lignes>");
        java.math.BigDecimal hours = java.math.BigDecimal.ZERO;
        java.math.BigDecimal amount = java.math.BigDecimal.ZERO;
        for (StoredLine l : lines) {
            sb.append("<d:ligne><d:type>").append(l.kind()).append("</d:type>");
            if (!"MOIS".equals(l.kind())) {
                sb.append("<d:moisOrigine>").append(l.origin()).append("</d:moisOrigine>")
                        .append("<d:convention>").append(esc(l.conventionKey())).append("</d:convention>");
            }
            sb.append("<d:ctp>").append(esc(l.ctp())).append("</d:ctp>")
                    .append("<d:taux>").append(l.rate().stripTrailingZeros().toPlainString()).append("</d:taux>")
                    .append("<d:heures>").append(l.hours().toPlainString()).append("</d:heures>")
                    .append("<d:montant>").append(l.amount().toPlainString()).append("</d:montant></d:ligne>");
            hours = hours.add(l.hours());
            amount = amount.add(l.amount());
        }
        sb.append("</d:lignes>")
                .append("<d:totalHeures>").append(hours.toPlainString()).append("</d:totalHeures>")
                .append("<d:totalMontant>").append(amount.toPlainString()).append("</d:totalMontant>")
                .append("<d:preuves>");
        evidence(sb, "CSV", "atmp-preuves-" + month.month() + ".csv", csv);
        evidence(sb, "JSON", "atmp-preuves-" + month.month() + ".json", json);
        sb.append("</d:preuves></d:deposerDeclaration></soap:Body></soap:Envelope>");
        return sb.toString();
    }

    static String depositId(MonthRow month) {
        return "atmp-" + month.month();
    }

    private static void evidence(StringBuilder sb, String format, String name, byte[] content) {
        sb.append("<d:preuve><d:format>").append(format).append("</d:format><d:nom>").append(name)
                .append("</d:nom><d:sha256>").append(Evidence.sha256(content)).append("</d:sha256><d:contenu>")
                .append(Base64.getEncoder().encodeToString(content)).append("</d:contenu></d:preuve>");
    }

    /** Sends the declaration; returns the acknowledgement or fails (permanent: a rejection; temporary: no answer). */
    Acknowledgement deposit(String envelope) throws DeliveryFailure {
        if (!configured()) {
            throw DeliveryFailure.temporary("payroll.password is not set in etc/hub.connector.urssaf.cfg");
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"" + NS + ":deposerDeclaration\"")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (username + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw DeliveryFailure.temporary("service paie injoignable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrompu");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw DeliveryFailure.temporary("service paie : identifiants refusés (HTTP " + status
                    + "), vérifier payroll.username / payroll.password");
        }
        Document doc = parse(response.body());
        if (status == 200 && doc != null) {
            Element ack = first(doc, NS, "accuse");
            if (ack != null) {
                return new Acknowledgement(text(ack, "numeroDepot"), text(ack, "recuLe"));
            }
        }
        if (doc != null) {
            Element rejet = first(doc, NS, "rejet");
            if (rejet != null && status == 500) {
                // the service's code and field are repeated only in the shape of a name, its message with its dates and
                // numbers masked: a rejection may quote the declaration it refuses (found by benchmarks/fuzz)
                String reason = "rejet du service paie : " + Redaction.name(text(rejet, "code")) + " ("
                        + Redaction.name(text(rejet, "champ")) + ") " + Redaction.partnerText(text(rejet, "message"));
                if ("INDISPONIBLE".equals(text(rejet, "code"))) {
                    throw DeliveryFailure.temporary(reason);
                }
                throw DeliveryFailure.permanent(reason);
            }
        }
        throw DeliveryFailure.temporary("service paie : réponse HTTP " + status + " sans accusé ni rejet");
    }

    static Document parse(byte[] xml) {
        if (xml == null || xml.length == 0) {
            return null;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            var b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            return null;
        }
    }

    static Element first(Document doc, String ns, String local) {
        NodeList l = doc.getElementsByTagNameNS(ns, local);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    static String text(Element parent, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
