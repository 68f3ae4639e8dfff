package fr.aisne.hub.api.operations;

import java.util.Map;

import fr.aisne.hub.api.Direction;

/**
 * The hub's counters at one moment. Labels are closed sets chosen by the code (partner, flow, direction, state,
 * reason), never values taken from a message.
 *
 * @param messages hub_messages_total: exchanges that reached each state since start
 * @param httpRefusals hub_http_refused_total by reason (credentials, throttled, forbidden, too_large, media_type)
 * @param gauges other gauges by name (outbox, scheduled retries, held messages...)
 */
public record MetricsSnapshot(Map<MessageCount, Long> messages, Map<String, Long> httpRefusals,
        Map<String, Long> gauges) {

    /** Key of hub_messages_total. */
    public record MessageCount(String partner, String flow, Direction direction, ExchangeState state)
            implements Comparable<MessageCount> {
        @Override
        public int compareTo(MessageCount o) {
            return toString().compareTo(o.toString());
        }
    }
}
