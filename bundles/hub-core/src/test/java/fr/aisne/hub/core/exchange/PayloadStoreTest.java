package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import org.junit.Test;

import fr.aisne.hub.core.store.PayloadCipher;
import fr.aisne.hub.core.store.PayloadStore;
import fr.aisne.hub.core.util.Ids;

/** Where a payload lives (its journal row, or a sealed file), its size limit, and the upgrade of clear files. */
public class PayloadStoreTest extends CoreFixtureCase {

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private byte[] read(String id) throws Exception {
        try (InputStream in = f.store.open(id)) {
            return in.readAllBytes();
        }
    }

    @Test
    public void aSmallPayloadIsHeldInMemoryUntilJournaledAndNoFileIsWritten() throws Exception {
        String id = Ids.newExchangeId();
        PayloadStore.Received r = f.store.receive(id, new ByteArrayInputStream(random(PayloadStore.INLINE_MAX)), 1 << 20);
        assertTrue(r.inline());
        assertEquals(PayloadCipher.sealedSize(PayloadStore.INLINE_MAX), r.inlineSealed().length);
        assertTrue("the sealed copy fits Derby's VARBINARY", r.inlineSealed().length <= 32_672);
        try (var files = Files.walk(f.store.root())) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    public void aLargePayloadIsASealedOwnerOnlyFileThatOpensBackToTheSameBytes() throws Exception {
        String id = Ids.newExchangeId();
        byte[] plain = random(PayloadStore.INLINE_MAX + 1);
        PayloadStore.Received r = f.store.receive(id, new ByteArrayInputStream(plain), 1 << 20);
        assertFalse(r.inline());
        assertNull(r.inlineSealed());
        Path file = f.store.root().resolve(id.substring(0, 2)).resolve(id);
        assertTrue(PayloadCipher.isSealed(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(plain, read(id));
        assertTrue(f.store.exists(id));
        f.store.delete(id);
        assertFalse(f.store.exists(id));
    }

    @Test
    public void aPayloadOverTheLimitLeavesNothingBehind() throws Exception {
        String id = Ids.newExchangeId();
        PayloadStore.Received r = f.store.receive(id, new ByteArrayInputStream(random(200_000)), 100_000);
        assertTrue(r.tooLarge());
        try (var files = Files.walk(f.store.root())) {
            assertEquals("no file, no .part left", 0, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    public void clearFilesFromAnOlderHubAreSealedInPlaceAndStillReadBack() throws Exception {
        String id = Ids.newExchangeId();
        byte[] plain = "{\"nir\":\"185057800608436\"}".getBytes();
        Path file = Files.createDirectories(f.store.root().resolve(id.substring(0, 2))).resolve(id);
        Files.write(file, plain);
        assertFalse(PayloadCipher.isSealed(file));

        assertEquals(1, f.store.sealPlainFiles());
        assertTrue(PayloadCipher.isSealed(file));
        assertFalse("the clear bytes are gone from the disk",
                new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains("185057800608436"));
        assertArrayEquals(plain, read(id));
        assertEquals("a second start has nothing to do", 0, f.store.sealPlainFiles());
    }
}
