package fr.aisne.hub.doubles.francetravail;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * The 15-character NIR that France Travail expects in {@code par-datenaissance-et-nir}: 13 characters and the
 * 2-digit key.
 * <pre>
 *  S YY MM DD CCC OOO KK
 *  | |  |  |  |   |   +-- key: 97 - (first 13 as a number mod 97), 2A read as 19 and 2B as 18
 *  | |  |  |  |   +------ order number of the birth in the commune and month (001-999)
 *  | |  |  |  +---------- INSEE commune code (001-999), or the country code when DD = 99
 *  | |  |  +------------- department of birth: 01-95, 2A/2B (Corsica), 96-99
 *  | |  +---------------- month of birth: 01-12; 20-99 when the month is unknown (registered abroad...)
 *  | +------------------- last two digits of the year of birth
 *  +--------------------- sex: 1 man, 2 woman
 * </pre>
 * Never log a value of this class' inputs.
 */
final class Nir {
    private static final Pattern FORMAT =
            Pattern.compile("[12]\\d{2}(0[1-9]|1[0-2]|[2-9]\\d)(\\d{2}|2A|2B)\\d{3}(?!000)\\d{3}\\d{2}");

    private Nir() {
    }

    /** Why {@code nir} is not an acceptable 15-character NIR, or null when it is (shape and key). */
    static String problem(String nir) {
        if (nir == null || nir.isBlank()) {
            return "nir est obligatoire";
        }
        if (nir.length() != 15) {
            return "nir doit comporter 15 caractères (13 et la clé)";
        }
        if (!FORMAT.matcher(nir).matches()) {
            return "nir mal formé";
        }
        if (key(nir.substring(0, 13)) != Integer.parseInt(nir.substring(13))) {
            return "clé du nir invalide";
        }
        return null;
    }

    /** The key (1..97) of the first 13 characters. */
    static int key(String nir13) {
        String digits = nir13.substring(0, 5) + switch (nir13.substring(5, 7)) {
            case "2A" -> "19";
            case "2B" -> "18";
            default -> nir13.substring(5, 7);
        } + nir13.substring(7, 13);
        return (int) (97 - Long.parseLong(digits) % 97);
    }

    /** The 15-character NIR made of {@code nir13} and its key. */
    static String withKey(String nir13) {
        return nir13 + String.format("%02d", key(nir13));
    }

    /** The order number (1..999) of a valid NIR. */
    static int orderNumber(String nir) {
        return Integer.parseInt(nir.substring(10, 13));
    }

    /** 1 (man) or 2 (woman). */
    static int sex(String nir) {
        return nir.charAt(0) - '0';
    }

    /**
     * True when the birth date is consistent with the NIR: same two-digit year, and same month when the NIR
     * carries a real month (01-12).
     */
    static boolean matchesBirthDate(String nir, LocalDate birth) {
        int yy = Integer.parseInt(nir.substring(1, 3));
        int mm = Integer.parseInt(nir.substring(3, 5));
        if (birth.getYear() % 100 != yy) {
            return false;
        }
        return mm > 12 || birth.getMonthValue() == mm;
    }
}
