package fr.aisne.hub.core.spi;

/**
 * Headers the hub sets on every delivery, besides the payload's Content-Type: a delivery endpoint inside
 * the hub (the registry, a mapping route) records them as the provenance of what it learns.
 */
public final class DeliveryHeaders {
    /** The journal id of the exchange being delivered. */
    public static final String EXCHANGE_ID = "X-Hub-Exchange-Id";
    /** The partner of the flow (who told us). */
    public static final String PARTNER = "X-Hub-Partner";
    public static final String FLOW = "X-Hub-Flow";
    public static final String CORRELATION_ID = "X-Correlation-Id";
    /** Set by a delivery endpoint inside the hub to say what it did; journaled as the DELIVERED reason. */
    public static final String DETAIL = "X-Hub-Delivery-Detail";

    private DeliveryHeaders() {
    }
}
