package fr.aisne.hub.connector.caf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.api.ModuleDatabase;

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

    private final Jdbc jdbc;

    /** Migrates the connector's table (module "caf") on the hub's database. */
    public CafHouseholdStates(ModuleDatabase database) {
        this.jdbc = database.jdbc();
        database.migrate("caf", CafHouseholdStates.class.getClassLoader(), "db/caf/V1__caf_household.sql");
    }

    /** Every household's content digest, keyed by {@link CafHouseholdDigest#key}. */
    LongLongMap digests(CafHouseholdDigest digest) {
        LongLongMap map = new LongLongMap((int) jdbc.count("SELECT COUNT(*) FROM caf_household"));
        jdbc.query("SELECT numorg, matricule, digest FROM caf_household", rs -> {
            map.put(digest.key(rs.getString(1), rs.getString(2)), rs.getLong(3));
            return null;
        });
        return map;
    }

    /** The last imported state of these households (those already known), keyed NUMORG/MATRICULE. */
    Map<String, State> find(List<CafFlux.Household> households) {
        Set<String> matricules = new LinkedHashSet<>();
        households.forEach(h -> matricules.add(h.matricule()));
        List<String> all = new ArrayList<>(matricules);
        Map<String, State> out = new HashMap<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
            // Derby plans on the statistics of the moment: on a table empty at the start of an import it would scan.
            jdbc.query("SELECT numorg, matricule, digest, etat, members FROM caf_household "
                    + "--DERBY-PROPERTIES index=CAF_HOUSEHOLD_MATRICULE\n WHERE matricule IN ("
                    + "?,".repeat(chunk.size() - 1) + "?)", rs -> {
                        State s = new State(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                members(rs.getString(5)));
                        out.put(s.key(), s);
                        return null;
                    }, chunk.toArray());
        }
        return out;
    }

    /** Records the new states in one transaction: updates the known households, inserts the others. */
    void save(List<State> states, Set<String> known, String exchangeId, Instant at) {
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (State s : states) {
            (known.contains(s.key()) ? updates : inserts).add(new Object[] {s.digest(), s.etat(), members(s.members()),
                    exchangeId, at, s.numorg(), s.matricule()});
        }
        jdbc.inTransaction(() -> {
            jdbc.batch("UPDATE caf_household SET digest = ?, etat = ?, members = ?, last_exchange = ?, updated_at = ? "
                    + "WHERE numorg = ? AND matricule = ?", updates);
            jdbc.batch("INSERT INTO caf_household (digest, etat, members, last_exchange, updated_at, numorg, matricule) "
                    + "VALUES (?,?,?,?,?,?,?)", inserts);
        });
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
