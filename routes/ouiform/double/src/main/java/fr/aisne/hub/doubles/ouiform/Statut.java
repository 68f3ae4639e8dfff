package fr.aisne.hub.doubles.ouiform;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life cycle of a prescription (type {@code Statut} of the contract): prescrit -> positionne -> entre -> sorti,
 * abandon from any of the first three; sorti and abandon are final.
 */
enum Statut {
    PRESCRIT, POSITIONNE, ENTRE, SORTI, ABANDON;

    /** The contract's spelling (lower case, no accent). */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Statut parse(String wire) {
        for (Statut s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return null;
    }

    /** The statuses that may follow this one. */
    Set<Statut> next() {
        return switch (this) {
            case PRESCRIT -> EnumSet.of(POSITIONNE, ABANDON);
            case POSITIONNE -> EnumSet.of(ENTRE, ABANDON);
            case ENTRE -> EnumSet.of(SORTI, ABANDON);
            case SORTI, ABANDON -> EnumSet.noneOf(Statut.class);
        };
    }
}
