package fr.aisne.hub.core.flow;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

import fr.aisne.hub.api.DeliveryHandler;
import fr.aisne.hub.api.Flow;
import fr.aisne.hub.core.broker.QueueSender;
import fr.aisne.hub.core.exchange.DeliveryService;
import fr.aisne.hub.core.exchange.IntakeService;
import fr.aisne.hub.core.http.HubHttp;

/**
 * The standard routes of one flow, so that no connector writes journaling, queues or retries itself:
 * <ol>
 * <li>{@code <connector>.<flow>.accept}: HTTP POST into the flow (when the flow accepts HTTP);</li>
 * <li>{@code <connector>.<flow>.deliver}: the flow's durable queue, with as many consumers as its concurrency,
 * each message handed to {@link DeliveryService} (which never waits for a retry).</li>
 * </ol>
 * The queue consumers acknowledge a message once its outcome is journaled (client acknowledgement): a hub killed
 * mid-delivery gets it back from the broker at restart.
 */
public final class FlowRoutes extends RouteBuilder {
    /** How long a delivery consumer's receive waits before its loop checks whether it must stop. */
    static final long RECEIVE_TIMEOUT_MS = 250;
    private final String connectorId;
    private final Flow flow;
    private final IntakeService intake;
    private final DeliveryService deliveries;
    private final DeliveryHandler handler;
    private final HubHttp http;
    private final String queueComponent;

    public FlowRoutes(String connectorId, Flow flow, IntakeService intake, DeliveryService deliveries,
            DeliveryHandler handler, HubHttp http, String queueComponent) {
        this.connectorId = connectorId;
        this.flow = flow;
        this.intake = intake;
        this.deliveries = deliveries;
        this.handler = handler;
        this.http = http;
        this.queueComponent = queueComponent;
    }

    public String acceptRouteId() {
        return connectorId + "." + flow.name() + ".accept";
    }

    public String deliverRouteId() {
        return connectorId + "." + flow.name() + ".deliver";
    }

    @Override
    public void configure() {
        errorHandler(defaultErrorHandler().logStackTrace(false).logExhaustedMessageHistory(false)
                .retriesExhaustedLogLevel(LoggingLevel.WARN));
        if (flow.httpPath() != null) {
            from(http.postConsumer(flow.httpPath()))
                    .routeId(acceptRouteId()).routeGroup(connectorId)
                    .process(new HttpIngest(flow, intake, http));
        }
        if (handler != null) {
            int c = flow.concurrency();
            // receiveTimeout: a consumer stops only once its current receive returns, and a connector's delivery routes
            // stop one after the other: 1 s each by default (4 s for France Travail's five at every stop or upgrade).
            // An idle receive waits on the client's prefetch buffer, so a shorter one costs no broker round trip.
            from(queueComponent + ":queue:" + flow.queue() + "?acknowledgementModeName=CLIENT_ACKNOWLEDGE"
                    + "&concurrentConsumers=" + c + "&maxConcurrentConsumers=" + c + "&testConnectionOnStartup=false"
                    + "&receiveTimeout=" + RECEIVE_TIMEOUT_MS)
                    .routeId(deliverRouteId()).routeGroup(connectorId)
                    .process(e -> {
                        var m = e.getMessage();
                        String id = m.getHeader(QueueSender.EXCHANGE_ID, String.class);
                        if (id == null) {
                            id = m.getBody(String.class);
                        }
                        Integer deliveryCount = m.getHeader("JMSXDeliveryCount", Integer.class);
                        deliveries.onMessage(flow, handler, id, m.getHeader(QueueSender.ATTEMPT, Integer.class),
                                deliveryCount == null ? 1 : deliveryCount);
                    });
        }
    }
}
