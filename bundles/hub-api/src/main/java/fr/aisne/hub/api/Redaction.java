package fr.aisne.hub.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what must never reach a log line, a journal reason or an API error: NIR-shaped numbers,
 * credentials in URLs, bearer tokens and secret-looking query parameters.
 */
public final class Redaction {
    /** 13 or 15 characters: sex, year, month, department (digits or 2A/2B), commune, order, optional key. */
    private static final Pattern NIR = Pattern.compile(
            "(?<![0-9A-Za-z])[12378]\\s?\\d{2}\\s?\\d{2}\\s?(?:\\d{2}|2[AaBb])\\s?\\d{3}\\s?\\d{3}(?:\\s?\\d{2})?(?![0-9A-Za-z])");
    /** user:password@ or token@ in a URL authority, up to its last '@' (passwords may hold one). */
    private static final Pattern URL_CREDENTIALS = Pattern.compile(
            // bounded and anchored where a scheme starts: "cat-cat-cat-..." of 66 KB ran over 2 s with [a-z0-9+.-]*
            "(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}://)[^/\\s?#]{1,512}@");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|secret|client_secret|token|access_token|jeton[a-z]*|apikey|api_key|authorization)=([^&\\s\"']+)");
    private static final Pattern LONG_DIGITS = Pattern.compile("(?<!\\d)\\d{13,}(?!\\d)");

    /** A name or a path of names: a letter, '_', '$' or '@' first, then letters, digits, '_.:$@/[]-'; 64 at most. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}_$@][\\p{L}\\p{N}_.:$@/\\[\\]-]{0,63}");
    private static final Pattern FOUR_DIGITS = Pattern.compile("\\d{4}");
    private static final Pattern PARTNER_DATE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}/\\d{1,2}/\\d{2,4}");
    private static final Pattern PARTNER_DIGITS = Pattern.compile("\\d{8,}");
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'([^']*)'");

    private Redaction() {
    }

    /**
     * A partner's own text (an error message, a fault string), made safe for a log line or a journal reason: besides
     * what {@link #redact} removes, dates and runs of 8 digits or more (a birth date, a NIR glued to letters) are
     * masked, line breaks flattened, and the text cut at 160 characters, since a partner's error may quote the request
     * it refuses (found by benchmarks/fuzz in the France Travail and URSSAF answers).
     */
    public static String partnerText(String text) {
        if (text == null) {
            return null;
        }
        String s = dates(redact(text));
        s = PARTNER_DIGITS.matcher(s).replaceAll("[number]").replaceAll("[\\r\\n\\t]+", " ");
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /** The text with what looks like a date (2026-12-06, 6/12/2026) masked as "[date]". */
    public static String dates(String text) {
        return text == null ? null : PARTNER_DATE.matcher(text).replaceAll("[date]");
    }

    /**
     * The text with each single-quoted part ('...': a property or element a validator quotes) kept only in the shape
     * of a name ({@link #name}).
     */
    public static String quotedNames(String text) {
        return text == null ? null
                : SINGLE_QUOTED.matcher(text).replaceAll(q -> Matcher.quoteReplacement("'" + name(q.group(1)) + "'"));
    }

    /**
     * A name the partner chose (a field, a property, an element), as an error may repeat it: kept when it has the
     * shape of a name and no run of 4 digits, else "…". A partner's unknown field may carry anything: a NIR or a birth
     * date glued into a field name was repeated in refusals (found by benchmarks/fuzz).
     */
    public static String name(String partnerName) {
        if (partnerName == null) {
            return null;
        }
        return NAME.matcher(partnerName).matches() && !FOUR_DIGITS.matcher(partnerName).find() ? partnerName : "…";
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = URL_CREDENTIALS.matcher(text).replaceAll("$1***@");
        s = BEARER.matcher(s).replaceAll("$1 ***");
        s = SECRET_PARAM.matcher(s).replaceAll("$1=***");
        s = NIR.matcher(s).replaceAll("[NIR]");
        return LONG_DIGITS.matcher(s).replaceAll("[number]");
    }

    /** The message chain of a throwable, redacted, without stack traces: safe for operators. */
    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable cur = t;
        int depth = 0;
        while (cur != null && depth++ < 4) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(cur.getClass().getSimpleName());
            if (cur.getMessage() != null) {
                sb.append(": ").append(cur.getMessage());
            }
            cur = cur.getCause() == cur ? null : cur.getCause();
        }
        return redact(sb.toString());
    }
}
