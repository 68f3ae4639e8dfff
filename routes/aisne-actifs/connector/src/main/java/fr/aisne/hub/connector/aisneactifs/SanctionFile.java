package fr.aisne.hub.connector.aisneactifs;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Delivers a sanction request to the CAF as a file (format: docs/contracts/aisne-actifs/v1/caf-demande-sanction.md):
 * {@code DEMSANC_002_<yyyyMMddHHmmss>_<exchange>.csv}, windows-1252, ';' separated, a header, one request, a
 * trailer with the count; written whole then moved into the outbox the CAF's file exchange takes (never seen half
 * written). The person's CAF household and identity come from the registry through the disclosure rule
 * {@code disclose.caf.sanction} (logged); a person without a CAF household cannot be sanctioned by the CAF: refused
 * (quarantined) with that reason. The same exchange delivered twice writes one file.
 */
final class SanctionFile implements DeliveryHandler {
    static final String PURPOSE = "sanction";
    static final Charset CP1252 = Charset.forName("windows-1252");
    static final String HEADER = "IDEPARTE;NUMORG;MATRICULE;ROLEPERS;NOMNAI;NOMUSA;PRENOM;DTNAI;MOTIF;DTCONSTAT;DTDEMANDE;"
            + "REFERENT;REFERENCE";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final PersonRegistry registry;
    private final Path outbox;
    private final Clock clock;

    SanctionFile(PersonRegistry registry, Path outbox, Clock clock) {
        this.registry = registry;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) throws DeliveryFailure {
        try {
            JsonNode r = Json.readPayload(delivery.openPayload(), "the sanction request");
            String exchange = delivery.exchangeId();
            String key = exchange.replaceAll("[^A-Za-z0-9]", "");
            Files.createDirectories(outbox);
            try (var existing = Files.list(outbox)) {
                Path done = existing.filter(p -> p.getFileName().toString().endsWith("_" + key + ".csv")).findFirst()
                        .orElse(null);
                if (done != null) {
                    return DeliveryResult.delivered("sanction file " + done.getFileName() + " already written");
                }
            }
            String personId = r.path("personId").asText();
            Map<String, Object> f = registry.disclose(personId, "caf", PURPOSE, exchange);
            Object hh = f.get("household");
            if (!(hh instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Map<?, ?> h)) {
                throw DeliveryFailure.permanent("person " + personId + " has no CAF household in the registry (or no rule "
                        + "disclose.caf.sanction gives it): the CAF cannot act on this sanction request");
            }
            List<String> row = new ArrayList<>(List.of("002", str(h.get("numorg")), str(h.get("matricule")),
                    str(h.get("role")), str(f.get("nom_naissance")), str(f.get("nom_usage")), str(f.get("prenom")),
                    str(f.get("date_naissance")), r.path("motif").asText(), r.path("dateConstat").asText(),
                    r.path("demandeLe").asText(), r.path("referentId").asText(), r.path("decisionId").asText()));
            String name = "DEMSANC_002_" + STAMP.format(clock.instant().atZone(ZoneId.of("Europe/Paris"))) + "_" + key
                    + ".csv";
            Path tmp = outbox.resolve("." + name + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, CP1252)) {
                w.write(HEADER + "\r\n");
                w.write(String.join(";", row.stream().map(SanctionFile::field).toList()) + "\r\n");
                w.write("FIN;1\r\n");
            }
            try {
                Files.move(tmp, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, outbox.resolve(name));
            }
            return DeliveryResult.delivered("sanction file " + name + " written for the CAF (household "
                    + str(h.get("numorg")) + "/" + str(h.get("matricule")) + ")");
        } catch (ValidationException e) {
            throw DeliveryFailure.permanent(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw DeliveryFailure.permanent("the person of this sanction request is no longer in the registry");
        } catch (IOException e) {
            throw DeliveryFailure.temporary("sanction file not written: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** No separator, quote or line break inside a field; characters windows-1252 lacks become '?'. */
    static String field(String v) {
        return v.replaceAll("[;\"\\r\\n]", " ").strip();
    }
}
