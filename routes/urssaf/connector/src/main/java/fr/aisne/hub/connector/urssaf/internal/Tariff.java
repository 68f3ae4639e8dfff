package fr.aisne.hub.connector.urssaf.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import fr.aisne.hub.api.SettingsException;

/**
 * The rate per hour and the CTP code (code type de personnel, given by the department's payroll team) in force from a
 * date until the next entry's date. Read from the setting {@code tariffs}: entries {@code from:rate:ctp} separated by
 * commas, e.g. {@code 2022-01-01:0.04:999, 2027-01-01:0.05:999}.
 */
public record Tariff(LocalDate from, BigDecimal ratePerHour, String ctp) {
    private static final Pattern CTP = Pattern.compile("[0-9A-Z]{3}");

    /** The entries of the setting, sorted by date; every problem a {@link SettingsException} naming the entry. */
    public static List<Tariff> parse(List<String> entries, String file, String key) {
        List<Tariff> out = new ArrayList<>();
        String fix = "write entries from:rate:ctp separated by commas, e.g. 2022-01-01:0.04:999";
        if (entries.isEmpty()) {
            throw new SettingsException(file, key, "is empty", fix);
        }
        for (String e : entries) {
            String[] p = e.split(":");
            if (p.length != 3) {
                throw new SettingsException(file, key, "has an entry '" + e + "' that is not from:rate:ctp", fix);
            }
            LocalDate from;
            BigDecimal rate;
            try {
                from = LocalDate.parse(p[0].trim());
            } catch (DateTimeParseException x) {
                throw new SettingsException(file, key, "has an entry '" + e + "' whose date is not YYYY-MM-DD", fix);
            }
            try {
                rate = new BigDecimal(p[1].trim());
            } catch (NumberFormatException x) {
                throw new SettingsException(file, key, "has an entry '" + e + "' whose rate is not a number", fix);
            }
            if (rate.signum() < 0 || rate.compareTo(BigDecimal.TEN) > 0 || rate.scale() > 4) {
                throw new SettingsException(file, key, "has an entry '" + e + "' whose rate is not 0 to 10 EUR with at most 4 decimals", fix);
            }
            String ctp = p[2].trim();
            if (!CTP.matcher(ctp).matches()) {
                throw new SettingsException(file, key, "has an entry '" + e + "' whose CTP code is not 3 digits or capitals",
                        "write the CTP code the payroll team gives (3 characters)");
            }
            out.add(new Tariff(from, rate, ctp));
        }
        out.sort(Comparator.comparing(Tariff::from));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).from().equals(out.get(i - 1).from())) {
                throw new SettingsException(file, key, "has two entries from " + out.get(i).from(), "keep one entry per date");
            }
        }
        return List.copyOf(out);
    }

    /** The entry in force on {@code day}, or empty before the first entry. */
    public static Optional<Tariff> on(List<Tariff> tariffs, LocalDate day) {
        Tariff found = null;
        for (Tariff t : tariffs) {
            if (!t.from().isAfter(day)) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }
}
