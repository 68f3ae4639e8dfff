package fr.aisne.hub.doubles.dora;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/**
 * The schema and API description embedded in the bundle are the shared specifications' (schema v1.0.8), unchanged.
 * Skipped where the shared specifications are not beside the repository.
 */
public class SpecsCopyTest {

    @Test
    public void theEmbeddedCopiesAreTheSharedSpecifications() throws Exception {
        Path specs = Path.of(System.getProperty("dora.specs.dir", "../../../../shared/specs/dora-data-inclusion"));
        assumeTrue("shared specs not found at " + specs.toAbsolutePath(), Files.isDirectory(specs));
        List<String> files = List.of("schemas/v1/structure.json", "schemas/v1/service.json",
                "schemas/v1/extra/frais.json", "schemas/v1/extra/modes-accueil.json",
                "schemas/v1/extra/modes-mobilisation.json", "schemas/v1/extra/personnes-mobilisatrices.json",
                "schemas/v1/extra/publics.json", "schemas/v1/extra/reseaux-porteurs.json",
                "schemas/v1/extra/thematiques.json", "schemas/v1/extra/types-de-services.json",
                "schemas/v1/extra/typologies-de-services.json", "data-inclusion-api.openapi.json");
        for (String f : files) {
            String embedded = f.startsWith("schemas/") ? "schema/" + f.substring("schemas/".length()) : f;
            assertArrayEquals(f, Files.readAllBytes(specs.resolve(f)), Vocabulary.bytes(embedded));
        }
    }
}
