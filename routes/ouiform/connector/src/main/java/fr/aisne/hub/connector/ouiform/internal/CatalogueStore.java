package fr.aisne.hub.connector.ouiform.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.connector.ouiform.lheo.LheoDate;
import fr.aisne.hub.connector.ouiform.lheo.LheoReader;
import fr.aisne.hub.connector.ouiform.lheo.LheoSession;
import fr.aisne.hub.connector.ouiform.lheo.LheoText;

/**
 * The regional catalogue in the connector's tables ({@code ouiform_session}, {@code ouiform_publication}): sessions
 * written in batches as a publication is read (constant memory whatever its size), the weekly complete publication
 * withdrawing the sessions it no longer holds, and the department's search.
 */
final class CatalogueStore {
    static final int BATCH = 500;
    static final int MAX_LIMIT = 200;
    private static final String COLUMNS = "numero, action_numero, formation_numero, intitule, objectif, recherche, "
            + "formacode, rome, certifiante, organisme_siret, organisme_nom, lieu_code_postal, lieu_ville, lieu_insee, "
            + "debut_lheo, debut_min, debut_max, fin_lheo, fin_max, etat_recrutement, prix_total, prix_texte, "
            + "duree_hebdo, heures_total, datemaj_lheo, publication, updated_at";

    private final Jdbc db;
    private final Clock clock;

