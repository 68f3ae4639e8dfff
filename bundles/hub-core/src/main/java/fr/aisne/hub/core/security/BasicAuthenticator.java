package fr.aisne.hub.core.security;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * HTTP Basic against the Karaf JAAS realm "karaf" (etc/users.properties): the same accounts as the shell.
 * Failures are not explained to the caller; they are only counted.
 */
public class BasicAuthenticator {
    private final String realm;

    public BasicAuthenticator(String realm) {
        this.realm = realm;
    }

    /** The principal for an Authorization header, or empty for a missing, malformed or wrong one. */
    public Optional<HubPrincipal> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    public Optional<HubPrincipal> login(String user, char[] password) {
        Subject subject = new Subject();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        // JAAS loads Karaf's proxy login module through the thread context class loader.
        t.setContextClassLoader(BasicAuthenticator.class.getClassLoader());
        try {
            LoginContext lc = new LoginContext(realm, subject, callbacks -> {
                for (Callback cb : callbacks) {
                    if (cb instanceof NameCallback nc) {
                        nc.setName(user);
                    } else if (cb instanceof PasswordCallback pc) {
                        pc.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(cb);
                    }
                }
            });
            lc.login();
            Set<String> roles = new HashSet<>();
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof RolePrincipal) {
                    roles.add(p.getName());
                }
            }
            return Optional.of(new HubPrincipal(user, Set.copyOf(roles)));
        } catch (LoginException | SecurityException e) {
            return Optional.empty();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
