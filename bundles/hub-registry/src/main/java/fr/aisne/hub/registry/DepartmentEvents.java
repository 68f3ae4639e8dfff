package fr.aisne.hub.registry;

import java.util.List;
import java.util.Set;

/**
 * The department's event feed: an ordered, durable log the department reads through its API
 * (GET /hub/api/departement/evenements) and that connectors follow with a cursor (e.g. France Travail
 * identifies every new person subject to rights and duties). One OSGi service, in the registry bundle.
 */
public interface DepartmentEvents {

    /**
     * Appends the events of one journaled batch, in order, in one transaction. Idempotent per batch: a batch
     * delivered twice (redelivery after a crash) is recorded once. Returns how many were appended.
     */
    int publish(String batchExchangeId, List<DepartmentEvent> events);

    /** Events with a sequence number greater than {@code afterSeq}, oldest first, at most {@code limit}; all types if empty. */
    List<DepartmentEvent> since(long afterSeq, int limit, Set<String> types);

    /** The newest sequence number, 0 when the feed is empty. */
    long lastSeq();
}
