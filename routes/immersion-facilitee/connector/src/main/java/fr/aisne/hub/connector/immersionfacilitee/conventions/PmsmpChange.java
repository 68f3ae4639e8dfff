package fr.aisne.hub.connector.immersionfacilitee.conventions;

import java.time.Instant;

/**
 * One change of a kept convention, in the order the hub recorded them.
 *
 * @param seq position in the change feed (the reader's cursor)
 * @param key the convention's key
 * @param version the convention's version after the change
 * @param what {@code created}, {@code updated}, {@code removed}, {@code restored} or {@code person}
 */
public record PmsmpChange(long seq, String key, int version, String what, Instant at) {
}
