package fr.aisne.hub.registry.internal;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.aisne.hub.api.Json;

/**
 * The hub's department-facing OpenAPI document: the registry's own ({@code /openapi/departement.json}) with the
 * paths and components each installed connector describes ({@code ConnectorContext.describeApi}) merged in. An
 * entry that clashes with one already there is left out and logged, never overwritten; a document that is not JSON
 * is left out whole.
 */
final class OpenApiDocument {
    private static final Logger LOG = LoggerFactory.getLogger(OpenApiDocument.class);

    private OpenApiDocument() {
    }

    static String merged(String base, Map<String, String> connectorDocuments) throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(base);
        for (Map.Entry<String, String> c : connectorDocuments.entrySet()) {
            JsonNode fragment;
            try {
                fragment = Json.MAPPER.readTree(c.getValue());
            } catch (IOException e) {
                LOG.warn("OpenAPI document of connector {} is not JSON: left out", c.getKey());
                continue;
            }
            mergeChildren(doc.with("paths"), fragment.path("paths"), c.getKey(), "path");
            JsonNode components = fragment.path("components");
            for (Iterator<String> kinds = components.fieldNames(); kinds.hasNext();) {
                String kind = kinds.next();
                mergeChildren(doc.with("components").with(kind), components.get(kind), c.getKey(), kind);
            }
        }
        return Json.MAPPER.writeValueAsString(doc);
    }

    private static void mergeChildren(ObjectNode into, JsonNode from, String connector, String what) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (into.has(e.getKey())) {
                LOG.warn("OpenAPI {} {} of connector {} clashes with one already documented: left out", what,
                        e.getKey(), connector);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }
}
