package fr.aisne.hub.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.aisne.hub.api.Json;

/** Connectors' documents are merged into the department's OpenAPI document, never over what is there. */
public class OpenApiDocumentTest {
    private static final String BASE = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"hub\"},"
            + "\"paths\":{\"/departement/persons\":{\"get\":{}}},"
            + "\"components\":{\"schemas\":{\"Person\":{\"type\":\"object\"}}}}";

    @Test
    public void pathsAndComponentsOfEachConnectorAreAddedAndAClashIsLeftOut() throws Exception {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put("immersion", "{\"paths\":{\"/in/departement/immersions\":{\"post\":{}},"
                + "\"/departement/persons\":{\"delete\":{}}},"
                + "\"components\":{\"schemas\":{\"ImmersionConvention\":{\"type\":\"object\"},\"Person\":{}},"
                + "\"securitySchemes\":{\"basic\":{\"type\":\"http\"}}}}");
        docs.put("broken", "not json");
        JsonNode merged = Json.MAPPER.readTree(OpenApiDocument.merged(BASE, docs));
        assertTrue(merged.path("paths").has("/in/departement/immersions"));
        assertTrue("the registry's own path is kept as it was", merged.path("paths").path("/departement/persons")
                .has("get"));
        assertEquals(1, merged.path("paths").path("/departement/persons").size());
        assertTrue(merged.path("components").path("schemas").has("ImmersionConvention"));
        assertEquals("object", merged.path("components").path("schemas").path("Person").path("type").asText());
        assertTrue(merged.path("components").path("securitySchemes").has("basic"));
        assertEquals("hub", merged.path("info").path("title").asText());
    }
}
