package fr.aisne.hub.benchmarks;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import fr.aisne.hub.connector.caf.CafFlux;
import fr.aisne.hub.connector.caf.CafFluxReader;
import fr.aisne.hub.core.db.HubDatabase;

/**
 * The least that any registry must write on Derby for a new CAF household, measured on this machine, as a bound
 * for the end-to-end figures: one row for the household (its key, state, digest and all its mapped values as one
 * observation), one row per person (its encrypted NIR, its NIR blind index and birth date, both indexed, for lookup
 * and identity matching), one row per France Travail identifier, and one event row for a household with a person
 * subject to rights and duties. No matching, no encryption, no JSON, no provenance per value: the rows are built
 * from the real households of the file before the clock starts, and only the JDBC batches and their commits
 * (batches of 500 households, as the importer does) are timed, on the hub's own Derby settings.
 * <p>
 * Derby is CPU-bound here (the same rows with the log sync disabled take as long), and works in the calling
 * thread: the writing thread's CPU time per household, with the reader's, bounds any import on this machine at
 * {@code cores / (reader + writes)} households per second, a perfect split of all the work over all the cores.
 */
final class DerbyWriteFloor {
    private static final int BATCH = 500;

    record Result(int households, int persons, int identifiers, int events, double seconds, double cpuSeconds) {
        double perSecond() {
            return households / seconds;
        }

        double cpuMicrosPerHousehold() {
            return cpuSeconds * 1e6 / households;
        }
    }

    private DerbyWriteFloor() {
    }

