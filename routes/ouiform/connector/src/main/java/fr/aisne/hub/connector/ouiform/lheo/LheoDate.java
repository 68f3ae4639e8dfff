package fr.aisne.hub.connector.ouiform.lheo;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * An LHEO date ({@code AAAAMMJJ}) as the regional catalogue writes it, sentinels included: {@code 00000000} (unknown,
 * e.g. a start not fixed yet, or an unknown update date), {@code 99999999} (no end), {@code AAAAMM00} (month only),
 * {@code AAAA0000} (year only). {@link #earliest()} and {@link #latest()} bound the day it may be, so that a search
 * "starting before the 15th of March" can keep a session starting "in March".
 *
 * @param raw       the eight characters as received
 * @param precision how much of the date is known
 * @param earliest  first day it may be (null when unknown or without end)
 * @param latest    last day it may be (null when unknown or without end)
 */
public record LheoDate(String raw, Precision precision, LocalDate earliest, LocalDate latest) {

    public enum Precision {
        /** A day. */
        JOUR,
        /** A month ({@code AAAAMM00}). */
        MOIS,
        /** A year ({@code AAAA0000}). */
        ANNEE,
        /** {@code 00000000}: not known. */
        INCONNUE,
        /** {@code 99999999}: no end. */
        SANS_FIN
    }

    public static final String UNKNOWN = "00000000";
    public static final String NO_END = "99999999";

    /**
     * Reads an LHEO date; null for null or blank.
     *
     * @throws IllegalArgumentException when it is neither a date nor a sentinel (month 13, 31st of April, letters)
     */
    public static LheoDate parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        if (!s.matches("[0-9]{8}")) {
            throw new IllegalArgumentException("not an LHEO date (AAAAMMJJ)");
        }
        if (s.equals(UNKNOWN)) {
            return new LheoDate(s, Precision.INCONNUE, null, null);
        }
        if (s.equals(NO_END)) {
            return new LheoDate(s, Precision.SANS_FIN, null, null);
        }
        int year = Integer.parseInt(s.substring(0, 4));
        int month = Integer.parseInt(s.substring(4, 6));
        int day = Integer.parseInt(s.substring(6, 8));
        try {
            if (month == 0 && day == 0) {
                return new LheoDate(s, Precision.ANNEE, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
            }
            if (day == 0) {
                YearMonth ym = YearMonth.of(year, month);
                return new LheoDate(s, Precision.MOIS, ym.atDay(1), ym.atEndOfMonth());
            }
            LocalDate d = LocalDate.of(year, month, day);
            return new LheoDate(s, Precision.JOUR, d, d);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a calendar date, nor a month or year of LHEO (AAAAMM00, AAAA0000)");
        }
    }

    /** True when the day is known exactly. */
    public boolean exact() {
        return precision == Precision.JOUR;
    }
}
