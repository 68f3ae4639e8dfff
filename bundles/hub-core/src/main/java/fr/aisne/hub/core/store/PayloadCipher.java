package fr.aisne.hub.core.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import fr.aisne.hub.core.util.PerThreadRandom;

/**
 * Payloads at rest, encrypted and authenticated in segments so that a file of several GB is sealed and opened
 * as a stream (a single AES-GCM message would have to be held whole to be checked). Format:
 * <pre>
 *   "HUBP" | version 1 | salt (16) | nonce prefix (7)             header, 28 bytes
 *   segment*: AES-256-GCM(plain <= 64 KiB) || tag (16)            nonce = prefix || counter (4) || last (1)
 * </pre>
 * Each payload has its own key, HKDF-SHA256(master key, salt, "hub-payload/v1/" + exchange id): a payload is
 * bound to its exchange (moved under another id it does not open), segments cannot be reordered (counter),
 * and a truncated payload is detected (the last segment carries the flag; one always ends the stream).
 */
public final class PayloadCipher {
    static final byte[] MAGIC = "HUBP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int SALT = 16;
    static final int PREFIX = 7;
    static final int HEADER = MAGIC.length + 1 + SALT + PREFIX;
    static final int SEGMENT = 64 * 1024;
    static final int TAG = 16;

