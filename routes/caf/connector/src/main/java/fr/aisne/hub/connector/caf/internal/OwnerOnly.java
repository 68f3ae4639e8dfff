package fr.aisne.hub.connector.caf.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * What the connector writes holds personal data (flux, decrypted content, quarantined files, reasons): its files
 * are created rw------- and its folders rwx------ (on POSIX file systems; elsewhere the data folder's own rights
 * apply).
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {
    }

    /** Creates the missing folders of {@code dir}, each rwx------; returns {@code dir}. */
    static Path createDirectories(Path dir) throws IOException {
        return POSIX ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY))
                : Files.createDirectories(dir);
    }

    /** A folder of the connector's own (not shared with a sender): created, or narrowed, to rwx------. */
    static Path privateDirectory(Path dir) throws IOException {
        createDirectories(dir);
        restrict(dir);
        return dir;
    }

    /** Opens {@code file} for writing, created (or emptied) rw-------. */
    static FileChannel newFile(Path file) throws IOException {
        FileChannel ch = POSIX ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), fileAttribute())
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        restrict(file); // an existing file keeps its rights otherwise
        return ch;
    }

    /** Writes {@code text} to {@code file}, rw-------. */
    static void writeString(Path file, String text) throws IOException {
        try (FileChannel ch = newFile(file)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** Narrows an existing file or folder to owner-only. */
    static void restrict(Path p) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(p, Files.isDirectory(p) ? DIRECTORY : FILE);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }
}
