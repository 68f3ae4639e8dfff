package fr.aisne.hub.doubles.immersionfacilitee;

import java.util.EnumSet;
import java.util.Set;

/**
 * Convention statuses, spelled as the platform spells them, with the moves it allows (its status transition table:
 * the initial statuses each target status may be reached from). A convention may go back to READY_TO_SIGN (an edit
 * before validation clears the signatures); REJECTED and DEPRECATED only before validation; CANCELLED only after it.
 */
enum Status {
    READY_TO_SIGN, PARTIALLY_SIGNED, IN_REVIEW, ACCEPTED_BY_COUNSELLOR, ACCEPTED_BY_VALIDATOR, REJECTED, CANCELLED,
    DEPRECATED;

    /** The statuses this one may be reached from. */
    Set<Status> reachableFrom() {
        return switch (this) {
            case READY_TO_SIGN -> EnumSet.of(READY_TO_SIGN, PARTIALLY_SIGNED, IN_REVIEW, ACCEPTED_BY_COUNSELLOR);
            case PARTIALLY_SIGNED -> EnumSet.of(READY_TO_SIGN, PARTIALLY_SIGNED);
            case IN_REVIEW -> EnumSet.of(PARTIALLY_SIGNED);
            case ACCEPTED_BY_COUNSELLOR -> EnumSet.of(IN_REVIEW);
            // from IN_REVIEW only when the agency validates in one step (validator-only)
            case ACCEPTED_BY_VALIDATOR -> EnumSet.of(IN_REVIEW, ACCEPTED_BY_COUNSELLOR);
            case REJECTED -> EnumSet.of(READY_TO_SIGN, PARTIALLY_SIGNED, IN_REVIEW, ACCEPTED_BY_COUNSELLOR);
            case CANCELLED -> EnumSet.of(ACCEPTED_BY_VALIDATOR);
            case DEPRECATED -> EnumSet.of(READY_TO_SIGN, PARTIALLY_SIGNED, IN_REVIEW, ACCEPTED_BY_COUNSELLOR);
        };
    }

    boolean canMoveTo(Status target) {
        return target.reachableFrom().contains(this);
    }

    /** Signed, reviewed and not yet validated: an edit sends such a convention back to READY_TO_SIGN. */
    boolean beforeValidation() {
        return this == READY_TO_SIGN || this == PARTIALLY_SIGNED || this == IN_REVIEW || this == ACCEPTED_BY_COUNSELLOR;
    }

    /** A convention may only be transferred to another agency while it is being signed or reviewed. */
    boolean transferable() {
        return this == READY_TO_SIGN || this == PARTIALLY_SIGNED || this == IN_REVIEW;
    }

    static Status parse(String value) {
        if (value == null) {
            return null;
        }
        for (Status s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
