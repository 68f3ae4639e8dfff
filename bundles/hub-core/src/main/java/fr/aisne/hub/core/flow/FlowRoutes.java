package fr.aisne.hub.core.flow;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteDefinition;

import fr.aisne.hub.core.exchange.ExchangeService;
import fr.aisne.hub.core.security.BasicAuthenticator;
import fr.aisne.hub.core.spi.DeliveryHeaders;
import fr.aisne.hub.core.spi.Flow;
import fr.aisne.hub.core.spi.RetryPolicy;
import fr.aisne.hub.core.spi.ValidationException;
import fr.aisne.hub.core.util.Redaction;

/**
 * The standard routes of one flow, so that no connector writes journaling, queues or retries itself:
 * <ol>
 * <li>{@code <connector>.<flow>.accept}: HTTP POST into the flow (when the flow accepts HTTP);</li>
 * <li>{@code <connector>.<flow>.deliver}: durable queue to the partner, with exponential backoff, each
 * failed attempt journaled, then quarantine.</li>
 * </ol>
 * The queue consumer acknowledges a message only once it is delivered or quarantined (client
 * acknowledgement), so a hub killed mid-delivery gets it back from the broker at restart.
 */
public class FlowRoutes extends RouteBuilder {
    static final String PROP_EXCHANGE_ID = "hub.exchangeId";
    static final String PROP_ATTEMPT = "hub.deliveryAttempt";
    /** Beyond this many deliveries of one broker message, it is a poison message: quarantined. */
    static final int MAX_BROKER_DELIVERIES = 10;


    private final String connectorId;
    private final Flow flow;
    private final ExchangeService exchanges;
    private final BasicAuthenticator authenticator;
    private final String httpBase;
    private final String queueComponent;
    private final String queueConsumerOptions;

    /**
     * @param queueConsumerOptions endpoint options of the queue consumer, e.g. client acknowledgement for
     *        the broker (unit tests use an in-memory queue without them)
     */
    public FlowRoutes(String connectorId, Flow flow, ExchangeService exchanges, BasicAuthenticator authenticator,
            String httpBase, String queueComponent, String queueConsumerOptions) {
        this.connectorId = connectorId;
        this.flow = flow;
        this.exchanges = exchanges;
        this.authenticator = authenticator;
        this.httpBase = httpBase;
        this.queueComponent = queueComponent;
        this.queueConsumerOptions = queueConsumerOptions;
    }

    public String acceptRouteId() {
        return connectorId + "." + flow.name() + ".accept";
    }

    public String deliverRouteId() {
        return connectorId + "." + flow.name() + ".deliver";
    }

    @Override
    public void configure() {
        if (flow.httpPath() != null) {
            from("jetty:" + httpBase + flow.httpPath() + "?httpMethodRestrict=POST&disableStreamCache=true")
                    .routeId(acceptRouteId()).routeGroup(connectorId)
                    .process(new HttpIngestProcessor(flow, exchanges, authenticator));
        }
        if (flow.deliveryUri() != null) {
            configureDelivery();
        }
    }

