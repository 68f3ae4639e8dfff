package fr.aisne.hub.doubles.ouiform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Région calling the hub's side of the contract (port type HubOuiForm, REST paths under {@code /v1}):
 * {@code notifierStatut} / {@code POST /v1/prescriptions/{idPrescriptionHub}/statuts} and {@code publierSessions} /
 * {@code POST /v1/sessions}. Plain JDK HTTP client posting the contract's SOAP envelopes or JSON: what is sent is
 * checked against the contract first (except the deliberately wrong LHEO 2.2 publication). One attempt per call;
 * {@link Notifier} decides on retries from the {@link Outcome}.
 */
final class HubClient {
    static final String SOAP_ACTION_PREFIX = "urn:fr:aisne:hub:ouiform:v1:";

    enum Result {
        /** The hub took it (ACCEPTE; a publication's answer). */
        ACCEPTE,
        /** The hub had it already (notifierStatut answered DEJA_RECU). */
        DEJA_RECU,
        /** The hub refused it for good (4xx, a client fault, an answer outside the contract). */
        REFUSE,
        /** Worth sending again later (no connection, timeout, 5xx, 429, INDISPONIBLE, ERREUR_INTERNE). */
        A_REESSAYER
    }

    /**
     * What one call gave: the result, the HTTP status (0: no answer), the contract's error code and message when the
     * hub sent one, the hub's answer as JSON (the SOAP answer converted) when it had one.
     */
    record Outcome(Result result, int httpStatus, String code, String message, JsonNode answer) {
    }

    private final Settings.Hub hub;
    private final Contract contract;
    private final HttpClient http;

