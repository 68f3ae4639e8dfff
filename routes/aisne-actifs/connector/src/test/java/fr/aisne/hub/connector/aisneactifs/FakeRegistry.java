package fr.aisne.hub.connector.aisneactifs;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.MatchResult;
import fr.aisne.hub.registry.PersonObservation;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * What the handlers need of the registry and the event feed, in memory: the real registry's placement rule for
 * {@link PersonObservation#REGISTRY_ID} (its own test covers it on Derby), observations, disclosures and events kept
 * for the assertions. Publication is idempotent per batch, as the real feed's.
 */
final class FakeRegistry {
    final Map<String, ConsolidatedPerson> persons = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> disclosable = new LinkedHashMap<>();
    final List<PersonObservation> observations = new ArrayList<>();
    final List<String> disclosures = new ArrayList<>();
    final List<DepartmentEvent> events = new ArrayList<>();
    final Set<String> batches = new java.util.HashSet<>();

    void person(String id, String numorg, String matricule) {
        persons.put(id, new ConsolidatedPerson(id, true, "1 ** ** ** *** ***", null, Map.of(), List.of(),
                numorg == null ? List.of() : List.of(new ConsolidatedPerson.Membership(numorg, matricule, "DEM", null))));
    }

    PersonRegistry registry() {
        return (PersonRegistry) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PersonRegistry.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "find" -> Optional.ofNullable(persons.get((String) args[0]));
                    case "observe" -> {
                        PersonObservation o = (PersonObservation) args[0];
                        observations.add(o);
                        String id = o.identifiers().get(PersonObservation.REGISTRY_ID);
                        yield persons.containsKey(id) ? new MatchResult(MatchResult.Outcome.CERTAIN, id, null, "identifier hub:personne")
                                : new MatchResult(MatchResult.Outcome.ABSENT, "new", null, "new person");
                    }
                    case "disclose" -> {
                        if (!persons.containsKey((String) args[0])) {
                            throw new IllegalArgumentException("no such person");
                        }
                        disclosures.add(args[1] + "." + args[2] + " " + args[0] + " in " + args[3]);
                        yield disclosable.getOrDefault(args[1] + "." + args[2], Map.of());
                    }
                    case "toString" -> "FakeRegistry";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    DepartmentEvents feed() {
        return new DepartmentEvents() {
            @Override
            public synchronized int publish(String batch, List<DepartmentEvent> list) {
                if (!batches.add(batch)) {
                    return 0;
                }
                for (DepartmentEvent e : list) {
                    events.add(new DepartmentEvent(events.size() + 1, e.type(), e.personId(), e.householdKey(), e.occurredAt(),
                            e.sourcePartner(), e.sourceExchange(), e.details()));
                }
                return list.size();
            }

            @Override
            public synchronized List<DepartmentEvent> since(long after, int limit, Set<String> types) {
                return events.stream().filter(e -> e.seq() > after && (types.isEmpty() || types.contains(e.type())))
                        .limit(limit).toList();
            }

            @Override
            public long lastSeq() {
                return events.size();
            }
        };
    }

    /** An event as another connector would have published it. */
    void event(String type, String personId, String source, Map<String, String> details) {
        feed().publish("ex-" + (events.size() + 1), List.of(DepartmentEvent.of(type, personId, "021/0123456",
                Instant.parse("2027-02-28T00:00:00Z"), source, "ex-" + source, details)));
    }
}
