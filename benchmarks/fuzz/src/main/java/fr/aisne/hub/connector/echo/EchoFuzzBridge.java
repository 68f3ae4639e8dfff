package fr.aisne.hub.connector.echo;

import java.time.Clock;

import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.Jdbc;

/**
 * Opens the echo connector's package-private note handler to the fuzzer. Lives in benchmarks/fuzz only (same package
 * name on a plain class path); the connector's bundle knows nothing of it.
 */
public final class EchoFuzzBridge {
    private EchoFuzzBridge() {
    }

    public static DeliveryHandler noteHandler(Jdbc jdbc, Clock clock) {
        return new NoteHandler(jdbc, clock);
    }
}
