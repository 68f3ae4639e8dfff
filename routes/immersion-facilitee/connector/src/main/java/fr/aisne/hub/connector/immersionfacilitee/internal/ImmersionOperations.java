package fr.aisne.hub.connector.immersionfacilitee.internal;

/**
 * What operators can ask of the running connector (operations API under /hub/api/immersion-facilitee/ and the shell
 * commands hub:immersion-subscription, hub:immersion-reconcile); registered as a service of the connector's bundle while
 * the connector runs.
 */
public interface ImmersionOperations {

    /** Checks and repairs the webhook subscription now (with a new secret when {@code rotate}); says what was done. */
    String subscription(boolean rotate) throws Exception;

    /** Asks for a reconciliation now: the recent windows, or the nightly months. */
    String reconcile(boolean nightly);

    /** Asks for one convention to be read again from the platform. */
    String reread(String conventionId) throws Exception;

    /** Subscription, reconciliation and conventions, in a few lines. */
    String status();
}
