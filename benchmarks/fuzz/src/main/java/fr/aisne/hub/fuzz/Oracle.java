package fr.aisne.hub.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an input did, and whether that is a crash: any exception other than the target's documented refusal, any
 * Error, and a refusal whose message (with its causes) quotes a NIR-shaped number (13 or 15 digits starting with 1
 * or 2) or a date found in the input: personal data must never be echoed in an error. Hangs, memory blow-ups and
 * heap growth are judged by the {@link FuzzWorker}.
 */
final class Oracle {
    /** 13 or 15 digits starting with 1 or 2, as the issue defines a NIR-shaped number. */
    private static final Pattern NIR = Pattern.compile("(?<!\\d)[12]\\d{12}(?:\\d{2})?(?!\\d)");
    private static final Pattern DATE = Pattern.compile("(?<!\\d)(?:\\d{4}-\\d{2}-\\d{2}|\\d{2}/\\d{2}/\\d{4})(?!\\d)");

    enum Kind {
        ACCEPTED, REFUSED, EXCEPTION, ERROR, LEAK, HANG, MEMORY, HEAP_GROWTH;

        boolean crash() {
            return this != ACCEPTED && this != REFUSED;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** An outcome: its kind, the refusal reason normalised (refusals) or the crash's signature, and what was thrown. */
    record Verdict(Kind kind, String key, Throwable thrown, String detail) {
    }

    private Oracle() {
    }

    static Verdict judge(FuzzTarget.Refusals refusals, byte[] input, Throwable thrown) {
        if (thrown == null) {
            return new Verdict(Kind.ACCEPTED, "accepted", null, null);
        }
        if (thrown instanceof Error) {
            return new Verdict(Kind.ERROR, signature("error", thrown), thrown, null);
        }
        String reason = refusals.reasonOf(thrown);
        if (reason == null) {
            return new Verdict(Kind.EXCEPTION, signature("exception", thrown), thrown, null);
        }
        String leaked = leaked(messages(thrown), input);
        String normal = normalise(reason);
        if (leaked != null) {
            String[] words = normal.split(" ");
            String rule = words.length > 1 ? words[0] + " " + words[1] : words[0];
            return new Verdict(Kind.LEAK, "leak:" + leaked.substring(0, leaked.indexOf(' ')) + "@" + thrower(thrown) + ":"
                    + rule, thrown, "the refusal quotes " + leaked + " found in the input");
        }
        return new Verdict(Kind.REFUSED, normal, thrown, null);
    }

    /** The message chain, as Redaction.describe would show it (at most 4 levels). */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable cur = t;
        for (int depth = 0; cur != null && depth < 4; depth++) {
            if (cur.getMessage() != null) {
                sb.append(cur.getMessage()).append(" <- ");
            }
            cur = cur.getCause() == cur ? null : cur.getCause();
        }
        return sb.toString();
    }

    /** "nir 1850578006084" or "date 1985-05-31" when the message quotes one that the input holds; else null. */
    static String leaked(String message, byte[] input) {
        String latin = new String(input, StandardCharsets.ISO_8859_1);
        String utf8 = new String(input, StandardCharsets.UTF_8);
        for (Pattern p : List.of(NIR, DATE)) {
            Matcher m = p.matcher(message);
            while (m.find()) {
                String v = m.group();
                if (latin.contains(v) || utf8.contains(v)) {
                    return (p == NIR ? "nir " : "date ") + v;
                }
            }
        }
        return null;
    }

    /** A refusal's rule without its variable parts: positions, numbers, quoted text. */
    static String normalise(String reason) {
        String s = reason.replaceAll("line -?\\d+, column -?\\d+", "line #, column #")
                .replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"")
                .replaceAll("\\d+", "#").replaceAll("\\s+", " ").trim();
        return s.length() > 140 ? s.substring(0, 140) + "…" : s;
    }

    /** Where an exception was made: its first frame in the hub's code (not the fuzzer's). */
    static String thrower(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("fr.aisne.hub.") && !e.getClassName().startsWith("fr.aisne.hub.fuzz.")
                    && !e.getClassName().contains("FuzzBridge")) {
                return e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName();
            }
        }
        return "?";
    }

    /** A crash's identity: its kind, class and where it was thrown (its first frames in the hub's code). */
    static String signature(String kind, Throwable t) {
        Throwable root = t;
        StringBuilder sb = new StringBuilder(kind).append(':').append(root.getClass().getName());
        List<String> frames = new ArrayList<>();
        StackTraceElement[] st = root.getStackTrace();
        if (st.length > 0) {
            frames.add(st[0].getClassName() + "." + st[0].getMethodName());
        }
        for (StackTraceElement e : st) {
            if (e.getClassName().startsWith("fr.aisne.hub.") && !e.getClassName().startsWith("fr.aisne.hub.fuzz.")
                    && !e.getClassName().contains("FuzzBridge")) {
                String f = e.getClassName() + "." + e.getMethodName();
                if (!frames.contains(f)) {
                    frames.add(f);
                }
                break;
            }
        }
        return sb.append('@').append(String.join("<", frames)).toString();
    }
}
