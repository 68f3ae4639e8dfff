package fr.aisne.hub.connector.ouiform.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The registry as the connector uses it, in memory: persons with attributes (with their source) and partner
 * identifiers, disclosure rules applied as etc/hub.disclosure.cfg says (named fields, {@code id.<partner>.<kind>},
 * {@code nir}, {@code attributes.*}), every disclosure and observation kept for the assertions. Matching by partner
 * identifier only (the connector never sends a NIR): an observation no identifier places makes a new person, as the
 * real registry would.
 */
public final class FakeRegistry implements PersonRegistry {
    public record Disclosure(String personId, String partner, String purpose, Set<String> fields, String exchangeId) {
    }

    private final Map<String, Map<String, ConsolidatedPerson.Attribute>> attributes = new LinkedHashMap<>();
    private final Map<String, List<ConsolidatedPerson.Identifier>> identifiers = new LinkedHashMap<>();
    private final Map<String, String> nirs = new LinkedHashMap<>();
    private final Map<String, Set<String>> rules = new LinkedHashMap<>();
    public final List<Disclosure> disclosures = new CopyOnWriteArrayList<>();
    public final List<PersonObservation> observations = new CopyOnWriteArrayList<>();

    /** A rule disclose.{@code partner}.{@code purpose} = fields. */
    public FakeRegistry rule(String partner, String purpose, String... fields) {
        rules.put(partner + "." + purpose, Set.of(fields));
        return this;
    }

    /** A person with attributes (source caf) and identifiers ("france-travail:numero" = ...). */
    public String person(Map<String, String> attrs, Map<String, String> ids, String nir) {
        String id = UUID.randomUUID().toString();
        Map<String, ConsolidatedPerson.Attribute> a = new LinkedHashMap<>();
        attrs.forEach((k, v) -> a.put(k, new ConsolidatedPerson.Attribute(v, prov("caf", "x"), List.of())));
        attributes.put(id, a);
        List<ConsolidatedPerson.Identifier> i = new ArrayList<>();
        ids.forEach((k, v) -> i.add(new ConsolidatedPerson.Identifier(k.split(":")[0], k.split(":")[1], v, prov("caf", "x"))));
        identifiers.put(id, i);
        if (nir != null) {
            nirs.put(id, nir);
        }
        return id;
    }

    public String attribute(String personId, String name) {
        ConsolidatedPerson.Attribute a = attributes.get(personId).get(name);
        return a == null ? null : a.value();
    }

    public ConsolidatedPerson.Attribute attributeWithSource(String personId, String name) {
        return attributes.get(personId).get(name);
    }

    public List<ConsolidatedPerson.Identifier> identifiersOf(String personId) {
        return identifiers.get(personId);
    }

    public int persons() {
        return attributes.size();
    }

    private static ConsolidatedPerson.Provenance prov(String partner, String exchange) {
        return new ConsolidatedPerson.Provenance(partner, exchange, Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Override
    public synchronized MatchResult observe(PersonObservation o) {
        observations.add(o);
        String person = null;
        String how = "new person";
        for (var id : o.identifiers().entrySet()) {
            person = byIdentifier(id.getKey(), id.getValue());
            if (person != null) {
                how = "identifier " + id.getKey();
                break;
            }
        }
        MatchResult.Outcome outcome = MatchResult.Outcome.CERTAIN;
        if (person == null) {
            person = person(Map.of(), Map.of(), null);
            outcome = MatchResult.Outcome.ABSENT;
        }
        String p = person;
        o.identifiers().forEach((k, v) -> {
            if (byIdentifier(k, v) == null) {
                identifiers.get(p).add(new ConsolidatedPerson.Identifier(k.split(":")[0], k.split(":")[1], v,
                        prov(o.sourcePartner(), o.sourceExchange())));
            }
        });
        o.attributes().forEach((k, v) -> attributes.get(p).put(k, new ConsolidatedPerson.Attribute(v,
                prov(o.sourcePartner(), o.sourceExchange()), List.of())));
        return new MatchResult(outcome, p, null, how);
    }

    private String byIdentifier(String key, String value) {
        for (var e : identifiers.entrySet()) {
            for (var i : e.getValue()) {
                if ((i.partner() + ":" + i.kind()).equals(key) && i.value().equals(value)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    @Override
    public List<MatchResult> observeAll(List<PersonObservation> observations) {
        return observations.stream().map(this::observe).toList();
    }

    @Override
    public synchronized Optional<ConsolidatedPerson> find(String personId) {
        if (!attributes.containsKey(personId)) {
            return Optional.empty();
        }
        return Optional.of(new ConsolidatedPerson(personId, nirs.containsKey(personId), null, null,
                Map.copyOf(attributes.get(personId)), List.copyOf(identifiers.get(personId)), List.of()));
    }

    @Override
    public synchronized Map<String, Object> disclose(String personId, String partner, String purpose, String exchangeId) {
        Set<String> ok = rules.getOrDefault(partner + "." + purpose, Set.of());
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.get(personId).forEach((k, a) -> {
            if (ok.contains(k) || ok.contains("attributes.*")) {
                out.put(k, a.value());
            }
        });
        identifiers.get(personId).forEach(i -> {
            if (ok.contains("id." + i.partner() + "." + i.kind())) {
                out.put("id." + i.partner() + "." + i.kind(), i.value());
            }
        });
        if (ok.contains("nir") && nirs.containsKey(personId)) {
            out.put("nir", nirs.get(personId));
        }
        disclosures.add(new Disclosure(personId, partner, purpose, Set.copyOf(out.keySet()), exchangeId));
        return out;
    }

    @Override
    public Optional<ConsolidatedPerson> consult(String personId, String partner, String purpose,
            fr.aisne.hub.registry.Access access) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ConsolidatedPerson> consultAll(List<String> personIds, String partner, String purpose,
            fr.aisne.hub.registry.Access access) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> findByHousehold(String numorg, String matricule) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> findByIdentifier(String partner, String kind, String value) {
        String p = byIdentifier(partner + ":" + kind, value);
        return p == null ? List.of() : List.of(p);
    }

    @Override
    public Optional<String> findByNir(String nir) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Map<String, Object>> subjectAccess(String personId, fr.aisne.hub.registry.Access access) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Map<String, Object>> pendingMatches(String partner, String purpose,
            fr.aisne.hub.registry.Access access) {
        return List.of();
    }

    @Override
    public MatchResult confirmMatch(String candidateId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MatchResult rejectMatch(String candidateId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> purgeExpired() {
        throw new UnsupportedOperationException();
    }
}
