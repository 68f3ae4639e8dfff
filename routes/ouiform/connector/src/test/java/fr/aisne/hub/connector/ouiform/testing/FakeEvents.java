package fr.aisne.hub.connector.ouiform.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import fr.aisne.hub.registry.DepartmentEvent;
import fr.aisne.hub.registry.DepartmentEvents;

/** The department's event feed in memory, idempotent per batch as the real one. */
public final class FakeEvents implements DepartmentEvents {
    private final Map<String, List<DepartmentEvent>> batches = new LinkedHashMap<>();

    @Override
    public synchronized int publish(String batchExchangeId, List<DepartmentEvent> events) {
        if (batches.containsKey(batchExchangeId)) {
            return 0;
        }
        batches.put(batchExchangeId, List.copyOf(events));
        return events.size();
    }

    @Override
    public synchronized List<DepartmentEvent> since(long afterSeq, int limit, Set<String> types) {
        List<DepartmentEvent> all = new ArrayList<>();
        batches.values().forEach(all::addAll);
        return all.stream().filter(e -> types.isEmpty() || types.contains(e.type())).limit(limit).toList();
    }

    @Override
    public synchronized long lastSeq() {
        return batches.values().stream().mapToLong(List::size).sum();
    }
}
