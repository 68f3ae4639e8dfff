package fr.aisne.hub.connector.francetravail.testing;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import fr.aisne.hub.connector.francetravail.FtSettings;
import fr.aisne.hub.connector.francetravail.client.FranceTravailClient;
import fr.aisne.hub.connector.francetravail.client.FtTransport;
import fr.aisne.hub.connector.francetravail.client.TokenManager;

/** Settings and clients pointed at a {@link FakeFranceTravail}. */
public final class TestClients {
    public static final String SECRET = "s3cr3t-VALUE-for-tests";

    private TestClients() {
    }

    /** Settings for the fake, no rate limit unless given; {@code kv} overrides (key, value, key, value...). */
    public static FtSettings settings(FakeFranceTravail fake, String... kv) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("baseUrl", fake.url());
        cfg.put("client.id", "aisne-hub");
        cfg.put("client.secret", SECRET);
        cfg.put("partner.ratePerSecond", "0");
        cfg.put("http.requestTimeoutMs", "5000");
        cfg.put("agent.id", "agent-42");
        cfg.put("agent.nom", "MARTIN");
        cfg.put("agent.prenom", "Claire");
        for (int i = 0; i < kv.length; i += 2) {
            cfg.put(kv[i], kv[i + 1]);
        }
        return FtSettings.from(cfg);
    }

    public static FranceTravailClient client(FtSettings s, Clock clock) {
        return client(s, clock, s.clientSecret());
    }

    public static FranceTravailClient client(FtSettings s, Clock clock, String clearSecret) {
        return client(s, clock, clearSecret, new RecordingGuard());
    }

    public static FranceTravailClient client(FtSettings s, Clock clock, String clearSecret, RecordingGuard guard) {
        FtTransport transport = new FtTransport(FtTransport.httpClient(s.connectTimeout()), s.requestTimeout(), guard,
                s.retryAfterMaxWait(), s.retryAfterMaxRetries(), clock);
        TokenManager tokens = new TokenManager(transport, s.tokenUrl(), s.realm(), s.clientId(), clearSecret,
                s.renewBefore(), clock);
        return new FranceTravailClient(s, transport, tokens);
    }
}
