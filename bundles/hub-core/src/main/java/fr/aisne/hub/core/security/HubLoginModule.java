package fr.aisne.hub.core.security;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's module in front of Karaf's realm "karaf" ({@link LoginGuard}). It never authenticates anybody (its
 * {@link #login()} answers "ignore me"); it only:
 * <ul>
 * <li>refuses, before any password is checked, a login from a source address or for an account that failed too
 * often over ssh ({@link LoginGuard.Limits}), and counts the outcome of the others (password attempts only: a public
 * key an ssh client offers and the server does not know is no guess);</li>
 * <li>after a successful login, re-hashes the account's password in etc/users.properties when it is still an
 * unsalted SHA-512 digest of an earlier version (and the realm uses {@link HubPasswordEncryption}).</li>
 * </ul>
 * The refusal says nothing more than a wrong password would ("login failed").
 */
public class HubLoginModule implements LoginModule {
    private static final Logger LOG = LoggerFactory.getLogger(HubLoginModule.class);

    private Subject subject;
    private CallbackHandler handler;
    private Map<String, ?> options;
    private LoginGuard.Limits limits;
    private String user;
    private String password;
    private String source;
    private boolean reserved;

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.options = options;
        this.limits = LoginGuard.limits();
    }

    @Override
    public boolean login() throws LoginException {
        user = null;
        password = null;
        reserved = false;
        source = sourceOf(subject);
        readCredentials();
        if (limits != null && source != null && user != null) {
            long wait = password != null ? limits.begin(user, source) : limits.blocked(user, source);
            if (wait > 0) {
                LOG.warn("Login of account '{}' from {} refused without checking it: too many failed passwords over "
                        + "ssh, {} s left (ssh.login.* in etc/hub.core.cfg)", printable(user), source, wait);
                throw new FailedLoginException("login failed");
            }
            reserved = password != null;
        }
        return false;
    }

    private void readCredentials() throws LoginException {
        NameCallback name = new NameCallback("Username: ");
        PasswordCallback pass = new PasswordCallback("Password: ", false);
        try {
            handler.handle(new Callback[] {name, pass});
            char[] p = pass.getPassword();
            password = p == null ? null : new String(p);
            pass.clearPassword();
        } catch (UnsupportedCallbackException noPassword) {
            // a public key login: the account name only
            try {
                handler.handle(new Callback[] {name});
            } catch (UnsupportedCallbackException | IOException e) {
                return;
            }
        } catch (IOException e) {
            throw new LoginException("credentials unavailable");
        }
        user = name.getName();
    }

    @Override
    public boolean commit() {
        if (reserved) {
            limits.finish(user, source, false);
            reserved = false;
        }
        if (password != null && user != null) {
            rehashLegacy();
        }
        clear();
        return false;
    }

    @Override
    public boolean abort() {
        if (reserved) {
            limits.finish(user, source, true);
            reserved = false;
        }
        clear();
        return false;
    }

    @Override
    public boolean logout() {
        return false;
    }

    private void clear() {
        password = null;
    }

    private void rehashLegacy() {
        Object users = options.get("users");
        if (users == null || !HubPasswordEncryption.NAME.equals(options.get("encryption.name"))
                || !Boolean.parseBoolean(String.valueOf(options.get("encryption.enabled")))) {
            return;
        }
        try {
            if (UsersFile.rehashLegacy(Paths.get(users.toString()), user, password,
                    String.valueOf(options.get("encryption.prefix")), String.valueOf(options.get("encryption.suffix")),
                    HubPasswordEncryption.currentIterations())) {
                LOG.info("Password of account '{}' re-hashed from unsalted SHA-512 to PBKDF2 in {}", printable(user),
                        Path.of(users.toString()).getFileName());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Password of account '{}' not re-hashed: {}", printable(user), e.getClass().getSimpleName());
        }
    }

    /** The address of a login's source as Karaf's ssh server gives it ("/127.0.0.1:41234"), without the port. */
    static String sourceOf(Subject subject) {
        if (subject == null) {
            return null;
        }
        for (ClientPrincipal c : subject.getPrincipals(ClientPrincipal.class)) {
            return host(c.getAddress());
        }
        return null;
    }

    /**
     * "host/1.2.3.4:port" or "/[::1]:port" (InetSocketAddress#toString since Java 14) to "1.2.3.4" or "::1"; anything
     * else as it is.
     */
    static String host(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String a = address.strip();
        a = a.substring(a.lastIndexOf('/') + 1);
        if (a.startsWith("[") && a.indexOf(']') > 0) {
            return a.substring(1, a.indexOf(']'));
        }
        int colon = a.indexOf(':');
        return colon > 0 && colon == a.lastIndexOf(':') ? a.substring(0, colon) : a;
    }

    private static String printable(String s) {
        return s.replaceAll("[^A-Za-z0-9@._-]", "?");
    }
}
