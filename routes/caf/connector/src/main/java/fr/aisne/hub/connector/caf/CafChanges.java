package fr.aisne.hub.connector.caf;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import fr.aisne.hub.registry.DepartmentEvent;

/**
 * What the department must learn from a household's new state compared with the last one imported:
 * a household newly subject to rights and duties (orientation due within a month, CASF L262-35), the RSA
 * file suspended, closed or reopened, a new person in the household. ETATDOSRSA: 0 new request, 1 refused,
 * 2 open and paid, 3 open and suspended, 4 open with payment suspended, 5 closed, 6 closed in an earlier month.
 */
public final class CafChanges {
    static final String UNMATCHED = "?";
    private static final Set<String> OPEN = Set.of("2", "3", "4");
    private static final Set<String> SUSPENDED = Set.of("3", "4");
    private static final Set<String> CLOSED = Set.of("5", "6");

    private CafChanges() {
    }

    /**
     * @param previous the household as last imported, or null if the hub has never seen it
     * @param members  its members now, with their registry ids (in the order of the file)
     * @param dtref    the flux's reference date (DTREF), from which the orientation deadline runs
     */
    public static List<DepartmentEvent> of(CafHouseholdStates.State previous, CafFlux.Household h,
            List<CafHouseholdStates.Member> members, String exchangeId, Instant at, LocalDate dtref) {
        String key = h.numorg() + "/" + h.matricule();
        String etat = h.etatdosrsa();
        List<DepartmentEvent> out = new ArrayList<>();
        String applicant = members.stream().filter(m -> "DEM".equals(m.role()) && !UNMATCHED.equals(m.personId()))
                .map(CafHouseholdStates.Member::personId).findFirst().orElse(null);

        boolean wasSubject = previous != null && previous.members().stream().anyMatch(CafHouseholdStates.Member::sdd)
                && OPEN.contains(previous.etat());
        if (OPEN.contains(etat) && !wasSubject) {
            for (CafHouseholdStates.Member m : members) {
                if (m.sdd() && !UNMATCHED.equals(m.personId())) {
                    out.add(DepartmentEvent.of(DepartmentEvent.NEW_HOUSEHOLD_SDD, m.personId(), key, at, "caf", exchangeId,
                            details("role", m.role(), "etat", etat, "orientation_avant",
                                    (dtref == null ? LocalDate.ofInstant(at, java.time.ZoneOffset.UTC) : dtref).plusMonths(1).toString())));
                }
            }
        }
        if (previous != null && etat != null && !etat.equals(previous.etat())) {
            String before = previous.etat() == null ? "" : previous.etat();
            if (SUSPENDED.contains(etat)) {
                out.add(DepartmentEvent.of(DepartmentEvent.FILE_SUSPENDED, applicant, key, at, "caf", exchangeId,
                        details("avant", before, "apres", etat, "motif", h.motisus())));
            } else if (CLOSED.contains(etat) && !CLOSED.contains(before)) {
                out.add(DepartmentEvent.of(DepartmentEvent.FILE_CLOSED, applicant, key, at, "caf", exchangeId,
                        details("avant", before, "apres", etat, "motif", h.moticlorsa(), "date_cloture",
                                h.dtclorsa() == null ? null : h.dtclorsa().toString())));
            } else if ("2".equals(etat) && (SUSPENDED.contains(before) || CLOSED.contains(before))) {
                out.add(DepartmentEvent.of(DepartmentEvent.FILE_REOPENED, applicant, key, at, "caf", exchangeId,
                        details("avant", before, "apres", etat)));
            }
        }
        if (previous != null) {
            Set<String> known = new HashSet<>();
            previous.members().forEach(m -> known.add(m.personId()));
            for (CafHouseholdStates.Member m : members) {
                if (!UNMATCHED.equals(m.personId()) && !known.contains(m.personId())) {
                    out.add(DepartmentEvent.of(DepartmentEvent.NEW_PERSON, m.personId(), key, at, "caf", exchangeId,
                            details("role", m.role(), "soumis_droits_devoirs", m.sdd() ? "1" : "0")));
                }
            }
        }
        return out;
    }

    private static Map<String, String> details(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null && !kv[i + 1].isBlank()) {
                m.put(kv[i], kv[i + 1].trim());
            }
        }
        return m;
    }
}
