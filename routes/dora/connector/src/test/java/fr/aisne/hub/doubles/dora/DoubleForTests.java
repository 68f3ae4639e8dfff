package fr.aisne.hub.doubles.dora;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The Dora double started outside OSGi for the connector's round-trip test (the double's classes are package-private:
 * this helper sits in its package, in the connector's test sources only).
 */
public final class DoubleForTests implements AutoCloseable {
    /** The fixed api-scope token of the double's default secret (routes/dora/README.md). */
    public static final String API_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhaXNuZS1odWIiLCJzY29wZXMiOlsiYXBpIl0sImNyZWF0ZWRfYXQiOiIyMDI2LTAxLTA1VDA5OjAwOjAwKzAxOjAwIn0.9jBNaePZ4K8xN0m-I_2BJjbGfTLe9M2BaSNJA5ZEyQI";

    private final DoraServer server;

    private DoubleForTests(DoraServer server) {
        this.server = server;
    }

    public static DoubleForTests start(int port, Map<String, Object> settings) throws Exception {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("http.host", "127.0.0.1");
        config.put("http.port", String.valueOf(port));
        DoraServer s = new DoraServer(Settings.from(config), Clock.systemUTC());
        s.start();
        return new DoubleForTests(s);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }
}
