package fr.aisne.hub.doubles.caf;

import java.util.regex.Pattern;

/**
 * The NIR as the CAF sends it: 13 characters, without the 2-digit key.
 * <pre>
 *  S YY MM DD CCC OOO
 *  | |  |  |  |   +-- order number of the birth in the commune and month (001-999)
 *  | |  |  |  +------ INSEE commune code (001-999), or the country code when DD = 99
 *  | |  |  +--------- department of birth: 01-95, 2A/2B (Corsica, births since 1976; 20 before), 99 abroad
 *  | |  +------------ month of birth (01-12)
 *  | +--------------- last two digits of the year of birth
 *  +----------------- sex: 1 man, 2 woman
 * </pre>
 * The key is {@code 97 - (NIR13 mod 97)}, reading 2A as 19 and 2B as 18.
 */
public final class Nir {
    private static final Pattern FORMAT =
            Pattern.compile("[12]\\d{2}(0[1-9]|1[0-2])(\\d{2}|2A|2B)(?!000)\\d{3}(?!000)\\d{3}");

    private Nir() {
    }

    /** True when {@code nir13} has the 13-character shape described above (it says nothing of the key). */
    public static boolean isWellFormed(String nir13) {
        return nir13 != null && FORMAT.matcher(nir13).matches();
    }

    /** The 2-digit key (1..97) of a well-formed 13-character NIR. */
    public static int key(String nir13) {
        if (!isWellFormed(nir13)) {
            throw new IllegalArgumentException("not a 13-character NIR");
        }
        String dept = nir13.substring(5, 7);
        String digits = nir13;
        if (dept.equals("2A")) {
            digits = nir13.substring(0, 5) + "19" + nir13.substring(7);
        } else if (dept.equals("2B")) {
            digits = nir13.substring(0, 5) + "18" + nir13.substring(7);
        }
        return (int) (97 - Long.parseLong(digits) % 97);
    }

    /** The 15-character NIR: the 13 characters followed by the key on two digits. */
    public static String withKey(String nir13) {
        int k = key(nir13);
        return nir13 + (k < 10 ? "0" : "") + k;
    }
}
