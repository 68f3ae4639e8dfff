package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.ouiform.contract.CodeErreur;
import fr.aisne.hub.connector.ouiform.contract.Contract;
import fr.aisne.hub.connector.ouiform.contract.ContractXml;
import fr.aisne.hub.connector.ouiform.contract.Messages.Erreur;
import fr.aisne.hub.connector.ouiform.contract.Messages.EtatPrescription;
import fr.aisne.hub.connector.ouiform.contract.Messages.Prescription;
import fr.aisne.hub.connector.ouiform.contract.Refus;

/**
 * The hub calling OuiForm's side of the contract ({@code soumettrePrescription}, SOAP or REST): the message is checked
 * against the contract before it leaves, sent under the partner guard (rate limit, circuit breaker), and the answer
 * read as the contract says. What can mend itself (no answer, timeout, HTTP 5xx, 429, INDISPONIBLE, ERREUR_INTERNE,
 * refused credentials) is a temporary failure, retried by the core with the same idPrescriptionHub; a refusal of the
 * prescription itself (a client fault: SESSION_FERMEE, SESSION_INCONNUE, BENEFICIAIRE_INCOMPLET...) is permanent,
 * with OuiForm's fault string; DOUBLON means OuiForm already has it: its id is taken as the answer.
 */
final class OuiFormClient {
    /** OuiForm's answer: its state of the prescription; {@code doublon} when it had it already. */
    record Answer(String idPrescriptionOuiForm, EtatPrescription etat, boolean doublon, String channel) {
    }

    private final OuiFormSettings settings;
    private final Contract contract;
    private final PartnerGuard guard;
    private final HttpClient http;
    private final AtomicReference<String> credentialProblem = new AtomicReference<>();
    private volatile Instant lastAnswer;

