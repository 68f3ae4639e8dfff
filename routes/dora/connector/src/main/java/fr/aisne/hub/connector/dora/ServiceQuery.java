package fr.aisne.hub.connector.dora;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The department's query over the local directory, {@code GET /hub/api/departement/services?thematique=
 * &code_commune=&public=&frais=&page=&size=}, read from the raw query string (repeat a parameter or separate values
 * with commas; a list matches if any value matches), checked before any SQL is built, as data·inclusion filters:
 * <ul>
 * <li>{@code thematique}: a thematique of schema v1 ({@code mobilite--preparer-un-permis}) or a whole category
 * ({@code mobilite});</li>
 * <li>{@code public}: a public of schema v1; the services for {@code tous-publics} are for everyone and match too,
 * and {@code public=tous-publics} filters nothing;</li>
 * <li>{@code frais}: {@code gratuit} or {@code payant};</li>
 * <li>{@code code_commune}: the services available to a person living there, nearest first: located in the commune
 * ({@code proximite: commune}), or whose {@code zone_eligibilite} names the commune ({@code zone}), or offered at a
 * distance ({@code a-distance} in {@code modes_accueil}) to a zone that names the commune's département or France,
 * or to no zone ({@code a-distance}).</li>
 * </ul>
 * Without {@code code_commune} the answer is ordered by id.
 */
final class ServiceQuery {
    /** What {@code proximite} says, by rank. */
    static final List<String> PROXIMITE = List.of("commune", "zone", "a-distance");
    static final int DEFAULT_SIZE = 100;
    static final int MAX_SIZE = 1000;
    private static final Pattern COMMUNE = Pattern.compile("\\d[\\dAB]\\d{3}");
    private static final Set<String> FRAIS = Set.of("gratuit", "payant");
    private static final Set<String> PARAMETERS = Set.of("thematique", "code_commune", "public", "frais", "page", "size");

