package fr.aisne.hub.core.security;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import fr.aisne.hub.api.testing.MutableClock;

/**
 * The hub's module in front of a password module, with the JDK's own LoginContext, flags as LoginGuard sets them
 * (the hub's REQUISITE, the realm's modules OPTIONAL as Karaf 4.4.9's realm declares them).
 */
public class HubLoginModuleTest {
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private Path users;

    /** Checks users.properties as Karaf's PropertiesLoginModule does with the hub's encryption. */
    public static class PasswordModule implements LoginModule {
        private Subject subject;
        private CallbackHandler handler;
        private Map<String, ?> options;
        private String user;

        @Override
        public void initialize(Subject s, CallbackHandler h, Map<String, ?> shared, Map<String, ?> o) {
            subject = s;
            handler = h;
            options = o;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback n = new NameCallback("u");
            PasswordCallback p = new PasswordCallback("p", false);
            try {
                handler.handle(new Callback[] {n, p});
            } catch (UnsupportedCallbackException e) {
                throw new FailedLoginException("login failed"); // a public key: not this module's
            } catch (java.io.IOException e) {
                throw new LoginException(e.toString());
            }
            try {
                for (String line : Files.readAllLines(Path.of((String) options.get("users")))) {
                    if (line.startsWith(n.getName() + " = {CRYPT}")) {
                        String stored = line.substring(line.indexOf("{CRYPT}") + 7, line.lastIndexOf("{CRYPT}"));
                        if (PasswordHashes.verify(new String(p.getPassword()), stored)) {
                            user = n.getName();
                            return true;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new LoginException(e.toString());
            }
            throw new FailedLoginException("login failed");
        }

        @Override
        public boolean commit() {
            if (user != null) {
                subject.getPrincipals().add(new UserPrincipal(user));
            }
            return user != null;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }

    @Before
    public void setUp() throws Exception {
        users = tmp.getRoot().toPath().resolve("users.properties");
        Files.write(users, List.of("# accounts", "alice = {CRYPT}" + PasswordHashes.hash("right-password", 1000)
                + "{CRYPT},viewer", "bob = {CRYPT}" + sha512("bobs-old-password") + "{CRYPT},sender-echo"),
                StandardCharsets.ISO_8859_1);
        LoginGuard.useLimits(new LoginGuard.Limits(new LoginThrottle(3, WINDOW, clock), new LoginThrottle(5, WINDOW, clock)));
    }

    @After
    public void tearDown() {
        LoginGuard.useLimits(null);
    }

    private static String sha512(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private Configuration realm() {
        Map<String, Object> hubOptions = new HashMap<>();
        hubOptions.put("users", users.toString());
        hubOptions.put("encryption.name", HubPasswordEncryption.NAME);
        hubOptions.put("encryption.enabled", "true");
        hubOptions.put("encryption.prefix", "{CRYPT}");
        hubOptions.put("encryption.suffix", "{CRYPT}");
        AppConfigurationEntry[] entries = {
            new AppConfigurationEntry(HubLoginModule.class.getName(), LoginModuleControlFlag.REQUISITE, hubOptions),
            new AppConfigurationEntry(PasswordModule.class.getName(), LoginModuleControlFlag.OPTIONAL,
                    Map.of("users", users.toString()))};
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return entries;
            }
        };
    }

    /** A login as Karaf's ssh server makes it (a ClientPrincipal names the source), or as HTTP does (source null). */
    private void login(String user, String password, String sshSource) throws LoginException {
        Subject subject = new Subject();
        if (sshSource != null) {
            subject.getPrincipals().add(new ClientPrincipal("ssh", sshSource));
        }
        new LoginContext("karaf", subject, callbacks -> {
            for (Callback cb : callbacks) {
                if (cb instanceof NameCallback n) {
                    n.setName(user);
                } else if (cb instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(cb);
                }
            }
        }, realm()).login();
    }

    private void publicKeyAttempt(String user, String sshSource) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal("ssh", sshSource));
        assertThrows(LoginException.class, () -> new LoginContext("karaf", subject, callbacks -> {
            for (Callback cb : callbacks) {
                if (cb instanceof NameCallback n) {
                    n.setName(user);
                } else {
                    throw new UnsupportedCallbackException(cb);
                }
            }
        }, realm()).login());
    }

