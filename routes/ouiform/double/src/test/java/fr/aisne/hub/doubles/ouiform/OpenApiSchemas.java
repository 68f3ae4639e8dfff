package fr.aisne.hub.doubles.ouiform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;

/** The JSON schemas of docs/contracts/ouiform/ouiform-v1.openapi.yaml (OpenAPI 3.0 dialect), by component name. */
final class OpenApiSchemas {
    static final Path CONTRACT_DIR = Path.of(System.getProperty("ouiform.contract.dir", "../../../docs/contracts/ouiform"));
    static final Path OPENAPI = CONTRACT_DIR.resolve("ouiform-v1.openapi.yaml");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private OpenApiSchemas() {
    }

    static JsonSchema schema(String component) {
        return CACHE.computeIfAbsent(component, c -> FACTORY.getSchema(
                SchemaLocation.of(OPENAPI.toAbsolutePath().toUri() + "#/components/schemas/" + c), CONFIG));
    }

    /** The problems of {@code json} against component {@code component}; empty when valid. */
    static Set<String> problems(String component, JsonNode json) {
        Set<ValidationMessage> messages = schema(component).validate(json);
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
