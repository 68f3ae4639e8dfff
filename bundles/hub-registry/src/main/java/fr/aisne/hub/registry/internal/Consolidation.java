package fr.aisne.hub.registry.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import fr.aisne.hub.registry.ConsolidatedPerson.Attribute;
import fr.aisne.hub.registry.ConsolidatedPerson.Conflict;
import fr.aisne.hub.registry.ConsolidatedPerson.Provenance;

/**
 * Which value the registry retains for each attribute, derived from every observation ever recorded:
 * the newest value of the attribute's authoritative source (etc/hub.registry.cfg, authority.*), or the
 * newest value of any source when the authority has said nothing. The newest values of the other sources
 * that differ are kept as conflicts, visible, never overwritten.
 */
final class Consolidation {
    /** One recorded value of one attribute. */
    record Observed(String name, String value, Provenance source) {
    }

    private final Map<String, String> authorityByAttribute;
    private final String defaultAuthority;

    Consolidation(Map<String, String> authorityByAttribute, String defaultAuthority) {
        this.authorityByAttribute = Map.copyOf(authorityByAttribute);
        this.defaultAuthority = defaultAuthority;
    }

    String authorityOf(String attribute) {
        return authorityByAttribute.getOrDefault(attribute, defaultAuthority);
    }

    Map<String, Attribute> consolidate(List<Observed> observations) {
        Map<String, Map<String, Observed>> newestBySource = new LinkedHashMap<>();
        Comparator<Observed> byTime = Comparator.comparing((Observed o) -> o.source().observedAt());
        for (Observed o : observations) {
            newestBySource.computeIfAbsent(o.name(), k -> new LinkedHashMap<>())
                    .merge(o.source().partner(), o, (a, b) -> byTime.compare(a, b) >= 0 ? a : b);
        }
        Map<String, Attribute> out = new LinkedHashMap<>();
        newestBySource.forEach((name, bySource) -> {
            Observed winner = bySource.get(authorityOf(name));
            if (winner == null) {
                winner = bySource.values().stream().max(byTime).orElseThrow();
            }
            List<Conflict> conflicts = new ArrayList<>();
            for (Observed o : bySource.values()) {
                if (o != winner && !Objects.equals(o.value(), winner.value())) {
                    conflicts.add(new Conflict(o.value(), o.source()));
                }
            }
            out.put(name, new Attribute(winner.value(), winner.source(), List.copyOf(conflicts)));
        });
        return out;
    }

    static Provenance provenance(String partner, String exchange, Instant at) {
        return new Provenance(partner, exchange, at);
    }
}
