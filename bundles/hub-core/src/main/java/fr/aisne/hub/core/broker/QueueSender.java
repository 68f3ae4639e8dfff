package fr.aisne.hub.core.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * Puts an exchange's claim check (its id, never its payload) on a durable queue of the broker: persistent, with
 * the ordering key as the message group (Artemis then gives one key's messages to one consumer, in order), and a
 * duplicate-detection id (the dispatch id: the exchange id for a first send, the hub_dispatch row's id for a retry,
 * a release or a replay) so that the dispatcher can send again what it is not sure the broker took. Sends time out
 * (jms.sendTimeout on the connection URL): a full disk on the broker side becomes an error, not a hung thread.
 */
public final class QueueSender implements fr.aisne.hub.core.exchange.Dispatcher.Sender {
    /** Message properties carried through the broker (Camel's own headers are not). */
    public static final String EXCHANGE_ID = "HubExchangeId";
    public static final String ATTEMPT = "HubAttempt";
    public static final String GROUP = "JMSXGroupID";
    /** Artemis's duplicate-detection property. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final ConnectionFactory factory;

    public QueueSender(ConnectionFactory factory) {
        this.factory = factory;
    }

    /** @param dispatchId the id of this send (duplicate detection: sending it again is dropped by the broker) */
    @Override
    public void send(String queue, String exchangeId, String orderingKey, int attempt, String dispatchId)
            throws JMSException {
        Connection c = factory.createConnection(); // shared by the caching factory: closing it is a no-op
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            Message m = s.createTextMessage(exchangeId);
            m.setStringProperty(EXCHANGE_ID, exchangeId);
            m.setIntProperty(ATTEMPT, attempt);
            m.setStringProperty(DUPLICATE_ID, dispatchId);
            if (orderingKey != null) {
                m.setStringProperty(GROUP, orderingKey);
            }
            p.send(m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, 0);
        } finally {
            c.close();
        }
    }
}
