package fr.aisne.hub.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, coverage-less mutator: the same seed and the same corpus give the same inputs. Each input is a corpus
 * entry with 1 to 8 stacked mutations among byte flips, insertions, deletions, duplications, splices with another
 * entry, dictionary tokens, numbers at bounds, huge lengths (a value inflated to tens of thousands of characters),
 * deep nesting, invalid UTF-8, byte order marks, other encodings and DOCTYPE/ENTITY constructs.
 */
final class Mutator {
    private static final byte[][] INVALID_UTF8 = {
        {(byte) 0xC3, 0x28}, {(byte) 0xA0, (byte) 0xA1}, {(byte) 0xE2, 0x28, (byte) 0xA1}, {(byte) 0xF0, 0x28, (byte) 0x8C, 0x28},
        {(byte) 0xF8, (byte) 0xA1, (byte) 0xA1, (byte) 0xA1, (byte) 0xA1}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF},
        {(byte) 0xFE}, {(byte) 0xE9}, {0}, {0x1B}, {(byte) 0x85}, {(byte) 0xE2, (byte) 0x80, (byte) 0xA8}};
    private static final byte[][] BOMS = {
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE},
        {0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE, 0, 0}, {0x2B, 0x2F, 0x76, 0x38}, {0x4C, 0x6F, (byte) 0xA7, (byte) 0x94}};
    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, '<', '>', '&', '"', '\'', '{', '}', '[',
        ']', ':', ',', '\\', '\n', '\r', ' ', '0', '9', '-', '+', '.'};
    private static final String[] ENCODINGS = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "ISO-8859-1", "windows-1252"};
    private static final int OPERATIONS = 17;

    private final SplittableRandom random;
    private final Tokens tokens;
    private final int maxBytes;

    Mutator(long seed, Tokens tokens, int maxBytes) {
        this.random = new SplittableRandom(seed);
        this.tokens = tokens;
        this.maxBytes = maxBytes;
    }

    /** A new input from {@code base}; {@code other} is what splices take from. */
    byte[] mutate(byte[] base, List<byte[]> corpus) {
        byte[] b = base;
        int n = 1 << random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = once(b, corpus);
            if (b.length > maxBytes) {
                b = java.util.Arrays.copyOf(b, maxBytes);
            }
        }
        return b;
    }

    private byte[] once(byte[] b, List<byte[]> corpus) {
        int len = b.length;
        switch (random.nextInt(OPERATIONS)) {
            case 0: { // flip a bit
                if (len == 0) {
                    return insert(b, 0, new byte[] {(byte) random.nextInt(256)});
                }
                byte[] c = b.clone();
                int at = random.nextInt(len);
                c[at] ^= (byte) (1 << random.nextInt(8));
                return c;
            }
            case 1: { // a random or an interesting byte
                if (len == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[random.nextInt(len)] = random.nextBoolean() ? (byte) random.nextInt(256)
                        : INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                return c;
            }
            case 2: // delete a range
                if (len == 0) {
                    return b;
                }
                {
                    int at = random.nextInt(len);
                    int n = 1 + random.nextInt(Math.min(len - at, random.nextBoolean() ? 8 : 256));
                    return delete(b, at, n);
                }
            case 3: { // insert random bytes
                byte[] r = new byte[1 + random.nextInt(16)];
                for (int i = 0; i < r.length; i++) {
                    r[i] = (byte) random.nextInt(256);
                }
                return insert(b, pos(len), r);
            }
            case 4: // duplicate a range somewhere
                if (len == 0) {
                    return b;
                }
                {
                    int at = random.nextInt(len);
                    int n = 1 + random.nextInt(Math.min(len - at, 512));
                    return insert(b, pos(len), slice(b, at, n));
                }
            case 5: { // splice: a head of this one, a tail of another
                byte[] o = corpus.get(random.nextInt(corpus.size()));
                int cut = pos(len);
                int from = pos(o.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream(cut + o.length - from);
                out.write(b, 0, cut);
                out.write(o, from, o.length - from);
                return out.toByteArray();
            }
            case 6: case 7: // a dictionary token, inserted or over a range
                return token(b, tokens.all().get(random.nextInt(tokens.all().size())));
            case 8: // a number at a bound, over a run of digits
                return replaceNumber(b);
            case 9: { // huge length: a chunk repeated
                if (len == 0) {
                    return b;
                }
                int at = random.nextInt(len);
                byte[] chunk = slice(b, at, 1 + random.nextInt(Math.min(len - at, 8)));
                return insert(b, at, repeat(chunk, hugeCount(chunk.length)));
            }
            case 10: // huge length: a value (element text or JSON string) inflated
                return inflateValue(b);
            case 11: { // deep nesting
                int depth = random.nextBoolean() ? 1 + random.nextInt(200) : 1000 + random.nextInt(100_000);
                int at = pos(len);
                byte[] open = repeat(tokens.nestOpen(), depth);
                byte[] c = insert(b, at, open);
                return random.nextInt(3) == 0 ? c : insert(c, at + open.length, repeat(tokens.nestClose(), depth));
            }
            case 12: // invalid UTF-8
                return insert(b, pos(len), INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
            case 13: // a byte order mark, at the start or anywhere
                return insert(b, random.nextInt(4) == 0 ? pos(len) : 0, BOMS[random.nextInt(BOMS.length)]);
            case 14: { // the whole text in another encoding (with or without its BOM)
                String text = new String(b, StandardCharsets.UTF_8);
                byte[] c = text.getBytes(Charset.forName(ENCODINGS[random.nextInt(ENCODINGS.length)]));
                return c;
            }
            case 15: { // a DOCTYPE (entities, external DTD) after an XML declaration or at the start
                String s = new String(b, StandardCharsets.ISO_8859_1);
                int decl = s.startsWith("<?xml") ? s.indexOf("?>") + 2 : 0;
                for (byte[] t : tokens.all()) {
                    if (random.nextInt(8) == 0 && new String(t, StandardCharsets.ISO_8859_1).startsWith("<!DOCTYPE")) {
                        return insert(b, Math.max(0, decl), t);
                    }
                }
                return token(b, tokens.all().get(random.nextInt(tokens.all().size())));
            }
            default: { // a range replaced with bytes from another entry
                byte[] o = corpus.get(random.nextInt(corpus.size()));
                if (o.length == 0 || len == 0) {
                    return b;
                }
                int from = random.nextInt(o.length);
                byte[] piece = slice(o, from, 1 + random.nextInt(Math.min(o.length - from, 64)));
                int at = random.nextInt(len);
                return insert(delete(b, at, Math.min(len - at, piece.length)), at, piece);
            }
        }
    }

    private int hugeCount(int chunk) {
        int target = switch (random.nextInt(4)) {
            case 0 -> 1000 + random.nextInt(10_000);
            case 1 -> 65_536 + random.nextInt(2_000);
            default -> 10_000 + random.nextInt(120_000);
        };
        return Math.max(1, Math.min(target, maxBytes / 2) / chunk);
    }

    /** Inserts a token at a random place, or over the value between two delimiters. */
    private byte[] token(byte[] b, byte[] t) {
        int len = b.length;
        if (len > 0 && random.nextBoolean()) {
            int at = random.nextInt(len);
            int end = at;
            while (end < len && end - at < 64 && !delimiter(b[end])) {
                end++;
            }
            return insert(delete(b, at, end - at), at, t);
        }
        return insert(b, pos(len), t);
    }

    private byte[] replaceNumber(byte[] b) {
        int len = b.length;
        if (len == 0) {
            return b;
        }
        int start = random.nextInt(len);
        int at = -1;
        for (int i = 0; i < len; i++) {
            int k = (start + i) % len;
            if (b[k] >= '0' && b[k] <= '9') {
                at = k;
                break;
            }
        }
        if (at < 0) {
            return insert(b, pos(len), bytes(Tokens.NUMBERS.get(random.nextInt(Tokens.NUMBERS.size()))));
        }
        while (at > 0 && b[at - 1] >= '0' && b[at - 1] <= '9') {
            at--;
        }
        int end = at;
        while (end < len && (b[end] >= '0' && b[end] <= '9' || b[end] == '-' || b[end] == ':' || b[end] == '.')) {
            end++;
        }
        List<String> pool = random.nextBoolean() ? Tokens.NUMBERS : Tokens.PERSONAL;
        return insert(delete(b, at, end - at), at, bytes(pool.get(random.nextInt(pool.size()))));
    }

    /** The content of an element ({@code >...<}) or a JSON string ({@code "..."}) made huge. */
    private byte[] inflateValue(byte[] b) {
        int len = b.length;
        if (len < 2) {
            return b;
        }
        int start = random.nextInt(len);
        for (int i = 0; i < len; i++) {
            int k = (start + i) % len;
            if ((b[k] == '>' || b[k] == '"') && k + 1 < len && b[k + 1] != '<' && b[k + 1] != '\n') {
                String[] fill = {"0", " ", "A", "9", "\u00e9", "\t", "&#48;", "&amp;", "\\u0030", "1"};
                byte[] one = bytes(fill[random.nextInt(fill.length)]);
                return insert(b, k + 1, repeat(one, hugeCount(one.length)));
            }
        }
        return b;
    }

    private static boolean delimiter(byte c) {
        return c == '<' || c == '>' || c == '"' || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']'
                || c == '\n';
    }

    private int pos(int len) {
        return random.nextInt(len + 1);
    }

    static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    static byte[] delete(byte[] b, int at, int n) {
        byte[] c = new byte[b.length - n];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + n, c, at, b.length - at - n);
        return c;
    }

    private static byte[] slice(byte[] b, int at, int n) {
        byte[] c = new byte[n];
        System.arraycopy(b, at, c, 0, n);
        return c;
    }

    private static byte[] repeat(byte[] chunk, int times) {
        byte[] c = new byte[chunk.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(chunk, 0, c, i * chunk.length, chunk.length);
        }
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
