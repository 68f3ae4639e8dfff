package fr.aisne.hub.core.security;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AdminAccountBootstrapTest {
    private static final String GROUP_LINE = "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh";

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();
    private Path etc;
    private Path users;

    @Before
    public void setUp() throws Exception {
        etc = tmp.newFolder("etc").toPath();
        users = etc.resolve("users.properties");
    }

    private void writeUsers(String... lines) throws Exception {
        Files.write(users, List.of(lines), StandardCharsets.ISO_8859_1);
    }

    /** user -> value of users.properties, for the lines that define users. */
    private Map<String, String> accounts() throws Exception {
        return Files.readAllLines(users, StandardCharsets.ISO_8859_1).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("_g_"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')).strip(),
                        l -> l.substring(l.indexOf('=') + 1).strip()));
    }

    private static String sha512Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {CRYPT}hex{CRYPT} part of "digest,roles". */
    private static String hashOf(String value) {
        String crypt = value.substring(0, value.indexOf(','));
        assertTrue(crypt, crypt.startsWith("{CRYPT}") && crypt.endsWith("{CRYPT}"));
        return crypt.substring("{CRYPT}".length(), crypt.length() - "{CRYPT}".length());
    }

    private static void assertOwnerOnly(Path file) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertEquals(file.toString(), "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void firstStartGeneratesTheAdminAndInternalAccounts() throws Exception {
        writeUsers("# Users of the hub", "#karaf = karaf,_g_:admingroup", "", GROUP_LINE);

        String internalPassword = new AdminAccountBootstrap(etc).ensureAccounts();

        Path adminFile = etc.resolve(AdminAccountBootstrap.ADMIN_PASSWORD_FILE);
        Path internalFile = etc.resolve(AdminAccountBootstrap.INTERNAL_PASSWORD_FILE);
        assertTrue(Files.isRegularFile(adminFile));
        assertOwnerOnly(adminFile);
        assertOwnerOnly(internalFile);
        String adminPassword = Files.readString(adminFile, StandardCharsets.UTF_8).trim();
        assertTrue("a strong password", adminPassword.length() >= 20);
        assertEquals(internalPassword, Files.readString(internalFile, StandardCharsets.UTF_8).trim());
        assertNotEquals(adminPassword, internalPassword);

        Map<String, String> accounts = accounts();
        assertEquals(2, accounts.size());
        assertTrue(accounts.get("admin").endsWith(",_g_:admingroup"));
        assertTrue(sha512Hex(adminPassword).equalsIgnoreCase(hashOf(accounts.get("admin"))));
        assertTrue(accounts.get("hub-internal").endsWith(",hub-broker"));
        assertTrue(sha512Hex(internalPassword).equalsIgnoreCase(hashOf(accounts.get("hub-internal"))));

        String content = Files.readString(users, StandardCharsets.ISO_8859_1);
        assertFalse("the clear admin password is not in users.properties", content.contains(adminPassword));
        assertFalse(content.contains(internalPassword));
        assertEquals("the group line is not duplicated", 1, content.split("_g_\\\\:admingroup =", -1).length - 1);
        assertTrue("comments are kept", content.contains("# Users of the hub"));
    }

    @Test
    public void aMissingUsersFileIsCreatedWithTheGroup() throws Exception {
        new AdminAccountBootstrap(etc).ensureAccounts();
        String content = Files.readString(users, StandardCharsets.ISO_8859_1);
        assertTrue(content, content.contains(GROUP_LINE));
        assertEquals(List.of("admin", "hub-internal"), accounts().keySet().stream().sorted().collect(Collectors.toList()));
    }

    @Test
    public void secondCallChangesNothing() throws Exception {
        writeUsers("# Users", GROUP_LINE);
        AdminAccountBootstrap bootstrap = new AdminAccountBootstrap(etc);
        String internal = bootstrap.ensureAccounts();
        String usersBefore = Files.readString(users, StandardCharsets.ISO_8859_1);
        String adminBefore = Files.readString(etc.resolve(AdminAccountBootstrap.ADMIN_PASSWORD_FILE));

        assertEquals(internal, new AdminAccountBootstrap(etc).ensureAccounts());
        assertEquals(internal, bootstrap.ensureAccounts());

        assertEquals(usersBefore, Files.readString(users, StandardCharsets.ISO_8859_1));
        assertEquals(adminBefore, Files.readString(etc.resolve(AdminAccountBootstrap.ADMIN_PASSWORD_FILE)));
    }

    @Test
    public void anExistingAdminMeansNoGeneratedAdmin() throws Exception {
        writeUsers("# Users", GROUP_LINE, "chief = {CRYPT}x{CRYPT},_g_:admingroup");

        String internal = new AdminAccountBootstrap(etc).ensureAccounts();

        assertFalse(Files.exists(etc.resolve(AdminAccountBootstrap.ADMIN_PASSWORD_FILE)));
        Map<String, String> accounts = accounts();
        assertFalse(accounts.containsKey("admin"));
        assertEquals("{CRYPT}x{CRYPT},_g_:admingroup", accounts.get("chief"));
        assertTrue("the internal account is still created",
                sha512Hex(internal).equalsIgnoreCase(hashOf(accounts.get("hub-internal"))));
    }

    @Test
    public void onlyNonAdminAccountsStillGetAGeneratedAdmin() throws Exception {
        writeUsers("# Users", GROUP_LINE, "ops = {CRYPT}x{CRYPT},viewer");

        new AdminAccountBootstrap(etc).ensureAccounts();

        assertTrue(Files.exists(etc.resolve(AdminAccountBootstrap.ADMIN_PASSWORD_FILE)));
        Map<String, String> accounts = accounts();
        assertEquals("{CRYPT}x{CRYPT},viewer", accounts.get("ops"));
        assertTrue(accounts.get("admin").endsWith(",_g_:admingroup"));
        assertEquals(2, accounts.size() - 1); // ops, admin (+ hub-internal)
    }

    @Test
    public void aLostInternalPasswordIsRegeneratedAndReplacesTheAccount() throws Exception {
        writeUsers(GROUP_LINE);
        String first = new AdminAccountBootstrap(etc).ensureAccounts();
        Files.delete(etc.resolve(AdminAccountBootstrap.INTERNAL_PASSWORD_FILE));

        String second = new AdminAccountBootstrap(etc).ensureAccounts();

        assertNotEquals(first, second);
        long internalLines = Files.readAllLines(users, StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.startsWith("hub-internal")).count();
        assertEquals(1, internalLines);
        assertTrue(sha512Hex(second).equalsIgnoreCase(hashOf(accounts().get("hub-internal"))));
    }

    @Test
    public void digestIsKarafBasicSha512Hex() throws Exception {
        assertEquals("{CRYPT}" + sha512Hex("karaf") + "{CRYPT}", AdminAccountBootstrap.digest("karaf"));
    }
}
