package fr.aisne.hub.core.store;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.KeyGenerator;

import org.junit.Test;

/** Payloads sealed in segments: round trips of every size, and every alteration caught. */
public class PayloadCipherTest {
    private static final String ID = "0190e3c4-7a2b-7c3d-8e4f-123456789abc";
    private final PayloadCipher cipher = new PayloadCipher(key());

    private static javax.crypto.SecretKey key() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            return g.generateKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Opens by both ways (the stream, and the one call for a payload in memory): they must agree. */
    private byte[] open(String id, byte[] sealed) throws IOException {
        byte[] streamed;
        try (InputStream in = cipher.opening(id, new ByteArrayInputStream(sealed))) {
            streamed = in.readAllBytes();
        } catch (IOException e) {
            IOException inMemory = assertThrows(IOException.class, () -> cipher.open(id, sealed));
            assertTrue(inMemory.getMessage(), inMemory.getMessage().contains("exchange " + id));
            throw e;
        }
        assertArrayEquals(streamed, cipher.open(id, sealed));
        return streamed;
    }

    @Test
    public void everySizeRoundTripsAndHasTheAnnouncedSealedSize() throws Exception {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 100, PayloadCipher.SEGMENT - 1, PayloadCipher.SEGMENT, PayloadCipher.SEGMENT + 1,
                3 * PayloadCipher.SEGMENT, 1_000_003}) {
            byte[] plain = new byte[size];
            r.nextBytes(plain);
            byte[] sealed = cipher.seal(ID, plain);
            assertEquals("sealed size of " + size, PayloadCipher.sealedSize(size), sealed.length);
            assertArrayEquals("size " + size, plain, open(ID, sealed));
        }
    }

    @Test
    public void streamingWritesInSmallPiecesGiveTheSameContent() throws Exception {
        byte[] plain = new byte[200_000];
        new Random(3).nextBytes(plain);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = cipher.sealing(ID, out)) {
            for (int i = 0; i < plain.length; i += 777) {
                s.write(plain, i, Math.min(777, plain.length - i));
            }
        }
        assertArrayEquals(plain, open(ID, out.toByteArray()));
    }

    @Test
    public void anAlteredByteATruncationAReorderingOrAnotherExchangeIdIsRefused() throws Exception {
        byte[] plain = new byte[3 * PayloadCipher.SEGMENT + 10];
        new Random(1).nextBytes(plain);
        byte[] sealed = cipher.seal(ID, plain);

        byte[] altered = sealed.clone();
        altered[PayloadCipher.HEADER + 5000] ^= 1;
        assertRefused(ID, altered);

        int oneSegment = PayloadCipher.SEGMENT + PayloadCipher.TAG;
        assertRefused(ID, Arrays.copyOf(sealed, sealed.length - 26)); // the last segment is gone
        assertRefused(ID, Arrays.copyOf(sealed, PayloadCipher.HEADER + 2 * oneSegment)); // cut on a boundary

        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, PayloadCipher.HEADER + oneSegment, swapped, PayloadCipher.HEADER, oneSegment);
        System.arraycopy(sealed, PayloadCipher.HEADER, swapped, PayloadCipher.HEADER + oneSegment, oneSegment);
        assertRefused(ID, swapped);

        assertRefused("0190e3c4-7a2b-7c3d-8e4f-000000000000", sealed);
        assertRefused(ID, "not sealed at all, a plain file".getBytes());
    }

    @Test
    public void aOneSegmentPayloadSealedInOneCallIsBoundLikeAStreamedOne() throws Exception {
        byte[] plain = "{\"n\":1}".getBytes();
        byte[] sealed = cipher.seal(ID, plain);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (OutputStream s = cipher.sealing(ID, streamed)) {
            s.write(plain);
        }
        assertEquals(streamed.size(), sealed.length);
        for (int i : new int[] {PayloadCipher.HEADER - 1, PayloadCipher.HEADER, sealed.length - 1}) {
            byte[] altered = sealed.clone();
            altered[i] ^= 1;
            assertRefused(ID, altered);
        }
        assertRefused("another-exchange", sealed);
    }

    @Test
    public void aPayloadSealedByAnotherKeyDoesNotOpen() throws Exception {
        byte[] sealed = new PayloadCipher(key()).seal(ID, "hello".getBytes());
        assertRefused(ID, sealed);
    }

    private void assertRefused(String id, byte[] sealed) {
        IOException e = assertThrows(IOException.class, () -> open(id, sealed));
        assertTrue(e.getMessage(), e.getMessage().contains("exchange " + id));
    }
}
