package fr.aisne.hub.core.exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import fr.aisne.hub.api.Duplicates;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.api.Jdbc;

/**
 * The keys that recognise a message already received (table hub_idempotency): the partner's message id when
 * it gives one, the payload's digest only when it gives none (per flow, {@link Duplicates}). A key is recorded
 * in the same transaction as the exchange is accepted, so a message that never reached its queue (refused,
 * invalid) leaves no key behind, and its retry is a first receipt. Keys older than the window are purged.
 */
public final class DuplicateKeys {
    static final String REPO = "inbound";

    private final Jdbc jdbc;
    private final Duration window;
    private final Clock clock;

    public DuplicateKeys(Jdbc jdbc, Duration window, Clock clock) {
        this.jdbc = jdbc;
        this.window = window;
        this.clock = clock;
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

    /**
     * Records the keys for {@code exchangeId} (inside the accept transaction): the first receipt of one of them, when
     * another message within the window has it (then the transaction must not commit); an expired key is taken over.
     * The insert comes first: a new key, the usual case, costs one statement.
     */
    public Optional<String> record(List<String> keys, String exchangeId) {
        Instant now = clock.instant();
        for (String key : keys) {
            if (jdbc.insertIfAbsent("INSERT INTO hub_idempotency (repo, msg_key, exchange_id, created_at) VALUES (?,?,?,?)",
                    REPO, key, exchangeId, now)) {
                continue;
            }
            int renewed = jdbc.update("UPDATE hub_idempotency SET exchange_id = ?, created_at = ? WHERE repo = ? AND "
                    + "msg_key = ? AND created_at <= ?", exchangeId, now, REPO, key, now.minus(window));
            if (renewed == 0) {
                return Optional.of(jdbc.one("SELECT exchange_id FROM hub_idempotency WHERE repo = ? AND msg_key = ?",
                        rs -> rs.getString(1), REPO, key).orElse("unknown"));
            }
        }
        return Optional.empty();
    }

    /** Withdraws the keys of an exchange the hub did not accept after all (inside the caller's transaction). */
    public void forget(List<String> keys, String exchangeId) {
        for (String key : keys) {
            jdbc.update("DELETE FROM hub_idempotency WHERE repo = ? AND msg_key = ? AND exchange_id = ?", REPO, key,
                    exchangeId);
        }
    }

    /** Deletes keys older than the window (a daily scan: no index on age, which every message would pay); how many. */
    public int purgeExpired() {
        return jdbc.update("DELETE FROM hub_idempotency WHERE created_at <= ?", clock.instant().minus(window));
    }
}