    OuiFormClient(OuiFormSettings settings, Contract contract, PartnerGuard guard) {
        this(settings, contract, guard, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).build());
    }

    /** With the given HTTP client (benchmarks/fuzz answers in process). */
    OuiFormClient(OuiFormSettings settings, Contract contract, PartnerGuard guard, HttpClient http) {
        this.settings = settings;
        this.contract = contract;
        this.guard = guard;
        this.http = http;
    }

    /** Why OuiForm refuses the hub's credentials, while it does. */
    Optional<String> credentialProblem() {
        return Optional.ofNullable(credentialProblem.get());
    }

    Instant lastAnswer() {
        return lastAnswer;
    }

    /** Sends the prescription; the answer, or the failure to journal. */
    Answer soumettre(Prescription p) throws DeliveryFailure {
        Document doc = contract.newDocument();
        Element payload = ContractXml.toXml(doc, "soumettrePrescription", p);
        doc.appendChild(payload);
        List<String> problems = contract.problems(payload);
        if (!problems.isEmpty()) {
            throw DeliveryFailure.permanent("the prescription does not follow the OuiForm contract v1 (checked by the hub "
                    + "before sending, nothing sent): " + String.join("; ", problems));
        }
        guard.permit();
        return settings.channel() == OuiFormSettings.Canal.SOAP ? soap(doc) : rest(p);
    }

    // ---------------------------------------------------------------------------------------------- SOAP

    private Answer soap(Document doc) throws DeliveryFailure {
        Element payload = doc.getDocumentElement();
        doc.removeChild(payload);
        Element envelope = doc.createElementNS(Contract.SOAP_ENV_NS, "soapenv:Envelope");
        Element body = doc.createElementNS(Contract.SOAP_ENV_NS, "soapenv:Body");
        envelope.appendChild(body);
        body.appendChild(payload);
        doc.appendChild(envelope);
        HttpRequest request = request(settings.soapUrl()).header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"" + Contract.SOAP_ACTION_PREFIX + "soumettrePrescription\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(contract.serialize(doc))).build();
        HttpResponse<byte[]> r = send(request);
        Element first = soapBodyChild(r.body());
        if (r.statusCode() == 200 && first != null && Contract.NS.equals(first.getNamespaceURI())
                && "soumettrePrescriptionReponse".equals(first.getLocalName())) {
            return accepted(first, "SOAP");
        }
        if (first != null && "Fault".equals(first.getLocalName())) {
            Element erreur = faultDetail(first);
            String faultCode = ContractXml.text(first, "faultcode");
            String faultString = ContractXml.text(first, "faultstring");
            Erreur e = erreur == null ? null : ContractXml.fromXml(erreur, Erreur.class);
            return refusal(r, e, "SOAP fault " + (faultCode == null ? "" : Redaction.name(faultCode) + " ") + "\""
                    + (faultString == null ? "" : Redaction.partnerText(faultString)) + "\"",
                    faultCode != null && faultCode.endsWith("Server"), "SOAP");
        }
        throw withoutContractAnswer(r);
    }

    private Answer accepted(Element reponse, String channel) throws DeliveryFailure {
        List<String> problems = contract.problems(reponse);
        if (!problems.isEmpty()) {
            guard.failed();
            // OuiForm may have registered it: the retry will be answered DOUBLON with its id
            throw DeliveryFailure.temporary("OuiForm's answer does not follow the contract: " + String.join("; ", problems));
        }
        EtatPrescription etat = ContractXml.fromXml(reponse, EtatPrescription.class);
        answered();
        return new Answer(etat.idPrescriptionOuiForm(), etat, false, channel);
    }

    private Element soapBodyChild(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            Document d = contract.parse(bytes);
            Element env = d.getDocumentElement();
            if (!"Envelope".equals(env.getLocalName()) || !Contract.SOAP_ENV_NS.equals(env.getNamespaceURI())) {
                return null;
            }
            for (Element b : ContractXml.children(env, "Body")) {
                for (Node c = b.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element ce) {
                        return ce;
                    }
                }
            }
            return null;
        } catch (Refus notXml) {
            return null;
        }
    }

    private static Element faultDetail(Element fault) {
        for (Element d : ContractXml.children(fault, "detail")) {
            List<Element> e = ContractXml.children(d, "erreur");
            if (!e.isEmpty()) {
                return e.get(0);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------- REST

    private Answer rest(Prescription p) throws DeliveryFailure {
        String base = settings.restUrl().toString().replaceAll("/+$", "");
        HttpRequest request = request(URI.create(base + "/v1/prescriptions")).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(p), StandardCharsets.UTF_8)).build();
        HttpResponse<byte[]> r = send(request);
        JsonNode body = null;
        try {
            body = r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
        } catch (IOException notJson) {
            body = null;
        }
        if (body != null && (body.isMissingNode() || body.isNull())) {
            body = null; // white space only, or the JSON null (found by benchmarks/fuzz: a NullPointerException below)
        }
        if (r.statusCode() == 201 && body != null) {
            EtatPrescription etat;
            try {
                etat = Json.MAPPER.treeToValue(body, EtatPrescription.class);
            } catch (IOException e) {
                etat = null;
            }
            if (etat == null) {
                guard.failed();
                throw DeliveryFailure.temporary("OuiForm's answer does not follow the contract (EtatPrescription)");
            }
            Document doc = contract.newDocument();
            return accepted(ContractXml.toXml(doc, "soumettrePrescriptionReponse", etat), "REST");
        }
        if (body != null && body.hasNonNull("code") && CodeErreur.of(body.get("code").asText()) != null) {
            Erreur e;
            try {
                e = Json.MAPPER.treeToValue(body, Erreur.class);
            } catch (IOException bad) {
                e = new Erreur(body.get("code").asText(), body.path("message").asText(""), null, null);
            }
            return refusal(r, e, "HTTP " + r.statusCode() + " \"" + Redaction.partnerText(e.message()) + "\"",
                    r.statusCode() >= 500, "REST");
        }
        throw withoutContractAnswer(r);
    }

    // ---------------------------------------------------------------------------------------------- shared

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout());
        if (settings.token() != null) {
            b.header("Authorization", "Bearer " + settings.token());
        } else if (settings.password() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((settings.username() + ":"
                    + settings.password()).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws DeliveryFailure {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            guard.failed();
            throw DeliveryFailure.temporary("OuiForm did not answer within " + settings.requestTimeout().toMillis()
                    + " ms (" + e.getClass().getSimpleName() + "); sent again later with the same idPrescriptionHub");
        } catch (IOException e) {
            guard.failed();
            throw DeliveryFailure.temporary("OuiForm unreachable (" + Redaction.describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrupted while calling OuiForm");
        }
    }

    /**
     * A contract error of OuiForm: DOUBLON is an answer (OuiForm has it already: its id), INDISPONIBLE and server faults
     * are retried, the other refusals kept (thrown).
     */
    private Answer refusal(HttpResponse<byte[]> r, Erreur e, String what, boolean serverSide, String channel)
            throws DeliveryFailure {
        CodeErreur code = e == null ? null : CodeErreur.of(e.code());
        if (code == CodeErreur.DOUBLON && e.idPrescriptionOuiForm() != null) {
            answered();
            return new Answer(e.idPrescriptionOuiForm(), null, true, channel);
        }
        String detail = what + (code == null ? "" : " (code " + code.name()
                + (e.champs() == null || e.champs().isEmpty() ? "" : ", champs " + String.join(", ",
                        e.champs().stream().map(c -> c == null ? "" : Redaction.name(c)).toList())) + ")");
        if (code == CodeErreur.NON_AUTHENTIFIE || code == CodeErreur.ACCES_REFUSE) {
            throw credentials(r.statusCode(), detail);
        }
        if (code == null ? serverSide : !code.client()) {
            guard.failed();
            throw temporaryAfter("OuiForm is unavailable: " + detail, retryAfter(r));
        }
        answered();
        throw DeliveryFailure.permanent("OuiForm refused the prescription: " + detail);
    }

    private DeliveryFailure withoutContractAnswer(HttpResponse<byte[]> r) {
        int s = r.statusCode();
        if (s == 401 || s == 403) {
            return credentials(s, "HTTP " + s + " without a contract answer");
        }
        if (s == 429) {
            retryAfter(r).ifPresent(guard::pause);
        }
        if (s >= 500 || s == 429 || s == 408) {
            guard.failed();
            return temporaryAfter("OuiForm answered HTTP " + s + " without a contract answer", retryAfter(r));
        }
        return DeliveryFailure.permanent("OuiForm answered HTTP " + s + " outside the contract (no "
                + "soumettrePrescriptionReponse, no fault)");
    }

    private DeliveryFailure credentials(int status, String detail) {
        String problem = "OuiForm refused the hub's credentials (HTTP " + status + "): check ouiform.username and "
                + "ouiform.password (or ouiform.token) in " + OuiFormSettings.FILE;
        credentialProblem.set(problem);
        return DeliveryFailure.temporary(problem + "; " + detail);
    }

    private void answered() {
        credentialProblem.set(null);
        lastAnswer = Instant.now();
        guard.succeeded();
    }

    private static DeliveryFailure temporaryAfter(String reason, Optional<Duration> after) {
        return after.map(d -> DeliveryFailure.temporary(reason, d)).orElseGet(() -> DeliveryFailure.temporary(reason));
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").filter(v -> v.strip().matches("[0-9]{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v.strip())));
    }
}