    /** A parameter the query refuses: answered 400 with this message (the parameter and what it accepts). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final List<String> thematiques;
    private final List<String> publics;
    private final List<String> frais;
    private final String codeCommune;
    private final int page;
    private final int size;

    private ServiceQuery(List<String> thematiques, List<String> publics, List<String> frais, String codeCommune,
            int page, int size) {
        this.thematiques = thematiques;
        this.publics = publics;
        this.frais = frais;
        this.codeCommune = codeCommune;
        this.page = page;
        this.size = size;
    }

    /**
     * @param query the raw query string (may be null)
     * @param thematiqueValues the thematiques of schema v1
     * @param publicValues the publics of schema v1
     */
    static ServiceQuery parse(String query, List<String> thematiqueValues, List<String> publicValues) throws Invalid {
        Map<String, List<String>> params;
        try {
            params = params(query);
        } catch (IllegalArgumentException e) {
            throw new Invalid("the query string is not URL-encoded");
        }
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new Invalid("unknown parameter " + name + "; accepted: thematique, code_commune, public, frais, "
                        + "page, size");
            }
        }
        Set<String> categories = new LinkedHashSet<>();
        thematiqueValues.forEach(t -> categories.add(t.substring(0, t.indexOf("--"))));
        List<String> thematiques = params.getOrDefault("thematique", List.of());
        for (String t : thematiques) {
            if (!thematiqueValues.contains(t) && !categories.contains(t)) {
                throw new Invalid("thematique: not a thematique nor a category of schema v1 (e.g. mobilite or "
                        + "mobilite--preparer-un-permis)");
            }
        }
        List<String> publics = params.getOrDefault("public", List.of());
        for (String p : publics) {
            if (!publicValues.contains(p)) {
                throw new Invalid("public: not a public of schema v1 (e.g. beneficiaires-des-minimas-sociaux, jeunes)");
            }
        }
        List<String> frais = params.getOrDefault("frais", List.of());
        for (String f : frais) {
            if (!FRAIS.contains(f)) {
                throw new Invalid("frais: gratuit or payant");
            }
        }
        List<String> communes = params.getOrDefault("code_commune", List.of());
        if (communes.size() > 1 || (communes.size() == 1 && !COMMUNE.matcher(communes.get(0)).matches())) {
            throw new Invalid("code_commune: one INSEE commune code of 5 characters (e.g. 02691)");
        }
        int page = number(params, "page", 1, 1, 1_000_000);
        int size = number(params, "size", DEFAULT_SIZE, 1, MAX_SIZE);
        return new ServiceQuery(thematiques, publics.contains("tous-publics") ? List.of() : publics, frais,
                communes.isEmpty() ? null : communes.get(0), page, size);
    }

    String codeCommune() {
        return codeCommune;
    }

    int page() {
        return page;
    }

    int size() {
        return size;
    }

    /** The WHERE clause over {@code dora_service s} (its arguments: {@link #whereArgs()}). */
    String where() {
        List<String> and = new ArrayList<>();
        and.add("1 = 1");
        if (!thematiques.isEmpty()) {
            and.add(or("s.thematiques LIKE ?", thematiques.size()));
        }
        if (!publics.isEmpty()) {
            and.add("(" + or("s.publics LIKE ?", publics.size() + 1) + ")");
        }
        if (!frais.isEmpty()) {
            and.add("s.frais IN (" + String.join(",", java.util.Collections.nCopies(frais.size(), "?")) + ")");
        }
        if (codeCommune != null) {
            and.add("(s.code_insee = ? OR s.zone LIKE ? OR (s.a_distance = 1 AND (s.zone IS NULL OR s.zone LIKE ? "
                    + "OR s.zone LIKE ? OR s.zone LIKE ?)))");
        }
        return String.join(" AND ", and);
    }

    List<Object> whereArgs() {
        List<Object> args = new ArrayList<>();
        for (String t : thematiques) {
            args.add(t.contains("--") ? "%," + t + ",%" : "%," + t + "--%");
        }
        if (!publics.isEmpty()) {
            publics.forEach(p -> args.add("%," + p + ",%"));
            args.add("%,tous-publics,%");
        }
        args.addAll(frais);
        if (codeCommune != null) {
            args.add(codeCommune);
            args.add(like(codeCommune));
            args.add(like(departementOf(codeCommune)));
            args.add("%,france,%");
            args.add("%,99100,%");
        }
        return args;
    }

    /** The rank of a row: 0 in the commune, 1 its zone names the commune, 2 otherwise (the order of the answer). */
    String rank() {
        return codeCommune == null ? "0" : "CASE WHEN s.code_insee = ? THEN 0 WHEN s.zone LIKE ? THEN 1 ELSE 2 END";
    }

    List<Object> rankArgs() {
        return codeCommune == null ? List.of() : List.of(codeCommune, like(codeCommune));
    }

    /** The département of a commune code: 2 characters, 3 overseas (97x). */
    static String departementOf(String code) {
        return code.startsWith("97") && code.length() >= 3 ? code.substring(0, 3) : code.substring(0, Math.min(2, code.length()));
    }

    private static String like(String code) {
        return "%," + code.toLowerCase(Locale.ROOT) + ",%";
    }

    private static String or(String condition, int n) {
        return "(" + String.join(" OR ", java.util.Collections.nCopies(n, condition)) + ")";
    }

    private static int number(Map<String, List<String>> params, String name, int dflt, int min, int max) throws Invalid {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = v.size() == 1 ? Integer.parseInt(v.get(0)) : -1;
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Invalid(name + ": a whole number from " + min + " to " + max);
    }

    /** The query string's parameters; values split at commas, blanks dropped. */
    static Map<String, List<String>> params(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            List<String> values = out.computeIfAbsent(name, k -> new ArrayList<>());
            for (String v : value.split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
        }
        return out;
    }
}
