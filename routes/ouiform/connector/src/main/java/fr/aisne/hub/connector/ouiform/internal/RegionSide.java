package fr.aisne.hub.connector.ouiform.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.InboundMetadata;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Intake;
import fr.aisne.hub.api.Json;
import fr.aisne.hub.connector.ouiform.contract.CodeErreur;
import fr.aisne.hub.connector.ouiform.contract.Messages.EvenementStatut;
import fr.aisne.hub.connector.ouiform.contract.Messages.NotifierStatutReponse;
import fr.aisne.hub.connector.ouiform.contract.Messages.PublierSessionsReponse;
import fr.aisne.hub.connector.ouiform.contract.Refus;
import fr.aisne.hub.connector.ouiform.lheo.LheoException;
import fr.aisne.hub.connector.ouiform.lheo.LheoReader;
import fr.aisne.hub.connector.ouiform.lheo.PublicationJson;

/**
 * The hub's side of the contract (port type HubOuiForm), whatever the binding: {@code notifierStatut} and
 * {@code publierSessions}, called by the SOAP endpoint and the REST routes with a message already read. Every call is
 * a journaled exchange: a message the contract accepts is handed to the intake (flows {@code ouiform/statuts} and
 * {@code ouiform/catalogue}: journal, duplicates, durable queue), a refused one is journaled QUARANTINED with its
 * reason (its size and digest, not its content) before the refusal is answered.
 */
final class RegionSide {
    private static final Logger LOG = LoggerFactory.getLogger(RegionSide.class);

    private final Intake intake;
    private final Flow statuts;
    private final Flow catalogue;
    private final PrescriptionStore prescriptions;
    private final LheoReader reader;
    private final Path spoolDir;

    RegionSide(Intake intake, Flow statuts, Flow catalogue, PrescriptionStore prescriptions, LheoReader reader,
            Path spoolDir) {
        this.intake = intake;
        this.statuts = statuts;
        this.catalogue = catalogue;
        this.prescriptions = prescriptions;
        this.reader = reader;
        this.spoolDir = spoolDir;
    }

    Path spoolDir() {
        return spoolDir;
    }

    /** A new empty spool file (owner-only), for a body being received. */
    Path newSpool() throws IOException {
        Files.createDirectories(spoolDir);
        return Files.createTempFile(spoolDir, "in-", ".part");
    }

    // ---------------------------------------------------------------------------------------------- notifierStatut

    /**
     * A status event that follows the contract's schema: refused when the prescription is unknown to the hub, handed
     * to flow ouiform/statuts otherwise (idEvenement is its duplicate key: an event sent again is DEJA_RECU).
     */
    NotifierStatutReponse notifier(EvenementStatut e, String sender) throws Refus {
        byte[] json = Json.write(e).getBytes(StandardCharsets.UTF_8);
        var p = prescriptions.find(e.idPrescriptionHub());
        if (p.isEmpty()) {
            Refus r = new Refus(CodeErreur.PRESCRIPTION_INCONNUE, "Aucune prescription du hub ne porte cet "
                    + "idPrescriptionHub", List.of("idPrescriptionHub"));
            refuse(statuts, json, meta(e.idPrescriptionHub(), e.idEvenement(), "application/json", sender), r.reason());
            throw r;
        }
        String correlation = p.get().correlationId() != null ? p.get().correlationId() : e.idPrescriptionHub();
        IngestResult r = accept(statuts, new ByteArrayInputStream(json), meta(correlation, e.idEvenement(),
                "application/json", sender));
        return new NotifierStatutReponse(e.idEvenement(), r.outcome() == IngestResult.Outcome.DUPLICATE ? "DEJA_RECU"
                : "ACCEPTE");
    }

    /** A message that is not a status event of the contract: journaled as refused, then refused. */
    Refus refusedStatut(byte[] received, String idPrescriptionHub, String sender, Refus why) {
        refuse(statuts, received, meta(idPrescriptionHub, null, "application/octet-stream", sender), why.reason());
        return why;
    }

