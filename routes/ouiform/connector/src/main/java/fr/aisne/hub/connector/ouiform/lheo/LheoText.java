package fr.aisne.hub.connector.ouiform.lheo;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regional catalogue's habits in text and numbers: HTML in text fields (escaped, so it reaches us as text with
 * tags, or in CDATA), the placeholder "Non renseigné" for an empty field, and prices and hours with a decimal comma.
 */
public final class LheoText {
    private static final Pattern TAG = Pattern.compile("<(/?[a-zA-Z][^<>]{0,500}|!--[^>]{0,2000}--)>");
    private static final Pattern BREAK = Pattern.compile("(?i)<\\s*(br|/p|/li|/div|/h[1-6]|/tr)\\s*/?>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");
    private static final Pattern LINES = Pattern.compile("\\s*\\n\\s*");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}([.,][0-9]{1,4})?");
    private static final Map<String, String> NAMED = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("eacute", "é"), Map.entry("egrave", "è"), Map.entry("ecirc", "ê"), Map.entry("agrave", "à"),
            Map.entry("acirc", "â"), Map.entry("ccedil", "ç"), Map.entry("ocirc", "ô"), Map.entry("ucirc", "û"),
            Map.entry("ugrave", "ù"), Map.entry("icirc", "î"), Map.entry("iuml", "ï"), Map.entry("euml", "ë"),
            Map.entry("rsquo", "'"), Map.entry("lsquo", "'"), Map.entry("laquo", "«"), Map.entry("raquo", "»"),
            Map.entry("euro", "€"), Map.entry("hellip", "…"), Map.entry("ndash", "–"), Map.entry("mdash", "—"),
            Map.entry("oelig", "œ"), Map.entry("Eacute", "É"));

    private LheoText() {
    }

    /**
     * Plain text of a catalogue text field: tags removed (a line break where a paragraph, item or line ends), HTML
     * entities decoded, spaces collapsed, at most {@code max} characters; null for an empty field or "Non renseigné".
     */
    public static String plain(String text, int max) {
        if (text == null) {
            return null;
        }
        // tags as received (CDATA, or escaped once), then the entities, then tags that were escaped twice
        String s = decode(untag(text));
        s = untag(s);
        s = SPACES.matcher(s).replaceAll(" ");
        s = LINES.matcher(s.strip()).replaceAll("\n");
        if (s.isEmpty() || isPlaceholder(s)) {
            return null;
        }
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }

    private static String untag(String s) {
        return TAG.matcher(BREAK.matcher(s).replaceAll("\n")).replaceAll(" ");
    }

    /** "Non renseigné" and its variants (case, accents, a final dot). */
    static boolean isPlaceholder(String s) {
        String k = searchKey(s).replaceAll("[^a-z ]", "").trim();
        return k.equals("non renseigne") || k.equals("nc") || k.equals("non communique");
    }

    private static String decode(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            try {
                if (name.startsWith("#x") || name.startsWith("#X")) {
                    replacement = new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
                } else if (name.startsWith("#")) {
                    replacement = new String(Character.toChars(Integer.parseInt(name.substring(1))));
                } else {
                    replacement = NAMED.getOrDefault(name, m.group());
                }
            } catch (IllegalArgumentException bad) {
                replacement = " ";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * A price or a number of hours written with a decimal comma ("4520,50", "24,5") or a dot; null for an empty
     * field or "Non renseigné".
     *
     * @throws IllegalArgumentException when it is not such a number (the caller keeps the text and counts a warning)
     */
    public static BigDecimal decimal(String text) {
        if (text == null || text.isBlank() || isPlaceholder(text)) {
            return null;
        }
        String s = text.trim().replace(" ", "").replace("\u00A0", "").replace("€", "");
        if (!DECIMAL.matcher(s).matches()) {
            throw new IllegalArgumentException("not a decimal number");
        }
        return new BigDecimal(s.replace(',', '.'));
    }

    /** Lower case without accents nor punctuation runs: what searches compare. */
    public static String searchKey(String text) {
        if (text == null) {
            return "";
        }
        String n = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        n = n.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae");
        return n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").trim();
    }
}
