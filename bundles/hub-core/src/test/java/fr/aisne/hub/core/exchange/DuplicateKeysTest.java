package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;

/** Keys of the duplicate check: which ones a message has, who wins a race, and their end after the window. */
public class DuplicateKeysTest extends CoreFixtureCase {

    // exchange ids as the hub makes them (the column is CHAR(36))
    private static final String EX1 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX2 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX3 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX4 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX5 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX6 = fr.aisne.hub.core.util.Ids.newExchangeId();

    private long keys() {
        return f.jdbc.count("SELECT COUNT(*) FROM hub_idempotency");
    }

    @Test
    public void aMessageIdWinsOverTheDigestAndAFlowMayCheckNothing() {
        Flow flow = Flow.outbound("echo", "relay");
        assertEquals(List.of("echo/relay:id:m1"), DuplicateKeys.keysOf(flow, "m1", "abc"));
        assertEquals(List.of("echo/relay:sha256:abc"), DuplicateKeys.keysOf(flow, null, "abc"));
        assertTrue(DuplicateKeys.keysOf(Flow.outbound("echo", "relay").duplicates(Duplicates.MESSAGE_ID), null, "abc")
                .isEmpty());
        assertTrue(DuplicateKeys.keysOf(Flow.outbound("echo", "relay").duplicates(Duplicates.NONE), "m1", "abc")
                .isEmpty());
    }

    @Test
    public void keysOlderThanTheWindowArePurgedAndAnExpiredKeyIsAFirstReceiptAgain() {
        assertEquals(Optional.empty(), f.duplicates.record(List.of("echo/relay:id:old"), EX1));
        assertEquals(Optional.of(EX1), f.duplicates.record(List.of("echo/relay:id:old"), EX2));
        f.clock.advance(Duration.ofDays(6));
        assertEquals(Optional.empty(), f.duplicates.record(List.of("echo/relay:id:recent"), EX3));
        f.clock.advance(Duration.ofDays(1).plusSeconds(1)); // "old" is now past the 7-day window, "recent" is not

        assertEquals("an expired key is taken over by a new receipt", Optional.empty(),
                f.duplicates.record(List.of("echo/relay:id:old"), EX4));
        f.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertEquals(Optional.empty(), f.duplicates.record(List.of("echo/relay:id:fresh"), EX5));
        assertEquals(3, keys());
        assertEquals("old (renewed at day 7) and recent (day 6) are past the window", 2, f.duplicates.purgeExpired());
        assertEquals(1, keys());
        assertEquals(Optional.of(EX5), f.duplicates.record(List.of("echo/relay:id:fresh"), EX6));
    }
}