    private final SecretKey master;
    /** Looking up a Cipher or a Mac costs more than using one: one of each per thread. */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));

    private interface Factory<T> {
        T get() throws GeneralSecurityException;
    }

    private static <T> T instance(Factory<T> f) {
        try {
            return f.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java platform lacks AES-GCM or HmacSHA256", e);
        }
    }

    public PayloadCipher(SecretKey master) {
        this.master = master;
    }

    /** Sealed size of a payload of {@code plain} bytes. */
    /** Whether the file starts as a sealed payload does (a file written in clear by an older hub does not). */
    public static boolean isSealed(java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length + 1);
            return head.length == MAGIC.length + 1 && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)
                    && head[MAGIC.length] == VERSION;
        }
    }

    public static long sealedSize(long plain) {
        long segments = Math.max(1, (plain + SEGMENT - 1) / SEGMENT); // the last (or only, maybe empty) one is flagged
        return HEADER + plain + segments * TAG;
    }

    /** An output stream that seals what is written to {@code out}; close() writes the last segment. */
    public OutputStream sealing(String exchangeId, OutputStream out) throws IOException {
        byte[] salt = new byte[SALT];
        byte[] prefix = new byte[PREFIX];
        PerThreadRandom.nextBytes(salt);
        PerThreadRandom.nextBytes(prefix);
        byte[] header = new byte[HEADER];
        writeHeader(header, salt, prefix);
        out.write(header);
        return new SealingStream(out, key(exchangeId, salt), prefix);
    }

    /** The plain payload of a sealed stream; fails with an IOException at the first altered or missing byte. */
    public InputStream opening(String exchangeId, InputStream sealed) throws IOException {
        byte[] header = sealed.readNBytes(HEADER);
        checkHeader(exchangeId, header);
        byte[] salt = Arrays.copyOfRange(header, MAGIC.length + 1, MAGIC.length + 1 + SALT);
        byte[] prefix = Arrays.copyOfRange(header, MAGIC.length + 1 + SALT, HEADER);
        return new OpeningStream(new PushbackInputStream(sealed, 1), key(exchangeId, salt), prefix, exchangeId);
    }

    /** The plain payload of a sealed one held in memory (a journal row's); one segment is opened in one call. */
    public byte[] open(String exchangeId, byte[] sealed) throws IOException {
        if (sealed.length < HEADER + TAG || sealed.length > HEADER + SEGMENT + TAG) {
            try (InputStream in = opening(exchangeId, new ByteArrayInputStream(sealed))) {
                return in.readAllBytes();
            }
        }
        checkHeader(exchangeId, sealed);
        byte[] salt = Arrays.copyOfRange(sealed, MAGIC.length + 1, MAGIC.length + 1 + SALT);
        byte[] prefix = Arrays.copyOfRange(sealed, MAGIC.length + 1 + SALT, HEADER);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key(exchangeId, salt), new GCMParameterSpec(TAG * 8, nonce(prefix, 0, true)));
            return cipher.doFinal(sealed, HEADER, sealed.length - HEADER);
        } catch (GeneralSecurityException e) {
            throw new IOException("stored payload of exchange " + exchangeId
                    + " fails its integrity check (altered, truncated or under another id)");
        }
    }

    public byte[] seal(String exchangeId, byte[] plain) throws IOException {
        if (plain.length <= SEGMENT) {
            return sealOneSegment(exchangeId, plain);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) sealedSize(plain.length));
        try (OutputStream s = sealing(exchangeId, out)) {
            s.write(plain);
        }
        return out.toByteArray();
    }

    /**
     * What {@link #sealing} writes for a payload of one segment (most messages), without its segment buffer: the
     * header, then the only segment, flagged last.
     */
    private byte[] sealOneSegment(String exchangeId, byte[] plain) throws IOException {
        byte[] salt = new byte[SALT];
        byte[] prefix = new byte[PREFIX];
        PerThreadRandom.nextBytes(salt);
        PerThreadRandom.nextBytes(prefix);
        byte[] sealed = new byte[(int) sealedSize(plain.length)];
        writeHeader(sealed, salt, prefix);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, key(exchangeId, salt), new GCMParameterSpec(TAG * 8, nonce(prefix, 0, true)));
            cipher.doFinal(plain, 0, plain.length, sealed, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IOException("payload sealing failed", e);
        }
        return sealed;
    }

    /** The header of a sealed payload (magic, version, salt, nonce prefix) at the start of {@code into}. */
    private static void writeHeader(byte[] into, byte[] salt, byte[] prefix) {
        System.arraycopy(MAGIC, 0, into, 0, MAGIC.length);
        into[MAGIC.length] = VERSION;
        System.arraycopy(salt, 0, into, MAGIC.length + 1, SALT);
        System.arraycopy(prefix, 0, into, MAGIC.length + 1 + SALT, PREFIX);
    }

    /** Refuses what does not start with a whole header of this format. */
    private static void checkHeader(String exchangeId, byte[] sealed) throws IOException {
        if (sealed.length < HEADER || !Arrays.equals(sealed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || sealed[MAGIC.length] != VERSION) {
            throw new IOException("stored payload of exchange " + exchangeId + " is not a sealed payload");
        }
    }

    private SecretKey key(String exchangeId, byte[] salt) throws IOException {
        try {
            // HKDF (RFC 5869) with one output block: extract, then expand with counter 1.
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(master.getEncoded());
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(("hub-payload/v1/" + exchangeId).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 1);
            byte[] okm = mac.doFinal();
            Arrays.fill(prk, (byte) 0);
            return new SecretKeySpec(okm, "AES");
        } catch (GeneralSecurityException e) {
            throw new IOException("payload key derivation failed", e);
        }
    }

    private static byte[] nonce(byte[] prefix, int counter, boolean last) {
        return ByteBuffer.allocate(12).put(prefix).putInt(counter).put((byte) (last ? 1 : 0)).array();
    }

    private static final class SealingStream extends OutputStream {
        private final OutputStream out;
        private final SecretKey key;
        private final byte[] prefix;
        private final byte[] buffer = new byte[SEGMENT];
        private final Cipher cipher;
        private int filled;
        private int counter;
        private boolean closed;

        SealingStream(OutputStream out, SecretKey key, byte[] prefix) throws IOException {
            this.out = out;
            this.key = key;
            this.prefix = prefix;
            this.cipher = CIPHER.get();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) {
                    emit(false); // only once more data is known to follow: the last segment is emitted by close()
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void emit(boolean last) throws IOException {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(prefix, counter++, last)));
                out.write(cipher.doFinal(buffer, 0, filled));
            } catch (GeneralSecurityException e) {
                throw new IOException("payload sealing failed", e);
            }
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                emit(true);
                Arrays.fill(buffer, (byte) 0);
                out.close();
            }
        }
    }

    private static final class OpeningStream extends InputStream {
        private final PushbackInputStream in;
        private final SecretKey key;
        private final byte[] prefix;
        private final String exchangeId;
        private final Cipher cipher;
        private byte[] plain = new byte[0];
        private int pos;
        private int counter;
        private boolean done;

        OpeningStream(PushbackInputStream in, SecretKey key, byte[] prefix, String exchangeId) throws IOException {
            this.in = in;
            this.key = key;
            this.prefix = prefix;
            this.exchangeId = exchangeId;
            this.cipher = CIPHER.get();
        }

        private boolean fill() throws IOException {
            while (pos >= plain.length) {
                if (done) {
                    return false;
                }
                byte[] segment = in.readNBytes(SEGMENT + TAG);
                if (segment.length < TAG) {
                    throw new EOFException("stored payload of exchange " + exchangeId + " is truncated");
                }
                int next = in.read();
                boolean last = next < 0;
                if (!last) {
                    in.unread(next);
                }
                try {
                    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(prefix, counter++, last)));
                    plain = cipher.doFinal(segment);
                } catch (GeneralSecurityException e) {
                    throw new IOException("stored payload of exchange " + exchangeId
                            + " fails its integrity check (altered, truncated or under another id)");
                }
                pos = 0;
                done = last;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? plain[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, plain.length - pos);
            System.arraycopy(plain, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
