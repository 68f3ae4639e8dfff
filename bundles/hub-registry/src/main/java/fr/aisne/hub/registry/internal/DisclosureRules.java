package fr.aisne.hub.registry.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which fields each partner may receive for each purpose, from etc/hub.disclosure.cfg:
 * {@code disclose.<partner>.<purpose> = field, field, ...}. Fields are attribute names, {@code nir}, and
 * identifiers as {@code id.<partner>.<kind>}; {@code attributes.*} means every attribute (never the NIR,
 * identifiers, households, nor the {@link #SPECIAL_CATEGORY special-category attributes}). Anything not listed
 * is not sent: no rule, no field.
 */
final class DisclosureRules {
    static final String PREFIX = "disclose.";
    static final String ALL_ATTRIBUTES = "attributes.*";

    /**
     * Special categories of data (RGPD art. 9, health): the RQTH (recognised disabled worker) that France Travail
     * gives, and the orientation criteria it attaches to an orientation (health constraints, disabled-worker
     * status). Never given by {@code attributes.*}: only a rule that names the attribute gives it, so a DPIA-covered
     * purpose is written out field by field. The department's consultation and every other wildcard rule leave
     * them out.
     */
    static final Set<String> SPECIAL_CATEGORY = Set.of("rqth", "rqth_date_debut", "rqth_date_fin", "orientation_criteres");

    private final Map<String, Set<String>> allowed;

    private DisclosureRules(Map<String, Set<String>> allowed) {
        this.allowed = allowed;
    }

    static DisclosureRules from(Map<String, ?> config) {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && v != null) {
                String key = k.substring(PREFIX.length());
                if (!key.matches("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*")) {
                    throw new IllegalArgumentException("disclosure rule " + k + " must be disclose.<partner>.<purpose>");
                }
                rules.put(key, Arrays.stream(v.toString().split(",")).map(String::trim).filter(f -> !f.isEmpty())
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
            }
        });
        return new DisclosureRules(Map.copyOf(rules));
    }

    /** Keeps only the fields {@code partner} may receive for {@code purpose}. */
    Map<String, Object> filter(String partner, String purpose, Map<String, Object> fields) {
        Set<String> ok = allowed.getOrDefault(partner + "." + purpose, Set.of());
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            boolean isAttribute = !name.equals("nir") && !name.startsWith("id.") && !name.equals("household");
            if (ok.contains(name) || (isAttribute && !isSpecialCategory(name) && ok.contains(ALL_ATTRIBUTES))) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** Whether {@code attribute} is of a special category: given only to a rule naming it. */
    static boolean isSpecialCategory(String attribute) {
        return SPECIAL_CATEGORY.contains(attribute);
    }

    boolean allows(String partner, String purpose, String field) {
        return allowed.getOrDefault(partner + "." + purpose, Set.of()).contains(field);
    }

    Map<String, Set<String>> rules() {
        return allowed;
    }
}
