package fr.aisne.hub.registry.internal;

import fr.aisne.hub.api.testing.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.api.SchemaMigrations;
import fr.aisne.hub.registry.Access;
import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.ConsolidatedPerson.Attribute;
import fr.aisne.hub.registry.ConsolidatedPerson.Conflict;
import fr.aisne.hub.registry.ConsolidatedPerson.Identifier;
import fr.aisne.hub.registry.ConsolidatedPerson.Membership;
import fr.aisne.hub.registry.ConsolidatedPerson.Provenance;
import fr.aisne.hub.registry.InvalidNirException;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.MatchResult.Outcome;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonObservation.Household;

/** The registry over a real (embedded Derby) schema. All persons and NIRs are synthetic. */
public class RegistryServiceTest {
    /** Synthetic NIRs (13 characters) and their keys. */
    private static final String NIR_A = "1850578006084";
    private static final String NIR_A_15 = "185057800608491";
    private static final String NIR_B = "2920302123456";
    private static final String NIR_LEA = "2010799123001";
    private static final String NIR_LUCAS = "1010799123002";
    private static final String NIR_OTHER = "1010799123003";

    private static final Instant T1 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-12T10:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-19T10:00:00Z");
    private static final Instant T4 = Instant.parse("2026-01-26T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");

    /** The readers of these tests. */
    private static final Access READ = new Access("agent.test", Access.READ);
    private static final Access SAR = new Access("dpo.test", Access.SUBJECT_ACCESS);
    private static final Access REVIEW = new Access("agent.test", Access.MATCH_REVIEW);

    private static final Map<String, String> RULES = Map.of(
            "disclose.departement.consultation", "attributes.*, id.caf.matricule",
            "disclose.france-travail.identification", "nir, date_naissance",
            "disclose.immersion-facilitee.convention", "nom_usage, nom_naissance, prenom, date_naissance, id.france-travail.numero");

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestDatabase db;
    private static NirVault vault;

    private MutableClock clock;
    private List<String> purged;
    private RegistryService registry;

    @BeforeClass
    public static void createDatabase() throws Exception {
        db = TestDatabase.embeddedDerby(new File(TMP.getRoot(), "registrydb").getAbsolutePath());
        SchemaMigrations.apply(db.dataSource(), "registry", RegistryServiceTest.class.getClassLoader(),
                RegistryFactory.SCRIPTS);
        vault = NirVault.open(TMP.newFolder("etc").toPath());
    }

