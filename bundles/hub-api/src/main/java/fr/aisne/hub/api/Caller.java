package fr.aisne.hub.api;

import java.util.Collection;
import java.util.Set;

/** An authenticated caller of the hub's HTTP APIs and its roles. */
public record Caller(String name, Set<String> roles) {

    public boolean hasAnyRole(Collection<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
