package fr.aisne.hub.connector.dora;

import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;

/**
 * The connector's part of the hub's OpenAPI document ({@code /hub/api/openapi.json}): its endpoints
 * ({@code openapi.json}) with the offer's JSON Schema ({@code offre.schema.json}, the very one the intake validates
 * with) as component {@code doraOffre}. The offer schema is written in the subset OpenAPI 3.0 and JSON Schema 2020-12
 * share (no type lists, no {@code const}, no {@code $defs}).
 */
final class ApiDocument {
    private ApiDocument() {
    }

    static String json() {
        ObjectNode doc = (ObjectNode) JsonSchemas.resource("openapi.json");
        ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
        schemas.set("doraOffre", JsonSchemas.resource("offre.schema.json"));
        return Json.write(doc);
    }
}
