package fr.aisne.hub.core.guard;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import fr.aisne.hub.api.PartnerGuard;
import fr.aisne.hub.api.PartnerLimits;

/**
 * One guard per partner for the whole hub, so a partner's limits hold across its connector's flows and pollers.
 * A connector re-created with new settings gets a guard with the new limits (its circuit starts closed).
 */
public final class PartnerGuards {
    private final Clock clock;
    private final Map<String, LimitsGuard> guards = new ConcurrentHashMap<>();

    public PartnerGuards(Clock clock) {
        this.clock = clock;
    }

    public PartnerGuard guard(String partner, PartnerLimits limits) {
        return guards.compute(partner, (p, existing) -> existing != null && existing.limits().equals(limits)
                ? existing : new LimitsGuard(partner, limits, clock));
    }

    /** The guards' states, for health and metrics. */
    public Map<String, LimitsGuard> all() {
        return Map.copyOf(guards);
    }
}
