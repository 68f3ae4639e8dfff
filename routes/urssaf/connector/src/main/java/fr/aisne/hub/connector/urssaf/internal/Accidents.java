package fr.aisne.hub.connector.urssaf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.PayloadValidator;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConvention;
import fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions;

/**
 * Accidents during an immersion ({@code POST /hub/in/departement/accidents-pmsmp}): the body
 * {@code {convention, dateHeure, lieu, circonstances, connuLe?}} checked on receipt; the delivery finds the convention,
 * computes the deadline of the declaration to the CPAM (48 hours from {@code connuLe}, Sundays and public holidays not
 * counted: {@link AccidentDeadline}) and keeps the declaration's data until an operator says it was transmitted.
 * Times without an offset are read in the settings' zone (Europe/Paris).
 */
final class Accidents implements DeliveryHandler, PayloadValidator {

    /** An accident declaration as kept. */
    record Accident(String id, String conventionKey, String reference, String personId, String hostSiret, String hostName,
            Instant occurredAt, String place, String circumstances, Instant learnedAt, Instant deadline, Instant receivedAt,
            Instant transmittedAt, String transmittedBy) {
        /** A_TRANSMETTRE, BIENTOT_ECHUE (within the warning), EN_RETARD, TRANSMISE. */
        String state(Instant now, Duration warning) {
            if (transmittedAt != null) {
                return "TRANSMISE";
            }
            if (now.isAfter(deadline)) {
                return "EN_RETARD";
            }
            return now.plus(warning).isAfter(deadline) ? "BIENTOT_ECHUE" : "A_TRANSMETTRE";
        }
    }

    private final Jdbc jdbc;
    private final Supplier<PmsmpConventions> conventions;
    private final ZoneId zone;
    private final Clock clock;

    Accidents(Jdbc jdbc, Supplier<PmsmpConventions> conventions, ZoneId zone, Clock clock) {
        this.jdbc = jdbc;
        this.conventions = conventions;
        this.zone = zone;
        this.clock = clock;
    }

