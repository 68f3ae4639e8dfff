package fr.aisne.hub.connector.ouiform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Delivery;
import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.DeliveryResult;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.connector.ouiform.lheo.LheoException;
import fr.aisne.hub.connector.ouiform.lheo.LheoReader;
import fr.aisne.hub.connector.ouiform.lheo.PublicationJson;

/**
 * The delivery of flow {@code ouiform/catalogue}: a publication of the regional catalogue (the Carif-Oref's weekly
 * LHEO 2.3 file dropped in the inbox, or publierSessions over SOAP or REST), streamed twice from the hub's store with
 * constant memory: first read and checked whole (LHEO 2.3 schema, the 2.2 refusal, the JSON mapping's rules), so that
 * a bad document changes nothing; then its sessions written in batches. A complete publication (the weekly file,
 * {@code complet = true}) withdraws the sessions it no longer holds. A refused document is quarantined with its
 * reason (line, column, rule), replayable.
 */
final class CatalogueImport implements DeliveryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogueImport.class);
    /** Carried by the content type of a publication: {@code application/xml; complet=false}. */
    static final String COMPLET = "complet";

    private final LheoReader reader;
    private final CatalogueStore store;
    private final AtomicReference<String> status = new AtomicReference<>("no publication imported since the start");

    CatalogueImport(LheoReader reader, CatalogueStore store) {
        this.reader = reader;
        this.store = store;
    }

    String status() {
        return status.get();
    }

    /** The content type a publication is journaled with. */
    static String contentType(boolean json, boolean complet) {
        return (json ? "application/json" : "application/xml") + "; " + COMPLET + "=" + complet;
    }

    static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    }

    static boolean complet(String contentType) {
        return contentType == null || !contentType.replace(" ", "").contains(COMPLET + "=false");
    }

    @Override
    public DeliveryResult deliver(Delivery d) throws DeliveryFailure {
        boolean json = isJson(d.contentType());
        String id = d.partnerMessageId() != null ? d.partnerMessageId() : d.correlationId();
        long t0 = System.nanoTime();
        LheoReader.Summary summary;
        boolean complet;
        try (InputStream in = d.openPayload()) {
            if (json) {
                PublicationJson.Publication p = PublicationJson.read(in, s -> { });
                summary = p.summary();
                complet = p.complet();
            } else {
                summary = reader.check(in);
                complet = complet(d.contentType());
            }
        } catch (LheoException e) {
            status.set("last publication " + id + " refused: " + e.reason());
            throw DeliveryFailure.permanent(e.reason());
        } catch (IOException e) {
            throw DeliveryFailure.temporary("the stored publication could not be read: " + Redaction.describe(e));
        }
        CatalogueStore.Import imp = store.begin(d.exchangeId());
        try (InputStream in = d.openPayload()) {
            if (json) {
                PublicationJson.read(in, imp::add);
            } else {
                reader.read(in, imp::add);
            }
        } catch (LheoException e) {
            throw DeliveryFailure.permanent("read differently the second time: " + e.reason());
        } catch (IOException e) {
            throw DeliveryFailure.temporary("the stored publication could not be read: " + Redaction.describe(e));
        }
        CatalogueStore.Imported done = imp.finish(id, d.sender(), complet, summary);
        long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        String detail = "publication " + id + (complet ? " (complete)" : " (partial)") + ": " + summary.describe() + "; "
                + done.describe() + "; " + ms + " ms (" + summary.sessions() * 1000 / ms + " sessions/s)";
        status.set("last publication: " + detail);
        LOG.info("OuiForm catalogue {}", detail);
        return DeliveryResult.delivered(detail);
    }
}
