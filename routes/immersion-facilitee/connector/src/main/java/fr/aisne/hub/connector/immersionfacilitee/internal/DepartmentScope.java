package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.util.List;

import fr.aisne.hub.connector.immersionfacilitee.internal.Convention.Prescriber;

/**
 * Which conventions are the department's: those it prescribes, that is whose prescriber (the agency, or the agency
 * it refers to, {@code agencyRefersTo}, when present: the structure's validating prescriber) is of kind
 * {@code conseil-departemental} with {@code agencyDepartment} "02". The platform gives no department for the agency
 * referred to: {@code agencyDepartment} is the convention's agency's. When {@code prescriberSirets} is set, the
 * prescriber's SIRET must also start with one of them (a SIRET or the department's SIREN), which rules out a
 * structure of the Aisne referring to another department's council.
 */
record DepartmentScope(String kind, String department, List<String> prescriberSirets) {

    /** Whether a convention is the department's, and why not. */
    record Decision(boolean department, String reason) {
    }

    Decision decide(Prescriber p) {
        String how = p.refersToId() != null ? "the agency it refers to (agencyRefersTo)" : "its agency";
        String k = p.prescriberKind();
        if (!kind.equals(k)) {
            return new Decision(false, "prescribed by " + how + " of kind " + (k == null ? "(none)" : k) + ", not " + kind);
        }
        if (!department.equals(p.agencyDepartment())) {
            return new Decision(false, "agencyDepartment is " + (p.agencyDepartment() == null ? "(none)"
                    : p.agencyDepartment()) + ", not " + department);
        }
        if (!prescriberSirets.isEmpty()) {
            String siret = p.prescriberSiret();
            if (siret == null || prescriberSirets.stream().noneMatch(siret::startsWith)) {
                return new Decision(false, "the SIRET of " + how + " is not one of scope.prescriberSirets");
            }
        }
        return new Decision(true, "prescribed by the department through " + how);
    }
}
