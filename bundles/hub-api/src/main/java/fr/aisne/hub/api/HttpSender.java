package fr.aisne.hub.api;

import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who may POST into a flow: an account of the hub with one of the roles (HTTP Basic), or a partner that
 * authenticates with a static secret header chosen at subscription (a webhook). A refused sender gets 401
 * before its body is read, is counted in {@code hub_http_refused_total}, and an address that keeps failing is
 * held off with 429.
 */
public final class HttpSender {
    private final Set<String> roles;
    private final String secretHeader;
    private final Supplier<String> secret;
    private final String senderName;

    private HttpSender(Set<String> roles, String secretHeader, Supplier<String> secret, String senderName) {
        this.roles = roles;
        this.secretHeader = secretHeader;
        this.secret = secret;
        this.senderName = senderName;
    }

    /** HTTP Basic; the account must have one of the roles (one sender role per partner: {@code sender-<partner>}). */
    public static HttpSender roles(String... roles) {
        if (roles.length == 0) {
            throw new IllegalArgumentException("at least one role");
        }
        return new HttpSender(Set.of(roles), null, null, null);
    }

    /**
     * The header {@code header} must carry the secret (compared in constant time). The sender is journaled as
     * {@code senderName}. The secret is read at each request, so a rotation applies at once.
     */
    public static HttpSender secretHeader(String header, Supplier<String> secret, String senderName) {
        return new HttpSender(Set.of(), Objects.requireNonNull(header), Objects.requireNonNull(secret),
                Objects.requireNonNull(senderName));
    }

    public boolean usesSecretHeader() {
        return secretHeader != null;
    }

    public Set<String> roles() {
        return roles;
    }

    public String secretHeader() {
        return secretHeader;
    }

    /** The current secret (never logged). */
    public String secret() {
        return secret == null ? null : secret.get();
    }

    public String senderName() {
        return senderName;
    }

    @Override
    public String toString() {
        return usesSecretHeader() ? "secret header " + secretHeader : "roles " + roles;
    }
}
