package fr.aisne.hub.core.journal;

import java.time.Instant;

import fr.aisne.hub.core.ExchangeState;

/** One entry of an exchange's state history. */
public record StateChange(int seq, ExchangeState state, Instant at, String reason, String actor) {
}
