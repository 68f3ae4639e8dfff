package fr.aisne.hub.doubles.ouiform;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.doubles.ouiform.Http.Answer;
import fr.aisne.hub.doubles.ouiform.Http.Call;

/**
 * The double's own API under {@code /double} (no credentials, never affected by the injected behaviour):
 * <ul>
 * <li>{@code GET|POST /double/control}: the injected behaviour (latency, outage, faults on the next N calls);
 * {@code POST /double/control/reset}: forget everything, behaviour back to the settings;</li>
 * <li>{@code POST /double/control/statut}: record a status for a prescription and send it to the hub now;</li>
 * <li>{@code POST /double/control/disconnect}: close the port (connection refused) for some milliseconds;</li>
 * <li>{@code POST /double/control/publier}: publish the catalogue to the hub (publierSessions);</li>
 * <li>{@code GET /double/stats}, {@code /double/prescriptions}, {@code /double/notifications},
 * {@code /double/catalogue.xml} ({@code ?version=2.2}), {@code /double/catalogue.json}.</li>
 * </ul>
 */
final class ControlApi {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);
    static final String BASE = "/double";

    private final Region region;
    private final LongPredicate disconnector;

    ControlApi(Region region, LongPredicate disconnector) {
        this.region = region;
        this.disconnector = disconnector;
    }

    Answer handle(Call call) {
        try {
            return route(call);
        } catch (IllegalArgumentException e) {
            return Answer.json(400, Map.of("code", "CONTROLE_INVALIDE", "message", String.valueOf(e.getMessage())));
        } catch (Refus r) {
            return region.error(r, 400);
        } catch (RuntimeException e) {
            LOG.warn("OuiForm double: control call failed ({})", e.getClass().getSimpleName());
            return Answer.json(500, Map.of("code", "ERREUR_INTERNE", "message", "Erreur interne du double"));
        }
    }

    private Answer route(Call call) {
        String p = call.path();
        String m = call.method();
        switch (p) {
            case BASE + "/control":
                if (m.equals("GET")) {
                    return Answer.json(200, region.behaviour().toMap());
                }
                allow(m, "POST");
                region.behaviour(region.behaviour().with(json(call)));
                LOG.info("OuiForm double: behaviour changed to {}", region.behaviour());
                return Answer.json(200, region.behaviour().toMap());
            case BASE + "/control/reset":
                allow(m, "POST");
                region.reset();
                return Answer.json(200, region.behaviour().toMap());
            case BASE + "/control/statut":
                allow(m, "POST");
                return statut(json(call));
            case BASE + "/control/disconnect":
                allow(m, "POST");
                long millis = json(call).path("millis").asLong(5000);
                if (millis < 1 || millis > 600_000) {
                    throw new IllegalArgumentException("millis: between 1 and 600000 expected");
                }
                boolean done = disconnector.test(millis);
                return Answer.json(done ? 202 : 409, Map.of("disconnected", done, "millis", millis));
            case BASE + "/control/publier":
                allow(m, "POST");
                return publier(json(call));
            case BASE + "/stats":
                allow(m, "GET");
                return Answer.json(200, region.stats().toMap(region.live()));
            case BASE + "/prescriptions":
                allow(m, "GET");
                return prescriptions();
            case BASE + "/notifications":
                allow(m, "GET");
                return Answer.json(200, region.notifier().list());
            case BASE + "/catalogue.xml":
                allow(m, "GET");
                String version = call.param("version");
                if (version != null && !version.equals("2.3") && !version.equals("2.2")) {
                    throw new IllegalArgumentException("version: 2.3 (default) or 2.2");
                }
                return Answer.text(200, Http.XML, "2.2".equals(version) ? region.catalogue().lheo22()
                        : region.catalogue().lheo23());
            case BASE + "/catalogue.json":
                allow(m, "GET");
                return Answer.json(200, region.catalogue().publicationJson("catalogue-" + region.catalogue().weekOf(),
                        now(), true));
            default:
                return Answer.json(404, Map.of("code", "INCONNU", "message", "Chemin de contrôle inconnu"));
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new IllegalArgumentException("method " + allowed + " expected");
        }
    }

    private static JsonNode json(Call call) {
        if (call.body() == null || call.body().length == 0) {
            return Http.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = Http.MAPPER.readTree(call.body());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("a JSON object is expected");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
    }

    private String now() {
        return Region.horodatage(OffsetDateTime.now(Region.PARIS));
    }

    /**
     * {@code {idPrescriptionOuiForm | idPrescriptionHub, statut, motif?, dateEffet?, canal?, force?}}: records the
     * status and sends the event now (first attempt in this call); or {@code {idEvenement, renvoyer: true}} sends an
     * event once more with the same id. Answers the event and what the hub said.
     */
    private Answer statut(JsonNode body) {
        if (body.path("renvoyer").asBoolean(false)) {
            String id = body.path("idEvenement").asText(null);
            Notifier.Notification n = id == null ? null : region.notifier().resend(id);
            if (n == null) {
                return Answer.json(404, Map.of("code", "EVENEMENT_INCONNU", "message", "idEvenement inconnu"));
            }
            return Answer.json(200, n.toJson());
        }
        Region.Dossier d = region.dossier(body.path("idPrescriptionOuiForm").asText(null),
                body.path("idPrescriptionHub").asText(null));
        if (d == null) {
            return Answer.json(404, Map.of("code", "PRESCRIPTION_INCONNUE",
                    "message", "idPrescriptionOuiForm ou idPrescriptionHub d'une prescription reçue attendu"));
        }
        Statut statut = Statut.parse(body.path("statut").asText(""));
        if (statut == null || statut == Statut.PRESCRIT) {
            throw new IllegalArgumentException("statut: positionne, entre, sorti or abandon expected");
        }
        Canal canal = null;
        if (body.hasNonNull("canal")) {
            canal = Canal.parse(body.get("canal").asText());
            if (canal == null) {
                throw new IllegalArgumentException("canal: SOAP or REST expected");
            }
        }
        Notifier.Notification n = region.changer(d, statut, body.path("motif").asText(null),
                body.path("dateEffet").asText(null), canal, body.path("force").asBoolean(false), true);
        return Answer.json(200, n.toJson());
    }

    /** {@code {canal: SOAP|REST, format: xml|json, version: 2.3|2.2}}: publishes the catalogue to the hub now. */
    private Answer publier(JsonNode body) {
        Canal canal = Canal.parse(body.path("canal").asText("SOAP"));
        if (canal == null) {
            throw new IllegalArgumentException("canal: SOAP or REST expected");
        }
        String format = body.path("format").asText("xml");
        String version = body.path("version").asText("2.3");
        if (!format.equals("xml") && !format.equals("json") || !version.equals("2.3") && !version.equals("2.2")) {
            throw new IllegalArgumentException("format: xml or json; version: 2.3 or 2.2");
        }
        String id = "PUB-" + region.catalogue().weekOf() + "-" + System.currentTimeMillis() % 100000;
        HubClient.Outcome o = region.notifier().client().publier(region.catalogue(), id, now(), canal,
                format.equals("json"), version.equals("2.2"));
        region.stats().count(Stats.PUBLICATIONS);
        LOG.info("OuiForm double: publication {} via {} ({}, LHEO {}): {} (HTTP {})", id, canal, format, version,
                o.result(), o.httpStatus());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("idPublication", id);
        out.put("resultat", o.result().name());
        out.put("reponseHttp", o.httpStatus());
        if (o.code() != null) {
            out.put("code", o.code());
        }
        if (o.message() != null) {
            out.put("message", o.message());
        }
        if (o.answer() != null) {
            out.put("reponse", o.answer());
        }
        return Answer.json(200, out);
    }

    private Answer prescriptions() {
        ArrayNode list = Http.MAPPER.createArrayNode();
        for (Region.Dossier d : region.dossiers()) {
            ObjectNode o = list.addObject();
            o.put("idPrescriptionOuiForm", d.idOuiForm);
            o.put("idPrescriptionHub", d.idHub);
            o.put("idSession", d.idSession);
            o.put("canal", d.canal.name());
            o.put("recuLe", d.recuLe.toString());
            o.put("statut", d.statut().wire());
            o.set("prescription", d.prescription);
            ArrayNode h = o.putArray("historique");
            d.historique().forEach(h::add);
        }
        return Answer.json(200, list);
    }
}
