package fr.aisne.hub.connector.caf.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.caf.CafFluxException;
import fr.aisne.hub.connector.caf.CafFluxImporter;

/**
 * The delivery handler of flow caf/flux-rsa: imports a journaled CAF file with {@link CafFluxImporter}, streamed
 * from the hub's (encrypted) store. A bad file is a permanent failure (quarantined at once, replayable from the
 * journal after a settings change), with a reason file in the quarantine folder for operators who look there; a
 * failure of the hub's own storage is temporary (retried). Progress goes to the logs (every 10 s) and to the
 * connector's health.
 */
final class CafImport implements DeliveryHandler {
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
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        String name = d.correlationId();
        long[] lastLog = {System.nanoTime()};
        try {
            CafFluxImporter.Result result = importer.importFile(d::openPayload, d.size(), d.exchangeId(), name, p -> {
                current.set(p);
                if (System.nanoTime() - lastLog[0] > LOG_EVERY_NANOS) {
                    lastLog[0] = System.nanoTime();
                    LOG.info("{}", p.describe());
                }
            });
            String detail = result.describe();
            status.set("last file " + name + ": " + detail);
            LOG.info("{} imported: {}", name, detail);
            return DeliveryResult.delivered(detail);
        } catch (CafFluxException bad) {
            writeReason(d.exchangeId(), name, bad.getMessage());
            status.set("last file " + name + " rejected: " + bad.rule());
            throw DeliveryFailure.permanent(bad.getMessage());
        } catch (Exception e) {
            status.set("last file " + name + ": import interrupted, retried: " + Redaction.describe(e));
            throw DeliveryFailure.temporary("import of " + name + " interrupted: " + Redaction.describe(e), e);
        } finally {
            current.set(null);
        }
    }

    /**
     * The reason, where operators of the folder look for it. The file itself stays only in the hub's encrypted
     * store (a clear copy here would hold NIRs); replay it from the journal.
     */
    private void writeReason(String exchangeId, String name, String reason) {
        try {
            OwnerOnly.privateDirectory(quarantine);
            String base = exchangeId + "-" + (name == null ? "flux.xml" : name.replaceAll("[^A-Za-z0-9._-]", "_"));
            OwnerOnly.writeString(quarantine.resolve(base + ".reason.txt"), reason + "\nexchange " + exchangeId
                    + " (replay it with POST /hub/api/messages/" + exchangeId + "/replay once the cause is fixed)\n");
        } catch (IOException io) {
            LOG.warn("Quarantine reason of exchange {} not written: {}", exchangeId, io.getMessage());
        }
    }
}
