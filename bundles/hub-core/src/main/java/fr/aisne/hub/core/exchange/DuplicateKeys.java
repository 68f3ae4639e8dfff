package fr.aisne.hub.core.exchange;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Jdbc;
import fr.aisne.hub.core.util.Digests;

/**
 * The keys that recognise a message already received: the partner's message id when it gives one, the payload's
 * digest only when it gives none (per flow, {@link Duplicates}). A key is recorded in the same transaction as the
 * exchange is accepted, so a message that never reached its queue (refused, invalid) leaves no key behind, and its
 * retry is a first receipt. Keys older than the window are purged.
 *
 * <p>A key is stored as the first 16 bytes of its SHA-256 (table hub_duplicate_key): a small fixed-size index entry
 * (every new key is a random one, inserted anywhere in the index), and no second copy of the partner's ids. Two
 * different keys sharing 128 bits is not a risk worth a column. Keys written as text by earlier versions
 * (hub_idempotency) are still recognised until they are past the window; the purge then empties that table and the
 * check stops reading it.
 */
public final class DuplicateKeys {
    static final String LEGACY_REPO = "inbound";
    static final int DIGEST_BYTES = 16;

    private final Jdbc jdbc;
    private final Duration window;
    private final Clock clock;
    /** Keys of an earlier version remain (hub_idempotency not empty): they are checked too. */
    private volatile boolean legacyKeys;

    public DuplicateKeys(Jdbc jdbc, Duration window, Clock clock) {
        this.jdbc = jdbc;
        this.window = window;
        this.clock = clock;
        this.legacyKeys = anyLegacyKey();
    }

    /** The keys of a message of {@code flow}; empty when the flow does not check duplicates for it. */
    public static List<String> keysOf(Flow flow, String partnerMessageId, String sha256) {
        List<String> keys = new ArrayList<>(1);
        if (flow.duplicates() == Duplicates.NONE) {
            return keys;
        }
        if (partnerMessageId != null) {
            keys.add(flow.key() + ":id:" + partnerMessageId);
        } else if (flow.duplicates() == Duplicates.MESSAGE_ID_ELSE_DIGEST && sha256 != null) {
            keys.add(flow.key() + ":sha256:" + sha256);
        }
        return keys;
    }

    /** What is stored of a key. */
    static byte[] digest(String key) {
        return Arrays.copyOf(Digests.sha256().digest(key.getBytes(StandardCharsets.UTF_8)), DIGEST_BYTES);
    }

    /**
     * Records the keys for {@code exchangeId} (inside the accept transaction): the first receipt of one of them, when
     * another message within the window has it (then the transaction must not commit); an expired key is taken over.
     * The insert comes first: a new key, the usual case, costs one statement.
     */
    public Optional<String> record(List<String> keys, String exchangeId) {
        Instant now = clock.instant();
        Instant expired = now.minus(window);
        for (String key : keys) {
            if (legacyKeys) {
                Optional<String> first = jdbc.one("SELECT exchange_id FROM hub_idempotency WHERE repo = ? AND "
                        + "msg_key = ? AND created_at > ?", rs -> rs.getString(1), LEGACY_REPO, key, expired);
                if (first.isPresent()) {
                    return first;
                }
            }
            byte[] d = digest(key);
            if (jdbc.insertIfAbsent("INSERT INTO hub_duplicate_key (key_digest, exchange_id, created_at) VALUES (?,?,?)",
                    d, exchangeId, now)) {
                continue;
            }
            int renewed = jdbc.update("UPDATE hub_duplicate_key SET exchange_id = ?, created_at = ? WHERE key_digest = ? "
                    + "AND created_at <= ?", exchangeId, now, d, expired);
            if (renewed == 0) {
                return Optional.of(jdbc.one("SELECT exchange_id FROM hub_duplicate_key WHERE key_digest = ?",
                        rs -> rs.getString(1), d).orElse("unknown"));
            }
        }
        return Optional.empty();
    }

    /** Withdraws the keys of an exchange the hub did not accept after all (inside the caller's transaction). */
    public void forget(List<String> keys, String exchangeId) {
        for (String key : keys) {
            jdbc.update("DELETE FROM hub_duplicate_key WHERE key_digest = ? AND exchange_id = ?", digest(key), exchangeId);
        }
    }

    /**
     * Deletes keys older than the window (a scan every few hours: no index on age, which every message would pay);
     * how many.
     */
    public int purgeExpired() {
        Instant expired = clock.instant().minus(window);
        int n = jdbc.update("DELETE FROM hub_duplicate_key WHERE created_at <= ?", expired);
        if (legacyKeys) {
            n += jdbc.update("DELETE FROM hub_idempotency WHERE created_at <= ?", expired);
            legacyKeys = anyLegacyKey();
        }
        return n;
    }

    /** Whether hub_idempotency has a row (one row read, not a count of a week of keys). */
    private boolean anyLegacyKey() {
        return jdbc.one("SELECT 1 FROM hub_idempotency FETCH FIRST 1 ROWS ONLY", rs -> rs.getInt(1)).isPresent();
    }
}