    HubClient(Settings.Hub hub, Contract contract) {
        this.hub = hub;
        this.contract = contract;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(hub.timeoutSeconds())).build();
    }

    Settings.Hub settings() {
        return hub;
    }

    // ---------------------------------------------------------------------------------------------- notifierStatut

    /** Sends one status event ({@code EvenementStatut} as JSON) through {@code canal}. */
    Outcome notifier(ObjectNode evenement, Canal canal) {
        if (canal == Canal.SOAP) {
            Document doc = contract.newDocument();
            Element payload = Shapes.toXml(doc, "notifierStatut", Shapes.EVENEMENT, evenement);
            contract.validate(payload);
            return soap("notifierStatut", payload, "notifierStatutReponse", Shapes.NOTIFIER_REPONSE);
        }
        Document doc = contract.newDocument();
        contract.validate(Shapes.toXml(doc, "notifierStatut", Shapes.EVENEMENT, evenement));
        String id = URLEncoder.encode(evenement.get("idPrescriptionHub").asText(), StandardCharsets.UTF_8);
        return rest(URI.create(base() + "/v1/prescriptions/" + id + "/statuts"), Http.JSON,
                evenement.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------- publierSessions

    /**
     * Publishes {@code catalogue}: SOAP {@code publierSessions} with the LHEO document inside; REST {@code POST
     * /v1/sessions} with the LHEO document as body ({@code application/xml}, idPublication and complet as query
     * parameters) or its JSON mapping. {@code lheo22}: send the LHEO 2.2 document instead (the hub must refuse it).
     */
    Outcome publier(Catalogue catalogue, String idPublication, String dateExtraction, Canal canal, boolean json,
            boolean lheo22) {
        String lheo = lheo22 ? catalogue.lheo22() : catalogue.lheo23();
        if (canal == Canal.SOAP) {
            Document doc = contract.newDocument();
            Element payload = doc.createElementNS(Contract.NS, "of:publierSessions");
            payload.appendChild(Shapes.leaf(doc, "idPublication", idPublication));
            payload.appendChild(Shapes.leaf(doc, "dateExtraction", dateExtraction));
            payload.appendChild(Shapes.leaf(doc, "complet", "true"));
            Element root = contract.parse(lheo.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
            payload.appendChild(doc.importNode(root, true));
            if (!lheo22) {
                contract.validate(payload);
            }
            return soap("publierSessions", payload, "publierSessionsReponse", Shapes.PUBLIER_REPONSE);
        }
        if (json && !lheo22) {
            return rest(URI.create(base() + "/v1/sessions"), Http.JSON, catalogue
                    .publicationJson(idPublication, dateExtraction, true).toString().getBytes(StandardCharsets.UTF_8));
        }
        return rest(URI.create(base() + "/v1/sessions?idPublication=" + URLEncoder.encode(idPublication,
                StandardCharsets.UTF_8) + "&complet=true"), Http.XML, lheo.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------- transports

    private String base() {
        String b = hub.restUrl().toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    private Outcome soap(String operation, Element payload, String answerElement, Shapes.Shape answerShape) {
        Document doc = payload.getOwnerDocument();
        Element envelope = doc.createElementNS(Contract.SOAP_ENV_NS, "soapenv:Envelope");
        Element body = doc.createElementNS(Contract.SOAP_ENV_NS, "soapenv:Body");
        envelope.appendChild(body);
        body.appendChild(payload);
        doc.appendChild(envelope);
        HttpRequest.Builder b = request(hub.soapUrl()).header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"" + SOAP_ACTION_PREFIX + operation + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(contract.serialize(doc), StandardCharsets.UTF_8));
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Outcome(Result.A_REESSAYER, 0, null, "pas de réponse (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.A_REESSAYER, 0, null, "interrompu", null);
        }
        int status = r.statusCode();
        Element first = soapBodyChild(r.body());
        if (status == 200 && first != null && answerElement.equals(first.getLocalName())
                && Contract.NS.equals(first.getNamespaceURI())) {
            List<String> problems = contract.problems(first);
            if (!problems.isEmpty()) {
                return new Outcome(Result.REFUSE, status, null, "réponse du hub non conforme au contrat : "
                        + String.join(" ; ", problems), null);
            }
            ObjectNode answer = Shapes.toJson(first, answerShape);
            return new Outcome("DEJA_RECU".equals(answer.path("etat").asText()) ? Result.DEJA_RECU : Result.ACCEPTE,
                    status, null, null, answer);
        }
        if (first != null && "Fault".equals(first.getLocalName())) {
            Element erreur = faultDetail(first);
            String code = erreur == null ? null : Shapes.text(erreur, "code");
            String message = erreur == null ? faultString(first) : Shapes.text(erreur, "message");
            boolean again = erreur == null ? status >= 500 && isServerFault(first)
                    : "INDISPONIBLE".equals(code) || "ERREUR_INTERNE".equals(code);
            return new Outcome(again ? Result.A_REESSAYER : Result.REFUSE, status, code, message,
                    erreur == null ? null : Shapes.toJson(erreur, Shapes.ERREUR));
        }
        return new Outcome(retryable(status) ? Result.A_REESSAYER : Result.REFUSE, status, null,
                "réponse HTTP " + status + " sans message SOAP du contrat", null);
    }

    private Outcome rest(URI uri, String contentType, byte[] body) {
        HttpRequest.Builder b = request(uri).header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Outcome(Result.A_REESSAYER, 0, null, "pas de réponse (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.A_REESSAYER, 0, null, "interrompu", null);
        }
        int status = r.statusCode();
        JsonNode answer = null;
        try {
            if (r.body().length > 0) {
                answer = Http.MAPPER.readTree(r.body());
            }
        } catch (IOException e) {
            answer = null;
        }
        if (status >= 200 && status < 300) {
            return new Outcome(answer != null && "DEJA_RECU".equals(answer.path("etat").asText()) ? Result.DEJA_RECU
                    : Result.ACCEPTE, status, null, null, answer);
        }
        String code = answer == null ? null : answer.path("code").textValue();
        String message = answer == null ? "réponse HTTP " + status : answer.path("message").textValue();
        boolean again = retryable(status) || "INDISPONIBLE".equals(code) || "ERREUR_INTERNE".equals(code);
        return new Outcome(again ? Result.A_REESSAYER : Result.REFUSE, status, code, message, answer);
    }

    private static boolean retryable(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(hub.timeoutSeconds()));
        if (hub.token() != null) {
            b.header("Authorization", "Bearer " + hub.token());
        } else if (hub.password() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (hub.username() + ":" + hub.password()).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /** The first element of the SOAP body of {@code bytes}, or null when it is not a SOAP 1.1 envelope. */
    private Element soapBodyChild(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            Element env = contract.parse(bytes).getDocumentElement();
            if (!"Envelope".equals(env.getLocalName()) || !Contract.SOAP_ENV_NS.equals(env.getNamespaceURI())) {
                return null;
            }
            for (Node n = env.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && "Body".equals(e.getLocalName())) {
                    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                        if (c instanceof Element ce) {
                            return ce;
                        }
                    }
                }
            }
            return null;
        } catch (Refus e) {
            return null;
        }
    }

    private static Element faultDetail(Element fault) {
        for (Node n = fault.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "detail".equals(e.getLocalName())) {
                List<Element> erreurs = Shapes.children(e, "erreur");
                return erreurs.isEmpty() ? null : erreurs.get(0);
            }
        }
        return null;
    }

    private static String faultString(Element fault) {
        for (Node n = fault.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "faultstring".equals(e.getLocalName())) {
                return e.getTextContent();
            }
        }
        return "faute SOAP sans détail";
    }

    private static boolean isServerFault(Element fault) {
        for (Node n = fault.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "faultcode".equals(e.getLocalName())) {
                return e.getTextContent().trim().endsWith("Server");
            }
        }
        return false;
    }
}
