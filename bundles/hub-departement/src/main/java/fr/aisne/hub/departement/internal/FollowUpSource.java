package fr.aisne.hub.departement.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import fr.aisne.hub.registry.ConsolidatedPerson;
import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;
import fr.aisne.hub.registry.PersonRegistry;

/**
 * What the follow-up is computed from, read fresh for each request: the department events of the types it reads
 * (the whole feed, page by page) and, for each person they name, the registry's retained values of the attributes
 * it reads ({@link PersonRegistry#find}: the value of the authoritative source, as the department sees it). Nothing
 * is copied or stored here.
 */
final class FollowUpSource {
    private static final int PAGE = 1000;

    private final DepartmentEvents events;
    private final PersonRegistry registry;
    private final ZoneId zone;

    FollowUpSource(DepartmentEvents events, PersonRegistry registry, ZoneId zone) {
        this.events = events;
        this.registry = registry;
        this.zone = zone;
    }

    record Snapshot(List<DepartmentEvent> events, Map<String, PersonFile> files) {
    }

    Snapshot read() {
        List<DepartmentEvent> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<DepartmentEvent> page = events.since(after, PAGE, Vocabulary.EVENT_TYPES);
            all.addAll(page);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).seq();
        }
        Set<String> persons = new LinkedHashSet<>();
        all.stream().map(DepartmentEvent::personId).filter(p -> p != null).forEach(persons::add);
        Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
        for (String p : persons) {
            registry.find(p).ifPresent(person -> attributes.put(p, retained(person)));
        }
        return new Snapshot(all, PersonFile.build(all, attributes, zone));
    }

    private static Map<String, String> retained(ConsolidatedPerson person) {
        Map<String, String> m = new LinkedHashMap<>();
        person.attributes().forEach((name, a) -> {
            if (Vocabulary.ATTRIBUTES.contains(name) && a.value() != null) {
                m.put(name, a.value());
            }
        });
        return m;
    }
}
