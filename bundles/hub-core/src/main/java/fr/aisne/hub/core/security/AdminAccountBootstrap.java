package fr.aisne.hub.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No default password: on first start, when etc/users.properties holds no admin account, generates a random
 * admin password, stores only its SHA-512 digest in users.properties (the format Karaf's JAAS properties
 * realm checks when etc/org.apache.karaf.jaas.cfg enables encryption) and writes the password once to
 * etc/hub-admin.password, readable by the owner only. The same account works for ssh, bin/client and the
 * operations API. The hub's internal broker account is created the same way, its password kept in
 * etc/hub-internal.password for the hub's own use.
 */
public final class AdminAccountBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAccountBootstrap.class);
    public static final String ADMIN_USER = "admin";
    public static final String INTERNAL_USER = "hub-internal";
    public static final String ADMIN_PASSWORD_FILE = "hub-admin.password";
    public static final String INTERNAL_PASSWORD_FILE = "hub-internal.password";
    private static final String ADMIN_GROUP = "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path etc;

    public AdminAccountBootstrap(Path etc) {
        this.etc = etc;
    }

    /** Creates what is missing; returns the internal account's password. */
    public synchronized String ensureAccounts() throws IOException {
        Path users = etc.resolve("users.properties");
        List<String> lines = Files.exists(users)
                ? new ArrayList<>(Files.readAllLines(users, StandardCharsets.ISO_8859_1))
                : new ArrayList<>();
        boolean changed = false;
        if (!hasAdminAccount(lines)) {
            String password = randomPassword();
            if (lines.stream().noneMatch(l -> l.strip().startsWith("_g_\\:admingroup"))) {
                lines.add(ADMIN_GROUP);
            }
            lines.add(ADMIN_USER + " = " + digest(password) + ",_g_:admingroup");
            writeOwnerOnly(etc.resolve(ADMIN_PASSWORD_FILE), password + "\n");
            changed = true;
            LOG.warn("First start: generated the password of account '{}' in {} (readable by its owner only). "
                    + "Read it, store it safely and delete the file.", ADMIN_USER,
                    etc.resolve(ADMIN_PASSWORD_FILE));
        }
        Path internalFile = etc.resolve(INTERNAL_PASSWORD_FILE);
        String internalPassword;
        if (userNames(lines).contains(INTERNAL_USER) && Files.isReadable(internalFile)) {
            internalPassword = Files.readString(internalFile, StandardCharsets.UTF_8).strip();
        } else {
            internalPassword = randomPassword();
            lines.removeIf(l -> l.strip().startsWith(INTERNAL_USER + " ") || l.strip().startsWith(INTERNAL_USER + "="));
            lines.add(INTERNAL_USER + " = " + digest(internalPassword) + ",hub-broker");
            writeOwnerOnly(internalFile, internalPassword + "\n");
            changed = true;
        }
        if (changed) {
            Path tmp = users.resolveSibling("users.properties.tmp");
            Files.write(tmp, lines, StandardCharsets.ISO_8859_1);
            Files.move(tmp, users, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return internalPassword;
    }

    /**
     * True when an account has the admin role, directly or through the admin group (a name taken by an
     * existing non-admin account is not reused: the generated account is then not created).
     */
    static boolean hasAdminAccount(List<String> lines) {
        for (String line : lines) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!") || l.startsWith("_g_") || eq <= 0) {
                continue;
            }
            String name = l.substring(0, eq).strip();
            String[] tokens = l.substring(eq + 1).split(",");
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i].strip();
                if (t.equals("admin") || t.equals("_g_:admingroup")) {
                    return true;
                }
            }
            if (name.equals(ADMIN_USER)) {
                return true;
            }
        }
        return false;
    }

    /** Account names of a users.properties file (groups, comments and blank lines excluded). */
    static List<String> userNames(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!") || l.startsWith("_g_")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.add(l.substring(0, eq).strip());
            }
        }
        return out;
    }

    /** {CRYPT}hex(SHA-512){CRYPT}: Karaf's "basic" encryption with algorithm SHA-512, hexadecimal. */
    public static String digest(String password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{CRYPT}" + HexFormat.of().formatHex(d) + "{CRYPT}";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomPassword() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(perms));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
