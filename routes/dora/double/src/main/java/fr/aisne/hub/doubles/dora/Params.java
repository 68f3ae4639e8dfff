package fr.aisne.hub.doubles.dora;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Query parameters read as FastAPI and pydantic v2 read them for data·inclusion: a list parameter is the key
 * repeated ({@code thematiques=a&thematiques=b}), a single one takes the last value given, unknown keys are ignored,
 * and every problem is collected as a pydantic error {@code {type, loc, msg, input, ctx}} for one 422 answer
 * {@code {"detail": [...]}}.
 */
final class Params {
    private static final Pattern CODE_COMMUNE = Pattern.compile("^\\w{5}$", Pattern.UNICODE_CHARACTER_CLASS);
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    final List<Map<String, Object>> errors = new ArrayList<>();

    static Params parse(String rawQuery) {
        Params p = new Params();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return p;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                p.values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the pair is skipped, as a lenient server would
            }
        }
        return p;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    boolean valid() {
        return errors.isEmpty();
    }

    /** The last value given, or null. */
    String raw(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    int integer(String name, int fallback, int ge, int le) {
        String v = raw(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            error("int_parsing", loc(name), "Input should be a valid integer, unable to parse string as an integer", v,
                    null);
            return fallback;
        }
        if (n < ge) {
            error("greater_than_equal", loc(name), "Input should be greater than or equal to " + ge, v, Map.of("ge", ge));
        } else if (n > le) {
            error("less_than_equal", loc(name), "Input should be less than or equal to " + le, v, Map.of("le", le));
        }
        return n;
    }

    Double number(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            error("float_parsing", loc(name), "Input should be a valid number, unable to parse string as a number", v,
                    null);
            return null;
        }
    }

    boolean bool(String name, boolean fallback) {
        String v = raw(name);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase()) {
            case "1", "on", "t", "true", "y", "yes":
                return true;
            case "0", "off", "f", "false", "n", "no":
                return false;
            default:
                error("bool_parsing", loc(name), "Input should be a valid boolean, unable to interpret input", v, null);
                return fallback;
        }
    }

    /** An INSEE commune code: 5 word characters. */
    String codeCommune(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        int length = v.codePointCount(0, v.length());
        if (length < 5) {
            error("string_too_short", loc(name), "String should have at least 5 characters", v, Map.of("min_length", 5));
        } else if (length > 5) {
            error("string_too_long", loc(name), "String should have at most 5 characters", v, Map.of("max_length", 5));
        } else if (!CODE_COMMUNE.matcher(v).matches()) {
            error("string_pattern_mismatch", loc(name), "String should match pattern '^\\w{5}$'", v,
                    Map.of("pattern", "^\\w{5}$"));
        } else {
            return v;
        }
        return null;
    }

    String text(String name) {
        return raw(name);
    }

    List<String> texts(String name) {
        List<String> v = values.get(name);
        return v == null ? null : List.copyOf(v);
    }

    /** One value of an enumeration. */
    String enumValue(String name, Set<String> allowed) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        if (!allowed.contains(v)) {
            enumError(loc(name), v, allowed);
            return null;
        }
        return v;
    }

    /** A list of values of an enumeration; the union of two for the thematiques (thematique or category). */
    List<String> enumValues(String name, Set<String> allowed, Set<String> alsoAllowed) {
        List<String> v = values.get(name);
        if (v == null) {
            return null;
        }
        List<String> ok = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String s = v.get(i);
            if (allowed.contains(s) || (alsoAllowed != null && alsoAllowed.contains(s))) {
                ok.add(s);
            } else {
                List<Object> l = loc(name);
                l.add(i);
                Set<String> all = new java.util.LinkedHashSet<>(allowed);
                if (alsoAllowed != null) {
                    all.addAll(alsoAllowed);
                }
                enumError(l, s, all);
            }
        }
        return ok;
    }

    private void enumError(List<Object> loc, String input, Set<String> allowed) {
        StringBuilder expected = new StringBuilder();
        Iterator<String> it = allowed.iterator();
        int i = 0;
        while (it.hasNext()) {
            String a = it.next();
            if (i > 0) {
                expected.append(i == allowed.size() - 1 ? " or " : ", ");
            }
            expected.append('\'').append(a).append('\'');
            i++;
        }
        error("enum", loc, "Input should be " + expected, input, Map.of("expected", expected.toString()));
    }

    /** A pydantic-shaped error raised by the endpoint itself (a validator that is not the field's type). */
    void error(String type, List<Object> loc, String msg, Object input, Map<String, Object> ctx) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("loc", loc);
        e.put("msg", msg);
        e.put("input", input);
        if (ctx != null) {
            e.put("ctx", ctx);
        }
        errors.add(e);
    }

    static List<Object> loc(String name) {
        List<Object> l = new ArrayList<>();
        l.add("query");
        l.add(name);
        return l;
    }
}
