package fr.aisne.hub.benchmarks;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.connector.caf.CafObservations;
import fr.aisne.hub.core.db.HubDatabase;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;
import fr.aisne.hub.registry.internal.RegistryFactory;

/** The CAF import as the connector runs it (validation pass, then mapping into the registry), on a fresh Derby. */
final class EndToEnd {
    private static final int BATCH_HOUSEHOLDS = 200;

    private EndToEnd() {
    }

    static int importInto(Path workDir, Path file, CafFluxReader reader) throws Exception {
        if (Files.exists(workDir)) {
            try (var walk = Files.walk(workDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(workDir.resolve("etc"));
        try (HubDatabase db = HubDatabase.embeddedDerby(workDir.resolve("db").toString())) {
            PersonRegistry registry = RegistryFactory.create(db.dataSource(), workDir.resolve("etc"), Map.of(), id -> { });
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                reader.read(in, file.getFileName().toString(), h -> { });
            }
            List<PersonObservation> batch = new ArrayList<>();
            int[] persons = {0};
            int[] households = {0};
            Instant now = Instant.now();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                reader.read(in, file.getFileName().toString(), h -> {
                    batch.addAll(CafObservations.of(h, "bench", now));
                    if (++households[0] % BATCH_HOUSEHOLDS == 0) {
                        persons[0] += registry.observeAll(batch).size();
                        batch.clear();
                    }
                });
            }
            persons[0] += registry.observeAll(batch).size();
            return persons[0];
        }
    }
}
