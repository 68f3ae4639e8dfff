package fr.aisne.hub.core.security;

import java.util.Collection;
import java.util.Set;

/** An authenticated caller and its Karaf roles. */
public record HubPrincipal(String name, Set<String> roles) {

    public boolean hasAnyRole(Collection<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