    private void configureDelivery() {
        RetryPolicy retry = flow.retry();
        RouteDefinition route = from(queueComponent + ":queue:" + flow.queue() + queueConsumerOptions)
                .routeId(deliverRouteId()).routeGroup(connectorId);

        // A payload that breaks its contract when it is processed is quarantined at once: retrying cannot help.
        // (Matched by predicate: Camel resolves onException classes through the runtime bundle, which does
        // not see the hub's classes.)
        route.onException(Exception.class).onWhen(e -> caught(e) instanceof ValidationException).handled(true)
                .process(e -> {
            ValidationException v = (ValidationException) caught(e);
            exchanges.quarantine(idOf(e), "rejected by flow " + flow.key() + ": " + v.describe());
        }).end();
        OnExceptionDefinition failure = route.onException(Exception.class)
                .maximumRedeliveries(retry.maxAttempts() - 1)
                .redeliveryDelay(retry.initialDelayMs())
                .useExponentialBackOff()
                .backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxDelayMs())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .logStackTrace(false)
                // journaled when the failure happens, before the backoff wait
                .onExceptionOccurred(e -> {
                    // Counted here: Camel has already incremented its redelivery counter when this runs.
                    int attempt = e.getProperty(PROP_ATTEMPT, 0, Integer.class) + 1;
                    e.setProperty(PROP_ATTEMPT, attempt);
                    long next = attempt < retry.maxAttempts() ? retry.delayBeforeRetry(attempt) : -1;
                    exchanges.failedAttempt(idOf(e), attempt, caught(e), next);
                })
                .handled(true);
        // A connector being removed stops retrying at once; the handler below leaves the message queued.
        failure.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        failure.process(e -> {
            String id = idOf(e);
            if (isStopping(e)) {
                // Not the partner's fault: leave the message unacknowledged in its queue.
                throw new ConnectorStoppingException(id);
            }
            String reason = "delivery to " + flow.key() + " failed " + retry.maxAttempts() + " times; last error: "
                    + Redaction.describe(caught(e));
            log.warn("Exchange {} quarantined: {}", id, reason);
            exchanges.quarantine(id, reason);
        }).end();

        route.process(e -> {
            String id = e.getMessage().getHeader(ExchangeService.HEADER_EXCHANGE_ID, String.class);
            if (id == null) {
                id = e.getMessage().getBody(String.class);
            }
            e.setProperty(PROP_EXCHANGE_ID, id);
            Integer deliveries = e.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
            if (deliveries != null && deliveries > MAX_BROKER_DELIVERIES) {
                // The hub itself failed on this message again and again (not the partner): stop the loop.
                exchanges.quarantine(id, "handed back by the broker " + deliveries + " times: the hub failed while "
                        + "delivering it; see the log, fix, then replay");
                e.setRouteStop(true);
                return;
            }
            Optional<ExchangeService.Delivery> d = exchanges.prepareDelivery(id);
            if (d.isEmpty()) {
                e.setRouteStop(true);
                return;
            }
            var m = e.getMessage();
            m.removeHeaders("*");
            m.setBody(d.get().payload());
            m.setHeader(Exchange.HTTP_METHOD, "POST");
            m.setHeader(Exchange.CONTENT_TYPE, d.get().record().contentType());
            m.setHeader(DeliveryHeaders.CORRELATION_ID, d.get().record().correlationId());
            m.setHeader(DeliveryHeaders.EXCHANGE_ID, id);
            m.setHeader(DeliveryHeaders.PARTNER, d.get().record().partner());
            m.setHeader(DeliveryHeaders.FLOW, d.get().record().flow());
        })
                .to(flow.deliveryUri())
                .process(e -> exchanges.delivered(idOf(e), deliveryDetail(e)));
    }

    private boolean isStopping(Exchange e) {
        var status = e.getContext().getRouteController().getRouteStatus(deliverRouteId());
        return e.getContext().isStopping() || status == null || status.isStopping() || status.isStopped();
    }

    /** Thrown to hand a message back to the broker when its connector stops during a delivery. */
    static final class ConnectorStoppingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectorStoppingException(String exchangeId) {
            super("connector stopping; exchange " + exchangeId + " left in its queue");
        }
    }

    private static String deliveryDetail(Exchange e) {
        String detail = e.getMessage().getHeader(DeliveryHeaders.DETAIL, String.class);
        if (detail != null) {
            return detail;
        }
        Integer status = e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? null : "partner answered HTTP " + status;
    }

    private static String idOf(Exchange e) {
        return e.getProperty(PROP_EXCHANGE_ID, String.class);
    }

    private static Throwable caught(Exchange e) {
        Throwable t = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return t != null ? t : e.getException();
    }
}
