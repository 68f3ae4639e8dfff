package fr.aisne.hub.doubles.ouiform;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.ouiform.Http.Answer;
import fr.aisne.hub.doubles.ouiform.Http.Call;

/**
 * The Région's REST side of the contract (ouiform-v1.openapi.yaml), under {@code /ouiform/api}:
 * <ul>
 * <li>{@code POST /v1/prescriptions} (JSON {@code Prescription}): 201 {@code EtatPrescription} with
 * {@code Location};</li>
 * <li>{@code GET /v1/prescriptions/{idPrescriptionOuiForm}} and {@code GET /v1/prescriptions?idPrescriptionHub=}:
 * 200 {@code ConsultationPrescription};</li>
 * <li>errors {@code {code, message, idPrescriptionOuiForm?, champs?}} with the code's status (400, 401, 404, 409,
 * 415, 422, 503).</li>
 * </ul>
 * A JSON body is turned into the contract's XML element ({@link Shapes}) and checked by the same schema as SOAP.
 */
final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    static final String BASE = "/ouiform/api";
    static final String PRESCRIPTIONS = BASE + "/v1/prescriptions";

    private final Region region;

    RestApi(Region region) {
        this.region = region;
    }

    /** Answers {@code call} (path starting with {@link #BASE}); never throws. */
    Answer handle(Call call) {
        long start = System.nanoTime();
        String endpoint = endpoint(call);
        Answer answer = region.gate(call, false);
        if (answer == null) {
            try {
                CodeErreur injected = endpoint.startsWith("OTHER") ? null : region.takeFault();
                if (injected != null) {
                    throw new Refus(injected, "Erreur injectée par le double (" + injected.name() + ")");
                }
                answer = route(call);
            } catch (Refus r) {
                region.stats().code(r.code);
                answer = region.error(r, r.code.httpStatus);
            } catch (RuntimeException e) {
                LOG.warn("OuiForm double: {} failed ({})", endpoint, e.getClass().getSimpleName());
                answer = region.error(new Refus(CodeErreur.ERREUR_INTERNE, "Erreur interne du double"), 500);
            }
        }
        region.stats().answered(endpoint, answer.status(), false);
        if (LOG.isDebugEnabled()) {
            LOG.debug("OuiForm double: REST {} -> {} ({} ms)", endpoint, answer.status(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return answer;
    }

    /** Method and path template, safe to log and count. */
    static String endpoint(Call call) {
        String p = call.path();
        String method = call.method().matches("[A-Z]{3,7}") ? call.method() : "OTHER";
        if (p.equals(PRESCRIPTIONS)) {
            return method + " /v1/prescriptions";
        }
        if (p.startsWith(PRESCRIPTIONS + "/") && p.indexOf('/', PRESCRIPTIONS.length() + 1) < 0) {
            return method + " /v1/prescriptions/{idPrescriptionOuiForm}";
        }
        return "OTHER (unknown path)";
    }

    private Answer route(Call call) {
        String p = call.path();
        if (p.equals(PRESCRIPTIONS)) {
            if (call.method().equals("POST")) {
                return soumettre(call);
            }
            if (call.method().equals("GET")) {
                String idHub = call.param("idPrescriptionHub");
                if (idHub == null) {
                    throw new Refus(CodeErreur.REQUETE_INVALIDE, "Paramètre idPrescriptionHub attendu", null,
                            List.of("idPrescriptionHub"));
                }
                return consulter("idPrescriptionHub", idHub);
            }
            return notAllowed("GET, POST");
        }
        if (p.startsWith(PRESCRIPTIONS + "/") && p.indexOf('/', PRESCRIPTIONS.length() + 1) < 0) {
            if (!call.method().equals("GET")) {
                return notAllowed("GET");
            }
            String id = URLDecoder.decode(p.substring(PRESCRIPTIONS.length() + 1), StandardCharsets.UTF_8);
            return consulter("idPrescriptionOuiForm", id);
        }
        return region.error(new Refus(CodeErreur.REQUETE_INVALIDE, "Ressource inconnue du contrat OuiForm v1"), 404);
    }

    private Answer notAllowed(String allowed) {
        return region.error(new Refus(CodeErreur.REQUETE_INVALIDE, "Méthode non autorisée, attendu : " + allowed), 405)
                .withHeader("Allow", allowed);
    }

    private Answer soumettre(Call call) {
        String type = call.h("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            Refus r = new Refus(CodeErreur.REQUETE_INVALIDE, "Corps application/json attendu");
            region.stats().code(r.code);
            region.stats().count(Stats.PRESCRIPTIONS_REFUSED);
            return region.error(r, 415);
        }
        JsonNode json;
        try {
            json = Http.MAPPER.readTree(call.body());
        } catch (IOException e) {
            region.stats().count(Stats.PRESCRIPTIONS_REFUSED);
            throw new Refus(CodeErreur.REQUETE_INVALIDE, "JSON illisible");
        }
        Element request;
        try {
            Document doc = region.contract().newDocument();
            request = Shapes.toXml(doc, "soumettrePrescription", Shapes.PRESCRIPTION, json);
        } catch (Refus r) {
            region.stats().count(Stats.PRESCRIPTIONS_REFUSED);
            throw r;
        }
        ObjectNode etat = region.soumettre(request, Canal.REST);
        return Answer.json(201, etat).withHeader("Location",
                PRESCRIPTIONS + "/" + etat.get("idPrescriptionOuiForm").asText());
    }

    private Answer consulter(String field, String id) {
        Document doc = region.contract().newDocument();
        Element request = doc.createElementNS(Contract.NS, "of:consulterPrescription");
        request.appendChild(Shapes.leaf(doc, field, id));
        return Answer.json(200, region.consulter(request));
    }
}
