package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;

import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.JsonWellFormed;
import fr.aisne.hub.api.operations.StateCount;

/** The console's charts: exchanges by flow, current state and time bucket, from one grouped query on Derby. */
public class StateCountsTest extends CoreFixtureCase {
    private final Flow relay = Flow.outbound("echo", "relay").validator(new JsonWellFormed()).deliverTo("mock:x");

    @Test
    public void exchangesAreCountedByFlowStateAndBucketOfCreationSinceTheOrigin() throws Exception {
        f.accept(relay, "{\"a\":1}", "m-1", null); // 10:00, QUEUED
        f.accept(relay, "{\"a\":", "m-2", null); // 10:00, QUARANTINED (invalid)
        f.clock.advance(Duration.ofMinutes(7));
        f.accept(relay, "{\"a\":2}", "m-3", null); // 10:07, QUEUED
        f.accept(relay, "{\"a\":3}", "m-4", null); // 10:07, QUEUED
        f.clock.advance(Duration.ofMinutes(30));
        f.accept(relay, "{\"a\":4}", "m-5", null); // 10:37, QUEUED

        Instant origin = CoreFixture.T0.minus(Duration.ofMinutes(5));
        Map<String, Long> byKey = new TreeMap<>();
        for (StateCount c : f.journal.stateCounts(origin, Duration.ofMinutes(10))) {
            byKey.put(c.partner() + "/" + c.flow() + " " + c.state() + " " + c.bucket(), c.count());
        }
        assertEquals(Map.of(
                "echo/relay QUEUED 2026-12-06T09:55:00Z", 1L,
                "echo/relay QUARANTINED 2026-12-06T09:55:00Z", 1L,
                "echo/relay QUEUED 2026-12-06T10:05:00Z", 2L,
                "echo/relay QUEUED 2026-12-06T10:35:00Z", 1L), byKey);

        List<StateCount> lastHalfHour = f.journal.stateCounts(CoreFixture.T0.plus(Duration.ofMinutes(10)),
                Duration.ofHours(1));
        assertEquals("only what was created since, in one bucket",
                List.of(new StateCount("echo", "relay", fr.aisne.hub.api.operations.ExchangeState.QUEUED,
                        CoreFixture.T0.plus(Duration.ofMinutes(10)), 1)), lastHalfHour);
    }
}
