package fr.aisne.hub.doubles.immersionfacilitee;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The conventions the double holds, and everything that changes them: creation (submission), signatures, status
 * moves, edits, transfers, assessments, manual re-sends. Each change the platform broadcasts produces an
 * {@link Event} handed to the sink (the webhooks), with the convention as it is at that moment: a late or reordered
 * call therefore carries an older state than the API's. Creating the assessment fires nothing.
 */
final class Conventions {
    /** The platform lets an agency user re-send a convention's webhook by hand at most every 4 hours. */
    static final Duration MANUAL_RESEND_INTERVAL = Duration.ofHours(4);

    /**
     * A change to broadcast: the convention read at that moment and the agencies (ids and kinds) whose consumers
     * are told (the agency, the one it refers to, and on a transfer the previous agency and the one it referred to).
     */
    record Event(String conventionId, String status, Map<String, Object> convention, Set<String> agencyIds,
            Set<String> agencyKinds, String cause) {
    }

    /** A refused control action: HTTP status and reason. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final Map<String, Convention> byId = new LinkedHashMap<>();
    private final java.util.function.Consumer<Event> sink;

    Conventions(java.util.function.Consumer<Event> sink) {
        this.sink = sink;
    }

    synchronized void reset(List<Convention> fixtures) {
        byId.clear();
        for (Convention c : fixtures) {
            byId.put(c.id, c);
        }
    }

    synchronized int size() {
        return byId.size();
    }

    /** The convention read, or null when unknown. */
    synchronized Map<String, Object> read(String id) {
        Convention c = byId.get(id);
        return c == null ? null : c.toRead();
    }

    /** Agency (id, kind) and referred agency (id, kind) of a convention, or null when unknown. */
    synchronized String[] scopeOf(String id) {
        Convention c = byId.get(id);
        if (c == null) {
            return null;
        }
        Agency r = c.agency.referred();
        return new String[] {c.agency.id(), c.agency.kind(), r == null ? null : r.id(), r == null ? null : r.kind()};
    }

