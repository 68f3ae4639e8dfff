package fr.aisne.hub.api.operations;

import java.time.Instant;


/** One entry of an exchange's state history. */
public record StateChange(int seq, ExchangeState state, Instant at, String reason, String actor) {
}
