package fr.aisne.hub.connector.ouiform.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.connector.ouiform.contract.Messages.EvenementStatut;

/**
 * The prescriptions the department made through the hub and the statuses OuiForm sent back ({@code
 * ouiform_prescription}, {@code ouiform_statut}). No identity here: what was disclosed to OuiForm is in the registry's
 * disclosure log; these rows hold the person's registry id, the session and the life cycle.
 */
final class PrescriptionStore {
    /** Where a prescription stands on the hub's side. */
    enum Etat {
        /** Row written, not answered by OuiForm yet (being sent, or retried). */
        ENVOI,
        /** OuiForm registered it (prescrit, then the statuses it sends). */
        ACCEPTEE,
        /** OuiForm refused it for good (its fault kept in {@code refus}). */
        REFUSEE
    }

    record Prescription(String idHub, String exchangeId, String correlationId, String personId, String idSession,
            String idAction, LocalDate datePrescription, String canal, Etat etat, String refus, String idOuiform,
            String statut, Integer sequence, LocalDate dateEffet, String motif, String registre) {

        boolean finalStatus() {
            return "sorti".equals(statut) || "abandon".equals(statut);
        }
    }

    private final Jdbc db;
    private final Clock clock;

    PrescriptionStore(Jdbc db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * The prescription of exchange {@code exchangeId}, created on its first delivery with the next hub id
     * ({@code HUB-<year>-<number>}): the same id at every retry and replay, so that OuiForm recognises it (DOUBLON).
     */
    Prescription open(String exchangeId, String correlationId, String personId, String idSession, String idAction,
            LocalDate date, String canal) {
        Optional<Prescription> existing = byExchange(exchangeId);
        if (existing.isPresent()) {
            return existing.get();
        }
        long n = db.one("VALUES (NEXT VALUE FOR ouiform_prescription_seq)", rs -> rs.getLong(1)).orElseThrow();
        String idHub = String.format("HUB-%d-%06d", date.getYear(), n);
        db.insertIfAbsent("INSERT INTO ouiform_prescription (id_hub, exchange_id, correlation_id, person_id, id_session, "
                + "id_action, date_prescription, canal, etat, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                idHub, exchangeId, correlationId, personId, idSession, idAction, CatalogueStore.day(date), canal,
                Etat.ENVOI.name(), clock.instant(), clock.instant());
        return byExchange(exchangeId).orElseThrow();
    }

    /** OuiForm registered it: its id and status (prescrit, sequence 1), and the registry key of the person. */
    void accepted(String idHub, String idOuiform, String statut, long sequence, LocalDate dateEffet, String registre) {
        db.update("UPDATE ouiform_prescription SET etat = ?, refus = NULL, id_ouiform = ?, statut = COALESCE(statut, ?), "
                + "sequence = COALESCE(sequence, ?), date_effet = COALESCE(date_effet, ?), registre = ?, updated_at = ? "
                + "WHERE id_hub = ?", Etat.ACCEPTEE.name(), idOuiform, statut, (int) sequence,
                CatalogueStore.day(dateEffet), registre, clock.instant(), idHub);
    }

    /** OuiForm refused it for good. */
    void refused(String idHub, String refus) {
        db.update("UPDATE ouiform_prescription SET etat = ?, refus = ?, updated_at = ? WHERE id_hub = ?",
                Etat.REFUSEE.name(), CatalogueStore.cut(refus, 1000), clock.instant(), idHub);
    }

    /** The last attempt failed (kept while it is retried). */
    void failedAttempt(String idHub, String reason) {
        db.update("UPDATE ouiform_prescription SET refus = ?, updated_at = ? WHERE id_hub = ? AND etat = ?",
                CatalogueStore.cut(reason, 1000), clock.instant(), idHub, Etat.ENVOI.name());
    }

    Optional<Prescription> byExchange(String exchangeId) {
        return db.one("SELECT * FROM ouiform_prescription WHERE exchange_id = ?", PrescriptionStore::row, exchangeId);
    }

    Optional<Prescription> find(String idHub) {
        return db.one("SELECT * FROM ouiform_prescription WHERE id_hub = ?", PrescriptionStore::row, idHub);
    }

    List<Prescription> byPerson(String personId) {
        return db.query("SELECT * FROM ouiform_prescription WHERE person_id = ? ORDER BY created_at DESC",
                PrescriptionStore::row, personId);
    }

    /**
     * Records a status event (once per idEvenement); true when it was not recorded before.
     *
     * @param applied whether it became the prescription's current status
     * @param note    why it was not applied, or null
     */
    boolean recordStatus(EvenementStatut e, String exchangeId, boolean applied, String note) {
        return db.insertIfAbsent("INSERT INTO ouiform_statut (id_evenement, id_hub, id_ouiform, sequence, statut, "
                + "date_effet, motif, horodatage, applique, note, exchange_id, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                e.idEvenement(), e.idPrescriptionHub(), e.idPrescriptionOuiForm(), e.sequence().intValue(), e.statut(),
                CatalogueStore.day(LocalDate.parse(e.dateEffet())), CatalogueStore.cut(e.motif(), 500), e.horodatage(),
                applied ? 1 : 0, CatalogueStore.cut(note, 300), exchangeId, clock.instant());
    }

    /** The status event as recorded before, if any (a delivery run again after a crash). */
    Optional<Boolean> statusApplied(String idEvenement) {
        return db.one("SELECT applique FROM ouiform_statut WHERE id_evenement = ?", rs -> rs.getInt(1) == 1, idEvenement);
    }

    /** Makes {@code e} the prescription's current status. */
    void apply(EvenementStatut e) {
        db.update("UPDATE ouiform_prescription SET statut = ?, sequence = ?, date_effet = ?, motif = ?, "
                + "id_ouiform = COALESCE(id_ouiform, ?), etat = ?, updated_at = ? WHERE id_hub = ?", e.statut(),
                e.sequence().intValue(), CatalogueStore.day(LocalDate.parse(e.dateEffet())),
                CatalogueStore.cut(e.motif(), 500), e.idPrescriptionOuiForm(), Etat.ACCEPTEE.name(), clock.instant(),
                e.idPrescriptionHub());
    }

    /** Every status received for a prescription, in sequence order. */
    List<Map<String, Object>> history(String idHub) {
        return db.query("SELECT id_evenement, sequence, statut, date_effet, motif, horodatage, applique, note, "
                + "exchange_id, received_at FROM ouiform_statut WHERE id_hub = ? ORDER BY sequence, received_at", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("idEvenement", rs.getString(1));
                    m.put("sequence", rs.getInt(2));
                    m.put("statut", rs.getString(3));
                    m.put("dateEffet", rs.getDate(4).toLocalDate().toString());
                    if (rs.getString(5) != null) {
                        m.put("motif", rs.getString(5));
                    }
                    m.put("horodatage", rs.getString(6));
                    m.put("applique", rs.getInt(7) == 1);
                    if (rs.getString(8) != null) {
                        m.put("note", rs.getString(8));
                    }
                    m.put("echange", rs.getString(9));
                    m.put("recuLe", Jdbc.instant(rs, 10).toString());
                    return m;
                }, idHub);
    }

    /** Counts by state and status, for health. */
    Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        db.query("SELECT etat, COALESCE(statut, '-'), COUNT(*) FROM ouiform_prescription GROUP BY etat, COALESCE(statut, '-')",
                rs -> m.put(rs.getString(1) + (rs.getString(2).equals("-") ? "" : "/" + rs.getString(2)), rs.getLong(3)));
        return m;
    }

    private static Prescription row(ResultSet rs) throws SQLException {
        int seq = rs.getInt("sequence");
        Integer sequence = rs.wasNull() ? null : seq;
        java.sql.Date effet = rs.getDate("date_effet");
        return new Prescription(rs.getString("id_hub"), rs.getString("exchange_id"), rs.getString("correlation_id"),
                rs.getString("person_id"), rs.getString("id_session"), rs.getString("id_action"),
                rs.getDate("date_prescription").toLocalDate(), rs.getString("canal"), Etat.valueOf(rs.getString("etat")),
                rs.getString("refus"), rs.getString("id_ouiform"), rs.getString("statut"), sequence,
                effet == null ? null : effet.toLocalDate(), rs.getString("motif"), rs.getString("registre"));
    }
}
