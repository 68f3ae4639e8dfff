package fr.aisne.hub.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import fr.aisne.hub.core.Direction;
import fr.aisne.hub.core.ExchangeState;

/**
 * In-process counters exposed in Prometheus text format. Labels are only partner, flow, direction and
 * state: closed sets chosen by the code, never values taken from a message.
 */
public class HubMetrics {

    /** Key of hub_messages_total. */
    public record MessageKey(String partner, String flow, Direction direction, ExchangeState state)
            implements Comparable<MessageKey> {
        @Override
        public int compareTo(MessageKey o) {
            return toString().compareTo(o.toString());
        }
    }

    private final Map<MessageKey, LongAdder> messages = new ConcurrentHashMap<>();

    public void countState(String partner, String flow, Direction direction, ExchangeState state) {
        messages.computeIfAbsent(new MessageKey(partner, flow, direction, state), k -> new LongAdder()).increment();
    }

    public long count(String partner, String flow, Direction direction, ExchangeState state) {
        LongAdder a = messages.get(new MessageKey(partner, flow, direction, state));
        return a == null ? 0 : a.sum();
    }

    /** A sorted snapshot of hub_messages_total. */
    public Map<MessageKey, Long> snapshot() {
        Map<MessageKey, Long> out = new TreeMap<>();
        messages.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Escapes a label value for the Prometheus text format. */
    public static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