    @Test
    public void theRightPasswordWorksAndAWrongOneFails() throws Exception {
        login("alice", "right-password", "/127.0.0.1:40000");
        assertThrows(LoginException.class, () -> login("alice", "wrong", "/127.0.0.1:40001"));
        assertThrows("the hub's module alone never lets anybody in", LoginException.class,
                () -> login("nobody", "whatever", null));
    }

    @Test
    public void afterTooManyWrongPasswordsOverSshTheRightOneIsRefusedUntilTheWindowEnds() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThrows(LoginException.class, () -> login("alice", "guess", "/127.0.0.1:4100" + 1));
        }
        assertThrows("the right password, same source", LoginException.class,
                () -> login("alice", "right-password", "/127.0.0.1:42000"));
        assertThrows("another account, same source", LoginException.class,
                () -> login("bob", "bobs-old-password", "localhost/127.0.0.1:42001"));
        login("alice", "right-password", "/[0:0:0:0:0:0:0:1]:42002"); // another source: 3 failures < 5 for the account
        clock.advance(WINDOW);
        login("alice", "right-password", "/127.0.0.1:42003");
    }

    @Test
    public void anAccountGuessedFromManySourcesIsHeldOffEverywhereOverSsh() throws Exception {
        for (int i = 0; i < 5; i++) {
            String source = "/10.0.0." + i + ":5000";
            assertThrows(LoginException.class, () -> login("alice", "guess", source));
        }
        assertThrows(LoginException.class, () -> login("alice", "right-password", "/10.0.0.99:5000"));
        login("alice", "right-password", null); // HTTP: its own per-address throttle, not this one
    }

    @Test
    public void loginsWithoutASourceAreNotCounted() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThrows(LoginException.class, () -> login("alice", "guess", null));
        }
        login("alice", "right-password", "/127.0.0.1:43000");
    }

    @Test
    public void publicKeysAnSshClientOffersAreNoGuesses() throws Exception {
        for (int i = 0; i < 10; i++) {
            publicKeyAttempt("alice", "/127.0.0.1:44000");
        }
        login("alice", "right-password", "/127.0.0.1:44001");
    }

    @Test
    public void aLegacySha512PasswordLogsInOnceAndIsRehashed() throws Exception {
        assertThrows(LoginException.class, () -> login("bob", "not-bobs", null));
        assertTrue("a failed login rewrites nothing", Files.readString(users).contains(sha512("bobs-old-password")));

        login("bob", "bobs-old-password", null);

        String content = Files.readString(users);
        assertFalse("the unsalted digest is gone", content.contains(sha512("bobs-old-password")));
        String bob = content.lines().filter(l -> l.startsWith("bob = ")).findFirst().orElseThrow();
        assertTrue(bob, bob.matches("bob = \\{CRYPT\\}pbkdf2-sha256\\$\\d+\\$[^$]+\\$[^$]+\\{CRYPT\\},sender-echo"));
        assertTrue("comments and other accounts kept", content.contains("# accounts") && content.contains("alice = "));
        login("bob", "bobs-old-password", null);
        assertEquals("rehashed once", bob, Files.readString(users).lines().filter(l -> l.startsWith("bob = "))
                .findFirst().orElseThrow());
    }

    @Test
    public void sourceAddressesLoseTheirPort() {
        assertEquals("127.0.0.1", HubLoginModule.host("/127.0.0.1:5000"));
        assertEquals("127.0.0.1", HubLoginModule.host("localhost/127.0.0.1:5000"));
        assertEquals("0:0:0:0:0:0:0:1", HubLoginModule.host("/[0:0:0:0:0:0:0:1]:5000"));
        assertEquals(null, HubLoginModule.host(" "));
    }
}