    static Result measure(Path file, Path workDir, CafFluxReader reader) throws Exception {
        EndToEnd.emptyDirectory(workDir);
        HubDatabase db = HubDatabase.embeddedDerby(workDir.resolve("db").toString());
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE floor_household (id BIGINT NOT NULL PRIMARY KEY, numorg CHAR(3) NOT NULL, "
                        + "matricule VARCHAR(15) NOT NULL, digest BIGINT NOT NULL, etat CHAR(1), observation VARCHAR(8000) "
                        + "NOT NULL, source_exchange CHAR(36) NOT NULL, observed_at TIMESTAMP NOT NULL)");
                s.execute("CREATE UNIQUE INDEX floor_household_key ON floor_household (matricule, numorg)");
                s.execute("CREATE TABLE floor_person (id BIGINT NOT NULL PRIMARY KEY, household_id BIGINT NOT NULL, "
                        + "nir_index CHAR(16) FOR BIT DATA, nir_encrypted VARCHAR(64) FOR BIT DATA, birth_date DATE)");
                // a constraint, not a unique index: persons without a NIR (children, persons born abroad) are many
                s.execute("ALTER TABLE floor_person ADD CONSTRAINT floor_person_nir UNIQUE (nir_index)");
                s.execute("CREATE INDEX floor_person_birth ON floor_person (birth_date)");
                s.execute("CREATE TABLE floor_identifier (id_value VARCHAR(15) NOT NULL PRIMARY KEY, person_id BIGINT NOT NULL)");
                s.execute("CREATE TABLE floor_event (seq BIGINT NOT NULL PRIMARY KEY, household_id BIGINT NOT NULL, "
                        + "type VARCHAR(60) NOT NULL, details VARCHAR(2000) NOT NULL)");
            }
            c.setAutoCommit(false);
            Writer w = new Writer(c);
            List<CafFlux.Household> batch = new ArrayList<>(BATCH);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                reader.read(in, file.getFileName().toString(), h -> {
                    batch.add(h);
                    if (batch.size() == BATCH) {
                        w.write(batch);
                        batch.clear();
                    }
                });
            }
            w.write(batch);
            return new Result(w.households, w.persons, w.identifiers, w.events, w.nanos / 1e9, w.cpuNanos / 1e9);
        } finally {
            db.close();
        }
    }

    /** Builds a batch's rows untimed, then times their JDBC batches and commit. */
    private static final class Writer {
        private final Connection c;
        private final PreparedStatement household;
        private final PreparedStatement person;
        private final PreparedStatement identifier;
        private final PreparedStatement event;
        private final MessageDigest sha;
        /** 64 bits of the index of each NIR already written (kept untimed). */
        private final java.util.Set<Long> nirs = new java.util.HashSet<>();
        private final String exchange = UUID.randomUUID().toString();
        private final Timestamp now = new Timestamp(System.currentTimeMillis());
        private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final java.util.Map<PreparedStatement, int[]> types = new java.util.HashMap<>();
        int households;
        int persons;
        int identifiers;
        int events;
        long nanos;
        long cpuNanos;

        Writer(Connection c) throws Exception {
            this.c = c;
            household = c.prepareStatement("INSERT INTO floor_household VALUES (?,?,?,?,?,?,?,?)");
            person = c.prepareStatement("INSERT INTO floor_person VALUES (?,?,?,?,?)");
            identifier = c.prepareStatement("INSERT INTO floor_identifier VALUES (?,?)");
            event = c.prepareStatement("INSERT INTO floor_event VALUES (?,?,?,?)");
            sha = MessageDigest.getInstance("SHA-256");
            for (PreparedStatement ps : List.of(household, person, identifier, event)) {
                int[] t = new int[ps.getParameterMetaData().getParameterCount()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = ps.getParameterMetaData().getParameterType(i + 1);
                }
                types.put(ps, t); // read before the clock starts, for setNull
            }
        }

        void write(List<CafFlux.Household> batch) {
            try {
                List<Object[]> h = new ArrayList<>();
                List<Object[]> p = new ArrayList<>();
                List<Object[]> id = new ArrayList<>();
                List<Object[]> e = new ArrayList<>();
                for (CafFlux.Household x : batch) {
                    long hid = households++;
                    StringBuilder obs = new StringBuilder(x.numorg()).append('|').append(x.matricule()).append('|')
                            .append(x.etatdosrsa()).append('|').append(x.motisus()).append('|').append(x.moticlorsa())
                            .append('|').append(x.dtclorsa()).append('|').append(x.dtdemrsa());
                    boolean rightsAndDuties = false;
                    for (CafFlux.Person y : x.persons()) {
                        long pid = persons++;
                        obs.append('|').append(y.rolepers()).append('|').append(y.nomnai()).append('|').append(y.nom())
                                .append('|').append(y.prenom()).append('|').append(y.dtnai()).append('|').append(y.sexe())
                                .append('|').append(y.soumisDroitsEtDevoirs());
                        rightsAndDuties |= y.soumisDroitsEtDevoirs();
                        byte[] index = y.nir() == null ? null
                                : Arrays.copyOf(sha.digest(y.nir().getBytes(StandardCharsets.US_ASCII)), 16);
                        if (index != null && !nirs.add(java.nio.ByteBuffer.wrap(index).getLong())) {
                            index = null; // a person already seen in another household: one NIR row per person
                        }
                        // AES-GCM of a 15-character NIR: 12 bytes of nonce, 15 of text, 16 of tag
                        byte[] sealed = index == null ? null : Arrays.copyOf(sha.digest(index), 43);
                        p.add(new Object[] {pid, hid, index, sealed, y.dtnai() == null ? null : java.sql.Date.valueOf(y.dtnai())});
                        if (y.idassedic() != null && !y.idassedic().isBlank()) {
                            id.add(new Object[] {y.idassedic().trim(), pid});
                        }
                    }
                    h.add(new Object[] {hid, x.numorg(), x.matricule(), (long) obs.toString().hashCode(), x.etatdosrsa(),
                        obs.toString(), exchange, now});
                    if (rightsAndDuties) {
                        e.add(new Object[] {(long) events++, hid, "foyer.nouveau-soumis-droits-devoirs",
                            "{\"orientation_avant\":\"2026-12-31\",\"foyer\":" + hid + "}"});
                    }
                }
                identifiers += id.size();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                send(household, h);
                send(person, p);
                send(identifier, id);
                send(event, e);
                c.commit();
                nanos += System.nanoTime() - t0;
                cpuNanos += threads.getCurrentThreadCpuTime() - cpu0;
            } catch (Exception ex) {
                throw new IllegalStateException("floor batch failed: " + ex.getMessage(), ex);
            }
        }

        private void send(PreparedStatement ps, List<Object[]> rows) throws Exception {
            int[] t = types.get(ps);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] == null) {
                        ps.setNull(i + 1, t[i]);
                    } else {
                        ps.setObject(i + 1, row[i]);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
