package fr.aisne.hub.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import fr.aisne.hub.api.Direction;
import fr.aisne.hub.api.operations.ExchangeState;
import fr.aisne.hub.api.operations.MetricsSnapshot.MessageCount;

/**
 * In-process counters, exposed by the operations API in Prometheus text format. Labels are only partner, flow,
 * direction, state and closed reasons: sets chosen by the code, never values taken from a message.
 */
public class HubMetrics {
    private final Map<MessageCount, LongAdder> messages = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void countState(String partner, String flow, Direction direction, ExchangeState state) {
        messages.computeIfAbsent(new MessageCount(partner, flow, direction, state), k -> new LongAdder()).increment();
    }

    public long count(String partner, String flow, Direction direction, ExchangeState state) {
        LongAdder a = messages.get(new MessageCount(partner, flow, direction, state));
        return a == null ? 0 : a.sum();
    }

    /** A named counter of the core (e.g. a broker refusal); names are constants of the code. */
    public void increment(String counter) {
        counters.computeIfAbsent(counter, k -> new LongAdder()).increment();
    }

    public Map<MessageCount, Long> messages() {
        Map<MessageCount, Long> out = new TreeMap<>();
        messages.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
