package fr.aisne.hub.core.security;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

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
 * Failures are not explained to the caller; they are counted (hub_http_refused_total), and a source address
 * that fails too often is held off by the {@link LoginThrottle}.
 */
public class BasicAuthenticator {
    /** What became of a request's credentials. */
    public record Attempt(Optional<HubPrincipal> principal, long retryAfterSeconds) {
        public boolean throttled() {
            return retryAfterSeconds > 0;
        }
    }

    private final String realm;
    private final LoginThrottle throttle;
    private final LongAdder refused = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder forbidden = new LongAdder();

    public BasicAuthenticator(String realm, LoginThrottle throttle) {
        this.realm = realm;
        this.throttle = throttle;
    }

    /**
     * Checks the Authorization header of a request from {@code source} (its remote address, null if unknown).
     * A request without credentials is refused and counted, but is no guess: the throttle ignores it. A
     * throttled source's credentials are not checked at all.
     */
    public Attempt attempt(String authorizationHeader, String source) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            refused.increment();
            return new Attempt(Optional.empty(), 0);
        }
        long wait = source == null ? 0 : throttle.begin(source);
        if (wait > 0) {
            throttled.increment();
            return new Attempt(Optional.empty(), wait);
        }
        Optional<HubPrincipal> p = Optional.empty();
        try {
            p = authenticate(authorizationHeader);
        } finally {
            if (source != null) {
                throttle.finish(source, p.isEmpty());
            }
        }
        if (p.isEmpty()) {
            refused.increment();
        }
        return new Attempt(p, 0);
    }

    /** An authenticated caller without the role the resource needs (403). */
    public void countForbidden() {
        forbidden.increment();
    }

    /** hub_http_refused_total by reason: credentials (401), throttled (429), forbidden (403). */
    public Map<String, Long> refusals() {
        return Map.of("credentials", refused.sum(), "throttled", throttled.sum(), "forbidden", forbidden.sum());
    }

    /** The principal for an Authorization header, or empty for a missing, malformed or wrong one. */
    private Optional<HubPrincipal> authenticate(String authorizationHeader) {
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

    private Optional<HubPrincipal> login(String user, char[] password) {
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
