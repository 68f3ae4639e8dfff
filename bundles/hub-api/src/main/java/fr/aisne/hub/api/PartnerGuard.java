package fr.aisne.hub.api;

import java.time.Duration;

/**
 * One partner's rate limit, concurrency limit and circuit breaker, shared by every call the hub makes to it
 * (flow deliveries and the connector's own calls). Obtained from {@link ConnectorContext#partnerGuard}. A flow
 * {@link Flow#guardedBy guarded by} it has each delivery take a slot of the concurrency limit, and no delivery
 * starts while the circuit is open. The rate limit and the circuit breaker count <em>calls</em>, which are what
 * the caller reports: {@link #permit} before each call, {@link #succeeded} or {@link #failed} after it (a delivery
 * may make several calls, a poller makes its own). The hub's HTTP relay ({@link Flow#deliverTo(String)}) does
 * this itself; a handler or a poller that calls the partner reports each of its calls, or the circuit never
 * opens.
 */
public interface PartnerGuard {

    /** The partner's name. */
    String partner();

    /**
     * Waits for a rate permit for one call to the partner. Fails (temporarily, with the time to wait) when the
     * circuit is open, when the partner asked for a pause longer than the hub waits on a thread, or when no
     * permit comes within a few seconds: the caller gives the thread back and is retried later.
     */
    void permit() throws DeliveryFailure;

    /** The partner asked to slow down (429 with Retry-After): no call is permitted before {@code pause} is over. */
    void pause(Duration pause);

    /** A call succeeded (closes a half-open circuit). */
    void succeeded();

    /** A call failed in a way that says the partner is unwell (timeout, 5xx): counts towards opening the circuit. */
    void failed();

    /** For health: circuit state, pause, calls under way. */
    String describe();

    /** True while the circuit refuses calls. */
    boolean open();
}