    @AfterClass
    public static void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Before
    public void emptyTables() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : regTables()) {
                st.executeUpdate("DELETE FROM " + table);
            }
        }
        clock = new MutableClock(NOW);
        purged = new ArrayList<>();
        registry = new RegistryService(db.dataSource(), vault,
                new Consolidation(Map.of("telephone", "france-travail"), "caf"), DisclosureRules.from(RULES), 24, 12,
                clock, purged::add);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static PersonObservation obs(String partner, String exchange, Instant at, String nir, Map<String, String> ids,
            Map<String, String> attributes) {
        return new PersonObservation(partner, exchange, at, nir, ids, attributes, null);
    }

    private static PersonObservation obs(String partner, String exchange, Instant at, String nir, Map<String, String> ids,
            Map<String, String> attributes, Household household) {
        return new PersonObservation(partner, exchange, at, nir, ids, attributes, household);
    }

    private static Map<String, String> identity(String birthName, String firstName, String birthDate) {
        return Map.of("nom_naissance", birthName, "prenom", firstName, "date_naissance", birthDate);
    }

    private static Map<String, String> plus(Map<String, String> base, String... kv) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private ConsolidatedPerson person(String id) {
        return registry.find(id).orElseThrow(() -> new AssertionError("no person " + id));
    }

    private static List<String> regTables() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.getMetaData().getTables(null, null, "REG_%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }

    private static int count(String sql, Object... args) throws SQLException {
        return Integer.parseInt(queryString(sql, args));
    }

    /** The first column of the first row, as a string. */
    private static String queryString(String sql, Object... args) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = prepared(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Persons with NIR_A and NIR_B, from the CAF. */
    private String[] twoPersonsWithNirs() {
        return new String[] {
            registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01"))).personId(),
            registry.observe(obs("caf", "ex-caf-2", T1, NIR_B, null, identity("AUTRE", "Dominique", "1992-03-02"))).personId()};
    }

    private static void update(String sql, Object... args) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = prepared(c, sql, args)) {
            ps.executeUpdate();
        }
    }

    private static PreparedStatement prepared(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** Every table.column of the registry whose value contains {@code needle}. */
    private static List<String> columnsContaining(String needle) throws SQLException {
        List<String> hits = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : regTables()) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String v = rs.getString(i);
                            if (v != null && v.contains(needle)) {
                                hits.add(table + "." + md.getColumnName(i));
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }

    private static Set<String> split(Object fields) {
        return Set.of(((String) fields).split(","));
    }

    // ---- matching and recording ---------------------------------------------------------------------

    @Test
    public void sameNirFromAnotherPartnerIsTheSamePersonWithProvenanceOfEachValue() {
        MatchResult first = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, Map.of("caf:matricule", "1234567"),
                identity("TESTNOM", "Camille", "1985-05-01")));
        assertEquals(Outcome.ABSENT, first.outcome());
        assertNotNull(first.personId());
        assertNull(first.candidateId());

        MatchResult second = registry.observe(obs("france-travail", "ex-ft-1", T2, NIR_A_15,
                Map.of("france-travail:numero", "FT0001"), Map.of("telephone", "0600000001", "email", "camille@example.invalid")));
        assertEquals(Outcome.CERTAIN, second.outcome());
        assertEquals("nir", second.how());
        assertEquals(first.personId(), second.personId());

        ConsolidatedPerson p = person(first.personId());
        assertTrue(p.hasNir());
        assertEquals("18505********", p.nirMasked());
        assertEquals(new Provenance("caf", "ex-caf-1", T1), p.nirSource());
        Provenance caf = new Provenance("caf", "ex-caf-1", T1);
        Provenance ft = new Provenance("france-travail", "ex-ft-1", T2);
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance", "telephone", "email"), p.attributes().keySet());
        assertEquals(new Attribute("TESTNOM", caf, List.of()), p.attributes().get("nom_naissance"));
        assertEquals(new Attribute("1985-05-01", caf, List.of()), p.attributes().get("date_naissance"));
        assertEquals(new Attribute("0600000001", ft, List.of()), p.attributes().get("telephone"));
        assertEquals(new Attribute("camille@example.invalid", ft, List.of()), p.attributes().get("email"));
        assertEquals(List.of(new Identifier("caf", "matricule", "1234567", caf),
                new Identifier("france-travail", "numero", "FT0001", ft)), p.identifiers());
        assertEquals(List.of(first.personId()), List.of(registry.findByNir(NIR_A).orElseThrow()));
    }

    @Test
    public void onePersonRecordForTheSameNir() throws SQLException {
        MatchResult first = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01")));
        registry.observe(obs("france-travail", "ex-ft-1", T2, NIR_A_15, null, Map.of("telephone", "0600000001")));
        registry.observe(obs("ouiform", "ex-of-1", T3, "1 85 05 78 006 084", null, Map.of("email", "c@example.invalid")));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_nir"));
        assertEquals(5, count("SELECT COUNT(*) FROM reg_attribute WHERE person_id = ?", first.personId()));
    }

    @Test
    public void partnerIdentifierIsACertainMatch() {
        MatchResult first = registry.observe(obs("france-travail", "ex-ft-1", T1, NIR_A, Map.of("france-travail:numero", "FT0001"),
                identity("TESTNOM", "Camille", "1985-05-01")));
        MatchResult byId = registry.observe(obs("france-travail", "ex-ft-2", T2, null, Map.of("france-travail:numero", "FT0001"),
                Map.of("ft_statut", "inscrit")));
        assertEquals(Outcome.CERTAIN, byId.outcome());
        assertEquals("identifier france-travail:numero", byId.how());
        assertEquals(first.personId(), byId.personId());
        assertEquals("inscrit", person(first.personId()).attributes().get("ft_statut").value());

        assertEquals(List.of(first.personId()), registry.findByIdentifier("france-travail", "numero", "FT0001"));
        assertEquals(List.of(), registry.findByIdentifier("france-travail", "numero", "FT0002"));
        assertEquals(List.of(), registry.findByIdentifier("caf", "numero", "FT0001"));
        assertEquals(Optional.of(first.personId()), registry.findByNir("1 85 05 78 006 084"));
        assertEquals(Optional.of(first.personId()), registry.findByNir("1.85.05.78.006.084.91"));
        assertEquals(Optional.empty(), registry.findByNir(NIR_B));
        assertThrows(InvalidNirException.class, () -> registry.findByNir(NIR_A + "92"));
    }

    @Test
    public void theRegistryIdPlacesAnObservationOnAKnownPersonAndIsNeverRecordedAsAnIdentifier() throws SQLException {
        MatchResult first = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, Map.of(), identity("TESTNOM", "Camille", "1985-05-01")));
        MatchResult decided = registry.observe(obs("aisne-actifs", "ex-aa-1", T2, null,
                Map.of(PersonObservation.REGISTRY_ID, first.personId()), Map.of("orientation_parcours", "PSO")));
        assertEquals(Outcome.CERTAIN, decided.outcome());
        assertEquals("identifier hub:personne", decided.how());
        assertEquals(first.personId(), decided.personId());
        assertEquals("PSO", person(first.personId()).attributes().get("orientation_parcours").value());
        assertEquals(List.of(), registry.findByIdentifier("hub", "personne", first.personId()));
        // an id the registry does not hold places nothing on anyone: a new person, and still no identifier recorded
        MatchResult unknown = registry.observe(obs("aisne-actifs", "ex-aa-2", T3, null,
                Map.of(PersonObservation.REGISTRY_ID, "00000000-0000-0000-0000-000000000000"), Map.of("cer_duree_mois", "3")));
        assertEquals(Outcome.ABSENT, unknown.outcome());
        assertEquals(List.of(), registry.findByIdentifier("hub", "personne", "00000000-0000-0000-0000-000000000000"));
    }

    @Test
    public void findByHouseholdWithAndWithoutNumorg() {
        MatchResult dem = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01"),
                new Household("021", "1234567", "DEM")));
        MatchResult cjt = registry.observe(obs("caf", "ex-caf-1", T1, NIR_B, null, identity("TESTNOM", "Dominique", "1992-03-02"),
                new Household("021", "1234567", "CJT")));
        MatchResult elsewhere = registry.observe(obs("caf", "ex-caf-2", T1, NIR_LEA, null, identity("AUTRENOM", "Léa", "2001-07-14"),
                new Household("059", "1234567", "DEM")));
        assertEquals(Set.of(dem.personId(), cjt.personId()), Set.copyOf(registry.findByHousehold("021", "1234567")));
        assertEquals(2, registry.findByHousehold("021", "1234567").size());
        assertEquals(List.of(elsewhere.personId()), registry.findByHousehold("059", "1234567"));
        assertEquals(Set.of(dem.personId(), cjt.personId(), elsewhere.personId()),
                Set.copyOf(registry.findByHousehold(null, "1234567")));
        assertEquals(List.of(), registry.findByHousehold("021", "7654321"));
        assertEquals(List.of(), registry.findByHousehold(null, "7654321"));
    }

    @Test
    public void householdMembershipIsRecordedWithItsRoleAndUpdatedByNewerObservations() throws SQLException {
        MatchResult r = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01"),
                new Household("021", "3333333", "DEM")));
        assertEquals(List.of(new Membership("021", "3333333", "DEM", new Provenance("caf", "ex-caf-1", T1))),
                person(r.personId()).households());

        registry.observe(obs("caf", "ex-caf-2", T3, NIR_A, null, Map.of(), new Household("021", "3333333", "CJT")));
        assertEquals(List.of(new Membership("021", "3333333", "CJT", new Provenance("caf", "ex-caf-2", T3))),
                person(r.personId()).households());

        registry.observe(obs("caf", "ex-caf-old", T2, NIR_A, null, Map.of(), new Household("021", "3333333", "ENF")));
        assertEquals("an older observation does not overwrite a newer role",
                List.of(new Membership("021", "3333333", "CJT", new Provenance("caf", "ex-caf-2", T3))),
                person(r.personId()).households());
        assertEquals(1, count("SELECT COUNT(*) FROM reg_household"));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_membership"));
    }

    @Test
    public void theNirIsNeverStoredInClear() throws SQLException {
        String a = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, Map.of("caf:matricule", "1234567"),
                identity("TESTNOM", "Camille", "1985-05-01"), new Household("021", "1234567", "DEM"))).personId();
        registry.observe(obs("france-travail", "ex-ft-1", T2, NIR_A_15, Map.of("france-travail:numero", "FT0001"),
                Map.of("telephone", "0600000001")));
        // a person without NIR, then an observation with a NIR close to it: the NIR waits in reg_match_candidate
        registry.observe(obs("immersion-facilitee", "ex-if-1", T1, null, null, identity("TESTAUTRE", "Dominique", "1992-03-02")));
        MatchResult probable = registry.observe(obs("caf", "ex-caf-2", T2, "2 92 03 02 123 456 67", null,
                identity("TESTAUTRE", "Dominique", "1992-03-02")));
        assertEquals(Outcome.PROBABLE, probable.outcome());
        registry.disclose(a, "france-travail", "identification", "ex-out-1");
        registry.consult(a, "departement", "consultation", READ);

        assertEquals("the scan reads every column, CLOBs included", List.of("REG_MATCH_CANDIDATE.OBSERVATION"),
                columnsContaining("TESTAUTRE").stream().filter(h -> h.startsWith("REG_MATCH")).toList());
        assertTrue(columnsContaining("1234567").contains("REG_IDENTIFIER.ID_VALUE"));
        for (String nir : List.of(NIR_A, NIR_B)) {
            assertEquals(List.of(), columnsContaining(nir));
            assertEquals(List.of(), columnsContaining(nir.substring(0, 10)));
        }
        assertEquals(List.of(), columnsContaining("2 92 03 02 123"));
        assertEquals("NIR_B waits, encrypted, in its match candidate", 1, count("SELECT COUNT(*) FROM reg_nir"));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_match_candidate WHERE observation LIKE '%\"nirEncrypted\":\"v2:%'"));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_nir WHERE nir_index = ?", vault.index(NIR_A)));
    }

    @Test
    public void conflictsAreKeptAndTheAuthorityWins() {
        String id = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null,
                plus(identity("DUPONT", "Camille", "1985-05-01"), "telephone", "0611111111"))).personId();
        // France Travail's telephone is older than the CAF's, and still wins: it is the authority for telephone
        registry.observe(obs("france-travail", "ex-ft-1", T1.minusSeconds(86_400), NIR_A_15,
                Map.of("france-travail:numero", "FT0001"), Map.of("telephone", "0622222222")));
        MatchResult imm = registry.observe(obs("immersion-facilitee", "ex-if-1", T3, null,
                Map.of("france-travail:numero", "FT0001"), Map.of("nom_naissance", "DUPOND", "prenom", "Camille")));
        assertEquals(Outcome.CERTAIN, imm.outcome());
        assertEquals(id, imm.personId());

        ConsolidatedPerson p = person(id);
        Attribute name = p.attributes().get("nom_naissance");
        assertEquals("DUPONT", name.value());
        assertEquals(new Provenance("caf", "ex-caf-1", T1), name.source());
        assertEquals(List.of(new Conflict("DUPOND", new Provenance("immersion-facilitee", "ex-if-1", T3))), name.conflicts());
        assertEquals("equal values are no conflict", List.of(), p.attributes().get("prenom").conflicts());
        Attribute tel = p.attributes().get("telephone");
        assertEquals("0622222222", tel.value());
        assertEquals(new Provenance("france-travail", "ex-ft-1", T1.minusSeconds(86_400)), tel.source());
        assertEquals(List.of(new Conflict("0611111111", new Provenance("caf", "ex-caf-1", T1))), tel.conflicts());
    }

    // ---- identity matching ----------------------------------------------------------------------------

    @Test
    public void closeIdentityWithoutIdentifierIsProbableAndWaitsForAnOperator() throws SQLException {
        String a = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, Map.of("caf:matricule", "1234567"),
                identity("Lefèvre-Durand", "Jean-Pierre", "1980-02-03"))).personId();
        clock.set(NOW.plusSeconds(60));
        Map<String, String> observed = plus(identity("LEFEVRE DURAND", "Jean", "1980-02-03"), "email", "jp@example.invalid");
        MatchResult r = registry.observe(obs("immersion-facilitee", "ex-if-1", T2, null, null, observed));
        assertEquals(Outcome.PROBABLE, r.outcome());
        assertEquals(a, r.personId());
        assertNotNull(r.candidateId());
        assertEquals(1, count("SELECT COUNT(*) FROM reg_person"));
        assertFalse("not recorded before a decision", person(a).attributes().containsKey("email"));

        List<Map<String, Object>> pending = registry.pendingMatches("departement", "consultation", REVIEW);
        assertEquals(1, pending.size());
        Map<String, Object> m = pending.get(0);
        assertEquals(r.candidateId(), m.get("id"));
        assertEquals(a, m.get("candidatePersonId"));
        assertEquals("immersion-facilitee", m.get("sourcePartner"));
        assertEquals("ex-if-1", m.get("sourceExchange"));
        assertEquals(NOW.plusSeconds(60).toString(), m.get("createdAt"));
        assertEquals(observed, m.get("observed"));

        clock.set(NOW.plusSeconds(3600));
        MatchResult confirmed = registry.confirmMatch(r.candidateId(), "operateur.test");
        assertEquals(Outcome.CERTAIN, confirmed.outcome());
        assertEquals(a, confirmed.personId());
        assertEquals(r.candidateId(), confirmed.candidateId());
        Attribute email = person(a).attributes().get("email");
        assertEquals("jp@example.invalid", email.value());
        assertEquals(new Provenance("immersion-facilitee", "ex-if-1", T2), email.source());
        assertEquals("the CAF stays the authority for the birth name", "Lefèvre-Durand",
                person(a).attributes().get("nom_naissance").value());
        assertEquals(List.of(), registry.pendingMatches("departement", "consultation", REVIEW));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_match_candidate WHERE status = 'CONFIRMED' AND decided_by = ? "
                + "AND result_person = ?", "operateur.test", a));
        assertThrows(IllegalStateException.class, () -> registry.confirmMatch(r.candidateId(), "operateur.test"));
        assertThrows(IllegalStateException.class, () -> registry.rejectMatch(r.candidateId(), "operateur.test"));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> decisions = (List<Map<String, Object>>) registry.subjectAccess(a, SAR).orElseThrow()
                .get("matchDecisions");
        assertEquals(1, decisions.size());
        assertEquals("CONFIRMED", decisions.get(0).get("status"));
        assertEquals("operateur.test", decisions.get(0).get("decidedBy"));
    }

    @Test
    public void rejectingAProbableMatchCreatesANewPerson() throws SQLException {
        String a = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null,
                identity("Lefèvre-Durand", "Jean-Pierre", "1980-02-03"))).personId();
        MatchResult r = registry.observe(obs("ouiform", "ex-of-1", T2, null, Map.of("ouiform:stagiaire", "S-1"),
                identity("LEFEVRE-DURAND", "Jean", "1980-02-03")));
        assertEquals(Outcome.PROBABLE, r.outcome());
        assertEquals(List.of(), registry.findByIdentifier("ouiform", "stagiaire", "S-1"));

        MatchResult rejected = registry.rejectMatch(r.candidateId(), "operateur.test");
        assertEquals(Outcome.ABSENT, rejected.outcome());
        assertNotEquals(a, rejected.personId());
        assertEquals(2, count("SELECT COUNT(*) FROM reg_person"));
        ConsolidatedPerson other = person(rejected.personId());
        assertEquals("Jean", other.attributes().get("prenom").value());
        assertEquals(new Provenance("ouiform", "ex-of-1", T2), other.attributes().get("prenom").source());
        assertFalse(other.hasNir());
        assertEquals(List.of(rejected.personId()), registry.findByIdentifier("ouiform", "stagiaire", "S-1"));
        assertFalse(person(a).attributes().get("prenom").value().equals("Jean"));
        assertEquals(List.of(), registry.pendingMatches("departement", "consultation", REVIEW));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_match_candidate WHERE status = 'REJECTED' AND result_person = ?",
                rejected.personId()));
    }

    @Test
    public void confirmingAProbableMatchWithANirRecordsTheNir() {
        String a = registry.observe(obs("immersion-facilitee", "ex-if-1", T1, null, null,
                identity("TESTNOM", "Dominique", "1992-03-02"))).personId();
        MatchResult r = registry.observe(obs("caf", "ex-caf-1", T2, NIR_B, null, identity("TESTNOM", "Dominique", "1992-03-02")));
        assertEquals(Outcome.PROBABLE, r.outcome());
        assertEquals(Optional.empty(), registry.findByNir(NIR_B));
        registry.confirmMatch(r.candidateId(), "operateur.test");
        assertEquals(Optional.of(a), registry.findByNir(NIR_B));
        assertEquals(new Provenance("caf", "ex-caf-1", T2), person(a).nirSource());
    }

    @Test
    public void twinsAreNotConfused() throws SQLException {
        String lea = registry.observe(obs("caf", "ex-caf-1", T1, NIR_LEA, null, identity("TESTJUMEAU", "Léa", "2001-07-14"),
                new Household("021", "5555555", "ENF"))).personId();
        String lucas = registry.observe(obs("caf", "ex-caf-1", T1, NIR_LUCAS, null, identity("TESTJUMEAU", "Lucas", "2001-07-14"),
                new Household("021", "5555555", "ENF"))).personId();
        assertNotEquals(lea, lucas);

        MatchResult r = registry.observe(obs("immersion-facilitee", "ex-if-1", T2, null, null,
                identity("Testjumeau", "LUCAS", "2001-07-14")));
        assertEquals(Outcome.PROBABLE, r.outcome());
        assertEquals(lucas, r.personId());
        List<Map<String, Object>> pending = registry.pendingMatches("departement", "consultation", REVIEW);
        assertEquals(1, pending.size());
        assertEquals(lucas, pending.get(0).get("candidatePersonId"));
        assertFalse((String) pending.get(0).get("reason"), ((String) pending.get(0).get("reason")).contains("persons"));
        assertEquals(0, count("SELECT COUNT(*) FROM reg_match_candidate WHERE person_id = ?", lea));

        MatchResult lea2 = registry.observe(obs("immersion-facilitee", "ex-if-2", T2, null, null,
                identity("TESTJUMEAU", "Lea", "2001-07-14")));
        assertEquals(Outcome.PROBABLE, lea2.outcome());
        assertEquals(lea, lea2.personId());

        MatchResult otherNir = registry.observe(obs("france-travail", "ex-ft-1", T2, NIR_OTHER, null,
                identity("TESTJUMEAU", "Lucas", "2001-07-14")));
        assertEquals("a different NIR is a different person", Outcome.ABSENT, otherNir.outcome());
        assertNotEquals(lucas, otherNir.personId());
        assertNotEquals(lea, otherNir.personId());
        assertEquals(3, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(Optional.of(lucas), registry.findByNir(NIR_LUCAS));
        assertEquals(Optional.of(otherNir.personId()), registry.findByNir(NIR_OTHER));
        assertFalse(person(lucas).attributes().get("prenom").conflicts().size() > 0);
    }

    @Test
    public void anIdentifierOfAPersonWithAnotherNirIsNotACertainMatch() throws SQLException {
        String a = registry.observe(obs("france-travail", "ex-ft-1", T1, NIR_A, Map.of("france-travail:numero", "FT0001"),
                identity("TESTNOM", "Camille", "1985-05-01"))).personId();
        MatchResult r = registry.observe(obs("france-travail", "ex-ft-2", T2, NIR_B, Map.of("france-travail:numero", "FT0001"),
                identity("TESTNOM", "Camille", "1985-05-01")));
        assertNotEquals(Outcome.CERTAIN, r.outcome());
        assertNotEquals(a, r.personId());
        assertEquals("TESTNOM", person(a).attributes().get("nom_naissance").value());
        assertEquals("nothing recorded on the person with the other NIR", 3,
                count("SELECT COUNT(*) FROM reg_attribute WHERE person_id = ?", a));
        assertEquals(List.of(a), registry.findByIdentifier("france-travail", "numero", "FT0001"));
        assertEquals(Optional.of(r.personId()), registry.findByNir(NIR_B));
    }

    @Test
    public void aUsageNameCloseToTheBirthNameIsProbable() {
        String a = registry.observe(obs("caf", "ex-caf-1", T1, NIR_B, null,
                plus(identity("TESTNAISSANCE", "Dominique", "1992-03-02"), "nom_usage", "Testusage-Autre"))).personId();
        MatchResult r = registry.observe(obs("immersion-facilitee", "ex-if-1", T2, null, null,
                Map.of("nom_usage", "TESTUSAGE", "prenom", "dominique", "date_naissance", "1992-03-02")));
        assertEquals(Outcome.PROBABLE, r.outcome());
        assertEquals(a, r.personId());
        MatchResult far = registry.observe(obs("immersion-facilitee", "ex-if-2", T2, null, null,
                Map.of("nom_naissance", "TESTAILLEURS", "prenom", "Dominique", "date_naissance", "1992-03-02")));
        assertEquals("same birth date and first name, another name", Outcome.ABSENT, far.outcome());
    }

    @Test
    public void blankIdentifiersNeverMatchAnybody() throws SQLException {
        // ObservationJson turns a JSON null into "": two unrelated persons whose partner id is unknown
        String a = registry.observe(obs("ouiform", "ex-of-1", T1, null, Map.of("ouiform:stagiaire", ""),
                identity("TESTUN", "Camille", "1985-05-01"))).personId();
        MatchResult b = registry.observe(obs("ouiform", "ex-of-2", T2, null, Map.of("ouiform:stagiaire", " "),
                identity("TESTDEUX", "Dominique", "1992-03-02")));
        assertEquals(Outcome.ABSENT, b.outcome());
        assertNotEquals(a, b.personId());
        MatchResult c = registry.observe(obs("ouiform", "ex-of-3", T2, null, Map.of("ouiform:stagiaire", ""),
                identity("TESTTROIS", "Sacha", "2001-07-14")));
        assertEquals(Outcome.ABSENT, c.outcome());
        assertEquals(3, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(0, count("SELECT COUNT(*) FROM reg_identifier"));
        assertEquals("Camille", person(a).attributes().get("prenom").value());
        assertEquals(1, count("SELECT COUNT(*) FROM reg_attribute WHERE person_id = ? AND name = 'prenom'", a));
    }

    @Test
    public void homonymBornAnotherDayIsANewPerson() throws SQLException {
        String a = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01"))).personId();
        MatchResult r = registry.observe(obs("immersion-facilitee", "ex-if-1", T2, null, null,
                identity("TESTNOM", "Camille", "1985-05-02")));
        assertEquals(Outcome.ABSENT, r.outcome());
        assertNotEquals(a, r.personId());
        assertEquals(List.of(), registry.pendingMatches("departement", "consultation", REVIEW));
        assertEquals(2, count("SELECT COUNT(*) FROM reg_person"));
    }

    @Test
    public void withoutFirstNameOrBirthDateThereIsNoIdentityMatch() {
        registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01")));
        assertEquals(Outcome.ABSENT, registry.observe(obs("ouiform", "ex-of-1", T2, null, null,
                Map.of("nom_naissance", "TESTNOM", "date_naissance", "1985-05-01"))).outcome());
        assertEquals(Outcome.ABSENT, registry.observe(obs("ouiform", "ex-of-2", T2, null, null,
                Map.of("nom_naissance", "TESTNOM", "prenom", "Camille"))).outcome());
    }

    // ---- disclosure, consultation, subject access -----------------------------------------------------

    private String camille() {
        String id = registry.observe(obs("caf", "ex-caf-1", T1, NIR_A, Map.of("caf:matricule", "1234567"),
                identity("TESTNOM", "Camille", "1985-05-01"), new Household("021", "1234567", "DEM"))).personId();
        registry.observe(obs("france-travail", "ex-ft-1", T2, NIR_A_15, Map.of("france-travail:numero", "FT0001"),
                Map.of("telephone", "0600000001", "email", "camille@example.invalid")));
        return id;
    }

    @Test
    public void disclosureSendsOnlyTheAllowedFieldsAndIsLogged() {
        String id = camille();
        clock.set(NOW.plusSeconds(10));
        Map<String, Object> convention = registry.disclose(id, "immersion-facilitee", "convention", "ex-out-1");
        assertEquals(Map.of("nom_naissance", "TESTNOM", "prenom", "Camille", "date_naissance", "1985-05-01",
                "id.france-travail.numero", "FT0001"), convention);
        assertFalse(convention.containsKey("nir"));
        assertFalse(convention.containsKey("telephone"));

        clock.set(NOW.plusSeconds(20));
        Map<String, Object> identification = registry.disclose(id, "france-travail", "identification", "ex-out-2");
        assertEquals(Map.of("nir", NIR_A, "date_naissance", "1985-05-01"), identification);

        assertEquals("no rule, no field", Map.of(), registry.disclose(id, "inconnu", "convention", "ex-out-3"));
        assertThrows(IllegalArgumentException.class,
                () -> registry.disclose("00000000-0000-0000-0000-000000000000", "france-travail", "identification", "x"));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> log = (List<Map<String, Object>>) registry.subjectAccess(id, SAR).orElseThrow().get("disclosures");
        assertEquals(3, log.size());
        assertEquals("immersion-facilitee", log.get(0).get("partner"));
        assertEquals("convention", log.get(0).get("purpose"));
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance", "id.france-travail.numero"), split(log.get(0).get("fields")));
        assertEquals("ex-out-1", log.get(0).get("exchangeId"));
        assertEquals(NOW.plusSeconds(10).toString(), log.get(0).get("disclosedAt"));
        assertEquals("france-travail", log.get(1).get("partner"));
        assertEquals("identification", log.get(1).get("purpose"));
        assertEquals(Set.of("nir", "date_naissance"), split(log.get(1).get("fields")));
        assertEquals("ex-out-2", log.get(1).get("exchangeId"));
        assertEquals("inconnu", log.get(2).get("partner"));
        assertEquals("", log.get(2).get("fields"));
    }

    @Test
    public void consultationShowsAllowedAttributesWithoutTheNirAndIsLogged() {
        String id = camille();
        ConsolidatedPerson p = registry.consult(id, "departement", "consultation", READ).orElseThrow();
        assertNull(p.nirMasked());
        assertNull(p.nirSource());
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance", "telephone", "email"), p.attributes().keySet());
        assertEquals(new Provenance("france-travail", "ex-ft-1", T2), p.attributes().get("telephone").source());
        assertEquals(List.of("caf"), p.identifiers().stream().map(Identifier::partner).toList());

        ConsolidatedPerson ft = registry.consult(id, "france-travail", "identification", READ).orElseThrow();
        assertEquals("18505********", ft.nirMasked());
        assertEquals(Set.of("date_naissance"), ft.attributes().keySet());
        assertEquals(List.of(), ft.identifiers());

        assertEquals(Optional.empty(), registry.consult("00000000-0000-0000-0000-000000000000", "departement", "consultation", READ));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> log = (List<Map<String, Object>>) registry.subjectAccess(id, SAR).orElseThrow().get("disclosures");
        assertEquals(2, log.size());
        assertEquals("departement", log.get(0).get("partner"));
        assertEquals("consultation", log.get(0).get("purpose"));
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance", "telephone", "email", "id.caf.matricule"),
                split(log.get(0).get("fields")));
        assertNull(log.get(0).get("exchangeId"));
        assertEquals(Set.of("date_naissance", "nir"), split(log.get(1).get("fields")));
    }

    @Test
    public void subjectAccessHoldsEverything() {
        String id = camille();
        registry.observe(obs("immersion-facilitee", "ex-if-1", T3, null, Map.of("france-travail:numero", "FT0001"),
                Map.of("nom_naissance", "DUPOND")));
        registry.disclose(id, "immersion-facilitee", "convention", "ex-out-1");

        Map<String, Object> sar = registry.subjectAccess(id, SAR).orElseThrow();
        assertEquals(NIR_A, sar.get("nir"));
        ConsolidatedPerson p = (ConsolidatedPerson) sar.get("person");
        assertEquals(id, p.id());
        assertEquals(Set.of("caf:matricule", "france-travail:numero"),
                p.identifiers().stream().map(i -> i.partner() + ":" + i.kind()).collect(Collectors.toSet()));
        assertEquals(List.of(new Membership("021", "1234567", "DEM", new Provenance("caf", "ex-caf-1", T1))), p.households());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) sar.get("attributeHistory");
        assertEquals(6, history.size());
        Set<String> rows = history.stream().map(h -> h.get("name") + "=" + h.get("attrValue") + "@" + h.get("sourcePartner")
                + "/" + h.get("sourceExchange") + "/" + h.get("observedAt")).collect(Collectors.toSet());
        assertEquals(Set.of(
                "nom_naissance=TESTNOM@caf/ex-caf-1/" + T1,
                "prenom=Camille@caf/ex-caf-1/" + T1,
                "date_naissance=1985-05-01@caf/ex-caf-1/" + T1,
                "telephone=0600000001@france-travail/ex-ft-1/" + T2,
                "email=camille@example.invalid@france-travail/ex-ft-1/" + T2,
                "nom_naissance=DUPOND@immersion-facilitee/ex-if-1/" + T3), rows);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> disclosures = (List<Map<String, Object>>) sar.get("disclosures");
        assertEquals(1, disclosures.size());
        assertEquals("ex-out-1", disclosures.get(0).get("exchangeId"));
        assertEquals(NOW.toString(), sar.get("generatedAt"));

        assertEquals(Optional.empty(), registry.subjectAccess("00000000-0000-0000-0000-000000000000", SAR));
    }

    @Test
    public void subjectAccessWithoutNir() {
        String id = registry.observe(obs("ouiform", "ex-of-1", T1, null, null, identity("TESTNOM", "Camille", "1985-05-01")))
                .personId();
        Map<String, Object> sar = registry.subjectAccess(id, SAR).orElseThrow();
        assertNull(sar.get("nir"));
        assertFalse(((ConsolidatedPerson) sar.get("person")).hasNir());
    }

    // ---- retention ------------------------------------------------------------------------------------

    @Test
    public void purgeRemovesPersonsWhoLeftTheRsaLongAgoWithTheirUnsharedPayloads() throws SQLException {
        clock.set(Instant.parse("2026-06-15T10:00:00Z"));
        String oldNir = "1700199000001";
        String old = registry.observe(obs("caf", "ex-old", T1, oldNir, Map.of("caf:matricule", "1111111"),
                plus(identity("TESTANCIEN", "Alex", "1970-01-01"), "date_sortie_rsa", "2024-01-31"),
                new Household("021", "1111111", "DEM"))).personId();
        registry.observe(obs("caf", "ex-old", T1, oldNir, null, Map.of(), new Household("021", "2222222", "AUT")));
        String kept = registry.observe(obs("caf", "ex-kept", T1, "2700199000002", null,
                plus(identity("TESTRECENT", "Sacha", "1970-01-02"), "date_sortie_rsa", "2025-12-31"),
                new Household("021", "2222222", "DEM"))).personId();
        String none = registry.observe(obs("caf", "ex-none", T1, "1700199000003", null,
                identity("TESTCOURANT", "Noa", "1970-01-03"), new Household("021", "2222222", "CJT"))).personId();
        // one France Travail file about the old and the kept person
        registry.observe(obs("france-travail", "ex-shared", T2, oldNir, Map.of("france-travail:numero", "FT0100"),
                Map.of("telephone", "0600000100")));
        registry.observe(obs("france-travail", "ex-shared", T2, "2700199000002", Map.of("france-travail:numero", "FT0200"),
                Map.of("telephone", "0600000200")));
        registry.disclose(old, "france-travail", "identification", "ex-out-1");
        // a probable match about the old person
        registry.observe(obs("immersion-facilitee", "ex-if-1", T3, null, null, identity("TESTANCIEN", "Alex", "1970-01-01")));

        Map<String, Object> result = registry.purgeExpired();
        assertEquals("2024-06-15", result.get("cutoff"));
        assertEquals(1, result.get("personsPurged"));
        assertEquals(1, result.get("householdsPurged"));
        // ex-old and the pending match's ex-if-1 were only about the purged person; ex-shared is still used
        assertEquals(2, result.get("payloadsPurged"));
        assertEquals(Set.of("ex-old", "ex-if-1"), Set.copyOf(purged));
        assertEquals(2, purged.size());

        assertEquals(Optional.empty(), registry.find(old));
        assertEquals(Optional.empty(), registry.subjectAccess(old, SAR));
        assertEquals(Optional.empty(), registry.findByNir(oldNir));
        assertEquals(0, count("SELECT COUNT(*) FROM reg_nir WHERE nir_index = ?", vault.index(oldNir)));
        assertEquals(List.of(), registry.findByIdentifier("caf", "matricule", "1111111"));
        assertEquals(List.of(), registry.findByIdentifier("france-travail", "numero", "FT0100"));
        for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership", "reg_disclosure")) {
            assertEquals(table, 0, count("SELECT COUNT(*) FROM " + table + " WHERE person_id = ?", old));
        }
        assertEquals(0, count("SELECT COUNT(*) FROM reg_match_candidate WHERE person_id = ?", old));
        assertEquals(List.of(), registry.findByHousehold("021", "1111111"));
        assertEquals(0, count("SELECT COUNT(*) FROM reg_household WHERE matricule = '1111111'"));
        assertEquals(Set.of(kept, none), Set.copyOf(registry.findByHousehold("021", "2222222")));

        assertTrue(registry.find(kept).isPresent());
        assertTrue(registry.find(none).isPresent());
        assertEquals(Optional.of(kept), registry.findByNir("2700199000002"));
        assertEquals("0600000200", person(kept).attributes().get("telephone").value());

        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM reg_retention_run")) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnName(i));
            }
            assertEquals(List.of("RUN_AT", "CUTOFF", "PERSONS_PURGED", "HOUSEHOLDS_PURGED", "PAYLOADS_PURGED"), columns);
            assertTrue(rs.next());
            assertEquals(Instant.parse("2026-06-15T10:00:00Z"), rs.getTimestamp("RUN_AT").toInstant());
            assertEquals("2024-06-15", rs.getDate("CUTOFF").toLocalDate().toString());
            assertEquals(1, rs.getInt("PERSONS_PURGED"));
            assertEquals(1, rs.getInt("HOUSEHOLDS_PURGED"));
            assertEquals(2, rs.getInt("PAYLOADS_PURGED"));
            assertFalse(rs.next());
        }

        clock.advance(Duration.ofDays(1));
        Map<String, Object> again = registry.purgeExpired();
        assertEquals(0, again.get("personsPurged"));
        assertEquals(0, again.get("householdsPurged"));
        assertEquals(0, again.get("payloadsPurged"));
        assertEquals("nothing more on a second run", 2, purged.size());
        assertEquals(2, count("SELECT COUNT(*) FROM reg_retention_run"));
    }

    @Test
    public void purgeUsesTheConsolidatedExitDate() {
        clock.set(Instant.parse("2026-06-15T10:00:00Z"));
        // the CAF (authority) says the person left recently; an older source said long ago
        String id = registry.observe(obs("caf", "ex-caf", T1, NIR_A, null,
                plus(identity("TESTNOM", "Camille", "1985-05-01"), "date_sortie_rsa", "2026-01-31"))).personId();
        registry.observe(obs("departement", "ex-dep", T2, NIR_A, null, Map.of("date_sortie_rsa", "2020-01-31")));
        String exact = registry.observe(obs("caf", "ex-exact", T1, NIR_B, null,
                plus(identity("TESTNOM", "Dominique", "1992-03-02"), "date_sortie_rsa", "2024-06-15"))).personId();
        String empty = registry.observe(obs("caf", "ex-empty", T1, NIR_LEA, null,
                plus(identity("TESTNOM", "Léa", "2001-07-14"), "date_sortie_rsa", ""))).personId();
        Map<String, Object> result = registry.purgeExpired();
        assertEquals(0, result.get("personsPurged"));
        assertEquals(List.of(), purged);
        assertTrue(registry.find(id).isPresent());
        assertTrue("exactly at the cutoff is kept", registry.find(exact).isPresent());
        assertTrue(registry.find(empty).isPresent());

        clock.set(Instant.parse("2026-06-16T10:00:00Z"));
        assertEquals(1, registry.purgeExpired().get("personsPurged"));
        assertEquals(Optional.empty(), registry.find(exact));
        assertEquals(List.of("ex-exact"), purged);
    }

    // ---- batches (bulk imports) -----------------------------------------------------------------------

    @Test
    public void aBatchMakesOnePersonOfTwoObservationsOfTheSameNewPerson() throws SQLException {
        Household h = new Household("021", "1234567", "DEM");
        List<MatchResult> r = registry.observeAll(List.of(
                obs("caf", "ex-1", T1, NIR_A, null, identity("TESTNOM", "Camille", "1985-05-01"), h),
                obs("caf", "ex-1", T1, NIR_A_15, null, identity("TESTNOM", "Camille", "1985-05-01"), h),
                obs("caf", "ex-1", T1, NIR_B, null, identity("AUTRENOM", "Dominique", "1992-03-02"),
                        new Household("021", "1234567", "CJT"))));
        assertEquals(Outcome.ABSENT, r.get(0).outcome());
        assertEquals("second sight of the same NIR in the batch", Outcome.CERTAIN, r.get(1).outcome());
        assertEquals(r.get(0).personId(), r.get(1).personId());
        assertNotEquals(r.get(0).personId(), r.get(2).personId());
        assertEquals(2, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(1, count("SELECT COUNT(*) FROM reg_household"));
        assertEquals(2, count("SELECT COUNT(*) FROM reg_membership"));
        assertEquals(Set.copyOf(List.of(r.get(0).personId(), r.get(2).personId())),
                Set.copyOf(registry.findByHousehold("021", "1234567")));
        assertEquals("match keys written with the new person", 1,
                count("SELECT COUNT(*) FROM reg_person WHERE match_first_name = 'CAMILLE' AND match_birth_date = '1985-05-01'"));
    }

    @Test
    public void aBatchFindsTheProbableMatchOfAPersonCreatedEarlierInTheSameBatch() {
        List<MatchResult> r = registry.observeAll(List.of(
                obs("caf", "ex-1", T1, NIR_A, null, identity("TESTNOM", "Jean-Pierre", "1985-05-01")),
                obs("immersion-facilitee", "ex-2", T2, null, null, identity("TESTNOM", "Jean", "1985-05-01"))));
        assertEquals(Outcome.ABSENT, r.get(0).outcome());
        assertEquals(Outcome.PROBABLE, r.get(1).outcome());
        assertEquals(r.get(0).personId(), r.get(1).personId());
        assertEquals(1, registry.pendingMatches("departement", "consultation", REVIEW).size());
    }

    @Test
    public void aValueRepeatedUnchangedBySameSourceIsRecordedOnceAndAChangeIsRecorded() throws SQLException {
        Household h = new Household("021", "1234567", "DEM");
        Map<String, String> attrs = plus(identity("TESTNOM", "Camille", "1985-05-01"), "etat_dossier_rsa", "2");
        String id = registry.observeAll(List.of(obs("caf", "ex-m1", T1, NIR_A, null, attrs, h))).get(0).personId();
        int rows = count("SELECT COUNT(*) FROM reg_attribute WHERE person_id = ?", id);
        registry.observeAll(List.of(obs("caf", "ex-m2", T2, NIR_A, null, attrs, h)));
        assertEquals("the monthly file repeats every value", rows, count("SELECT COUNT(*) FROM reg_attribute WHERE person_id = ?", id));
        registry.observeAll(List.of(obs("caf", "ex-m3", T3, NIR_A, null, plus(attrs, "etat_dossier_rsa", "3"),
                new Household("021", "1234567", "CJT"))));
        assertEquals(rows + 1, count("SELECT COUNT(*) FROM reg_attribute WHERE person_id = ?", id));
        ConsolidatedPerson p = person(id);
        assertEquals("3", p.attributes().get("etat_dossier_rsa").value());
        assertEquals("ex-m3", p.attributes().get("etat_dossier_rsa").source().exchangeId());
        assertEquals("ex-m1", p.attributes().get("prenom").source().exchangeId());
        assertEquals("role change recorded", "CJT", p.households().get(0).role());
        assertEquals(1, count("SELECT COUNT(*) FROM reg_person"));
    }

    @Test
    public void aLargeBatchMatchesKnownPersonsByNirWithoutCreatingAnyone() throws SQLException {
        List<PersonObservation> first = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            first.add(obs("caf", "ex-a", T1, syntheticNir(i), null, identity("NOM" + i, "Prenom" + (char) ('A' + i % 26),
                    "1980-01-" + String.format("%02d", 1 + i % 28)), new Household("021", String.valueOf(1000000 + i / 2), "DEM")));
        }
        assertTrue(registry.observeAll(first).stream().allMatch(m -> m.outcome() == Outcome.ABSENT));
        List<PersonObservation> again = first.stream().map(o -> obs("caf", "ex-b", T2, o.nir(), null, o.attributes(),
                o.household())).toList();
        List<MatchResult> r = registry.observeAll(again);
        assertTrue(r.stream().allMatch(m -> m.outcome() == Outcome.CERTAIN && m.how().equals("nir")));
        assertEquals(700, count("SELECT COUNT(*) FROM reg_person"));
        assertEquals(350, count("SELECT COUNT(*) FROM reg_household"));
        assertEquals(700, count("SELECT COUNT(*) FROM reg_nir"));
    }

    // ---- access log (who read what of whom) --------------------------------------------------------

    @Test
    public void everyReadIsLoggedWithItsAccountAndTheDpoListsThemByPersonOrByAccount() {
        String id = camille();
        String probable = registry.observe(obs("immersion-facilitee", "ex-if-9", T3, null, null,
                plus(identity("TESTNOM", "Camille", "1985-05-01"), "rqth", "oui"))).candidateId();
        clock.set(NOW.plusSeconds(10));
        registry.consult(id, "departement", "consultation", READ);
        registry.consultAll(List.of(id), "departement", "consultation", new Access("agent.two", Access.LOOKUP_NIR));
        registry.consultAll(List.of(), "departement", "consultation", new Access("agent.two", Access.LOOKUP_NIR));
        clock.set(NOW.plusSeconds(20));
        List<Map<String, Object>> pending = registry.pendingMatches("departement", "consultation", REVIEW);
        assertEquals("the listing applies the rules: no special category through attributes.*",
                Set.of("nom_naissance", "prenom", "date_naissance"), observedOf(pending, probable).keySet());
        registry.disclose(id, "france-travail", "identification", "ex-out-1");
        clock.set(NOW.plusSeconds(30));
        registry.confirmMatch(probable, "agent.three");
        registry.subjectAccess(id, SAR);
        registry.accessLog().payloadRead("admin.test", "ex-caf-1", AccessLogStore.PAYLOAD_DOWNLOAD);
        registry.accessLog().payloadRead("admin.test", "ex-unrelated", AccessLogStore.PAYLOAD_PREVIEW);

        List<Map<String, Object>> log = registry.accessLog().query(id, null, null, null, 100);
        assertEquals("newest first, the payload read of an exchange the person's values came from included", List.of(
                "admin.test/payload-download/null/ex-caf-1",
                "dpo.test/subject-access/" + id + "/null",
                "agent.three/match-decision/" + id + "/ex-if-9",
                "system/disclosure/" + id + "/ex-out-1",
                "agent.test/match-review/" + id + "/ex-if-9",
                "agent.two/lookup-nir/" + id + "/null",
                "agent.test/read/" + id + "/null"), log.stream().map(r -> r.get("account") + "/" + r.get("kind") + "/"
                        + r.get("personId") + "/" + r.get("exchangeId")).toList());
        assertEquals(NOW.plusSeconds(10).toString(), log.get(log.size() - 1).get("at"));
        assertEquals("what was shown", Set.of("nom_naissance", "prenom", "date_naissance", "telephone", "email",
                "id.caf.matricule"), split(log.get(log.size() - 1).get("fields")));
        assertEquals(Set.of("nom_naissance", "prenom", "date_naissance"), split(log.get(4).get("fields")));

        List<Map<String, Object>> byAccount = registry.accessLog().query(null, "agent.two", null, null, 100);
        assertEquals("the lookup that found nobody is there too", 2, byAccount.size());
        assertNull(byAccount.get(0).get("personId"));
        assertEquals(1, registry.accessLog().query(null, "agent.two", NOW.plusSeconds(10), NOW.plusSeconds(11), 1).size());
        assertEquals(0, registry.accessLog().query(null, "agent.two", NOW.plusSeconds(11), null, 100).size());
        assertEquals(1, registry.accessLog().query(null, "admin.test", null, null, 100).stream()
                .filter(r -> "ex-unrelated".equals(r.get("exchangeId"))).count());
        assertThrows(IllegalArgumentException.class,
                () -> registry.accessLog().payloadRead("admin.test", "ex-caf-1", "payload-everything"));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> disclosures = (List<Map<String, Object>>) registry.subjectAccess(id, SAR).orElseThrow()
                .get("disclosures");
        assertTrue("the person's export lists the reads and disclosures, not the agents' names: " + disclosures,
                disclosures.stream().noneMatch(d -> d.containsKey("accessedBy") || d.containsValue("agent.test")));
    }

    @Test
    public void theMigrationMarksTheRowsWrittenBeforeTheAccessLogAndKeepsThem() throws Exception {
        TestDatabase old = TestDatabase.embeddedDerby(new File(TMP.getRoot(), "olddb").getAbsolutePath());
        try {
            String[] v1to3 = java.util.Arrays.copyOf(RegistryFactory.SCRIPTS, 3);
            SchemaMigrations.apply(old.dataSource(), "registry", getClass().getClassLoader(), v1to3);
            try (Connection c = old.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO reg_disclosure (person_id, partner, purpose, fields, exchange_id, disclosed_at) "
                        + "VALUES ('3b0c6d8e-0000-4000-8000-000000000001', 'departement', 'consultation', 'prenom', NULL, "
                        + "CURRENT_TIMESTAMP)");
            }
            SchemaMigrations.apply(old.dataSource(), "registry", getClass().getClassLoader(), RegistryFactory.SCRIPTS);
            try (Connection c = old.dataSource().getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT accessed_by, access_kind FROM reg_disclosure")) {
                assertTrue(rs.next());
                assertEquals("unknown (before v2)", rs.getString(1));
                assertEquals("unknown (before v2)", rs.getString(2));
                assertFalse(rs.next());
                SQLException noReader = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO reg_disclosure "
                        + "(person_id, partner, purpose, fields, disclosed_at) VALUES (NULL, 'hub', 'x', '', CURRENT_TIMESTAMP)"));
                assertEquals("a new row must name its reader", "23502", noReader.getSQLState());
            }
        } finally {
            old.close();
        }
    }

    @Test
    public void readsByAccountsOutliveThePurgedPersonUntilTheAccessLogsOwnRetention() throws SQLException {
        clock.set(Instant.parse("2026-06-15T10:00:00Z"));
        String old = registry.observe(obs("caf", "ex-old", T1, "1700199000001", null,
                plus(identity("TESTANCIEN", "Alex", "1970-01-01"), "date_sortie_rsa", "2024-01-31"))).personId();
        registry.disclose(old, "france-travail", "identification", "ex-out-1");
        registry.consult(old, "departement", "consultation", READ);
        assertEquals(1, registry.purgeExpired().get("personsPurged"));
        assertEquals("the disclosure to a partner went with the person", 0,
                count("SELECT COUNT(*) FROM reg_disclosure WHERE accessed_by = 'system'"));
        assertEquals("the agent's read stays, for the access log's retention", 1,
                registry.accessLog().query(old, null, null, null, 10).size());
        clock.set(Instant.parse("2027-06-15T10:00:01Z"));
        Map<String, Object> later = registry.purgeExpired();
        assertEquals(1, later.get("accessLogReadsPurged"));
        assertEquals(0, count("SELECT COUNT(*) FROM reg_disclosure"));
    }

    // ---- retention that fails midway ----------------------------------------------------------------

    @Test
    public void aPurgeFailingMidwayForOnePersonLeavesItWholeAndTheNextRunFinishes() throws SQLException {
        clock.set(Instant.parse("2026-06-15T10:00:00Z"));
        String a = registry.observe(obs("caf", "ex-a", T1, "1700199000001", Map.of("caf:matricule", "1111111"),
                plus(identity("TESTA", "Alex", "1970-01-01"), "date_sortie_rsa", "2024-01-31"),
                new Household("021", "1111111", "DEM"))).personId();
        String b = registry.observe(obs("caf", "ex-b", T1, "1700199000003", Map.of("caf:matricule", "3333333"),
                plus(identity("TESTB", "Noa", "1970-01-03"), "date_sortie_rsa", "2024-02-29"),
                new Household("021", "3333333", "DEM"))).personId();
        registry.disclose(b, "france-travail", "identification", "ex-out-b");
        Map<String, Integer> before = rowsOf(b);
        assertTrue(before.values().stream().allMatch(n -> n > 0));

        // the deletion of B's membership fails: by then its attributes, identifiers and NIR were deleted
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE test_failure (v INT NOT NULL CONSTRAINT test_failure_v CHECK (v > 0))");
            st.executeUpdate("CREATE TRIGGER test_fail_membership AFTER DELETE ON reg_membership REFERENCING OLD AS o "
                    + "FOR EACH ROW WHEN (o.person_id = '" + b + "') INSERT INTO test_failure VALUES (0)");
        }
        Map<String, Object> failed;
        try {
            failed = registry.purgeExpired();
        } finally {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("DROP TRIGGER test_fail_membership");
                st.executeUpdate("DROP TABLE test_failure");
            }
        }
        assertEquals(1, failed.get("personsPurged"));
        assertEquals(1, failed.get("personsFailed"));
        assertEquals("B is whole: nothing of it was deleted", before, rowsOf(b));
        assertEquals(Optional.of(b), registry.findByNir("1700199000003"));
        assertEquals(Map.of("reg_attribute", 0, "reg_identifier", 0, "reg_nir", 0, "reg_membership", 0,
                "reg_disclosure", 0, "reg_person", 0), rowsOf(a));
        assertEquals(List.of("ex-a"), purged);

        Map<String, Object> next = registry.purgeExpired();
        assertEquals(1, next.get("personsPurged"));
        assertEquals(0, next.get("personsFailed"));
        assertEquals(Map.of("reg_attribute", 0, "reg_identifier", 0, "reg_nir", 0, "reg_membership", 0,
                "reg_disclosure", 0, "reg_person", 0), rowsOf(b));
        assertEquals(List.of("ex-a", "ex-b"), purged);
        assertEquals(0, count("SELECT COUNT(*) FROM reg_household"));
        assertEquals(0, count("SELECT COUNT(*) FROM reg_purge_pending"));
    }

    @Test
    public void aPayloadWhosePurgeFailsStaysQueuedAndTheNextRunPurgesIt() throws SQLException {
        clock.set(Instant.parse("2026-06-15T10:00:00Z"));
        int[] calls = {0};
        RegistryService flaky = new RegistryService(db.dataSource(), vault, new Consolidation(Map.of(), "caf"),
                DisclosureRules.from(RULES), 24, 12, clock, exchange -> {
                    if (calls[0]++ == 0) {
                        throw new IllegalStateException("disk unavailable");
                    }
                    purged.add(exchange);
                });
        flaky.observe(obs("caf", "ex-gone", T1, "1700199000001", null,
                plus(identity("TESTA", "Alex", "1970-01-01"), "date_sortie_rsa", "2024-01-31")));
        Map<String, Object> first = flaky.purgeExpired();
        assertEquals(1, first.get("personsPurged"));
        assertEquals(0, first.get("payloadsPurged"));
        assertEquals("queued for the next run", 1, count("SELECT COUNT(*) FROM reg_purge_pending"));
        Map<String, Object> second = flaky.purgeExpired();
        assertEquals(0, second.get("personsPurged"));
        assertEquals(1, second.get("payloadsPurged"));
        assertEquals(List.of("ex-gone"), purged);
        assertEquals(0, count("SELECT COUNT(*) FROM reg_purge_pending"));
    }

    /** The rows a person has in each of its tables. */
    private static Map<String, Integer> rowsOf(String personId) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String table : List.of("reg_attribute", "reg_identifier", "reg_nir", "reg_membership", "reg_disclosure")) {
            out.put(table, count("SELECT COUNT(*) FROM " + table + " WHERE person_id = ?", personId));
        }
        out.put("reg_person", count("SELECT COUNT(*) FROM reg_person WHERE id = ?", personId));
        return out;
    }

    // ---- NIRs bound to their rows ---------------------------------------------------------------------

    @Test
    public void nirsOfEarlierVersionsAreResealedBoundToTheirRowsOnceAndStayReadable() throws Exception {
        String[] ab = twoPersonsWithNirs();
        String a = ab[0];
        String b = ab[1];
        registry.observe(obs("immersion-facilitee", "ex-if-1", T1, null, null, identity("TESTLEA", "Léa", "2001-07-14")));
        String candidate = registry.observe(obs("caf", "ex-caf-3", T2, NIR_LEA, null, identity("TESTLEA", "Lea", "2001-07-14")))
                .candidateId();
        // what an earlier version left: every NIR sealed with one label for all rows
        java.nio.file.Path etc = TMP.getRoot().toPath().resolve("etc");
        update("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ?", NirVaultTest.sealV1(etc, NIR_A), a);
        update("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ?", NirVaultTest.sealV1(etc, NIR_B), b);
        String json = queryString("SELECT observation FROM reg_match_candidate WHERE id = ?", candidate);
        update("UPDATE reg_match_candidate SET observation = ? WHERE id = ?", json.replaceFirst(
                "\"nirEncrypted\":\"v2:[^\"]*\"", "\"nirEncrypted\":\"" + NirVaultTest.sealV1(etc, NIR_LEA) + "\""), candidate);
        assertThrows("a v1 value is not read as it is", IllegalStateException.class, () -> registry.find(a));

        NirResealing.Result r = NirResealing.run(new fr.aisne.hub.api.Jdbc(db.dataSource()), vault);
        assertEquals(new NirResealing.Result(2, 1, 0), r);
        assertEquals(0, count("SELECT COUNT(*) FROM reg_nir WHERE nir_encrypted LIKE 'v1:%'"));
        assertEquals("18505********", person(a).nirMasked());
        assertEquals(NIR_B, registry.disclose(b, "france-travail", "identification", "ex-out-1").get("nir"));
        MatchResult rejected = registry.rejectMatch(candidate, "agent.test");
        assertEquals("the waiting observation's NIR opened for its candidate, and was sealed for the new person",
                "20107********", person(rejected.personId()).nirMasked());
        assertEquals(Optional.of(rejected.personId()), registry.findByNir(NIR_LEA));
        assertEquals("idempotent", new NirResealing.Result(0, 0, 0),
                NirResealing.run(new fr.aisne.hub.api.Jdbc(db.dataSource()), vault));
    }

    @Test
    public void aNirCopiedIntoAnotherPersonsRowDoesNotOpen() throws SQLException {
        String[] ab = twoPersonsWithNirs();
        String a = ab[0];
        String b = ab[1];
        String sealedA = queryString("SELECT nir_encrypted FROM reg_nir WHERE person_id = ?", a);
        update("UPDATE reg_nir SET nir_encrypted = ? WHERE person_id = ?", sealedA, b);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> registry.find(b));
        assertTrue(e.getMessage(), e.getMessage().contains("person:" + b) && e.getMessage().contains("another row"));
        assertFalse(e.getMessage().contains(NIR_A));
        assertFalse(e.getMessage().contains(NIR_B));
        assertThrows(IllegalStateException.class, () -> registry.disclose(b, "france-travail", "identification", "x"));
        assertEquals("the row it was sealed for still opens", NIR_A,
                registry.disclose(a, "france-travail", "identification", "ex-out-1").get("nir"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> observedOf(List<Map<String, Object>> pending, String candidateId) {
        return (Map<String, Object>) pending.stream().filter(m -> candidateId.equals(m.get("id"))).findFirst()
                .orElseThrow().get("observed");
    }

    /** A valid synthetic NIR (13 digits + key) for index i. */
    private static String syntheticNir(int i) {
        String body = String.format("1800199%06d", i);
        long key = 97 - Long.parseLong(body) % 97;
        return body + String.format("%02d", key);
    }
}
