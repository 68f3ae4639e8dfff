package fr.aisne.hub.connector.caf;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import fr.aisne.hub.core.db.SchemaMigrations;

/** Table caf_household: what the hub last imported of each CAF household (digest, state, members). */
public final class CafHouseholdStates {
    private static final int IN_CHUNK = 300;

    /** A member as last imported: registry person id ("?" while a probable match waits), role, subject to rights and duties. */
    public record Member(String personId, String role, boolean sdd) {
    }

    /** A household as last imported. */
    public record State(String numorg, String matricule, long digest, String etat, List<Member> members) {
        public String key() {
            return numorg + "/" + matricule;
        }
    }

    private final DataSource dataSource;

    public CafHouseholdStates(DataSource dataSource) {
        this.dataSource = dataSource;
        SchemaMigrations.apply(dataSource, "caf", CafHouseholdStates.class.getClassLoader(), "db/caf/V1__caf_household.sql");
    }

    /** Every household's content digest, keyed by {@link CafHouseholdDigest#key}. */
    LongLongMap digests(CafHouseholdDigest digest) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement count = c.prepareStatement(
                "SELECT COUNT(*) FROM caf_household"); ResultSet n = count.executeQuery()) {
            n.next();
            LongLongMap map = new LongLongMap(n.getInt(1));
            try (PreparedStatement ps = c.prepareStatement("SELECT numorg, matricule, digest FROM caf_household");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    map.put(digest.key(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
            return map;
        }
    }

    /** The last imported state of these households (those already known), keyed NUMORG/MATRICULE. */
    Map<String, State> find(List<CafFlux.Household> households) throws SQLException {
        Set<String> matricules = new LinkedHashSet<>();
        households.forEach(h -> matricules.add(h.matricule()));
        List<String> all = new ArrayList<>(matricules);
        Map<String, State> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < all.size(); i += IN_CHUNK) {
                List<String> chunk = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
                try (PreparedStatement ps = c.prepareStatement("SELECT numorg, matricule, digest, etat, members FROM "
                        + "caf_household --DERBY-PROPERTIES index=CAF_HOUSEHOLD_MATRICULE\n WHERE matricule IN (" + "?,".repeat(chunk.size() - 1) + "?)")) {
                    for (int j = 0; j < chunk.size(); j++) {
                        ps.setString(j + 1, chunk.get(j));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            State s = new State(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                    members(rs.getString(5)));
                            out.put(s.key(), s);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Records the new states in one transaction: updates the known households, inserts the others. */
    void save(List<State> states, Set<String> known, String exchangeId, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("UPDATE caf_household SET digest = ?, etat = ?, members = ?, "
                    + "last_exchange = ?, updated_at = ? WHERE numorg = ? AND matricule = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO caf_household (digest, etat, members, "
                            + "last_exchange, updated_at, numorg, matricule) VALUES (?,?,?,?,?,?,?)")) {
                for (State s : states) {
                    PreparedStatement ps = known.contains(s.key()) ? update : insert;
                    ps.setLong(1, s.digest());
                    ps.setString(2, s.etat());
                    ps.setString(3, members(s.members()));
                    ps.setString(4, exchangeId);
                    ps.setTimestamp(5, Timestamp.from(at));
                    ps.setString(6, s.numorg());
                    ps.setString(7, s.matricule());
                    ps.addBatch();
                }
                update.executeBatch();
                insert.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static String members(List<Member> members) {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            sb.append(sb.length() == 0 ? "" : ";").append(m.personId()).append(',').append(m.role()).append(',')
                    .append(m.sdd() ? '1' : '0');
        }
        return sb.toString();
    }

    private static List<Member> members(String s) {
        List<Member> out = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String m : s.split(";")) {
            String[] f = m.split(",", 3);
            out.add(new Member(f[0], f[1], "1".equals(f[2])));
        }
        return out;
    }
}
