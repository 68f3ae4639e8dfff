package fr.aisne.hub.connector.dora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;

/** Items and offers the tests share: valid by default, each test breaks one thing. */
final class TestItems {
    /** 2026-03-16 in Paris: after every date of the fixtures. */
    static final Instant NOW = Instant.parse("2026-03-16T09:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2026, 3, 16);
    /** One instance for the whole test run: building the JSON Schemas takes a moment. */
    static final SchemaV1 V1 = new SchemaV1();

    private TestItems() {
    }

    static ObjectNode structure(String id) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("source", "dora");
        s.put("id", id);
        s.put("nom", "Centre communal d'action sociale de Laon");
        s.put("date_maj", "2025-11-03");
        s.put("code_insee", "02408");
        s.put("commune", "Laon");
        s.put("siret", "21020408100014");
        return s;
    }

    static ObjectNode service(String id, String structureId) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("source", "dora");
        s.put("structure_id", structureId);
        s.put("id", id);
        s.put("nom", "Aide alimentaire");
        s.put("description", "Colis alimentaires chaque semaine, sur rendez-vous.");
        s.put("date_maj", "2025-12-01");
        s.put("type", "aide-materielle");
        s.putArray("thematiques").add("equipement-et-alimentation--alimentation");
        s.putArray("publics").add("familles").add("beneficiaires-des-minimas-sociaux");
        s.put("frais", "gratuit");
        s.putArray("modes_accueil").add("en-presentiel");
        s.put("code_insee", "02408");
        s.put("commune", "Laon");
        return s;
    }

    /** The example offer of routes/dora/offre-exemple.json (README, demo and integration test use it too). */
    static ObjectNode exampleOffer() {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(Path.of("../offre-exemple.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
