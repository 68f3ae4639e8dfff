package fr.aisne.hub.api.operations;

import java.util.List;
import java.util.Map;

import fr.aisne.hub.api.Health;

/**
 * One installed connector: its bundle version, flows (with their concurrency and ordering), routes, health and
 * settings (no secret).
 */
public record ConnectorInfo(String id, String version, List<FlowInfo> flows, List<String> routes, boolean started,
        Health health, Map<String, String> settings) {

    /** One declared flow, as operators see it. */
    public record FlowInfo(String key, String direction, String queue, String httpPath, int concurrency,
            boolean ordered, String retry) {
    }
}
