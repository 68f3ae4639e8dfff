package fr.aisne.hub.connector.francetravail.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.IngestResult;
import fr.aisne.hub.api.Secrets;
import fr.aisne.hub.api.ValidationException;
import fr.aisne.hub.api.testing.MutableClock;
import fr.aisne.hub.api.testing.TestConnectorContext;
import fr.aisne.hub.api.testing.TestDatabase;
import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.testing.RecordingGuard;
import fr.aisne.hub.connector.francetravail.testing.FakeFranceTravail;
import fr.aisne.hub.connector.francetravail.testing.TestClients;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;
import fr.aisne.hub.registry.internal.RegistryFactory;

/**
 * A real registry and the connector's tables on embedded Derby, a fake France Travail, a fake intake and event
 * feed: the connector as it runs in the hub, minus Camel and the broker. All persons and NIRs are synthetic.
 */
final class Fixture implements AutoCloseable {
    static final String NIR_A = "1850578006084";
    static final String NIR_B = "2920302123456";
    static final String JETON = "JETON-0123456789abcdef";
    static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    static final Map<String, String> RULES = Map.of(
            "disclose.france-travail.identification", "nir, date_naissance, id.france-travail.numero",
            "disclose.france-travail.orientation", "id.france-travail.numero, orientation",
            "disclose.france-travail.rendez-vous", "id.france-travail.numero");

    final TestDatabase db;
    final FakeFranceTravail fake;
    final MutableClock clock = new MutableClock(NOW);
    final Secrets box = new TestConnectorContext.TestSecrets();
    final RecordingGuard guard = new RecordingGuard();
    final PersonRegistry registry;
    final FakeIntake intake = new FakeIntake();
    final FakeEvents events = new FakeEvents();
    final FtRuntime runtime;

    Fixture(TestDatabase db, Path etc, Map<String, String> extraRules, String... settings) throws Exception {
        this.db = db;
        emptyTables(db);
        fake = new FakeFranceTravail(TestClients.SECRET);
        Map<String, Object> rules = new LinkedHashMap<>(RULES);
        rules.putAll(extraRules);
        registry = RegistryFactory.create(db.dataSource(), etc, rules, id -> { });
        FtSettings s = TestClients.settings(fake, settings);
        runtime = new FtRuntime(s, box, db.database(), guard, registry, () -> events, intake, clock);
    }

    static TestDatabase database(File dir) {
        return TestDatabase.embeddedDerby(new File(dir, "hubdb").getAbsolutePath());
    }

    /** A person as the CAF import records it: NIR, identity, CAF number. */
    String person(String nir, String birthDate) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("nom_naissance", "LEFEVRE");
        attributes.put("prenom", "Jean" + (nir == null ? "" : nir.substring(10)));
        if (birthDate != null) {
            attributes.put("date_naissance", birthDate);
        }
        return registry.observe(new PersonObservation("caf", UUID.randomUUID().toString(), NOW.minusSeconds(3600), nir,
                Map.of("caf:matricule", Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 10_000_000)),
                attributes, null)).personId();
    }

    /**
     * rechercher-usager answers S001 with the jeton (France Travail's v2 answer carries no number: with
     * {@code numero} null, as the double answers; given, the answer carries it too, as some versions do).
     */
    void searchFinds(String numero) {
        String n = numero == null ? "" : ",\"numeroFranceTravail\":\"" + numero + "\"";
        FakeFranceTravail.Handler ok = r -> FakeFranceTravail.Response.json(200, "{\"codeRetour\":\"S001\",\"message\":"
                + "\"Approchant trouvé\",\"jetonUsager\":\"" + JETON + "\",\"topIdentiteCertifiee\":\"O\"" + n + "}");
        fake.on("POST", fr.aisne.hub.connector.francetravail.client.FranceTravailClient.RECHERCHER_PAR_NIR, ok);
        fake.on("POST", fr.aisne.hub.connector.francetravail.client.FranceTravailClient.RECHERCHER_PAR_NUMERO, ok);
    }

    String column(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void emptyTables(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            for (String prefix : new String[] {"REG_%", "FT_%"}) {
                try (ResultSet rs = c.getMetaData().getTables(null, null, prefix, new String[] {"TABLE"})) {
                    while (rs.next()) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                for (String t : tables) {
                    st.executeUpdate("DELETE FROM " + t);
                }
            }
        }
    }

    @Override
    public void close() {
        fake.close();
    }

    /** What the connector's pollers hand to the core, with the core's duplicate check by partner message id. */
    static final class FakeIntake implements FtIntake {
        record Accepted(String flow, String json, String partnerMessageId, String sender) {
        }

        final List<Accepted> accepted = new ArrayList<>();
        final Map<String, String> byMessageId = new LinkedHashMap<>();
        /** The next accepts answered UNAVAILABLE (the hub cannot take messages for now). */
        int refuseNext;

        @Override
        public synchronized IngestResult accept(Flow flow, String json, String partnerMessageId, String sender)
                throws IOException {
            String id = UUID.randomUUID().toString();
            try {
                flow.validator().validate(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (ValidationException e) {
                return new IngestResult(IngestResult.Outcome.INVALID, id, null, e.getMessage(), null);
            }
            if (refuseNext > 0) {
                refuseNext--;
                return new IngestResult(IngestResult.Outcome.UNAVAILABLE, null, null, "the hub cannot take it now", null, 5);
            }
            String key = flow.key() + "|" + partnerMessageId;
            if (partnerMessageId != null && byMessageId.containsKey(key)) {
                return new IngestResult(IngestResult.Outcome.DUPLICATE, id, null, "duplicate", byMessageId.get(key));
            }
            byMessageId.put(key, id);
            accepted.add(new Accepted(flow.key(), json, partnerMessageId, sender));
            return new IngestResult(IngestResult.Outcome.QUEUED, id, null, null, null);
        }
    }

    /** The department event feed, in memory. */
    static final class FakeEvents implements DepartmentEvents {
        final List<DepartmentEvent> events = new ArrayList<>();

        void add(String type, String personId) {
            add(type, personId, "caf", Map.of());
        }

        void add(String type, String personId, String source, Map<String, String> details) {
            long seq = events.size() + 1;
            events.add(new DepartmentEvent(seq, type, personId, "002/1234567", NOW, source, "ex-" + source, details));
        }

        final List<DepartmentEvent> published = new ArrayList<>();
        private final java.util.Set<String> batches = new java.util.HashSet<>();

        /** What the connector publishes (France Travail's identification and orientation read back), once per batch. */
        @Override
        public synchronized int publish(String batchExchangeId, List<DepartmentEvent> list) {
            if (!batches.add(batchExchangeId)) {
                return 0;
            }
            published.addAll(list);
            return list.size();
        }

        @Override
        public synchronized List<DepartmentEvent> since(long afterSeq, int limit, Set<String> types) {
            return events.stream().filter(e -> e.seq() > afterSeq && (types.isEmpty() || types.contains(e.type())))
                    .limit(limit).toList();
        }

        @Override
        public long lastSeq() {
            return events.size();
        }
    }
}
