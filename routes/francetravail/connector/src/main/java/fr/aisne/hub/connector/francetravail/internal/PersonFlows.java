package fr.aisne.hub.connector.francetravail.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.FtSettings.Agent;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtException;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The person-scoped deliveries: push the department's orientation decision and read it back, refresh what
 * France Travail knows of a person, create/update/cancel appointments. Each returns the detail journaled with
 * DELIVERED; what France Travail told is recorded in the registry with provenance france-travail.
 */
final class PersonFlows {
    private static final Logger LOG = LoggerFactory.getLogger(PersonFlows.class);
    static final String RQTH_PURPOSE = "rqth";
    static final String ORIENTATION_PURPOSE = "orientation";
    static final String RENDEZ_VOUS_PURPOSE = "rendez-vous";

    private final FranceTravailClient client;
    private final Identification identification;
    private final PersonRegistry registry;
    private final FtStore store;
    private final Clock clock;
    /** After an empty "rqth" disclosure for a person with a number: no rule; not asked again before this. */
    private volatile Instant rqthNoRuleUntil;
    static final java.time.Duration RULE_RECHECK = java.time.Duration.ofMinutes(10);

    PersonFlows(FranceTravailClient client, Identification identification, PersonRegistry registry, FtStore store,
            Clock clock) {
        this.client = client;
        this.identification = identification;
        this.registry = registry;
        this.store = store;
        this.clock = clock;
    }

    // ---- orientation --------------------------------------------------------------------------------

    String orientation(String personId, String parcours, String origine, Agent agent, String exchangeId)
            throws FtException, InterruptedException {
        requirePerson(personId);
        // Logged as a disclosure to France Travail for the purpose "orientation" (disclose.france-travail.orientation).
        registry.disclose(personId, Identification.PARTNER, ORIENTATION_PURPOSE, exchangeId);
        ObjectNode body = Json.MAPPER.createObjectNode().put("origine", origine).put("parcours", parcours).put("organisme", "CD");
        FranceTravailClient.Answer pushed = identification.withJeton(personId, exchangeId, agent, "the orientation",
                jeton -> client.write(FtSettings.ORIENTATION, "POST", FranceTravailClient.ORIENTATION, body, jeton, agent,
                        "orientation"));
        Optional<JsonNode> back = identification.withJeton(personId, exchangeId, agent, "lectureOrientation",
                jeton -> client.read(FtSettings.ORIENTATION, FranceTravailClient.LECTURE_ORIENTATION, jeton, agent,
                        "lectureOrientation"));
        Map<String, String> attributes = back.map(FtMapping::orientation).orElse(Map.of());
        String recorded = record(personId, exchangeId, attributes, null);
        String readBack = attributes.isEmpty() ? "nothing read back (204)"
                : "read back " + attributes.getOrDefault("orientation", "?") + " by "
                        + attributes.getOrDefault("orientation_organisme", "?") + " on "
                        + attributes.getOrDefault("orientation_date", "?");
        return "orientation " + parcours + " pushed to France Travail (HTTP " + pushed.status() + "), " + readBack + recorded;
    }

    // ---- refresh ------------------------------------------------------------------------------------