    CatalogueStore(Jdbc db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** What an import did. */
    record Imported(long sessions, long stored, long repeated, long withdrawn, long skipped) {
        String describe() {
            return stored + " sessions stored" + (repeated > 0 ? " (" + repeated + " numeros given twice: the last kept)"
                    : "") + (skipped > 0 ? ", " + skipped + " skipped (numero longer than 120 characters)" : "")
                    + (withdrawn >= 0 ? ", " + withdrawn + " withdrawn (not in this complete publication)" : "");
        }
    }

    /** Writes one publication's sessions as they are read: {@link #add} each, then {@link #finish}. */
    final class Import {
        private final String exchangeId;
        private final Map<String, Object[]> batch = new LinkedHashMap<>();
        private long sessions;
        private long skipped;

        private Import(String exchangeId) {
            this.exchangeId = exchangeId;
        }

        void add(LheoSession s) {
            sessions++;
            if (s.numero().length() > 120) {
                skipped++;
                return;
            }
            batch.put(s.numero(), row(s, exchangeId, clock.instant()));
            if (batch.size() >= BATCH) {
                flush();
            }
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<Object> keys = new ArrayList<>(batch.keySet());
            List<Object[]> rows = new ArrayList<>(batch.values());
            db.inTransaction(() -> {
                db.update("DELETE FROM ouiform_session WHERE numero IN (" + "?,".repeat(keys.size() - 1) + "?)",
                        keys.toArray());
                db.batch("INSERT INTO ouiform_session (" + COLUMNS + ") VALUES (" + "?,".repeat(27 - 1) + "?)", rows);
            });
            batch.clear();
        }

        /**
         * Writes what is left; a complete publication then withdraws every session it did not give. Records the
         * publication.
         */
        Imported finish(String idPublication, String source, boolean complet, LheoReader.Summary summary) {
            flush();
            return db.inTransaction(() -> {
                long stored = db.count("SELECT COUNT(*) FROM ouiform_session WHERE publication = ?", exchangeId);
                long withdrawn = complet ? db.update("DELETE FROM ouiform_session WHERE publication <> ?", exchangeId)
                        : -1;
                long repeated = sessions - skipped - stored;
                String warnings = summary.warnings().isEmpty() ? null : cut(summary.warnings().toString(), 2000);
                db.update("DELETE FROM ouiform_publication WHERE exchange_id = ?", exchangeId);
                db.update("INSERT INTO ouiform_publication (exchange_id, id_publication, source, complet, formations, "
                        + "actions, sessions, retirees, warnings, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)", exchangeId,
                        cut(idPublication, 64), cut(source, 120), complet ? 1 : 0, summary.formations(),
                        summary.actions(), summary.sessions(), Math.max(withdrawn, 0), warnings, clock.instant());
                return new Imported(sessions, stored, repeated, withdrawn, skipped);
            });
        }
    }

    Import begin(String exchangeId) {
        return new Import(exchangeId);
    }

    private static Object[] row(LheoSession s, String publication, Instant now) {
        LheoSession.Lieu l = s.lieu();
        String recherche = cut(LheoText.searchKey(String.join(" ", nz(s.intitule()), nz(s.organismeNom()),
                l == null ? "" : nz(l.ville()), nz(s.formacode()), nz(s.rome()))), 700);
        return new Object[] {s.numero(), cut(s.actionNumero(), 120), cut(s.formationNumero(), 120), cut(s.intitule(), 255),
            cut(s.objectif(), 2000), recherche, cut(s.formacode(), 10), cut(s.rome(), 10), s.certifiante() ? 1 : 0,
            cut(s.organismeSiret(), 14), cut(s.organismeNom(), 250), l == null ? null : cut(l.codePostal(), 10),
            l == null ? null : cut(l.ville(), 80), l == null ? null : cut(l.codeInsee(), 10), raw(s.debut()),
            day(s.debut() == null ? null : s.debut().earliest()), day(s.debut() == null ? null : s.debut().latest()),
            raw(s.fin()), day(s.fin() == null ? null : s.fin().latest()), s.etatRecrutement(), s.prixTotalTtc(), cut(s.prixTotalTexte(), 20),
            s.dureeHebdo(), s.nombreHeuresTotal(), raw(s.datemaj()), publication, now};
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * A search of the department.
     *
     * @param texte       words that must all appear in the title, organisation, town or codes (accents and case ignored)
     * @param debutApres  sessions that may start on or after this day (unknown starts included)
     * @param debutAvant  sessions that may start on or before this day (unknown starts included)
     * @param ouvertes    only sessions open to prescriptions (etat-recrutement 1 or not given)
     */
    record Query(String texte, String codeInsee, String codePostal, String departement, LocalDate debutApres,
            LocalDate debutAvant, boolean ouvertes, String formacode, String rome, String siret, int limite, int page) {
    }

    record Page(long total, List<Map<String, Object>> sessions) {
    }

    Page search(Query q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        for (String word : LheoText.searchKey(q.texte()).split(" ")) {
            if (!word.isEmpty()) {
                where.append(" AND recherche LIKE ?");
                args.add("%" + word + "%");
            }
        }
        eq(where, args, "lieu_insee", q.codeInsee());
        eq(where, args, "lieu_code_postal", q.codePostal());
        if (q.departement() != null) {
            where.append(" AND lieu_code_postal LIKE ?");
            args.add(q.departement() + "%");
        }
        eq(where, args, "formacode", q.formacode());
        eq(where, args, "rome", q.rome());
        eq(where, args, "organisme_siret", q.siret());
        if (q.debutApres() != null) {
            where.append(" AND (debut_max IS NULL OR debut_max >= ?)");
            args.add(day(q.debutApres()));
        }
        if (q.debutAvant() != null) {
            where.append(" AND (debut_min IS NULL OR debut_min <= ?)");
            args.add(day(q.debutAvant()));
        }
        if (q.ouvertes()) {
            where.append(" AND (etat_recrutement IS NULL OR etat_recrutement = 1)");
        }
        long total = db.count("SELECT COUNT(*) FROM ouiform_session" + where, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add((long) q.page() * q.limite());
        pageArgs.add(q.limite());
        List<Map<String, Object>> rows = db.query("SELECT " + COLUMNS + " FROM ouiform_session" + where
                + " ORDER BY debut_min NULLS LAST, numero OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", CatalogueStore::view,
                pageArgs.toArray());
        return new Page(total, rows);
    }

    Optional<Map<String, Object>> session(String numero) {
        return db.one("SELECT " + COLUMNS + " FROM ouiform_session WHERE numero = ?", CatalogueStore::view, numero);
    }

    /** The last publication imported, for health and the search answer. */
    Optional<Map<String, Object>> lastPublication() {
        return db.one("SELECT exchange_id, id_publication, source, complet, sessions, retirees, imported_at "
                + "FROM ouiform_publication ORDER BY imported_at DESC FETCH FIRST 1 ROWS ONLY", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("idPublication", rs.getString(2));
                    m.put("source", rs.getString(3));
                    m.put("complet", rs.getInt(4) == 1);
                    m.put("sessions", rs.getLong(5));
                    m.put("retirees", rs.getLong(6));
                    m.put("importeeLe", Jdbc.instant(rs, 7).toString());
                    m.put("echange", rs.getString(1));
                    return m;
                });
    }

    long count() {
        return db.count("SELECT COUNT(*) FROM ouiform_session");
    }

    /** A session as the department's API shows it (French field names, as the department's other APIs). */
    private static Map<String, Object> view(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idSession", rs.getString("numero"));
        m.put("idAction", rs.getString("action_numero"));
        m.put("idFormation", rs.getString("formation_numero"));
        m.put("intitule", rs.getString("intitule"));
        put(m, "objectif", rs.getString("objectif"));
        put(m, "formacode", rs.getString("formacode"));
        put(m, "rome", rs.getString("rome"));
        m.put("certifiante", rs.getInt("certifiante") == 1);
        Map<String, Object> org = new LinkedHashMap<>();
        put(org, "siret", rs.getString("organisme_siret"));
        put(org, "raisonSociale", rs.getString("organisme_nom"));
        m.put("organisme", org);
        Map<String, Object> lieu = new LinkedHashMap<>();
        put(lieu, "codePostal", rs.getString("lieu_code_postal"));
        put(lieu, "ville", rs.getString("lieu_ville"));
        put(lieu, "codeInsee", rs.getString("lieu_insee"));
        m.put("lieu", lieu);
        m.put("debut", date(rs.getString("debut_lheo")));
        m.put("fin", date(rs.getString("fin_lheo")));
        int etatValue = rs.getInt("etat_recrutement");
        Integer etat = rs.wasNull() ? null : etatValue;
        m.put("etatRecrutement", etat);
        m.put("ouverte", etat == null || etat == 1);
        BigDecimal prix = rs.getBigDecimal("prix_total");
        put(m, "prixTotalTTC", prix);
        if (prix == null) {
            put(m, "prixTotalTTCTexte", rs.getString("prix_texte"));
        }
        put(m, "dureeHebdo", rs.getBigDecimal("duree_hebdo"));
        int heures = rs.getInt("heures_total");
        put(m, "nombreHeuresTotal", rs.wasNull() ? null : heures);
        m.put("miseAJour", date(rs.getString("datemaj_lheo")));
        return m;
    }

    /** An LHEO date for the department: as written, its precision and the days it may be. */
    private static Map<String, Object> date(String raw) {
        if (raw == null) {
            return null;
        }
        LheoDate d;
        try {
            d = LheoDate.parse(raw);
        } catch (IllegalArgumentException e) {
            return Map.of("lheo", raw);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lheo", raw);
        m.put("precision", d.precision().name().toLowerCase(java.util.Locale.ROOT));
        if (d.earliest() != null) {
            m.put("auPlusTot", d.earliest().toString());
            m.put("auPlusTard", d.latest().toString());
        }
        return m;
    }

    private static void eq(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** Derby binds java.sql.Date, not LocalDate. */
    static java.sql.Date day(LocalDate d) {
        return d == null ? null : java.sql.Date.valueOf(d);
    }

    private static String raw(LheoDate d) {
        return d == null ? null : d.raw();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