    /** Conventions passing {@code filter}, newest start date first (then by id), at most {@code limit}. */
    synchronized List<Map<String, Object>> list(Predicate<Convention> filter, int limit) {
        List<Convention> hits = new ArrayList<>();
        for (Convention c : byId.values()) {
            if (filter.test(c)) {
                hits.add(c);
            }
        }
        hits.sort(Comparator.comparing((Convention c) -> c.schedule.start()).reversed().thenComparing(c -> c.id));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Convention c : hits.subList(0, Math.min(limit, hits.size()))) {
            out.add(c.toRead());
        }
        return out;
    }

    /** Summaries for the control API: no personal value. */
    synchronized List<Map<String, Object>> summaries() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Convention c : byId.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id);
            m.put("agency", c.agency.alias());
            m.put("status", c.status.name());
            m.put("dateStart", c.schedule.start().toString());
            m.put("dateEnd", c.schedule.end().toString());
            m.put("totalHours", Schedule.number(c.schedule.totalHours()));
            m.put("employee", c.currentEmployer != null);
            m.put("assessment", c.assessment == null ? null : c.assessment.status());
            out.add(m);
        }
        return out;
    }

    /**
     * Adds a new convention (READY_TO_SIGN, submitted now) and takes it to {@code target} through the legal moves,
     * firing what the platform fires at each step (submission, each signature, each acceptance...), or nothing
     * when {@code silent}.
     */
    synchronized Map<String, Object> create(Convention c, Status target, Instant now, boolean silent) {
        if (byId.containsKey(c.id)) {
            throw new Refused(409, "a convention with this id already exists");
        }
        c.status = Status.READY_TO_SIGN;
        c.dateSubmission = now;
        c.updatedAt = now;
        byId.put(c.id, c);
        fire(c, null, silent, "submission");
        for (Status step : path(c, target)) {
            apply(c, step, null, now);
            fire(c, null, silent, "status " + step);
        }
        return c.toRead();
    }

    /** The moves from READY_TO_SIGN to {@code target}, signatures one by one. */
    private static List<Status> path(Convention c, Status target) {
        List<Status> steps = new ArrayList<>();
        if (target == Status.READY_TO_SIGN) {
            return steps;
        }
        int signatures = c.signatoryRoles().size();
        steps.add(Status.PARTIALLY_SIGNED);
        if (target == Status.PARTIALLY_SIGNED) {
            return steps;
        }
        for (int i = 2; i < signatures; i++) {
            steps.add(Status.PARTIALLY_SIGNED);
        }
        steps.add(Status.IN_REVIEW);
        switch (target) {
            case IN_REVIEW -> { }
            case REJECTED, DEPRECATED -> steps.add(target);
            case ACCEPTED_BY_COUNSELLOR -> steps.add(Status.ACCEPTED_BY_COUNSELLOR);
            case ACCEPTED_BY_VALIDATOR, CANCELLED -> {
                if ("counsellor-and-validator".equals(c.agency.validationSteps())) {
                    steps.add(Status.ACCEPTED_BY_COUNSELLOR);
                }
                steps.add(Status.ACCEPTED_BY_VALIDATOR);
                if (target == Status.CANCELLED) {
                    steps.add(Status.CANCELLED);
                }
            }
            default -> throw new IllegalStateException(target.name());
        }
        return steps;
    }

    /** A signature by {@code role}: PARTIALLY_SIGNED, or IN_REVIEW when it was the last one. */
    synchronized Map<String, Object> sign(String id, String role, Instant now) {
        Convention c = existing(id);
        if (c.status != Status.READY_TO_SIGN && c.status != Status.PARTIALLY_SIGNED) {
            throw new Refused(409, "signing is only possible in READY_TO_SIGN or PARTIALLY_SIGNED, not " + c.status);
        }
        if (!c.signatoryRoles().contains(role)) {
            throw new Refused(400, "role: one of " + c.signatoryRoles());
        }
        if (c.signedAt.containsKey(role)) {
            throw new Refused(409, role + " has already signed");
        }
        c.signedAt.put(role, now);
        c.status = c.allSigned() ? Status.IN_REVIEW : Status.PARTIALLY_SIGNED;
        c.updatedAt = now;
        fire(c, null, false, "signature");
        return c.toRead();
    }

    /** A status move, refused (409) when the platform does not allow it. */
    synchronized Map<String, Object> move(String id, Status target, String justification, Instant now) {
        Convention c = existing(id);
        if (!c.status.canMoveTo(target)) {
            throw new Refused(409, "illegal move " + c.status + " -> " + target);
        }
        apply(c, target, justification, now);
        fire(c, null, false, "status " + target);
        return c.toRead();
    }

    private static void apply(Convention c, Status target, String justification, Instant now) {
        switch (target) {
            case READY_TO_SIGN -> clearSignaturesAndReview(c);
            case PARTIALLY_SIGNED -> {
                String next = null;
                int unsigned = 0;
                for (String role : c.signatoryRoles()) {
                    if (!c.signedAt.containsKey(role)) {
                        unsigned++;
                        if (next == null) {
                            next = role;
                        }
                    }
                }
                if (unsigned < 2) {
                    throw new Refused(409, "the next signature is the last one: move to IN_REVIEW");
                }
                c.signedAt.put(next, now);
            }
            case IN_REVIEW -> {
                for (String role : c.signatoryRoles()) {
                    c.signedAt.putIfAbsent(role, now);
                }
            }
            case ACCEPTED_BY_COUNSELLOR -> {
                c.dateApproval = now;
                c.counsellor = new String[] {"Camille", "Conseillère"};
            }
            case ACCEPTED_BY_VALIDATOR -> {
                if (c.status == Status.IN_REVIEW && "counsellor-and-validator".equals(c.agency.validationSteps())) {
                    throw new Refused(409, "the agency " + c.agency.alias() + " validates in two steps: "
                            + "ACCEPTED_BY_COUNSELLOR first");
                }
                c.dateValidation = now;
                c.validator = new String[] {"Dominique", "Validatrice"};
            }
            case REJECTED, CANCELLED, DEPRECATED -> c.statusJustification = justification == null || justification.isBlank()
                    ? "Motif saisi par l'agence (double)" : justification;
            default -> throw new IllegalStateException(target.name());
        }
        c.status = target;
        c.updatedAt = now;
    }

    private static void clearSignaturesAndReview(Convention c) {
        c.signedAt.clear();
        c.dateApproval = null;
        c.counsellor = null;
    }

    /**
     * An edit: {@code change} is applied (it throws IllegalArgumentException to refuse, before changing anything);
     * before validation the convention goes back to READY_TO_SIGN and its signatures are cleared; after a final
     * status it keeps its status. Fires either way.
     */
    synchronized Map<String, Object> edit(String id, java.util.function.Consumer<Convention> change, Instant now) {
        Convention c = existing(id);
        try {
            change.accept(c);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, e.getMessage());
        }
        if (c.status.beforeValidation()) {
            clearSignaturesAndReview(c);
            c.status = Status.READY_TO_SIGN;
        }
        c.updatedAt = now;
        fire(c, null, false, "edit");
        return c.toRead();
    }

    /** A transfer to another agency; the previous agency's consumers are told too. */
    synchronized Map<String, Object> transfer(String id, Agency to, Instant now) {
        Convention c = existing(id);
        if (!c.status.transferable()) {
            throw new Refused(409, "a convention can only be transferred in READY_TO_SIGN, PARTIALLY_SIGNED or "
                    + "IN_REVIEW, not " + c.status);
        }
        if (c.agency.id().equals(to.id())) {
            throw new Refused(409, "the convention is already with " + to.alias());
        }
        Agency previous = c.agency;
        c.agency = to;
        c.updatedAt = now;
        fire(c, previous, false, "transfer");
        return c.toRead();
    }

    /** Creates or replaces the assessment of a validated convention: the platform broadcasts nothing for it. */
    synchronized Map<String, Object> assess(String id, Convention.Assessment assessment) {
        Convention c = existing(id);
        if (c.status != Status.ACCEPTED_BY_VALIDATOR) {
            throw new Refused(409, "an assessment is only possible for an ACCEPTED_BY_VALIDATOR convention, not " + c.status);
        }
        c.assessment = assessment;
        return c.toRead();
    }

    /** A manual re-send by an agency user; refused within 4 h of the previous one unless {@code force}. */
    synchronized Map<String, Object> resend(String id, boolean force, Instant now) {
        Convention c = existing(id);
        if (!force && c.lastManualResend != null && now.isBefore(c.lastManualResend.plus(MANUAL_RESEND_INTERVAL))) {
            throw new Refused(429, "already re-sent at " + c.lastManualResend + ": possible again from "
                    + c.lastManualResend.plus(MANUAL_RESEND_INTERVAL) + " (or force)");
        }
        c.lastManualResend = now;
        fire(c, null, false, "manual re-send");
        return c.toRead();
    }

    private Convention existing(String id) {
        Convention c = byId.get(id);
        if (c == null) {
            throw new Refused(404, "unknown convention");
        }
        return c;
    }

    private void fire(Convention c, Agency previous, boolean silent, String cause) {
        if (silent) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (Agency a : new Agency[] {c.agency, c.agency.referred(), previous, previous == null ? null : previous.referred()}) {
            if (a != null) {
                ids.add(a.id());
                kinds.add(a.kind());
            }
        }
        sink.accept(new Event(c.id, c.status.name(), c.toRead(), ids, kinds, cause));
    }
}
