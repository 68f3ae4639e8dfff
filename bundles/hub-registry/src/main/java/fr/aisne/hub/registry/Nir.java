package fr.aisne.hub.registry;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The NIR (numéro d'inscription au répertoire): 13 characters (sex, year, month, department, commune,
 * order), optionally followed by its 2-digit key = 97 - (NIR13 mod 97), Corsica's 2A and 2B read as 19
 * and 18. CAF files carry the 13 characters, France Travail the 15. Errors never repeat the value.
 */
public final class Nir {
    private static final Pattern NIR13 = Pattern.compile("[12378]\\d{2}(0[1-9]|1[0-2]|[2-9]\\d)(\\d{2}|2[AB])\\d{6}");

    private Nir() {
    }

    /**
     * Checks a NIR as received (spaces and dots allowed) and returns its 13-character canonical form.
     *
     * @throws InvalidNirException naming what is wrong, never the value
     */
    public static String canonical(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidNirException("NIR missing");
        }
        String s = raw.replaceAll("[\\s.]", "").toUpperCase(java.util.Locale.ROOT);
        if (s.length() != 13 && s.length() != 15) {
            throw new InvalidNirException("NIR has " + s.length() + " characters; 13 expected, or 15 with its key");
        }
        String nir13 = s.substring(0, 13);
        if (!NIR13.matcher(nir13).matches()) {
            throw new InvalidNirException("NIR is not well formed (sex, year, month, department, commune, order)");
        }
        if (s.length() == 15) {
            String key = s.substring(13);
            if (!key.chars().allMatch(Character::isDigit) || Integer.parseInt(key) != key(nir13)) {
                throw new InvalidNirException("NIR key does not match (97 - NIR mod 97)");
            }
        }
        return nir13;
    }

    /** The control key of a 13-character NIR. */
    public static int key(String nir13) {
        String digits = nir13.toUpperCase(java.util.Locale.ROOT);
        if (digits.startsWith("2A", 5)) {
            digits = digits.substring(0, 5) + "19" + digits.substring(7);
        } else if (digits.startsWith("2B", 5)) {
            digits = digits.substring(0, 5) + "18" + digits.substring(7);
        }
        return 97 - new BigInteger(digits).mod(BigInteger.valueOf(97)).intValue();
    }

    /** What an operator may see: sex, year and month of birth; the rest hidden. */
    public static String mask(String nir13) {
        return nir13.substring(0, 5) + "*".repeat(8);
    }
}