    /** Reads back registration status, administrative file, orientation and (when allowed) RQTH. */
    String refresh(String personId, Agent agent, String exchangeId) throws FtException, InterruptedException {
        if (registry.find(personId).isEmpty()) {
            store.forgetPerson(personId);
            return "person " + personId + " is no longer in the registry: nothing refreshed, France Travail rows removed";
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        List<String> read = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        String[] numero = {null};
        part(personId, exchangeId, agent, FtSettings.CONTRAT, FranceTravailClient.CONTRAT, "contrat", read, empty)
                .ifPresent(b -> attributes.putAll(FtMapping.contrat(b)));
        part(personId, exchangeId, agent, FtSettings.INFORMATIONS_ADMINISTRATIVES,
                FranceTravailClient.INFORMATIONS_ADMINISTRATIVES, "informations-administratives", read, empty)
                .ifPresent(b -> {
                    attributes.putAll(FtMapping.informationsAdministratives(b));
                    numero[0] = FtMapping.numero(b);
                });
        part(personId, exchangeId, agent, FtSettings.ORIENTATION, FranceTravailClient.LECTURE_ORIENTATION,
                "lectureOrientation", read, empty).ifPresent(b -> attributes.putAll(FtMapping.orientation(b)));
        String rqth;
        if (rqthAllowed(personId, exchangeId)) {
            Optional<JsonNode> r = part(personId, exchangeId, agent, FtSettings.RQTH, FranceTravailClient.RQTH, "rqth",
                    read, empty);
            r.ifPresent(b -> attributes.putAll(FtMapping.rqth(b)));
            rqth = r.isPresent() ? "; rqth recorded (special category, masked)" : "";
        } else {
            rqth = "; rqth not read (no rule disclose.france-travail.rqth)";
        }
        String recorded = record(personId, exchangeId, attributes, numero[0]);
        return "refreshed from France Travail: " + (read.isEmpty() ? "nothing" : String.join(", ", read))
                + (empty.isEmpty() ? "" : "; no data: " + String.join(", ", empty)) + rqth + recorded;
    }

    private Optional<JsonNode> part(String personId, String exchangeId, Agent agent, String call, String path, String what,
            List<String> read, List<String> empty) throws FtException, InterruptedException {
        Optional<JsonNode> b = identification.withJeton(personId, exchangeId, agent, what,
                jeton -> client.read(call, path, jeton, agent, what));
        (b.isPresent() ? read : empty).add(what);
        return b;
    }

    /**
     * RQTH is health-related (special category): read only when the disclosure rules give France Travail a
     * purpose "rqth" for this person (disclose.france-travail.rqth lists id.france-travail.numero).
     */
    private boolean rqthAllowed(String personId, String exchangeId) {
        if (identification.registryNumero(personId).isEmpty()) {
            return false; // nothing the rule could disclose; and nothing to log
        }
        Instant noRuleUntil = rqthNoRuleUntil;
        if (noRuleUntil != null && clock.instant().isBefore(noRuleUntil)) {
            return false;
        }
        boolean allowed = !registry.disclose(personId, Identification.PARTNER, RQTH_PURPOSE, exchangeId).isEmpty();
        // The person has a number, yet nothing was disclosed: there is no rule. Asked again in a while only, so
        // that a nightly batch does not log an empty disclosure per person.
        rqthNoRuleUntil = allowed ? null : clock.instant().plus(RULE_RECHECK);
        return allowed;
    }

    // ---- appointments -------------------------------------------------------------------------------

    /**
     * create: POST the appointment (the payload without personId, action, reference, agent); update: PUT with
     * France Travail's id; cancel: DELETE .../{id}. The id comes from the payload or from the department's
     * reference recorded at creation.
     */
    String rendezVous(String personId, String action, String reference, String id, ObjectNode fields, Agent agent,
            String exchangeId) throws FtException, InterruptedException {
        requirePerson(personId);
        registry.disclose(personId, Identification.PARTNER, RENDEZ_VOUS_PURPOSE, exchangeId);
        String ref = reference != null ? reference : id != null ? "ft-" + id : "ex-" + exchangeId;
        Instant now = clock.instant();
        String ftId = id;
        if (ftId == null && !"create".equals(action)) {
            ftId = store.rendezVous(ref).map(FtStore.RendezVous::ftId).orElseThrow(() -> new FtException(
                    FtException.Kind.INVALID, "unknown-appointment", "appointment " + reference
                            + " unknown: give France Travail's id, or the reference used at its creation"));
        }
        switch (action) {
            case "create" -> {
                FranceTravailClient.Answer a = identification.withJeton(personId, exchangeId, agent, "the appointment",
                        jeton -> client.write(FtSettings.RENDEZ_VOUS, "POST", FranceTravailClient.RENDEZ_VOUS, fields,
                                jeton, agent, "rendez-vous (create)"));
                String created = appointmentId(a.body());
                store.saveRendezVous(ref, personId, created, "CREATED", exchangeId, now);
                return "appointment created at France Travail (HTTP " + a.status() + ")"
                        + (created == null ? ", no id returned" : ", id " + created) + "; reference " + ref;
            }
            case "update" -> {
                ObjectNode body = fields.deepCopy();
                body.put("id", ftId);
                FranceTravailClient.Answer a = identification.withJeton(personId, exchangeId, agent, "the appointment",
                        jeton -> client.write(FtSettings.RENDEZ_VOUS, "PUT", FranceTravailClient.RENDEZ_VOUS, body, jeton,
                                agent, "rendez-vous (update)"));
                store.saveRendezVous(ref, personId, ftId, "UPDATED", exchangeId, now);
                return "appointment " + ftId + " updated at France Travail (HTTP " + a.status() + ")";
            }
            case "cancel" -> {
                String path = FranceTravailClient.RENDEZ_VOUS + "/" + URLEncoder.encode(ftId, StandardCharsets.UTF_8);
                FranceTravailClient.Answer a = identification.withJeton(personId, exchangeId, agent, "the cancellation",
                        jeton -> client.write(FtSettings.RENDEZ_VOUS, "DELETE", path, null, jeton, agent,
                                "rendez-vous (cancel)"));
                store.saveRendezVous(ref, personId, ftId, "CANCELLED", exchangeId, now);
                return "appointment " + ftId + " cancelled at France Travail (HTTP " + a.status() + ")";
            }
            default -> throw new FtException(FtException.Kind.INVALID, "action", "unknown appointment action " + action);
        }
    }

    // ---- registry -----------------------------------------------------------------------------------

    /**
     * Records attributes on the person with provenance france-travail. The observation is keyed by the person's
     * France Travail number, the identifier the registry matches on (CERTAIN).
     */
    private String record(String personId, String exchangeId, Map<String, String> attributes, String numeroSeen) {
        if (attributes.isEmpty()) {
            return "";
        }
        Optional<String> numero = identification.registryNumero(personId);
        if (numero.isEmpty()) {
            // Observing under an identifier the registry does not know would create a new person.
            LOG.warn("Person {}: France Travail answers not recorded, the registry holds no France Travail number for "
                    + "the person yet", personId);
            return "; not recorded in the registry: it holds no France Travail number for the person yet "
                    + "(identify the person again)";
        }
        if (numeroSeen != null && !numeroSeen.equals(numero.get())) {
            LOG.warn("Person {}: France Travail now answers another number than the one recorded", personId);
        }
        String key = numero.get();
        MatchResult r = registry.observe(new PersonObservation(Identification.PARTNER, exchangeId, clock.instant(), null,
                Map.of(Identification.NUMERO, key), attributes, null));
        if (!personId.equals(r.personId())) {
            LOG.warn("Person {}: France Travail answers recorded by the registry as {} on {}", personId, r.outcome(),
                    r.personId());
            return "; registry recorded them as " + r.outcome() + " on person " + r.personId() + " (check)";
        }
        return "; " + attributes.size() + " attributes recorded in the registry";
    }

    private void requirePerson(String personId) throws FtException {
        if (registry.find(personId).isEmpty()) {
            throw new FtException(FtException.Kind.INVALID, "unknown-person", "person " + personId
                    + " is not in the registry; nothing sent to France Travail");
        }
    }

    /** France Travail's id of a created appointment, under the names its versions use. */
    static String appointmentId(JsonNode body) {
        if (body == null) {
            return null;
        }
        for (String f : new String[] {"id", "idRendezVous", "identifiant", "idRdv"}) {
            if (body.hasNonNull(f) && !body.get(f).asText().isBlank()) {
                return body.get(f).asText();
            }
        }
        return null;
    }
}
