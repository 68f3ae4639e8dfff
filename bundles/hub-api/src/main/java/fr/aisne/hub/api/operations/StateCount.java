package fr.aisne.hub.api.operations;

import java.time.Instant;

/**
 * How many exchanges of one flow, created within one time bucket, are now in one state (the console's charts).
 *
 * @param bucket start of the time bucket the exchanges were created in
 */
public record StateCount(String partner, String flow, ExchangeState state, Instant bucket, long count) {
}
