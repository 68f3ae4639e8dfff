package fr.aisne.hub.core.guard;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.PartnerGuard;

/**
 * A delivery under its flow's partner guard: a concurrency slot while it runs; refused while the partner's
 * circuit is open. The handler itself takes a rate permit per call it makes to the partner.
 */
public final class GuardedCall {
    private static final GuardedCall UNGUARDED = new GuardedCall(null, null);

    private final LimitsGuard guard;
    private final DeliveryFailure refused;

    private GuardedCall(LimitsGuard guard, DeliveryFailure refused) {
        this.guard = guard;
        this.refused = refused;
    }

    public static GuardedCall enter(PartnerGuard guard) {
        if (!(guard instanceof LimitsGuard g)) {
            return UNGUARDED;
        }
        DeliveryFailure refused = g.enter();
        return new GuardedCall(refused == null ? g : null, refused);
    }

    /** Why the delivery cannot start now, or null. */
    public DeliveryFailure refused() {
        return refused;
    }

    /**
     * The delivery is over: its slot is given back. Its outcome does not feed the circuit breaker here: the calls it
     * made did, as the handler reported them ({@link PartnerGuard#succeeded()}, {@link PartnerGuard#failed()}); a
     * delivery failure is not always the partner's (a bad payload, the hub's own error).
     */
    public void exit() {
        if (guard != null) {
            guard.exit();
        }
    }
}
