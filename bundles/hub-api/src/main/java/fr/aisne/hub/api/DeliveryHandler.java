package fr.aisne.hub.api;

/**
 * In-process delivery of a flow's messages (registry updates, partner API calls, file imports). Runs on one
 * of the flow's consumer threads; a failure never holds that thread: hub-core journals it and reschedules the
 * message with the flow's backoff, while the flow's other messages go on.
 *
 * <p>Its only failure signals are {@link DeliveryFailure#permanent} (quarantined at once: the payload or the
 * partner's refusal will not change) and {@link DeliveryFailure#temporary} (retried, after the partner's
 * "retry after" when it gave one). An unexpected RuntimeException is treated as temporary, with its class
 * name as the reason: a bug gets the retry budget, then quarantine.
 */
@FunctionalInterface
public interface DeliveryHandler {

    DeliveryResult deliver(Delivery delivery) throws DeliveryFailure;
}