    @Override
    public void validate(InputStream payload) throws ValidationException, IOException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(payload.readNBytes(65_537));
        } catch (JsonProcessingException e) {
            throw new ValidationException("JSON mal formé", e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? -1 : e.getLocation().getColumnNr());
        } catch (java.io.CharConversionException e) {
            // octets indécodables : une CharConversionException de Jackson (IOException), la faute du corps (benchmarks/fuzz)
            throw new ValidationException("texte JSON en UTF-8 attendu");
        }
        if (n == null || !n.isObject()) {
            throw new ValidationException("un objet JSON est attendu");
        }
        text(n, "convention", 64);
        time(n, "dateHeure", true);
        text(n, "lieu", 500);
        text(n, "circonstances", 4000);
        time(n, "connuLe", false);
        for (var it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!List.of("convention", "dateHeure", "lieu", "circonstances", "connuLe").contains(f)) {
                throw new ValidationException("champ inconnu : " + f);
            }
        }
        Instant occurred = time(n, "dateHeure", true);
        Instant learned = time(n, "connuLe", false);
        if (learned != null && learned.isBefore(occurred)) {
            throw new ValidationException("connuLe précède dateHeure");
        }
    }

    private static String text(JsonNode n, String field, int max) throws ValidationException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ValidationException("champ " + field + " : texte non vide attendu");
        }
        if (v.asText().length() > max) {
            throw new ValidationException("champ " + field + " : " + max + " caractères au plus");
        }
        return v.asText().strip();
    }

    private Instant time(JsonNode n, String field, boolean required) throws ValidationException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ValidationException("champ " + field + " : date et heure attendues");
            }
            return null;
        }
        Instant t = parseTime(v.asText(), zone);
        if (t == null) {
            throw new ValidationException("champ " + field + " : date et heure ISO 8601 attendues (2026-03-02T14:30 ou "
                    + "2026-03-02T14:30:00+01:00)");
        }
        return t;
    }

    static Instant parseTime(String s, ZoneId zone) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(s).atZone(zone).toInstant();
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) throws DeliveryFailure {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(delivery.payloadText());
        } catch (IOException e) {
            throw DeliveryFailure.permanent("déclaration d'accident illisible");
        }
        PmsmpConventions source = conventions.get();
        if (source == null) {
            throw DeliveryFailure.temporary("conventions PMSMP indisponibles (connecteur Immersion Facilitée absent)");
        }
        String key = n.path("convention").asText().strip();
        Optional<PmsmpConvention> found = source.find(key);
        if (found.isEmpty()) {
            found = source.find("cd-" + key);
        }
        PmsmpConvention c = found.orElseThrow(() -> DeliveryFailure.permanent("convention inconnue du hub : " + key));
        if (!c.validated()) {
            throw DeliveryFailure.permanent("la convention " + c.reference() + " n'est pas une immersion validée du "
                    + "département (statut " + c.status() + ")");
        }
        Instant occurred = parseTime(n.path("dateHeure").asText(), zone);
        Instant learned = n.hasNonNull("connuLe") ? parseTime(n.path("connuLe").asText(), zone) : clock.instant();
        Instant deadline = AccidentDeadline.deadline(learned, zone);
        boolean inserted = jdbc.insertIfAbsent("INSERT INTO urssaf_accident (id, conv_key, reference, person_id, host_siret, "
                + "host_name, occurred_at, place, circumstances, learned_at, deadline, received_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", delivery.exchangeId(), c.key(), c.reference(), c.personId(),
                c.hostSiret(), c.hostName(), occurred, n.path("lieu").asText().strip(),
                n.path("circonstances").asText().strip(), learned, deadline, clock.instant());
        return DeliveryResult.delivered((inserted ? "" : "(déjà enregistrée) ") + "accident sur la convention "
                + c.reference() + " : déclaration à la CPAM avant le " + deadline.atZone(zone).toLocalDateTime());
    }

    List<Accident> all() {
        return jdbc.query("SELECT * FROM urssaf_accident ORDER BY deadline", Accidents::row);
    }

    Optional<Accident> find(String id) {
        return jdbc.one("SELECT * FROM urssaf_accident WHERE id = ?", Accidents::row, id);
    }

    boolean transmitted(String id, String by) {
        return jdbc.update("UPDATE urssaf_accident SET transmitted_at = ?, transmitted_by = ? WHERE id = ? AND "
                + "transmitted_at IS NULL", clock.instant(), by, id) == 1;
    }

    /** Counts by state, for health and the operations API. */
    Map<String, Integer> counts(Duration warning) {
        Map<String, Integer> m = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (Accident a : jdbc.query("SELECT * FROM urssaf_accident WHERE transmitted_at IS NULL", Accidents::row)) {
            m.merge(a.state(now, warning), 1, Integer::sum);
        }
        return m;
    }

    /** The declaration's data for the CPAM, and where it stands (French field names, the operators'). */
    Map<String, Object> view(Accident a, Duration warning) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("etat", a.state(clock.instant(), warning));
        m.put("echeance", a.deadline().atZone(zone).toOffsetDateTime().toString());
        m.put("connuLe", a.learnedAt().atZone(zone).toOffsetDateTime().toString());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("employeur", "Département de l'Aisne (prescripteur de la PMSMP)");
        d.put("convention", a.reference());
        d.put("personne", a.personId());
        d.put("siretAccueil", a.hostSiret());
        d.put("structureAccueil", a.hostName());
        d.put("dateHeure", a.occurredAt().atZone(zone).toOffsetDateTime().toString());
        d.put("lieu", a.place());
        d.put("circonstances", a.circumstances());
        m.put("declaration", d);
        if (a.transmittedAt() != null) {
            m.put("transmiseLe", a.transmittedAt().toString());
            m.put("transmisePar", a.transmittedBy());
        }
        return m;
    }

    private static Accident row(ResultSet rs) throws SQLException {
        return new Accident(rs.getString("id"), rs.getString("conv_key"), rs.getString("reference"),
                rs.getString("person_id"), rs.getString("host_siret"), rs.getString("host_name"),
                Jdbc.instant(rs, "occurred_at"), rs.getString("place"), rs.getString("circumstances"),
                Jdbc.instant(rs, "learned_at"), Jdbc.instant(rs, "deadline"), Jdbc.instant(rs, "received_at"),
                Jdbc.instant(rs, "transmitted_at"), rs.getString("transmitted_by"));
    }
}
