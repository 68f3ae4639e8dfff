package fr.aisne.hub.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import fr.aisne.hub.api.Redaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No default password: on first start, when etc/users.properties holds no admin account, generates a random
 * admin password, stores only its salted PBKDF2 hash in users.properties ({@link PasswordHashes}, which Karaf's JAAS
 * properties realm checks through {@link HubPasswordEncryption} as etc/org.apache.karaf.jaas.cfg says) and writes the
 * password once to etc/hub-admin.password, readable by the owner only. The same account works for ssh, bin/client
 * and the operations API. The hub's internal broker account is created the same way, its password kept in
 * etc/hub-internal.password for the hub's own use. users.properties is kept readable by its owner only.
 *
 * <p>Karaf's AutoEncryptionSupport reads users.properties when the realm starts and, when it holds clear passwords,
 * waits for the encryption service (the hub's, registered by this bundle), hashes them and saves its copy: accounts
 * written meanwhile are lost. Rather than wait for it (it waits for us), the core calls {@link #ensureAccounts()}
 * again every 250 ms in the first 90 s; an account lost that way is written back with the password of its file.
 * Two more things that save can do are handled here: it rewrites the file in place, so a check that read it half
 * written would have written back a file without the accounts it had not read yet (the core only acts on a read that
 * two readings 30 ms apart agree on); and its stale copy also loses any account added after Karaf read the file
 * (by an operator, or by a test before the first start): an account this object saw, missing from a file that also
 * lost the core's broker account, is written back as it was seen. An account deleted on purpose is not: that file
 * still holds the broker account.
 */
public final class AdminAccountBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAccountBootstrap.class);
    public static final String ADMIN_USER = "admin";
    public static final String INTERNAL_USER = "hub-internal";
    public static final String ADMIN_PASSWORD_FILE = "hub-admin.password";
    public static final String INTERNAL_PASSWORD_FILE = "hub-internal.password";
    private static final String ADMIN_GROUP = "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The internal account's password is 144 random bits that nobody types: stretching adds nothing against guessing
     * it, while the broker checks it at each connection the hub opens (its health probe too). A lower count keeps
     * that cheap; every other account gets {@code password.iterations}.
     */
    static final int INTERNAL_ITERATIONS = 10_000;

    private final Path etc;
    private final int iterations;
    private boolean warnedUnsalted;
    /** The file's time and size when the last check ended. */
    private volatile String lastChecked;
    /** Account name -> its line, as last seen in a settled read; kept in file order. */
    private final java.util.Map<String, String> seenAccounts = new java.util.LinkedHashMap<>();

    public AdminAccountBootstrap(Path etc, int iterations) {
        this.etc = etc;
        this.iterations = iterations;
    }

    /**
     * Creates what is missing; returns the internal account's password. The file is written only if nobody changed
     * it since it was read (else read and checked again, up to five times; the watch's next round goes on from there).
     */
    public synchronized String ensureAccounts() throws IOException {
        String internalPassword = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            // the file as this check is about to read it: any later write, ours included, is a change the next round
            // looks at (a stamp taken after the check would hide a stale copy saved between the read and the stamp)
            String before = stamp(etc.resolve("users.properties"));
            internalPassword = ensureAccountsOnce();
            if (internalPassword != null) {
                lastChecked = before;
                return internalPassword;
            }
            LOG.debug("users.properties changed while its accounts were checked: checking again");
        }
        return Files.readString(etc.resolve(INTERNAL_PASSWORD_FILE), StandardCharsets.UTF_8).strip();
    }

    /** True when users.properties is not as the last check left it (its time or size changed, or it is gone). */
    public boolean changedSinceLastCheck() {
        return !java.util.Objects.equals(lastChecked, stamp(etc.resolve("users.properties")));
    }

    private static String stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** One check; null when the file changed before it could be written. */
    private String ensureAccountsOnce() throws IOException {
        Path users = etc.resolve("users.properties");
        java.util.Properties jaas = jaasSettings();
        boolean salted = saltedHashesConfigured(jaas);
        UsersFile.Snapshot read = UsersFile.readSettled(users);
        List<String> lines = read.lines();
        Path adminFile = etc.resolve(ADMIN_PASSWORD_FILE);
        boolean changed = restoreLostAccounts(lines, users);
        changed |= hashClearPasswords(lines, jaas, salted, users);
        if (!hasAdminAccount(lines)) {
            // still unread by the operator: the account was written, then lost (see class comment); put it back
            boolean restore = Files.isReadable(adminFile) && userNames(lines).stream().noneMatch(ADMIN_USER::equals);
            String password = restore ? Files.readString(adminFile, StandardCharsets.UTF_8).strip() : randomPassword();
            if (lines.stream().noneMatch(l -> l.strip().startsWith("_g_\\:admingroup"))) {
                lines.add(ADMIN_GROUP);
            }
            lines.add(ADMIN_USER + " = " + stored(password, iterations, salted) + ",_g_:admingroup");
            changed = true;
            if (restore) {
                LOG.warn("Account '{}' was missing from {}: written again with the password of {}", ADMIN_USER,
                        users.getFileName(), adminFile);
            } else {
                writeOwnerOnly(adminFile, password + "\n");
                LOG.warn("First start: generated the password of account '{}' in {} (readable by its owner only). "
                        + "Read it, store it safely and delete the file.", ADMIN_USER, adminFile);
            }
        }
        Path internalFile = etc.resolve(INTERNAL_PASSWORD_FILE);
        String internalPassword;
        if (Files.isReadable(internalFile)) {
            // the broker and the core log in with this password: an account lost from the file is written again
            // with it, never with a new one the running core does not know
            internalPassword = Files.readString(internalFile, StandardCharsets.UTF_8).strip();
            if (!userNames(lines).contains(INTERNAL_USER)) {
                lines.add(INTERNAL_USER + " = " + stored(internalPassword, INTERNAL_ITERATIONS, salted) + ",hub-broker");
                changed = true;
            }
        } else {
            internalPassword = randomPassword();
            lines.removeIf(l -> l.strip().startsWith(INTERNAL_USER + " ") || l.strip().startsWith(INTERNAL_USER + "="));
            lines.add(INTERNAL_USER + " = " + stored(internalPassword, INTERNAL_ITERATIONS, salted) + ",hub-broker");
            writeOwnerOnly(internalFile, internalPassword + "\n");
            changed = true;
        }
        if (changed) {
            if (!UsersFile.writeIfUnchanged(users, read, lines)) {
                return null;
            }
            remember(lines);
        } else {
            remember(lines);
            if (UsersFile.restrict(users)) {
                LOG.info("{} was readable by others: now by its owner only", users.getFileName());
            }
        }
        return internalPassword;
    }

    /**
     * A file that lost the core's broker account (which nobody but the core writes or removes, and which was there
     * when the core last looked) is a stale copy saved over ours: puts back every account seen before and missing
     * from it. The admin account is no evidence either way: an operator may have written one before the first start
     * (then Karaf's copy has it) or deleted it since.
     */
    private boolean restoreLostAccounts(List<String> lines, Path users) {
        if (!seenAccounts.containsKey(INTERNAL_USER)) {
            return false;
        }
        List<String> present = userNames(lines);
        if (present.contains(INTERNAL_USER)) {
            return false;
        }
        boolean changed = false;
        for (var seen : seenAccounts.entrySet()) {
            String name = seen.getKey();
            if (!present.contains(name) && !name.equals(ADMIN_USER) && !name.equals(INTERNAL_USER)) {
                lines.add(seen.getValue());
                changed = true;
                LOG.warn("Account '{}' was missing from {} (a stale copy was saved over it): written again as it was",
                        Redaction.name(name), users.getFileName());
            }
        }
        return changed;
    }

    /**
     * Replaces every password typed in clear by its hash, as Karaf's AutoEncryptionSupport would. That one gives up for
     * good when the encryption service (this bundle's) is not there within 20 s of the realm's start, as on a loaded
     * machine: the clear passwords then stayed in clear, and with encryption enabled Karaf never accepts a clear
     * password, so those accounts could not log in until the next restart. Lines with escapes or continuations are
     * left to Karaf (the hub does not rewrite what it might parse differently).
     */
    private boolean hashClearPasswords(List<String> lines, java.util.Properties jaas, boolean salted, Path users) {
        if (!salted) {
            return false; // the realm compares clear passwords, or hashes them with Karaf's own service: no wait there
        }
        // Karaf's rule: a password is hashed when it has the prefix and the suffix, an absent one matching anything
        String prefix = jaas.getProperty("encryption.prefix", "").strip();
        String suffix = jaas.getProperty("encryption.suffix", "").strip();
        if (prefix.isEmpty() && suffix.isEmpty()) {
            return false; // every password counts as hashed: nothing is in clear
        }
        boolean changed = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            int eq = UsersFile.separator(l);
            // only "name = value": a ':' separator or a blank inside the name ends the key elsewhere for Karaf
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!") || l.startsWith("_g_") || eq <= 0
                    || l.charAt(eq) != '=' || l.indexOf('\\') >= 0 || l.substring(0, eq).strip().matches(".*\\s.*")) {
                continue;
            }
            String value = l.substring(eq + 1).stripLeading();
            int comma = value.indexOf(',');
            String password = comma < 0 ? value : value.substring(0, comma);
            if (password.isEmpty() || password.startsWith(prefix) && password.endsWith(suffix)) {
                continue;
            }
            String name = l.substring(0, eq).strip();
            lines.set(i, name + " = " + prefix + PasswordHashes.hash(password, iterations) + suffix + (comma < 0 ? "" : value.substring(comma)));
            changed = true;
            LOG.info("Password of account '{}' was in clear in {}: replaced by its hash", Redaction.name(name),
                    users.getFileName());
        }
        return changed;
    }

    private void remember(List<String> lines) {
        seenAccounts.putAll(accountLines(lines));
    }

    private java.util.Properties jaasSettings() throws IOException {
        Path cfg = etc.resolve("org.apache.karaf.jaas.cfg");
        java.util.Properties p = new java.util.Properties();
        if (Files.exists(cfg)) {
            try (var in = Files.newInputStream(cfg)) {
                p.load(in);
            }
        }
        return p;
    }

    /**
     * True when etc/org.apache.karaf.jaas.cfg selects the hub's salted hashes; an installation that kept Karaf's basic
     * SHA-512 there gets what that realm can check, with a warning.
     */
    private boolean saltedHashesConfigured(java.util.Properties p) {
        boolean salted = HubPasswordEncryption.NAME.equals(p.getProperty("encryption.name", "").strip())
                && Boolean.parseBoolean(p.getProperty("encryption.enabled", "false").strip());
        if (!salted && !warnedUnsalted) { // once: the core checks the accounts again and again at start
            warnedUnsalted = true;
            LOG.warn("etc/org.apache.karaf.jaas.cfg does not select encryption.name = {} (encryption.enabled = true): "
                    + "account passwords are stored without salt. Use the distribution's file (docs/OPERATIONS.md)",
                    HubPasswordEncryption.NAME);
        }
        return salted;
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
        return new ArrayList<>(accountLines(lines).keySet());
    }

    /** Account name -> its line (stripped), in file order; groups, comments and blank lines excluded. */
    private static java.util.Map<String, String> accountLines(List<String> lines) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!") || l.startsWith("_g_")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.put(l.substring(0, eq).strip(), l);
            }
        }
        return out;
    }

    /** {CRYPT}pbkdf2-sha256$...{CRYPT}, or Karaf's basic {CRYPT}hex(SHA-512){CRYPT} where the realm still uses it. */
    static String stored(String password, int iterations, boolean salted) {
        return "{CRYPT}" + (salted ? PasswordHashes.hash(password, iterations) : PasswordHashes.legacyDigest(password))
                + "{CRYPT}";
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
