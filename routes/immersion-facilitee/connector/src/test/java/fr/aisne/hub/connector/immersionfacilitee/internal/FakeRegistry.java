package fr.aisne.hub.connector.immersionfacilitee.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * The registry's matching as docs/REGISTRY.md says it, much reduced: a partner identifier places an observation
 * (CERTAIN); otherwise the same birth date and the same names (case ignored) make a probable match that waits for an
 * operator; otherwise a new person. Every observation is kept for the tests to look into. Also the event feed.
 */
final class FakeRegistry implements PersonRegistry, DepartmentEvents {
    final List<PersonObservation> observations = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, String>> attributes = new ConcurrentHashMap<>();
    final Map<String, String> identifiers = new ConcurrentHashMap<>();
    final Map<String, Object[]> pending = new LinkedHashMap<>();
    final List<DepartmentEvent> feed = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> batches = new ConcurrentHashMap<>();

    /** A person as the CAF would have made it. */
    String person(String first, String last, String birth) {
        String id = UUID.randomUUID().toString();
        Map<String, String> a = new ConcurrentHashMap<>();
        a.put("prenom", first);
        a.put("nom_naissance", last);
        a.put("date_naissance", birth);
        attributes.put(id, a);
        return id;
    }

    @Override
    public synchronized MatchResult observe(PersonObservation o) {
        observations.add(o);
        for (Map.Entry<String, String> id : o.identifiers().entrySet()) {
            String p = identifiers.get(id.getKey() + "=" + id.getValue());
            if (p != null) {
                record(p, o);
                return new MatchResult(MatchResult.Outcome.CERTAIN, p, null, "identifier " + id.getKey());
            }
        }
        for (Map.Entry<String, Map<String, String>> p : attributes.entrySet()) {
            Map<String, String> a = p.getValue();
            String name = o.attribute("nom_usage") != null ? o.attribute("nom_usage") : o.attribute("nom_naissance");
            if (o.attribute("date_naissance") != null && o.attribute("date_naissance").equals(a.get("date_naissance"))
                    && name != null && (name.equalsIgnoreCase(a.get("nom_naissance")) || name.equalsIgnoreCase(a.get("nom_usage")))
                    && o.attribute("prenom") != null && o.attribute("prenom").equalsIgnoreCase(a.get("prenom"))) {
                String candidate = UUID.randomUUID().toString();
                pending.put(candidate, new Object[] {p.getKey(), o});
                return new MatchResult(MatchResult.Outcome.PROBABLE, p.getKey(), candidate, "name and birth date");
            }
        }
        String id = UUID.randomUUID().toString();
        attributes.put(id, new ConcurrentHashMap<>());
        record(id, o);
        return new MatchResult(MatchResult.Outcome.ABSENT, id, null, "new person");
    }

    private void record(String person, PersonObservation o) {
        attributes.computeIfAbsent(person, k -> new ConcurrentHashMap<>()).putAll(o.attributes());
        o.identifiers().forEach((k, v) -> identifiers.put(k + "=" + v, person));
    }

    @Override
    public List<MatchResult> observeAll(List<PersonObservation> list) {
        List<MatchResult> out = new ArrayList<>();
        list.forEach(o -> out.add(observe(o)));
        return out;
    }

    @Override
    public Optional<ConsolidatedPerson> find(String personId) {
        Map<String, String> a = attributes.get(personId);
        if (a == null) {
            return Optional.empty();
        }
        Map<String, ConsolidatedPerson.Attribute> out = new LinkedHashMap<>();
        a.forEach((k, v) -> out.put(k, new ConsolidatedPerson.Attribute(v, new ConsolidatedPerson.Provenance("caf", null,
                Instant.EPOCH), List.of())));
        return Optional.of(new ConsolidatedPerson(personId, false, null, null, out, List.of(), List.of()));
    }

    @Override
    public List<ConsolidatedPerson> consultAll(List<String> personIds, String partner, String purpose,
            fr.aisne.hub.registry.Access access) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ConsolidatedPerson> consult(String personId, String partner, String purpose,
            fr.aisne.hub.registry.Access access) {
        return find(personId);
    }

    @Override
    public List<String> findByHousehold(String numorg, String matricule) {
        return List.of();
    }

    @Override
    public List<String> findByIdentifier(String partner, String kind, String value) {
        String p = identifiers.get(partner + ":" + kind + "=" + value);
        return p == null ? List.of() : List.of(p);
    }

    @Override
    public Optional<String> findByNir(String nir) {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> disclose(String personId, String partner, String purpose, String exchangeId) {
        return Map.of();
    }

    @Override
    public Optional<Map<String, Object>> subjectAccess(String personId, fr.aisne.hub.registry.Access access) {
        return Optional.empty();
    }

    @Override
    public synchronized List<Map<String, Object>> pendingMatches(String partner, String purpose,
            fr.aisne.hub.registry.Access access) {
        List<Map<String, Object>> out = new ArrayList<>();
        pending.forEach((id, c) -> {
            PersonObservation o = (PersonObservation) c[1];
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("candidatePersonId", c[0]);
            m.put("sourcePartner", o.sourcePartner());
            m.put("sourceExchange", o.sourceExchange());
            out.add(m);
        });
        return out;
    }

    @Override
    public synchronized MatchResult confirmMatch(String candidateId, String actor) {
        Object[] c = pending.remove(candidateId);
        record((String) c[0], (PersonObservation) c[1]);
        return new MatchResult(MatchResult.Outcome.CERTAIN, (String) c[0], candidateId, "confirmed by " + actor);
    }

    @Override
    public synchronized MatchResult rejectMatch(String candidateId, String actor) {
        Object[] c = pending.remove(candidateId);
        String id = UUID.randomUUID().toString();
        record(id, (PersonObservation) c[1]);
        return new MatchResult(MatchResult.Outcome.ABSENT, id, candidateId, "rejected by " + actor);
    }

    @Override
    public Map<String, Object> purgeExpired() {
        return Map.of();
    }

    // ---- DepartmentEvents

    @Override
    public int publish(String batchExchangeId, List<DepartmentEvent> events) {
        if (batches.putIfAbsent(batchExchangeId, true) != null) {
            return 0;
        }
        feed.addAll(events);
        return events.size();
    }

    @Override
    public List<DepartmentEvent> since(long afterSeq, int limit, java.util.Set<String> types) {
        return List.copyOf(feed);
    }

    @Override
    public long lastSeq() {
        return feed.size();
    }
}
