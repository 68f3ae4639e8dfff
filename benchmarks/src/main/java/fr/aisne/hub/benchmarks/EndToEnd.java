package fr.aisne.hub.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.connector.caf.CafFluxImporter;
import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.connector.caf.CafHouseholdStates;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;
import fr.aisne.hub.registry.internal.RegistryFactory;

/**
 * The CAF import as the connector runs it ({@link CafFluxImporter}: one validating pass, then the new and changed
 * households recorded in the registry in batches, with their department events serialised as the journaled
 * batch would be and appended to the event feed), on a fresh embedded Derby. What is left out: the journal
 * write and the AMQP hop of the file and of each event batch (measured by the platform figures).
 */
final class EndToEnd implements AutoCloseable {
    private final HubDatabase db;
    private final CafFluxImporter importer;
    private final DepartmentEvents feed;

    EndToEnd(Path workDir, CafFluxReader reader, int batchHouseholds) throws Exception {
        EndToEnd.emptyDirectory(workDir);
        Files.createDirectories(workDir.resolve("etc"));
        db = HubDatabase.embeddedDerby(workDir.resolve("db").toString());
        PersonRegistry registry = RegistryFactory.create(db.dataSource(), workDir.resolve("etc"), Map.of(), id -> { });
        feed = RegistryFactory.events(db.dataSource());
        int[] batch = {0};
        importer = new CafFluxImporter(reader, registry, new CafHouseholdStates(fr.aisne.hub.api.SchemaMigrations.database(db.dataSource())), (key, events) -> {
            String json = Json.write(events);
            feed.publish("bench-" + batch[0]++, Json.MAPPER.readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<List<DepartmentEvent>>() { }));
        }, workDir.resolve("spool"), true, batchHouseholds);
    }

    /** Deletes what an earlier run left in a benchmark's work directory. */
    static void emptyDirectory(Path workDir) throws java.io.IOException {
        if (Files.exists(workDir)) {
            try (var walk = Files.walk(workDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    CafFluxImporter.Result importFile(Path file, String exchangeId) throws Exception {
        return importer.importFile(file, exchangeId, file.getFileName().toString(), p -> { });
    }

    long events() {
        return feed.lastSeq();
    }

    @Override
    public void close() {
        db.close();
    }
}
