package fr.aisne.hub.core.exchange;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;

/**
 * Keys of the duplicate check: which ones a message has, their end after the window, what is kept of them, and the
 * keys an earlier version wrote as text.
 */
public class DuplicateKeysTest extends CoreFixtureCase {

    // exchange ids as the hub makes them (the column is CHAR(36))
    private static final String EX1 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX2 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX3 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX4 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX5 = fr.aisne.hub.core.util.Ids.newExchangeId();
    private static final String EX6 = fr.aisne.hub.core.util.Ids.newExchangeId();

    private long keys() {
        return f.jdbc.count("SELECT COUNT(*) FROM hub_duplicate_key");
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

    @Test
    public void aKeyIsKeptAsA16ByteDigestWithoutThePartnersValue() {
        assertEquals(Optional.empty(), f.duplicates.record(List.of("caf/flux:id:CNAF-2026-0042-1850712345678"), EX1));
        byte[] stored = f.jdbc.one("SELECT key_digest FROM hub_duplicate_key WHERE exchange_id = ?", rs -> rs.getBytes(1),
                EX1).orElseThrow();
        assertEquals(16, stored.length);
        assertArrayEquals(DuplicateKeys.digest("caf/flux:id:CNAF-2026-0042-1850712345678"), stored);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("1850712345678"));
        // the flow is part of the key: the same partner id on another flow is another message
        assertEquals(Optional.empty(), f.duplicates.record(List.of("caf/mensuel:id:CNAF-2026-0042-1850712345678"), EX2));
        assertEquals(Optional.of(EX1), f.duplicates.record(List.of("caf/flux:id:CNAF-2026-0042-1850712345678"), EX3));
    }

    @Test
    public void keysAnEarlierVersionWroteAsTextAreRecognisedUntilPastTheWindowThenNoLongerRead() {
        // a hub upgraded with keys in the table of the earlier version
        f.jdbc.update("INSERT INTO hub_idempotency (repo, msg_key, exchange_id, created_at) VALUES (?,?,?,?)",
                DuplicateKeys.LEGACY_REPO, "echo/relay:id:before-upgrade", EX1, f.clock.instant());
        DuplicateKeys upgraded = new DuplicateKeys(f.jdbc, Duration.ofDays(7), f.clock);
        assertEquals(Optional.of(EX1), upgraded.record(List.of("echo/relay:id:before-upgrade"), EX2));
        assertEquals(Optional.empty(), upgraded.record(List.of("echo/relay:id:after-upgrade"), EX3));

        f.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertEquals("the old key and the new one, both past the window", 2, upgraded.purgeExpired());
        assertEquals(0, f.jdbc.count("SELECT COUNT(*) FROM hub_idempotency"));
        // an old key written again by hand after the purge is no longer read: the check left that table
        f.jdbc.update("INSERT INTO hub_idempotency (repo, msg_key, exchange_id, created_at) VALUES (?,?,?,?)",
                DuplicateKeys.LEGACY_REPO, "echo/relay:id:before-upgrade", EX1, f.clock.instant());
        assertEquals(Optional.empty(), upgraded.record(List.of("echo/relay:id:before-upgrade"), EX4));
    }
}
