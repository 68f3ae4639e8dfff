package fr.aisne.hub.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

import fr.aisne.hub.core.util.Digests;

/**
 * Payloads of journaled exchanges, one file each under data/hub/payloads, written to a temporary file,
 * forced to disk, then moved into place: a payload the hub has accepted survives a kill. The queues
 * carry only the exchange id (claim check), so large files never go through the broker.
 */
public final class PayloadStore {
    private final Path root;

    public PayloadStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** Result of storing a payload. {@code tooLarge} means nothing was kept. */
    public record Stored(long size, String sha256, boolean tooLarge) {
    }

    /**
     * Streams the payload to disk while computing its size and SHA-256; stops and keeps nothing once it
     * exceeds maxBytes.
     */
    public Stored store(String id, InputStream in, long maxBytes) throws IOException {
        Path target = pathOf(id);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(id + ".part");
        MessageDigest md = Digests.sha256();
        long size = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(ch);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                size += n;
                if (size > maxBytes) {
                    ch.close();
                    Files.deleteIfExists(tmp);
                    return new Stored(size, null, true);
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Stored(size, HexFormat.of().formatHex(md.digest()), false);
    }

    public InputStream open(String id) throws IOException {
        return Files.newInputStream(pathOf(id));
    }

    public byte[] read(String id) throws IOException {
        return Files.readAllBytes(pathOf(id));
    }

    /** The payload's file, for streaming (read-only use). */
    public java.io.File file(String id) {
        return pathOf(id).toFile();
    }

    public boolean exists(String id) {
        return Files.isRegularFile(pathOf(id));
    }

    public void delete(String id) throws IOException {
        Files.deleteIfExists(pathOf(id));
    }

    private Path pathOf(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not an exchange id");
        }
        return root.resolve(id.substring(0, 2)).resolve(id);
    }
}
