package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.Instant;
import java.util.Set;

/**
 * An API consumer as the platform keeps it: its id (the {@code id} claim of its keys), its convention rights
 * ({@code READ}, {@code SUBSCRIPTION}), its scope (agency ids and/or agency kinds), whether it was revoked, until
 * when it may call, and when its current key was issued (an older key is "api key has been renewed").
 */
record Consumer(String name, String id, Set<String> rights, Set<String> agencyIds, Set<String> agencyKinds,
        boolean revoked, Instant expiresAt, Instant keyIssuedAt) {

    static final String READ = "READ";
    static final String SUBSCRIPTION = "SUBSCRIPTION";

    boolean may(String right) {
        return rights.contains(right);
    }

    /** The platform's scope rule: the convention's agency or the agency it refers to, by id or by kind. */
    boolean covers(String agencyId, String agencyKind, String refersToId, String refersToKind) {
        return agencyIds.contains(agencyId) || (refersToId != null && agencyIds.contains(refersToId))
                || agencyKinds.contains(agencyKind) || (refersToKind != null && agencyKinds.contains(refersToKind));
    }
}