    // ---------------------------------------------------------------------------------------------- publierSessions

    /**
     * A publication received into {@code spool} (an LHEO document, or the JSON mapping): read and checked whole, then
     * handed to flow ouiform/catalogue, which imports it; the answer counts what it holds. The spool is deleted.
     *
     * @param idPublication the publication's id (SOAP element, REST parameter), null for JSON (it carries its own)
     * @param complet       whether it replaces the catalogue (SOAP element, REST parameter), null for JSON
     */
    PublierSessionsReponse publier(Path spool, boolean json, String idPublication, Boolean complet, String sender)
            throws Refus {
        try {
            LheoReader.Summary summary;
            String id = idPublication;
            boolean full = complet != null && complet;
            try (InputStream in = Files.newInputStream(spool)) {
                if (json) {
                    PublicationJson.Publication p = PublicationJson.read(in, s -> { });
                    summary = p.summary();
                    id = p.idPublication();
                    full = p.complet();
                } else {
                    summary = reader.check(in);
                }
            } catch (LheoException e) {
                Refus r = e.code() == CodeErreur.LHEO_VERSION_NON_SUPPORTEE
                        ? new Refus(e.code(), "Seul LHEO 2.3 (http://lheo.gouv.fr/2.3) est accepté : " + e.getMessage())
                        : new Refus(e.code(), "Publication non conforme au contrat (" + (e.line() > 0 ? "ligne " + e.line()
                                + ", colonne " + e.column() + " : " : "") + e.getMessage() + ")");
                intake.refuse(catalogue, spool, meta(id, id, CatalogueImport.contentType(json, full), sender), e.reason());
                throw r;
            }
            IngestResult r;
            try (InputStream in = Files.newInputStream(spool)) {
                r = accept(catalogue, in, meta(id, id, CatalogueImport.contentType(json, full), sender));
            }
            return new PublierSessionsReponse(id, summary.formations(), summary.actions(), summary.sessions());
        } catch (IOException e) {
            throw new Refus(CodeErreur.ERREUR_INTERNE, "Le hub n'a pas pu lire la publication reçue : renvoyez-la");
        } finally {
            delete(spool);
        }
    }

    // ---------------------------------------------------------------------------------------------- shared

    private IngestResult accept(Flow flow, InputStream in, InboundMetadata meta) throws Refus {
        IngestResult r;
        try {
            r = intake.accept(flow, in, meta);
        } catch (IOException e) {
            throw new Refus(CodeErreur.ERREUR_INTERNE, "Le hub n'a pas pu enregistrer le message : renvoyez-le");
        }
        switch (r.outcome()) {
            case QUEUED, DUPLICATE -> {
                return r;
            }
            case INVALID -> throw new Refus(CodeErreur.in(r.reason(), CodeErreur.REQUETE_INVALIDE),
                    "Message refusé par le hub (échange " + r.exchangeId() + ") : " + r.reason());
            case TOO_LARGE -> throw new Refus(CodeErreur.REQUETE_INVALIDE, "Message trop volumineux pour le hub ("
                    + flow.maxPayloadBytes() + " octets au plus)");
            default -> throw new Refus(CodeErreur.INDISPONIBLE, "Le hub ne peut pas prendre le message maintenant : "
                    + "renvoyez-le plus tard", List.of(), Math.max(1, r.retryAfterSeconds()));
        }
    }

    /** Journals what was refused (size and digest), QUARANTINED with the reason. */
    void refuse(Flow flow, byte[] received, InboundMetadata meta, String reason) {
        Path tmp = null;
        try {
            tmp = newSpool();
            Files.write(tmp, received);
            intake.refuse(flow, tmp, meta, reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(tmp);
        }
    }

    private static InboundMetadata meta(String correlationId, String partnerMessageId, String contentType, String sender) {
        return new InboundMetadata(correlationId, partnerMessageId, contentType, sender);
    }

    static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("spool file {} not deleted: {}", file, e.toString());
            }
        }
    }
}
