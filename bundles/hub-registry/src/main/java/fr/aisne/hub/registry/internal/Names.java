package fr.aisne.hub.registry.internal;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Names as compared for matching: accents, case, hyphens, apostrophes and spaces do not count
 * ("Lefèvre-Durand" = "LEFEVRE DURAND"), and a compound name shares its parts with a shorter one
 * ("Jean-Pierre" and "Jean" are close, not equal).
 */
final class Names {
    private Names() {
    }

    /** Upper-case letters only, accents removed, ligatures expanded: the comparison key of a name. */
    static String key(String name) {
        if (name == null) {
            return "";
        }
        String s = name.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE").replace("ß", "ss");
        s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "");
    }

    /** The parts of a compound name, each as a key: "Jean-Pierre Marie" -> JEAN, PIERRE, MARIE. */
    static List<String> parts(String name) {
        if (name == null) {
            return List.of();
        }
        return Arrays.stream(name.split("[\\s\\-'’,]+")).map(Names::key).filter(p -> !p.isEmpty()).toList();
    }

    /** Same key, or one is made of the first parts of the other (Jean-Pierre / Jean; Martin-Dubois / Martin). */
    static boolean close(String a, String b) {
        String ka = key(a);
        String kb = key(b);
        if (ka.isEmpty() || kb.isEmpty()) {
            return false;
        }
        if (ka.equals(kb)) {
            return true;
        }
        List<String> pa = parts(a);
        List<String> pb = parts(b);
        List<String> shorter = pa.size() <= pb.size() ? pa : pb;
        List<String> longer = pa.size() <= pb.size() ? pb : pa;
        return !shorter.isEmpty() && shorter.equals(longer.subList(0, shorter.size()));
    }
}
