package fr.aisne.hub.connector.caf.internal;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.connector.caf.CafFlux;
import fr.aisne.hub.connector.caf.CafFluxException;
import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.connector.caf.CafObservations;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.spi.ValidationException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * Imports one journaled CAF file into the registry. First pass: the whole file is validated (schema,
 * totals, emitting application) without touching anything, so nothing of a bad file reaches the registry;
 * a bad file is copied to the quarantine folder with its reason and the exchange is quarantined at once.
 * Second pass: households are mapped and recorded, with progress in the logs and the connector's health.
 * Both passes stream: memory does not grow with the file.
 */
final class CafImport implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(CafImport.class);
    private static final int PROGRESS_EVERY = 1000;
    private static final int BATCH_HOUSEHOLDS = 200;

    private final CafFluxReader reader;
    private final PersonRegistry registry;
    private final Path quarantine;
    private final AtomicReference<String> progress = new AtomicReference<>("idle");

    CafImport(CafFluxReader reader, PersonRegistry registry, Path quarantine) {
        this.reader = reader;
        this.registry = registry;
        this.quarantine = quarantine;
    }

    String progress() {
        return progress.get();
    }

    @Override
    public void process(Exchange e) throws Exception {
        File payload = e.getMessage().getBody(File.class);
        String exchangeId = e.getMessage().getHeader(DeliveryHeaders.EXCHANGE_ID, String.class);
        String name = e.getMessage().getHeader(DeliveryHeaders.CORRELATION_ID, String.class);
        CafFlux.Summary checked;
        try (InputStream in = open(payload)) {
            checked = reader.read(in, name, h -> { });
        } catch (CafFluxException bad) {
            quarantineCopy(payload.toPath(), exchangeId, name, bad.getMessage());
            progress.set("last file " + name + " rejected: " + bad.rule());
            throw new ValidationException(bad.getMessage());
        }
        Map<MatchResult.Outcome, Integer> outcomes = new EnumMap<>(MatchResult.Outcome.class);
        long t0 = System.nanoTime();
        int[] done = {0};
        Instant observedAt = Instant.now();
        int total = checked.households();
        CafFlux.Summary imported;
        List<PersonObservation> batch = new ArrayList<>(BATCH_HOUSEHOLDS * 3);
        try (InputStream in = open(payload)) {
            imported = reader.read(in, name, h -> {
                batch.addAll(CafObservations.of(h, exchangeId, observedAt));
                if (++done[0] % BATCH_HOUSEHOLDS == 0) {
                    record(batch, outcomes);
                }
                if (done[0] % PROGRESS_EVERY == 0 || done[0] == total) {
                    report(name, done[0], total, t0);
                }
            });
        }
        record(batch, outcomes);
        String detail = String.format("CAF flux %s of %s: %d households, %d persons recorded (known %d, new %d, "
                + "probable %d)", imported.header().typeflux(), imported.header().dtref(), imported.households(),
                imported.persons(), outcomes.getOrDefault(MatchResult.Outcome.CERTAIN, 0),
                outcomes.getOrDefault(MatchResult.Outcome.ABSENT, 0), outcomes.getOrDefault(MatchResult.Outcome.PROBABLE, 0));
        progress.set("last file " + name + ": " + detail);
        LOG.info("{} imported: {}", name, detail);
        e.getMessage().setHeader(DeliveryHeaders.DETAIL, detail);
    }

    /** One registry transaction per batch of households. */
    private void record(List<PersonObservation> batch, Map<MatchResult.Outcome, Integer> outcomes) {
        if (!batch.isEmpty()) {
            for (MatchResult r : registry.observeAll(batch)) {
                outcomes.merge(r.outcome(), 1, Integer::sum);
            }
            batch.clear();
        }
    }

    private void report(String name, int done, int total, long t0) {
        double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        double rate = done / seconds;
        long eta = Math.round((total - done) / Math.max(rate, 1e-3));
        String p = String.format("importing %s: %d/%d households, %.0f/s, ETA %d s", name, done, total, rate, eta);
        progress.set(p);
        LOG.info(p);
    }

    private static InputStream open(File f) throws IOException {
        return new BufferedInputStream(Files.newInputStream(f.toPath()), 1 << 16);
    }

    private void quarantineCopy(Path payload, String exchangeId, String name, String reason) {
        try {
            Files.createDirectories(quarantine);
            String base = exchangeId + "-" + (name == null ? "flux.xml" : name.replaceAll("[^A-Za-z0-9._-]", "_"));
            Files.copy(payload, quarantine.resolve(base), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(quarantine.resolve(base + ".reason.txt"), reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException io) {
            LOG.warn("Quarantine copy of exchange {} failed: {}", exchangeId, io.getMessage());
        }
    }
}
