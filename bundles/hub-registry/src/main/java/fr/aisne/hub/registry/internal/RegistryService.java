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
 * messages about a new person must not create it twice.
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
    private final Clock clock;
    private final Consumer<String> purgePayload;

    RegistryService(DataSource dataSource, NirVault vault, Consolidation consolidation, DisclosureRules rules,
            int retentionMonths, Clock clock, Consumer<String> purgePayload) {
        this.db = new Jdbc(dataSource);
        this.vault = vault;
        this.consolidation = consolidation;
        this.rules = rules;
        this.retentionMonths = retentionMonths;
        this.clock = clock;
        this.purgePayload = purgePayload;
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
        return consolidation.consolidate(db.query(
                "SELECT name, attr_value, source_partner, source_exchange, observed_at FROM reg_attribute "
                        + "WHERE person_id = ? AND name IN (?, ?, ?, ?) ORDER BY id",
                rs -> new Consolidation.Observed(rs.getString(1), rs.getString(2), new Provenance(rs.getString(3),
                        rs.getString(4), Jdbc.instant(rs, "observed_at"))),
                personId, BIRTH_DATE, BIRTH_NAME, USAGE_NAME, FIRST_NAME));
    }

    private static String value(Map<String, Attribute> attributes, String attribute) {
        Attribute a = attributes.get(attribute);
        return a == null ? null : a.value();
    }

    private static String value(ConsolidatedPerson p, String attribute) {
        return value(p.attributes(), attribute);
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
                nir.map(n -> Nir.mask(vault.decrypt(n[0]))).orElse(null),
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
    public Optional<ConsolidatedPerson> consult(String personId, String partner, String purpose) {
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
        db.update("INSERT INTO reg_disclosure (person_id, partner, purpose, fields, exchange_id, disclosed_at) "
                + "VALUES (?,?,?,?,?,?)", personId, partner, purpose, String.join(",", fields), null, clock.instant());
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
        db.update("INSERT INTO reg_disclosure (person_id, partner, purpose, fields, exchange_id, disclosed_at) "
                + "VALUES (?,?,?,?,?,?)", personId, partner, purpose, String.join(",", allowed.keySet()), exchangeId,
                clock.instant());
        return allowed;
    }

    private String clearNir(String personId) {
        return db.one("SELECT nir_encrypted FROM reg_nir WHERE person_id = ?", rs -> rs.getString(1), personId)
                .map(vault::decrypt).orElse(null);
    }

    // ---- subject access -------------------------------------------------------------------------------

    @Override
    public Optional<Map<String, Object>> subjectAccess(String personId) {
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
    public List<Map<String, Object>> pendingMatches() {
        return db.query("SELECT id, person_id, source_partner, source_exchange, reason, created_at, observation "
                + "FROM reg_match_candidate WHERE status = 'PENDING' ORDER BY created_at", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getString(1));
                    m.put("candidatePersonId", rs.getString(2));
                    m.put("sourcePartner", rs.getString(3));
                    m.put("sourceExchange", rs.getString(4));
                    m.put("reason", rs.getString(5));
                    m.put("createdAt", Jdbc.instant(rs, "created_at").toString());
                    Stored s = fromJson(rs.getString(7));
                    m.put("observed", s.attributes());
                    return m;
                });
    }

    @Override
    public synchronized MatchResult confirmMatch(String candidateId, String actor) {
        return db.inTransaction(() -> confirm(candidateId, actor));
    }

    private MatchResult confirm(String candidateId, String actor) {
        Object[] c = pending(candidateId);
        Stored s = fromJson((String) c[1]);
        ObservationBatch batch = batch();
        batch.recordOn((String) c[0], s.toObservation(), s.nir(vault));
        batch.flush();
        decide(candidateId, "CONFIRMED", actor, (String) c[0]);
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
        String personId = batch.recordOnNewPerson(s.toObservation(), s.nir(vault));
        batch.flush();
        decide(candidateId, "REJECTED", actor, personId);
        return new MatchResult(Outcome.ABSENT, personId, candidateId, "rejected by " + actor);
    }

    private Object[] pending(String candidateId) {
        return db.one("SELECT person_id, observation FROM reg_match_candidate WHERE id = ? AND status = 'PENDING'",
                rs -> new Object[] {rs.getString(1), rs.getString(2)}, candidateId)
                .orElseThrow(() -> new IllegalStateException("no pending match " + candidateId));
    }

    private void decide(String candidateId, String status, String actor, String resultPerson) {
        db.update("UPDATE reg_match_candidate SET status = ?, decided_by = ?, decided_at = ?, result_person = ? WHERE id = ?",
                status, actor, clock.instant(), resultPerson, candidateId);
    }

    /** An observation as kept while it waits: its NIR encrypted. */
    record Stored(String sourcePartner, String sourceExchange, Instant observedAt, String nirEncrypted,
            Map<String, String> identifiers, Map<String, String> attributes, PersonObservation.Household household) {

        PersonObservation toObservation() {
            return new PersonObservation(sourcePartner, sourceExchange, observedAt, null, identifiers, attributes, household);
        }

        String nir(NirVault vault) {
            return nirEncrypted == null ? null : vault.decrypt(nirEncrypted);
        }
    }

    private String toJson(PersonObservation o, String nir) {
        return Json.write(new Stored(o.sourcePartner(), o.sourceExchange(), o.observedAt(),
                nir == null ? null : vault.encrypt(nir), o.identifiers(), o.attributes(), o.household()));
    }

    private static Stored fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Stored>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored observation unreadable: " + e.getOriginalMessage(), e);
        }
    }

    // ---- retention ------------------------------------------------------------------------------------

    @Override
    public synchronized Map<String, Object> purgeExpired() {
        LocalDate cutoff = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusMonths(retentionMonths);
        int persons = 0;
        Set<String> exchanges = new LinkedHashSet<>();
        for (String personId : db.query("SELECT DISTINCT person_id FROM reg_attribute WHERE name = ?",
                rs -> rs.getString(1), LEFT_RSA)) {
            String left = find(personId).map(p -> value(p, LEFT_RSA)).orElse(null);
            if (left == null || left.isBlank() || !leftBefore(left, cutoff)) {
                continue;
            }
            exchanges.addAll(sourceExchanges(personId));
            for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership", "reg_disclosure")) {
                db.update("DELETE FROM " + table + " WHERE person_id = ?", personId);
            }
            db.update("DELETE FROM reg_match_candidate WHERE person_id = ? OR result_person = ?", personId, personId);
            db.update("DELETE FROM reg_person WHERE id = ?", personId);
            persons++;
        }
        int households = db.update("DELETE FROM reg_household WHERE id NOT IN (SELECT household_id FROM reg_membership)");
        int payloads = 0;
        for (String exchange : exchanges) {
            if (!stillReferenced(exchange)) {
                try {
                    purgePayload.accept(exchange);
                    payloads++;
                } catch (RuntimeException e) {
                    LOG.warn("Payload of exchange {} not purged: {}", exchange, e.getMessage());
                }
            }
        }
        db.update("INSERT INTO reg_retention_run (run_at, cutoff, persons_purged, households_purged, payloads_purged) "
                + "VALUES (?,?,?,?,?)", clock.instant(), java.sql.Date.valueOf(cutoff), persons, households, payloads);
        LOG.info("Retention: {} persons, {} households and {} payloads purged (left the RSA before {})", persons,
                households, payloads, cutoff);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cutoff", cutoff.toString());
        out.put("personsPurged", persons);
        out.put("householdsPurged", households);
        out.put("payloadsPurged", payloads);
        return out;
    }

    private static boolean leftBefore(String date, LocalDate cutoff) {
        try {
            return LocalDate.parse(date.trim()).isBefore(cutoff);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private Set<String> sourceExchanges(String personId) {
        Set<String> out = new LinkedHashSet<>();
        for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership")) {
            out.addAll(db.query("SELECT DISTINCT source_exchange FROM " + table + " WHERE person_id = ? AND "
                    + "source_exchange IS NOT NULL", rs -> rs.getString(1), personId));
        }
        out.addAll(db.query("SELECT DISTINCT source_exchange FROM reg_match_candidate WHERE (person_id = ? OR "
                + "result_person = ?) AND source_exchange IS NOT NULL", rs -> rs.getString(1), personId, personId));
        return out;
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
