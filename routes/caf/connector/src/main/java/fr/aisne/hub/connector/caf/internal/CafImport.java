package fr.aisne.hub.connector.caf.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.connector.caf.CafFluxException;
import fr.aisne.hub.connector.caf.CafFluxImporter;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.spi.ValidationException;

/**
 * Delivers a journaled CAF file to {@link CafFluxImporter}. A bad file is copied to the quarantine folder with
 * its reason next to it, and the exchange is quarantined at once (ValidationException: no retry). Progress goes
 * to the logs (every 10 s) and to the connector's health, which the operations API and hub:connectors show.
 */
final class CafImport implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(CafImport.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final CafFluxImporter importer;
    private final Path quarantine;
    private final AtomicReference<String> status = new AtomicReference<>("idle");
    private final AtomicReference<CafFluxImporter.Progress> current = new AtomicReference<>();

    CafImport(CafFluxImporter importer, Path quarantine) {
        this.importer = importer;
        this.quarantine = quarantine;
    }

    /** The import under way, or the outcome of the last one. */
    String status() {
        CafFluxImporter.Progress p = current.get();
        return p != null ? p.describe() : status.get();
    }

    /** The import under way, if any. */
    CafFluxImporter.Progress progress() {
        return current.get();
    }

    @Override
    public void process(Exchange e) throws Exception {
        File payload = e.getMessage().getBody(File.class);
        String exchangeId = e.getMessage().getHeader(DeliveryHeaders.EXCHANGE_ID, String.class);
        String name = e.getMessage().getHeader(DeliveryHeaders.CORRELATION_ID, String.class);
        long[] lastLog = {System.nanoTime()};
        try {
            CafFluxImporter.Result result = importer.importFile(payload.toPath(), exchangeId, name, p -> {
                current.set(p);
                if (System.nanoTime() - lastLog[0] > LOG_EVERY_NANOS) {
                    lastLog[0] = System.nanoTime();
                    LOG.info("{}", p.describe());
                }
            });
            String detail = result.describe();
            status.set("last file " + name + ": " + detail);
            LOG.info("{} imported: {}", name, detail);
            e.getMessage().setHeader(DeliveryHeaders.DETAIL, detail);
        } catch (CafFluxException bad) {
            quarantineCopy(payload.toPath(), exchangeId, name, bad.getMessage());
            status.set("last file " + name + " rejected: " + bad.rule());
            throw new ValidationException(bad.getMessage());
        } finally {
            current.set(null);
        }
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
