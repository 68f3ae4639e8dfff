package fr.aisne.hub.registry.internal;

import fr.aisne.hub.api.Jdbc;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import fr.aisne.hub.api.Json;
import fr.aisne.hub.api.Redaction;
import fr.aisne.hub.registry.Access;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.ConsolidatedPerson.Attribute;
import fr.aisne.hub.registry.ConsolidatedPerson.Identifier;
import fr.aisne.hub.registry.ConsolidatedPerson.Membership;
import fr.aisne.hub.registry.ConsolidatedPerson.Provenance;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.MatchResult.Outcome;
import fr.aisne.hub.registry.Nir;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The registry's rules over its tables: matching (NIR, then partner identifiers, then identity), recording
 * with provenance, consolidation, disclosure, subject access and retention. Writes are serialised: two
 * messages about a new person must not create it twice. Every read of a person through the API is logged with
 * its reader ({@link AccessLogStore}).
 */
final class RegistryService implements PersonRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);
    static final String BIRTH_NAME = "nom_naissance";
    static final String USAGE_NAME = "nom_usage";
    static final String FIRST_NAME = "prenom";
    static final String BIRTH_DATE = "date_naissance";
    static final String LEFT_RSA = "date_sortie_rsa";
    /** Disclosure field for the CAF households (numorg, matricule, role) of a person. */
    static final String HOUSEHOLD = "household";

    private final Jdbc db;
    private final NirVault vault;
    private final Consolidation consolidation;
    private final DisclosureRules rules;
    private final int retentionMonths;
    private final int accessLogMonths;
    private final Clock clock;
    private final Consumer<String> purgePayload;
    private final AccessLogStore accessLog;

    /**
     * @param retentionMonths persons who left the RSA longer ago are purged
     * @param accessLogMonths reads by accounts older than this are deleted from the access log
     */
    RegistryService(DataSource dataSource, NirVault vault, Consolidation consolidation, DisclosureRules rules,
            int retentionMonths, int accessLogMonths, Clock clock, Consumer<String> purgePayload) {
        this.db = new Jdbc(dataSource);
        this.vault = vault;
        this.consolidation = consolidation;
        this.rules = rules;
        this.retentionMonths = retentionMonths;
        this.accessLogMonths = accessLogMonths;
        this.clock = clock;
        this.purgePayload = purgePayload;
        this.accessLog = new AccessLogStore(db, clock);
    }

    /** The access log on the same tables (registered for hub-ops, read by the DPO's API). */
    AccessLogStore accessLog() {
        return accessLog;
    }

    // ---- matching and recording -------------------------------------------------------------------

    @Override
    public synchronized MatchResult observe(PersonObservation o) {
        return observeAll(List.of(o)).get(0);
    }

    @Override
    public synchronized List<MatchResult> observeAll(List<PersonObservation> observations) {
        return db.inTransaction(() -> {
            ObservationBatch batch = batch();
            List<MatchResult> results = batch.observeAll(observations);
            batch.flush();
            return results;
        });
    }

    private ObservationBatch batch() {
        return new ObservationBatch(db, vault, consolidation, clock.instant(), this::identity, this::toJson);
    }

    /** The retained values of the four identity attributes only (one query), not the whole record. */
    private Map<String, Attribute> identity(String personId) {
        return retained(personId, BIRTH_DATE, BIRTH_NAME, USAGE_NAME, FIRST_NAME);
    }

    /** The retained values of some attributes of a person (one query). */
    private Map<String, Attribute> retained(String personId, String... names) {
        List<Object> args = new ArrayList<>(List.of(personId));
        args.addAll(List.of(names));
        return consolidation.consolidate(db.query(
                "SELECT name, attr_value, source_partner, source_exchange, observed_at FROM reg_attribute "
                        + "WHERE person_id = ? AND name IN (" + "?,".repeat(names.length - 1) + "?) ORDER BY id",
                rs -> new Consolidation.Observed(rs.getString(1), rs.getString(2), new Provenance(rs.getString(3),
                        rs.getString(4), Jdbc.instant(rs, "observed_at"))), args.toArray()));
    }

    private static String value(Map<String, Attribute> attributes, String attribute) {
        Attribute a = attributes.get(attribute);
        return a == null ? null : a.value();
    }


    // ---- reading ------------------------------------------------------------------------------------

    @Override
    public Optional<ConsolidatedPerson> find(String personId) {
        if (db.one("SELECT 1 FROM reg_person WHERE id = ?", rs -> 1, personId).isEmpty()) {
            return Optional.empty();
        }
        Map<String, Attribute> attributes = consolidation.consolidate(db.query(
                "SELECT name, attr_value, source_partner, source_exchange, observed_at FROM reg_attribute "
                        + "WHERE person_id = ? ORDER BY id",
                rs -> new Consolidation.Observed(rs.getString(1), rs.getString(2), new Provenance(rs.getString(3),
                        rs.getString(4), Jdbc.instant(rs, "observed_at"))), personId));
        List<Identifier> ids = db.query("SELECT partner, kind, id_value, source_partner, source_exchange, observed_at "
                + "FROM reg_identifier WHERE person_id = ? ORDER BY partner, kind", rs -> new Identifier(rs.getString(1),
                        rs.getString(2), rs.getString(3), new Provenance(rs.getString(4), rs.getString(5),
                                Jdbc.instant(rs, "observed_at"))), personId);
        List<Membership> households = db.query("SELECT h.numorg, h.matricule, m.role, m.source_partner, "
                + "m.source_exchange, m.observed_at FROM reg_membership m JOIN reg_household h ON h.id = m.household_id "
                + "WHERE m.person_id = ?", rs -> new Membership(rs.getString(1), rs.getString(2), rs.getString(3),
                        new Provenance(rs.getString(4), rs.getString(5), Jdbc.instant(rs, "observed_at"))), personId);
        Optional<String[]> nir = db.one("SELECT nir_encrypted, source_partner, source_exchange FROM reg_nir WHERE person_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, personId);
        Optional<Instant> nirAt = db.one("SELECT observed_at FROM reg_nir WHERE person_id = ?",
                rs -> Jdbc.instant(rs, "observed_at"), personId);
        return Optional.of(new ConsolidatedPerson(personId, nir.isPresent(),
                nir.map(n -> Nir.mask(vault.decrypt(n[0], NirVault.person(personId)))).orElse(null),
                nir.map(n -> new Provenance(n[1], n[2], nirAt.orElse(null))).orElse(null), attributes, ids, households));
    }

    @Override
    public List<String> findByIdentifier(String partner, String kind, String value) {
        return db.query("SELECT person_id FROM reg_identifier WHERE partner = ? AND kind = ? AND id_value = ?",
                rs -> rs.getString(1), partner, kind, value);
    }

    @Override
    public List<String> findByHousehold(String numorg, String matricule) {
        if (numorg == null) {
            return db.query("SELECT DISTINCT m.person_id FROM reg_membership m JOIN reg_household h ON "
                    + "h.id = m.household_id WHERE h.matricule = ?", rs -> rs.getString(1), matricule);
        }
        return db.query("SELECT m.person_id FROM reg_membership m JOIN reg_household h ON h.id = m.household_id "
                + "WHERE h.numorg = ? AND h.matricule = ?", rs -> rs.getString(1), numorg, matricule);
    }

    @Override
    public List<ConsolidatedPerson> consultAll(List<String> personIds, String partner, String purpose, Access access) {
        if (personIds.isEmpty()) {
            accessLog.record(null, partner, purpose, List.of(), null, access);
            return List.of();
        }
        return personIds.stream().map(id -> consult(id, partner, purpose, access)).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<ConsolidatedPerson> consult(String personId, String partner, String purpose, Access access) {
        Optional<ConsolidatedPerson> full = find(personId);
        if (full.isEmpty()) {
            return full;
        }
        ConsolidatedPerson p = full.get();
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        p.attributes().forEach((name, a) -> {
            if (!rules.filter(partner, purpose, Map.of(name, "")).isEmpty()) {
                attributes.put(name, a);
            }
        });
        List<Identifier> ids = p.identifiers().stream().filter(i -> rules.allows(partner, purpose,
                "id." + i.partner() + "." + i.kind())).toList();
        boolean nir = p.hasNir() && rules.allows(partner, purpose, "nir");
        boolean households = rules.allows(partner, purpose, HOUSEHOLD);
        List<String> fields = new ArrayList<>(attributes.keySet());
        ids.forEach(i -> fields.add("id." + i.partner() + "." + i.kind()));
        if (nir) {
            fields.add("nir");
        }
        if (households && !p.households().isEmpty()) {
            fields.add(HOUSEHOLD);
        }
        accessLog.record(personId, partner, purpose, fields, null, access);
        return Optional.of(new ConsolidatedPerson(p.id(), p.hasNir(), nir ? p.nirMasked() : null,
                nir ? p.nirSource() : null, attributes, ids, households ? p.households() : List.of()));
    }

    @Override
    public Optional<String> findByNir(String nir) {
        return findByNirIndex(vault.index(Nir.canonical(nir)));
    }

    private Optional<String> findByNirIndex(String index) {
        return db.one("SELECT person_id FROM reg_nir WHERE nir_index = ?", rs -> rs.getString(1), index);
    }

    // ---- disclosure -----------------------------------------------------------------------------------

    @Override
    public Map<String, Object> disclose(String personId, String partner, String purpose, String exchangeId) {
        ConsolidatedPerson p = find(personId).orElseThrow(() -> new IllegalArgumentException("no such person"));
        Map<String, Object> all = new LinkedHashMap<>();
        p.attributes().forEach((name, a) -> all.put(name, a.value()));
        p.identifiers().forEach(i -> all.put("id." + i.partner() + "." + i.kind(), i.value()));
        if (!p.households().isEmpty()) {
            all.put(HOUSEHOLD, p.households().stream().map(h -> Map.of("numorg", h.numorg(), "matricule", h.matricule(),
                    "role", h.role())).toList());
        }
        if (p.hasNir() && rules.allows(partner, purpose, "nir")) {
            all.put("nir", clearNir(personId));
        }
        Map<String, Object> allowed = rules.filter(partner, purpose, all);
        accessLog.record(personId, partner, purpose, allowed.keySet(), exchangeId, Access.system());
        return allowed;
    }

    private String clearNir(String personId) {
        return db.one("SELECT nir_encrypted FROM reg_nir WHERE person_id = ?", rs -> rs.getString(1), personId)
                .map(stored -> vault.decrypt(stored, NirVault.person(personId))).orElse(null);
    }

    // ---- subject access -------------------------------------------------------------------------------

    /** The subject-access export's purpose in the access log. */
    static final String SUBJECT_ACCESS_PURPOSE = "rgpd-art15";

    @Override
    public Optional<Map<String, Object>> subjectAccess(String personId, Access access) {
        Optional<ConsolidatedPerson> p = find(personId);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("person", p.get());
        out.put("nir", clearNir(personId));
        out.put("attributeHistory", db.query("SELECT name, attr_value, source_partner, source_exchange, observed_at, "
                + "recorded_at FROM reg_attribute WHERE person_id = ? ORDER BY id", rs -> row(rs), personId));
        out.put("disclosures", db.query("SELECT partner, purpose, fields, exchange_id, disclosed_at FROM reg_disclosure "
                + "WHERE person_id = ? ORDER BY id", rs -> row(rs), personId));
        out.put("matchDecisions", db.query("SELECT id, source_partner, source_exchange, reason, status, created_at, "
                + "decided_by, decided_at FROM reg_match_candidate WHERE person_id = ? OR result_person = ? ORDER BY created_at",
                rs -> row(rs), personId, personId));
        out.put("generatedAt", clock.instant().toString());
        // logged after it is read: the export lists the disclosures made before it
        accessLog.record(personId, RegistryRoutes.PARTNER, SUBJECT_ACCESS_PURPOSE, List.of("everything"), null, access);
        return Optional.of(out);
    }

    private static Map<String, Object> row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        var md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            m.put(camel(md.getColumnLabel(i)), v instanceof java.sql.Timestamp t ? t.toInstant().toString()
                    : v instanceof java.sql.Clob c ? c.getSubString(1, (int) c.length()) : v);
        }
        return m;
    }

    private static String camel(String column) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char ch : column.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return sb.toString();
    }

    // ---- probable matches -----------------------------------------------------------------------------

    @Override
    public List<Map<String, Object>> pendingMatches(String partner, String purpose, Access access) {
        List<Map<String, Object>> pending = db.query("SELECT id, person_id, source_partner, source_exchange, reason, created_at, observation "
                + "FROM reg_match_candidate WHERE status = 'PENDING' ORDER BY created_at", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getString(1));
                    m.put("candidatePersonId", rs.getString(2));
                    m.put("sourcePartner", rs.getString(3));
                    m.put("sourceExchange", rs.getString(4));
                    m.put("reason", rs.getString(5));
                    m.put("createdAt", Jdbc.instant(rs, "created_at").toString());
                    Stored s = fromJson(rs.getString(7));
                    // the disclosure rules apply here too: no special category through a wildcard rule
                    m.put("observed", rules.filter(partner, purpose, new LinkedHashMap<>(s.attributes())));
                    return m;
                });
        for (Map<String, Object> m : pending) {
            @SuppressWarnings("unchecked")
            Set<String> shown = ((Map<String, Object>) m.get("observed")).keySet();
            accessLog.record((String) m.get("candidatePersonId"), partner, purpose, shown, (String) m.get("sourceExchange"),
                    access);
        }
        return pending;
    }

    @Override
    public synchronized MatchResult confirmMatch(String candidateId, String actor) {
        return db.inTransaction(() -> confirm(candidateId, actor));
    }

    private MatchResult confirm(String candidateId, String actor) {
        Object[] c = pending(candidateId);
        Stored s = fromJson((String) c[1]);
        ObservationBatch batch = batch();
        batch.recordOn((String) c[0], s.toObservation(), s.nir(vault, candidateId));
        batch.flush();
        decide(candidateId, "CONFIRMED", actor, (String) c[0], s);
        return new MatchResult(Outcome.CERTAIN, (String) c[0], candidateId, "confirmed by " + actor);
    }

    @Override
    public synchronized MatchResult rejectMatch(String candidateId, String actor) {
        return db.inTransaction(() -> reject(candidateId, actor));
    }

    private MatchResult reject(String candidateId, String actor) {
        Object[] c = pending(candidateId);
        Stored s = fromJson((String) c[1]);
        ObservationBatch batch = batch();
        String personId = batch.recordOnNewPerson(s.toObservation(), s.nir(vault, candidateId));
        batch.flush();
        decide(candidateId, "REJECTED", actor, personId, s);
        return new MatchResult(Outcome.ABSENT, personId, candidateId, "rejected by " + actor);
    }

    private Object[] pending(String candidateId) {
        return db.one("SELECT person_id, observation FROM reg_match_candidate WHERE id = ? AND status = 'PENDING'",
                rs -> new Object[] {rs.getString(1), rs.getString(2)}, candidateId)
                .orElseThrow(() -> new IllegalStateException("no pending match with this id"));
    }

    private void decide(String candidateId, String status, String actor, String resultPerson, Stored observed) {
        db.update("UPDATE reg_match_candidate SET status = ?, decided_by = ?, decided_at = ?, result_person = ? WHERE id = ?",
                status, actor, clock.instant(), resultPerson, candidateId);
        accessLog.record(resultPerson, RegistryRoutes.PARTNER, "match-" + status.toLowerCase(java.util.Locale.ROOT),
                observed.attributes().keySet(), observed.sourceExchange(), new Access(actor, Access.MATCH_DECISION));
    }

    /** An observation as kept while it waits: its NIR encrypted. */
    record Stored(String sourcePartner, String sourceExchange, Instant observedAt, String nirEncrypted,
            Map<String, String> identifiers, Map<String, String> attributes, PersonObservation.Household household) {

        PersonObservation toObservation() {
            return new PersonObservation(sourcePartner, sourceExchange, observedAt, null, identifiers, attributes, household);
        }

        String nir(NirVault vault, String candidateId) {
            return nirEncrypted == null ? null : vault.decrypt(nirEncrypted, NirVault.candidate(candidateId));
        }

        Stored withNir(String sealed) {
            return new Stored(sourcePartner, sourceExchange, observedAt, sealed, identifiers, attributes, household);
        }
    }

    private String toJson(String candidateId, PersonObservation o, String nir) {
        return Json.write(new Stored(o.sourcePartner(), o.sourceExchange(), o.observedAt(),
                nir == null ? null : vault.encrypt(nir, NirVault.candidate(candidateId)), o.identifiers(), o.attributes(),
                o.household()));
    }

    static Stored fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Stored>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored observation unreadable: " + e.getOriginalMessage(), e);
        }
    }

    // ---- retention ------------------------------------------------------------------------------------

    /** The rows of a person, deleted together (reg_person last); disclosures go through the access log. */
    private static final List<String> PERSON_TABLES = List.of("reg_attribute", "reg_identifier", "reg_nir",
            "reg_membership");

    @Override
    public synchronized Map<String, Object> purgeExpired() {
        Instant now = clock.instant();
        LocalDate cutoff = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusMonths(retentionMonths);
        int persons = 0;
        int failed = 0;
        for (String personId : db.query("SELECT DISTINCT person_id FROM reg_attribute WHERE name = ?",
                rs -> rs.getString(1), LEFT_RSA)) {
            String left = value(retained(personId, LEFT_RSA), LEFT_RSA);
            if (left == null || left.isBlank() || !leftBefore(left, cutoff)) {
                continue;
            }
            try {
                try {
                    db.inTransaction(() -> purgePerson(personId, now));
                } catch (RuntimeException e) {
                    // After another person's failed purge, Derby can hand this one a connection it has closed
                    // ("No current connection", SQL state 08003 at COMMIT): nothing was written, try once more.
                    if (!connectionLost(e)) {
                        throw e;
                    }
                    db.inTransaction(() -> purgePerson(personId, now));
                }
                persons++;
            } catch (RuntimeException e) {
                // rolled back whole: the person is still there, found again by the next run
                failed++;
                LOG.warn("Retention: person {} not purged, left whole for the next run: {}", personId,
                        Redaction.describe(e));
            }
        }
        int households = db.update("DELETE FROM reg_household WHERE id NOT IN (SELECT household_id FROM reg_membership)");
        int payloads = purgeQueuedPayloads();
        int reads = accessLog.purgeReadsBefore(now.atZone(ZoneOffset.UTC).minusMonths(accessLogMonths).toInstant());
        db.update("INSERT INTO reg_retention_run (run_at, cutoff, persons_purged, households_purged, payloads_purged) "
                + "VALUES (?,?,?,?,?)", now, java.sql.Date.valueOf(cutoff), persons, households, payloads);
        LOG.info("Retention: {} persons, {} households and {} payloads purged (left the RSA before {}), {} persons left "
                + "for the next run, {} access-log reads older than {} months deleted", persons, households, payloads,
                cutoff, failed, reads, accessLogMonths);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cutoff", cutoff.toString());
        out.put("personsPurged", persons);
        out.put("personsFailed", failed);
        out.put("householdsPurged", households);
        out.put("payloadsPurged", payloads);
        out.put("accessLogReadsPurged", reads);
        return out;
    }

    /**
     * Deletes a person with all its rows, in the caller's transaction; the journal exchanges its values came from
     * are queued (reg_purge_pending) in the same transaction, their payloads purged once no one refers to them.
     */
    private void purgePerson(String personId, Instant now) {
        for (String exchange : db.query(AccessLogStore.SOURCE_EXCHANGES, rs -> rs.getString(1), personId, personId,
                personId, personId, personId, personId)) {
            if (exchange != null) {
                db.insertIfAbsent("INSERT INTO reg_purge_pending (exchange_id, queued_at) VALUES (?,?)", exchange, now);
            }
        }
        for (String table : PERSON_TABLES) {
            db.update("DELETE FROM " + table + " WHERE person_id = ?", personId);
        }
        accessLog.forgetDisclosures(personId);
        db.update("DELETE FROM reg_match_candidate WHERE person_id = ? OR result_person = ?", personId, personId);
        db.update("DELETE FROM reg_person WHERE id = ?", personId);
    }

    /**
     * The queued exchanges: a payload no remaining person refers to is purged, then its row removed; one a person
     * still refers to is only removed from the queue; one whose purge fails stays queued for the next run.
     */
    /** True when a failure's cause chain holds a lost-connection SQL state (class 08). */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private int purgeQueuedPayloads() {
        int purgedNow = 0;
        for (String exchange : db.query("SELECT exchange_id FROM reg_purge_pending ORDER BY queued_at, exchange_id",
                rs -> rs.getString(1))) {
            if (!stillReferenced(exchange)) {
                try {
                    purgePayload.accept(exchange);
                    purgedNow++;
                } catch (RuntimeException e) {
                    LOG.warn("Payload of exchange {} not purged, queued for the next run: {}", exchange, e.getMessage());
                    continue;
                }
            }
            db.update("DELETE FROM reg_purge_pending WHERE exchange_id = ?", exchange);
        }
        return purgedNow;
    }

    private static boolean leftBefore(String date, LocalDate cutoff) {
        try {
            return LocalDate.parse(date.trim()).isBefore(cutoff);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private boolean stillReferenced(String exchange) {
        for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership", "reg_match_candidate")) {
            if (db.one("SELECT 1 FROM " + table + " WHERE source_exchange = ?", rs -> 1, exchange).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
