package fr.aisne.hub.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.core.util.Digests;
import fr.aisne.hub.core.util.Ids;

/**
 * Payloads of journaled exchanges, sealed at rest ({@link PayloadCipher}, bound to the exchange id). A small
 * payload (most messages) is kept sealed in its own journal row (hub_exchange.payload): one insert, one commit
 * makes both durable. A larger one is streamed to a sealed file under data/hub/payloads, forced to
 * disk, then moved into place, before its journal entry is written. Files are created owner-only.
 */
public final class PayloadStore {
    /** Largest plain payload kept in the database (its sealed form fits Derby's largest VARBINARY, 32,672 bytes). */
    public static final int INLINE_MAX = 32_000;
    private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final PayloadCipher cipher;
    private final Jdbc jdbc;

    public PayloadStore(Path root, PayloadCipher cipher, Jdbc jdbc) throws IOException {
        this.root = Files.createDirectories(root);
        this.cipher = cipher;
        this.jdbc = jdbc;
    }

    /**
     * A payload received and not yet journaled. {@code inlinePlain} is the payload when small enough to be kept
     * in the database (then {@code inlineSealed} is what to insert with the journal entry); a larger one is
     * already in its sealed file.
     */
    public record Received(String id, long size, String sha256, boolean tooLarge, byte[] inlinePlain,
            byte[] inlineSealed) {
        public boolean inline() {
            return inlinePlain != null;
        }
    }

    /**
     * Reads the payload while computing its size and SHA-256; stops and keeps nothing once it exceeds
     * {@code maxBytes}. Nothing is journaled here.
     */
    public Received receive(String id, InputStream in, long maxBytes) throws IOException {
        MessageDigest md = Digests.sha256();
        long limit = Math.min(maxBytes, Long.MAX_VALUE - 1);
        // Read up to INLINE_MAX + 1 bytes in memory: most messages end there.
        byte[] head = in.readNBytes((int) Math.min(INLINE_MAX + 1L, limit + 1));
        if (head.length > limit) {
            return new Received(id, head.length, null, true, null, null);
        }
        md.update(head);
        if (head.length <= INLINE_MAX) {
            return new Received(id, head.length, HexFormat.of().formatHex(md.digest()), false, head,
                    cipher.seal(id, head));
        }
        Path target = pathOf(id);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(id + ".part");
        long size = head.length;
        boolean kept = false;
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            OutputStream sealed = cipher.sealing(id, new NonClosing(Channels.newOutputStream(ch)));
            sealed.write(head);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                size += n;
                if (size > limit) {
                    return new Received(id, size, null, true, null, null);
                }
                md.update(buf, 0, n);
                sealed.write(buf, 0, n);
            }
            sealed.close();
            ch.force(true);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            kept = true;
        } finally {
            if (!kept) {
                Files.deleteIfExists(tmp); // a failed or refused write leaves nothing behind
            }
        }
        return new Received(id, size, HexFormat.of().formatHex(md.digest()), false, null, null);
    }

    /** Opens a received payload for validation, before it is journaled. */
    public InputStream openReceived(Received r) throws IOException {
        return r.inline() ? new ByteArrayInputStream(r.inlinePlain()) : open(r.id());
    }

    /** The stored payload, decrypted, as a stream. */
    public InputStream open(String id) throws IOException {
        return open(id, jdbc.one("SELECT payload FROM hub_exchange WHERE id = ?", rs -> rs.getBytes(1), id)
                .orElse(null));
    }

    /** The payload, decrypted: {@code inlineSealed} when the journal row holds it (already read), else its file. */
    public InputStream open(String id, byte[] inlineSealed) throws IOException {
        if (inlineSealed != null) {
            return new ByteArrayInputStream(cipher.open(id, inlineSealed));
        }
        try {
            return cipher.opening(id, Files.newInputStream(pathOf(id)));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("no stored payload for exchange " + id);
        }
    }

    public boolean exists(String id) {
        return Files.isRegularFile(pathOf(id))
                || jdbc.count("SELECT COUNT(*) FROM hub_exchange WHERE id = ? AND payload IS NOT NULL", id) > 0;
    }

    /** Deletes the payload's file (retention, or a message not kept); the journal clears an inline copy. */
    public void delete(String id) throws IOException {
        Files.deleteIfExists(pathOf(id));
    }

    /** Deletes the file of a received payload that will not be journaled (a duplicate, a refusal). */
    public void discard(Received r) throws IOException {
        if (!r.inline()) {
            Files.deleteIfExists(pathOf(r.id()));
        }
    }

    /**
     * Seals the payload files a hub before version 2 wrote in clear (upgrade): each is sealed to a temporary file,
     * forced, then moved over the clear one. Returns how many were sealed.
     */
    public int sealPlainFiles() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int sealed = 0;
        try (var files = Files.walk(root, 2)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || !Ids.isExchangeId(name) || PayloadCipher.isSealed(p)) {
                    continue;
                }
                Path tmp = p.resolveSibling(name + ".part");
                try (InputStream in = Files.newInputStream(p);
                        FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                    OutputStream out = cipher.sealing(name, new NonClosing(Channels.newOutputStream(ch)));
                    in.transferTo(out);
                    out.close();
                    ch.force(true);
                }
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                sealed++;
            }
        }
        return sealed;
    }

    /** Bytes the payloads' file system can still take. */
    public long usableBytes() {
        // Free space is read once a second at most: each message asks, and finding the file store of a path
        // parses the mount table (measured: 1.6 % of the hub's allocations under load).
        long now = System.nanoTime();
        long[] last = lastUsable;
        if (last != null && now - last[0] < USABLE_TTL_NANOS) {
            return last[1];
        }
        long usable;
        try {
            if (fileStore == null) {
                fileStore = Files.getFileStore(root);
            }
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            usable = -1;
        }
        lastUsable = new long[] {now, usable};
        return usable;
    }

    private static final long USABLE_TTL_NANOS = 1_000_000_000L;
    private volatile java.nio.file.FileStore fileStore;
    private volatile long[] lastUsable;

    public Path root() {
        return root;
    }

    private Path pathOf(String id) {
        if (!Ids.isExchangeId(id)) {
            throw new IllegalArgumentException("not an exchange id");
        }
        return root.resolve(id.substring(0, 2)).resolve(id);
    }

    /** Keeps the channel open when the sealing stream closes, so it can be forced to disk first. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
