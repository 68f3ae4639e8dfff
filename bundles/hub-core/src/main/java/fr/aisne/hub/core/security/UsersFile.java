package fr.aisne.hub.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * etc/users.properties as the hub writes it: whole, through a temporary file readable by its owner only, moved in
 * place; and kept owner-only (the distribution unpacks it 644, and it holds every account's password hash).
 */
final class UsersFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private UsersFile() {
    }

    static List<String> read(Path users) throws IOException {
        return Files.exists(users) ? new ArrayList<>(Files.readAllLines(users, StandardCharsets.ISO_8859_1))
                : new ArrayList<>();
    }

    /** The file's bytes as read (null: no file) and its lines. */
    record Snapshot(byte[] bytes, List<String> lines) {
    }

    /**
     * The file once two readings 30 ms apart agree: Karaf saves users.properties in place (truncate, then write), and
     * a reading in between would see it empty or cut. Gives up after about 3 s and returns the last reading.
     */
    static Snapshot readSettled(Path users) throws IOException {
        byte[] last = bytes(users);
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            byte[] now = bytes(users);
            if (java.util.Arrays.equals(last, now)) {
                break;
            }
            last = now;
        }
        return new Snapshot(last, last == null ? new ArrayList<>()
                : new java.io.BufferedReader(new java.io.StringReader(new String(last, StandardCharsets.ISO_8859_1)))
                        .lines().collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
    }

    private static byte[] bytes(Path users) throws IOException {
        try {
            return Files.readAllBytes(users);
        } catch (java.nio.file.NoSuchFileException absent) {
            return null;
        }
    }

    /**
     * Writes {@code lines} unless the file changed since {@code read} was taken (Karaf saved it meanwhile, hashing
     * clear passwords: writing over it would put them back in clear); false when it did not write.
     */
    static synchronized boolean writeIfUnchanged(Path users, Snapshot read, List<String> lines) throws IOException {
        if (!java.util.Arrays.equals(read.bytes(), bytes(users))) {
            return false;
        }
        write(users, lines);
        return true;
    }

    static synchronized void write(Path users, List<String> lines) throws IOException {
        Path tmp = users.resolveSibling(users.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, lines, StandardCharsets.ISO_8859_1);
        Files.move(tmp, users, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes group and other permissions from the file; true when it had some. */
    static boolean restrict(Path file) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> owner = java.util.EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission x : p) {
                if (x.name().startsWith("OWNER_")) {
                    owner.add(x);
                }
            }
            if (owner.equals(p)) {
                return false;
            }
            Files.setPosixFilePermissions(file, owner);
            return true;
        } catch (UnsupportedOperationException notPosix) {
            return false;
        }
    }

    /**
     * Replaces the password of {@code user} by a PBKDF2 hash when it is stored as an unsalted SHA-512 digest that
     * {@code password} matches; true when it did.
     */
    static synchronized boolean rehashLegacy(Path users, String user, String password, String prefix, String suffix,
            int iterations) throws IOException {
        List<String> lines = read(users);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!")) {
                continue;
            }
            int eq = separator(l);
            if (eq <= 0 || !unescape(l.substring(0, eq).strip()).equals(user)) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            int comma = value.indexOf(',');
            String stored = (comma < 0 ? value : value.substring(0, comma)).strip();
            String rest = comma < 0 ? "" : value.substring(comma);
            if (!stored.startsWith(prefix) || !stored.endsWith(suffix)
                    || stored.length() < prefix.length() + suffix.length()) {
                return false;
            }
            String inner = stored.substring(prefix.length(), stored.length() - suffix.length());
            if (!PasswordHashes.isLegacy(inner) || !PasswordHashes.verify(password, inner)) {
                return false;
            }
            lines.set(i, l.substring(0, eq).strip() + " = " + prefix + PasswordHashes.hash(password, iterations) + suffix
                    + rest);
            write(users, lines);
            return true;
        }
        return false;
    }

    /** The index of the key/value separator of a properties line (the first unescaped '=' or ':'). */
    static int separator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String key) {
        return key.replaceAll("\\\\(.)", "$1");
    }
}
