package fr.aisne.hub.api;

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

    private Redaction() {
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
